// Map/unmap ordering and batched zap of a large anonymous folio (seed 002, linux-mm, August 2023,
// "Re: [PATCH v4 3/3] mm: Batch-zap large anonymous folio PTE mappings").
//
// The rule (David Hildenbrand): mapping does refcount++ before mapcount++, unmapping does
// mapcount-- before refcount--, so any atomic snapshot of the two has refcount >= mapcount. Code that
// looks for references other than mappings compares the two counters:
//   KSM        page_mapcount(page) + 1 + swapped != page_count(page)  (mm/ksm.c, write_protect_page)
//   compaction folio_ref_count(folio) - 1 > folio_mapcount(folio)    (mm/compaction.c,
//              isolate_migratepages_block)
// and the dangerous answer is "no other references" while a GUP pin exists. Ryan Roberts' v4 batch zap
// (on architectures whose __tlb_remove_page drops the reference at once) took an extra reference, then
// per page cleared the PTE and put the page's reference, and removed the rmap for the whole range only
// after the loop: for a while mapcount > refcount. What landed instead is David's series
// "mm/memory: optimize unmap/zap with PTE-mapped THP" (10ebac4f95e7, v6.9): zap_present_folio_ptes
// clears the PTEs, calls folio_remove_rmap_ptes, then queues the pages with __tlb_remove_folio_pages;
// their references are dropped later (folios_put_refs, after the TLB flush), so the rule holds again.
//
// Question: which zap orders keep refcount >= mapcount (O1), and can a reference check conclude "no
// extra references" while a GUP-fast pin is held (O2)?
//
// Threads and steps (one kernel atomic operation per step):
//   zap (mm/memory.c zap_pte_range), one of three orders chosen by the variant:
//     landed     ptep_get_and_clear_full per page; folio_remove_rmap_ptes (mapcount -= nr in one
//                atomic on folio->_large_mapcount); folios_put_refs (refcount -= nr in one atomic)
//     v4         folio_get; per page ptep_get_and_clear_full, __tlb_remove_page (put at once);
//                folio_remove_rmap_range (mapcount -= nr); folio_put
//     perPage    the order before batching: per page ptep_get_and_clear_full, page_remove_rmap
//                (mapcount--), __tlb_remove_page (refcount--, at once as on the architectures v4
//                targeted; deferring the put to the TLB flush only moves it later)
//   gup (mm/gup.c gup_fast_pte_range), the pinners, interchangeable (a scalarset):
//     ptep_get_lockless reads one PTE of the folio; try_grab_folio_fast increments the refcount
//     unless it is 0; ptep_get re-checks the PTE and, if it changed, gup_put_folio drops the
//     reference again; otherwise the page is pinned until unpin_user_page.
//   check (KSM or compaction): folio_try_get (both hold their own reference while checking), then
//     either one ideal atomic snapshot of both counters (read_both_atomically), or two reads as the C
//     code does: folio_mapcount, then folio_ref_count (the decision is taken with the second read;
//     the order of the operands of a C comparison is unspecified and mapcount-first is the order
//     KSM's expression is written in); then folio_put.
//   map (optional): another mapping of the folio, in a page table whose lock the zap does not hold
//     (a swap-in or fork of another mm): folio_try_get, then folio_add_anon_rmap_ptes (mapcount++).
//     Setting its PTE is not a step: nothing in this model reads that PTE.
//
// Properties:
//   O1 refcount >= mapcount in every state (the counters compared with each other, not with a truth,
//      so it must hold even mid-operation: that is the rule's whole point).
//   O2 the checker never decides "no extra references" while a pin is held throughout the check: the
//      pinner's re-check succeeded before the checker's first read and it unpins only after the
//      decision. Without that time reference, a pin taken between two reads fools even an ideal
//      checker, which is not the bug in question.
//
// Bounds: one folio of nr = 2 pages (nr = 1 hides the v4 bug: Ryan's extra get masks it), each page
// mapped once by the zapping process (refcount 2, mapcount 2), one zap, one check, up to 2 pinners
// pinning one page each once, at most one extra mapping. The pages are not interchangeable (the zap
// walks the PTEs in address order); the pinners are.
//
// Shortest counterexamples (steps = states - 1), against kernel-models.md's hand traces:
//   v4 breaks O1 in 5 steps (folio_get, then clear + put for each page), as predicted.
//   v4 fools an atomic checker in 10 steps, not "about 9": the pin must complete its re-check
//     (3 gup steps) before the check starts, the checker takes its own reference (1), the zap needs 5
//     steps to reach mapcount > refcount, then the snapshot (1). Counting the pin from
//     try_grab_folio_fast instead would give 9, but a reference whose re-check may still fail is not
//     yet a pin.
//   a two-step compaction check with the landed zap is fooled in 10 steps: pin (3), folio_try_get,
//     folio_mapcount reads 2, the whole zap (4), folio_ref_count reads 2 (2 - 1 > 2 is false).
//   a two-step KSM check needs a concurrent mapping (11 steps) or a second pinner (12 steps); with one
//     pinner and no mapping it holds.
import { bool, defineSpec, enumOf, int, mapOf, scalarset, setOf, type InferShape } from '../../src/index.ts';
import { process } from '../../src/process.ts';

type Zap = 'landed' | 'v4' | 'perPage';
type C = {
  /** Pages in the folio, each mapped by one PTE of the zapping process. */
  nr: number;
  zap: Zap;
  /** An ideal checker reads both counters in one step; the kernel's read them one after the other. */
  checker: 'atomic' | 'twoStep';
  rule: 'ksm' | 'compaction';
  /** Pinners at work (at most PINNERS; the rest have nothing to do). */
  pinners: number;
  mapper: boolean;
};

/** Bounds worth widening: the folio size and the number of GUP-fast pinners. */
const MAX_NR = 2;
const PINNERS = 2;
const Page = int(0, MAX_NR - 1);
const Pinner = scalarset('pinner', PINNERS);
const Zapper = enumOf('zap');
const Checker = enumOf('check');
const Mapper = enumOf('map');

const state = {
  // The mappings, v4's extra reference, the check's, one per pin and one for the extra mapping.
  refcount: int(0, MAX_NR + 3 + PINNERS),
  mapcount: int(0, MAX_NR + 1),
  /** The zapping process's PTEs: pte[i] maps page i of the folio. */
  pte: mapOf(Page, bool()),
  zapPc: mapOf(Zapper, enumOf('folio_get', 'ptep_get_and_clear_full', 'page_remove_rmap', '__tlb_remove_page',
    'folio_remove_rmap_range', 'folio_put', 'folio_remove_rmap_ptes', 'folios_put_refs', 'Done')),
  /** The next PTE the zap loop clears. */
  addr: int(0, MAX_NR),
  gupPc: mapOf(Pinner, enumOf('ptep_get_lockless', 'try_grab_folio_fast', 'ptep_get', 'gup_put_folio', 'unpin_user_page', 'Done')),
  /** The page each pinner read the PTE of. */
  pinPage: mapOf(Pinner, Page),
  checkPc: mapOf(Checker, enumOf('folio_try_get', 'read_both_atomically', 'folio_mapcount', 'folio_ref_count', 'folio_put', 'Done')),
  /** The mapcount the two-step checker read first. */
  seenMapcount: int(0, MAX_NR + 1),
  verdict: enumOf('pending', 'extraRefs', 'noExtraRefs', 'gaveUp'),
  /** Pinners pinned at the checker's first read and not unpinned before its decision. */
  heldThroughout: setOf(Pinner),
  mapPc: mapOf(Mapper, enumOf('folio_try_get', 'folio_add_anon_rmap_ptes', 'Done')),
};
type S = InferShape<typeof state>;

/** The pinners whose pin is complete: the re-check succeeded and they have not unpinned. */
const pinnedNow = (s: S) => new Set(Pinner.values.filter((p) => s.gupPc[p] === 'unpin_user_page'));

/** The check's decision from the counters it read: does it see references other than mappings? */
function decide(s: S, mapcount: number, refcount: number, c: C): void {
  const extra = c.rule === 'ksm' ? mapcount + 1 !== refcount : refcount - 1 > mapcount;
  s.verdict = extra ? 'extraRefs' : 'noExtraRefs';
}

const zap = process<S, C>()('zap', Zapper, {
  pc: 'zapPc',
  steps: {
    folio_get: { do: (s) => { s.refcount += 1; }, next: 'ptep_get_and_clear_full' },
    ptep_get_and_clear_full: {
      do: (s, _, c) => {
        s.pte[s.addr] = false;
        if (c.zap === 'v4') return '__tlb_remove_page';
        if (c.zap === 'perPage') return 'page_remove_rmap';
        s.addr += 1;
        return s.addr < c.nr ? 'ptep_get_and_clear_full' : 'folio_remove_rmap_ptes';
      },
    },
    page_remove_rmap: { do: (s) => { s.mapcount -= 1; }, next: '__tlb_remove_page' },
    __tlb_remove_page: {
      do: (s, _, c) => {
        s.refcount -= 1;
        s.addr += 1;
        if (s.addr < c.nr) return 'ptep_get_and_clear_full';
        return c.zap === 'v4' ? 'folio_remove_rmap_range' : 'Done';
      },
    },
    folio_remove_rmap_range: { do: (s, _, c) => { s.mapcount -= c.nr; }, next: 'folio_put' },
    folio_put: { do: (s) => { s.refcount -= 1; }, next: 'Done' },
    folio_remove_rmap_ptes: { do: (s, _, c) => { s.mapcount -= c.nr; }, next: 'folios_put_refs' },
    folios_put_refs: { do: (s, _, c) => { s.refcount -= c.nr; }, next: 'Done' },
  },
});

const gupPc = 'gupPc' as const;
const gup = process<S, C>()('gup', Pinner, {
  pc: gupPc,
  steps: {
    // ptep_get_lockless is written below as an action of its own: it chooses which page to read.
    try_grab_folio_fast: {
      do: (s) => {
        if (s.refcount === 0) return 'Done';
        s.refcount += 1;
      },
    },
    ptep_get: { do: (s, p) => (s.pte[s.pinPage[p]] ? 'unpin_user_page' : 'gup_put_folio') },
    gup_put_folio: { do: (s) => { s.refcount -= 1; }, next: 'Done' },
    unpin_user_page: {
      do: (s, p) => {
        s.refcount -= 1;
        if (s.verdict === 'pending') s.heldThroughout.delete(p);
      },
      next: 'Done',
    },
  },
});

const check = process<S, C>()('check', Checker, {
  pc: 'checkPc',
  steps: {
    folio_try_get: {
      do: (s, _, c) => {
        if (s.refcount === 0) {
          s.verdict = 'gaveUp';
          return 'Done';
        }
        s.refcount += 1;
        return c.checker === 'atomic' ? 'read_both_atomically' : 'folio_mapcount';
      },
    },
    read_both_atomically: {
      do: (s, _, c) => {
        s.heldThroughout = pinnedNow(s);
        decide(s, s.mapcount, s.refcount, c);
      },
      next: 'folio_put',
    },
    folio_mapcount: {
      do: (s) => {
        s.heldThroughout = pinnedNow(s);
        s.seenMapcount = s.mapcount;
      },
    },
    folio_ref_count: { do: (s, _, c) => decide(s, s.seenMapcount, s.refcount, c) },
    folio_put: { do: (s) => { s.refcount -= 1; }, next: 'Done' },
  },
});

const map = process<S, C>()('map', Mapper, {
  pc: 'mapPc',
  steps: {
    folio_try_get: {
      do: (s) => {
        if (s.refcount === 0) return 'Done';
        s.refcount += 1;
      },
    },
    folio_add_anon_rmap_ptes: { do: (s) => { s.mapcount += 1; }, next: 'Done' },
  },
});

const allDone = (s: S) =>
  s.zapPc.zap === 'Done' && s.checkPc.check === 'Done' && s.mapPc.map === 'Done' && Pinner.values.every((p) => s.gupPc[p] === 'Done');

const base: C = { nr: MAX_NR, zap: 'landed', checker: 'atomic', rule: 'ksm', pinners: PINNERS, mapper: true };

export default defineSpec({
  name: 'zap-ordering',
  description: 'Map/unmap ordering and batched zap: refcount >= mapcount, and reference checks against GUP-fast pins.',
  constants: base,
  state,
  init: (c): S => ({
    refcount: c.nr,
    mapcount: c.nr,
    pte: Object.fromEntries(Page.values.map((p) => [p, p < c.nr])),
    zapPc: { zap: c.zap === 'v4' ? 'folio_get' : 'ptep_get_and_clear_full' },
    addr: 0,
    // With fewer pinners at work the others have nothing to do; they are still one scalarset.
    gupPc: Object.fromEntries(Pinner.values.map((p, i) => [p, i < c.pinners ? 'ptep_get_lockless' : 'Done'])) as S['gupPc'],
    pinPage: Object.fromEntries(Pinner.values.map((p) => [p, 0])),
    checkPc: { check: 'folio_try_get' },
    seenMapcount: 0,
    verdict: 'pending',
    heldThroughout: new Set<string>(),
    mapPc: { map: c.mapper ? 'folio_try_get' : 'Done' },
  }),
  actions: {
    ...zap,
    // gup_fast_pte_range: read one of the folio's PTEs locklessly; a missing PTE sends GUP to the
    // slow path, which would fault in a new page (outside this model).
    'gup.ptep_get_lockless': {
      params: { self: Pinner, page: Page },
      process: 'gup',
      when: (s, { self, page }, c) => s.gupPc[self] === 'ptep_get_lockless' && page < c.nr,
      do: (s, { self, page }) => {
        s.pinPage[self] = page;
        s.gupPc[self] = s.pte[page] ? 'try_grab_folio_fast' : 'Done';
      },
    },
    ...gup,
    ...check,
    ...map,
  },
  invariants: {
    O1: (s) => s.refcount >= s.mapcount,
    O2: (s) => !(s.verdict === 'noExtraRefs' && s.heldThroughout.size > 0),
  },
  terminal: allDone,
  variants: {
    'landed-atomic-ksm': { description: 'the landed zap (10ebac4f95e7), ideal KSM check', expect: 'holds' },
    'landed-atomic-compaction': { constants: { rule: 'compaction' }, expect: 'holds' },
    'perpage-atomic-ksm': { description: 'the per-page zap before batching', constants: { zap: 'perPage' }, expect: 'holds' },
    'perpage-atomic-compaction': { constants: { zap: 'perPage', rule: 'compaction' }, expect: 'holds' },
    'v4-nr1': { description: "v4 on a 1-page folio: the extra folio_get masks the bug", constants: { zap: 'v4', nr: 1 }, expect: 'holds' },
    v4: { description: "Ryan's v4 batch zap: mapcount > refcount", constants: { zap: 'v4' }, expect: { violates: 'O1' } },
    'v4-fools-ksm': { description: 'v4, judged by what an ideal KSM check concludes', constants: { zap: 'v4' }, properties: ['O2'], expect: { violates: 'O2' } },
    'v4-fools-compaction': { constants: { zap: 'v4', rule: 'compaction' }, properties: ['O2'], expect: { violates: 'O2' } },
    'landed-twostep-compaction': {
      description: 'the landed zap alone fools a check that reads mapcount, then refcount',
      constants: { checker: 'twoStep', rule: 'compaction', pinners: 1, mapper: false },
      expect: { violates: 'O2' },
    },
    'landed-twostep-ksm': {
      description: 'one pinner and no concurrent mapping cannot fool the two-step KSM check',
      constants: { checker: 'twoStep', pinners: 1, mapper: false },
      expect: 'holds',
    },
    'landed-twostep-ksm-mapper': { constants: { checker: 'twoStep', pinners: 1, mapper: true }, expect: { violates: 'O2' } },
    'landed-twostep-ksm-2pins': { constants: { checker: 'twoStep', pinners: 2, mapper: false }, expect: { violates: 'O2' } },
  },
});
