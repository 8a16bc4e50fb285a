// Map/unmap ordering and batched zap of an anonymous folio (seed 002, linux-mm, August 2023,
// "Re: [PATCH v4 3/3] mm: Batch-zap large anonymous folio PTE mappings").
//
// The rule (David Hildenbrand): mapping does refcount++ before mapcount++, unmapping does
// mapcount-- before refcount--, so any atomic snapshot of the two has refcount >= mapcount. Code that
// looks for references other than mappings compares the two counters:
//   KSM        page_mapcount(page) + 1 + swapped != page_count(page)  (mm/ksm.c, write_protect_page:
//              small pages only, under the page-table lock, after ptep_clear_flush; a large folio is
//              split first, and the split re-validates with folio_ref_freeze)
//   compaction folio_ref_count(folio) - 1 > folio_mapcount(folio)    (mm/compaction.c,
//              isolate_migratepages_block: lockless, "an admittedly racy check"; migration then
//              unmaps the folio and re-validates the count before it copies, so a wrong answer here
//              costs a failed migration, not a corruption)
// and the dangerous answer is "no other references" while a GUP reference exists. Ryan Roberts' v4
// batch zap (on architectures whose __tlb_remove_page drops the reference at once) took an extra
// reference, then per page cleared the PTE and put the page's reference, and removed the rmap for the
// whole range only after the loop: for a while mapcount > refcount. What landed instead is David's
// series "mm/memory: optimize unmap/zap with PTE-mapped THP" (10ebac4f95e7, v6.9):
// zap_present_folio_ptes clears the PTEs, calls folio_remove_rmap_ptes, then queues the pages; their
// references are dropped after the TLB flush, once the page-table lock is released.
//
// Question: which zap orders keep refcount >= mapcount (O1); can a reference check conclude "no
// extra references" while a GUP-fast reference is held (O2); and does a fooled check ever lead to
// moving a folio someone holds (O3)?
//
// Mappings and locks: the zapping process maps every page of the folio (one page table, one
// page-table lock); in the KSM variants a second process (a fork child) also maps the small page,
// under its own page-table lock. Page-table locks are held where the kernel holds them: the zap from
// pte_offset_map_lock to pte_unmap_unlock, KSM around its check, migration while it replaces PTEs.
//
// Threads and steps (one kernel atomic operation per step):
//   zap (mm/memory.c zap_pte_range): pte_offset_map_lock (the zapper's PTL; the batch is the
//     folio's PTEs present then), one of three orders, pte_unmap_unlock:
//     landed     ptep_get_and_clear_full per page; folio_remove_rmap_ptes (mapcount -= nr in one
//                atomic); unlock; folios_put_refs after the TLB flush (refcount -= nr)
//     v4         folio_get; per page ptep_get_and_clear_full, __tlb_remove_page (put at once);
//                folio_remove_rmap_range (mapcount -= nr); folio_put; unlock
//     perPage    the order before batching: per page ptep_get_and_clear_full, page_remove_rmap
//                (mapcount--), __tlb_remove_page (refcount--); unlock
//   gup (mm/gup.c gup_fast_pte_range), interchangeable (a scalarset): ptep_get_lockless reads one
//     PTE of the folio in either process; try_grab_folio_fast increments the refcount unless it is
//     0; ptep_get re-checks the PTE and, if it changed, gup_put_folio drops the reference again;
//     otherwise the reference is held until put_page. This is a FOLL_GET reference, as O_DIRECT
//     took (what KSM's check is for); GUP-fast will not FOLL_PIN a shared anonymous page at all.
//   check, the reference check and what follows it:
//     KSM (small page): folio_try_get (its reference from follow_page); page_vma_mapped_walk
//       takes the page-table lock of the process it scans (either one); ptep_clear_flush clears
//       that PTE (a GUP-fast that read it now fails its re-check); the check; set_pte_at restores
//       the PTE (or write-protects it: present either way); pte_unmap_unlock; folio_put.
//     compaction (large folio): folio_try_get; the check; if it sees no extra references,
//       migration: try_to_migrate (under the zapper's PTL: every present PTE becomes a migration
//       entry, its rmap and reference dropped), folio_ref_freeze (compare-and-swap 1 -> 0:
//       compaction's reference is the only one expected), then the copy ('migrated'); or the
//       freeze fails, remove_migration_ptes restores the mappings, and the folio is put back
//       ('retry': migrate_pages tries again later). For an anonymous folio outside the swap cache
//       __folio_migrate_mapping compares the count instead of freezing it; with every PTE a
//       migration entry, GUP-fast cannot take a new reference, so the compare is as exact.
//     The check reads both counters in one ideal atomic step (read_both_atomically), or in two
//     reads as the C code does: folio_mapcount, then folio_ref_count (the operands' order in a C
//     comparison is unspecified; mapcount first is how KSM's expression is written).
//
// Properties:
//   O1 refcount >= mapcount in every state (counters compared with each other, not with a truth, so
//      it must hold even mid-operation: that is the rule's whole point).
//   O2 the check never acts on "no extra references" (KSM write-protects the PTE with set_pte_at,
//      compaction starts migration with try_to_migrate) while a GUP reference is held throughout:
//      its re-check succeeded before the check's first read, and it is still held when the check
//      acts. Without that time reference, a reference taken between two reads "fools" even an
//      ideal check, which is not the bug in question.
//   O3 a folio is never migrated while a GUP reference to it is held (the GUP user's data would go
//      to the old copy: corruption).
//
// Bounds: nr pages in the folio (`nr`, up to MAX_NR; nr = 2 is the smallest that shows v4's bug,
// since at nr = 1 Ryan's extra get masks it), up to MAX_PINNERS GUP-fast users (`pinners`), each
// taking one reference once. The pages are not interchangeable (the zap walks the PTEs in address
// order); the GUP users are. Variants with `bounds` are re-checked at each listed value.
//
// Shortest counterexamples (trace lengths in states, the initial state included; at nr = 2 and one
// GUP user, the generated bounds table in specs/README.md has the other values):
//   v4 breaks O1 in 7 states: the zap alone (lock, folio_get, clear + put for each page): a
//     sequential failure, the order itself.
//   v4 fools an ideal compaction check in 16 states: a GUP reference completes its re-check (3
//     steps), the zap reaches mapcount > refcount (6), compaction takes its reference and snapshots
//     (2), the zap finishes its batch and unlocks (3), and compaction acts: try_to_migrate. Migration
//     then fails to freeze and restores: a retry, never a corruption (O3 holds, with either zap order
//     and either way of reading). Migrating on the check's word alone is the corruption (8 states),
//     and needs no zap at all: a GUP reference taken after the check.
//   a two-step compaction check is fooled by the landed zap alone (14 states): folio_mapcount reads
//     the mapcount before the zap, folio_ref_count the refcount after it.
//   KSM is never fooled by a zap of the process it scans (that zap holds the PTL KSM needs), nor by
//     v4 (KSM checks small pages, where v4's extra get keeps refcount above mapcount). Its two reads
//     are fooled by a zap of the *other* process's mapping between them (15 states): a race of GUP,
//     KSM and the zap in which KSM write-protects, for merging, a page under O_DIRECT.
// Left out: KSM's later test for exclusive anonymous pages (page_try_share_anon_rmap refuses a page
// that may be FOLL_PINned); the page here is shared, and its GUP references are FOLL_GET.
import { bool, defineSpec, enumOf, int, mapOf, scalarset, setOf, type InferShape } from '../../src/index.ts';
import { process } from '../../src/process.ts';

type Zap = 'landed' | 'v4' | 'perPage';
type C = {
  /** Pages in the folio (at most MAX_NR), each mapped by one PTE of the zapping process. */
  nr: number;
  zap: Zap;
  checker: 'ksm' | 'compaction';
  /** An ideal check reads both counters in one step; the kernel's read them one after the other. */
  reads: 'atomic' | 'twoStep';
  /** GUP-fast users at work (at most MAX_PINNERS; the rest have nothing to do). */
  pinners: number;
  /** A second process (a fork child) maps page 0 under its own page-table lock. */
  otherMm: boolean;
  /** Migration re-validates the count with folio_ref_freeze before it copies. */
  freeze: boolean;
};

/** The widest bounds any variant uses: the folio size and the number of GUP-fast users. */
const MAX_NR = 4;
const MAX_PINNERS = 3;
const Page = int(0, MAX_NR - 1);
const Mm = enumOf('zapper', 'other');
const Pinner = scalarset('pinner', MAX_PINNERS);
const Zapper = enumOf('zap');
const Checker = enumOf('check');

const state = {
  // The mappings, v4's extra reference, the check's, and one per GUP user.
  refcount: int(0, MAX_NR + 3 + MAX_PINNERS),
  mapcount: int(0, MAX_NR + 1),
  /** pte[mm][i]: that process maps page i of the folio (a migration entry is not a mapping). */
  pte: mapOf(Mm, mapOf(Page, bool())),
  /** Page-table locks held, one per process. */
  ptl: setOf(Mm),
  zapPc: mapOf(Zapper, enumOf('pte_offset_map_lock', 'folio_get', 'ptep_get_and_clear_full', 'page_remove_rmap', '__tlb_remove_page',
    'folio_remove_rmap_range', 'folio_put', 'folio_remove_rmap_ptes', 'pte_unmap_unlock', 'folios_put_refs', 'Done')),
  /** The zap's batch: the PTEs it found present and has not cleared yet, and how many it found. */
  batch: setOf(Page),
  batchSize: int(0, MAX_NR),
  gupPc: mapOf(Pinner, enumOf('ptep_get_lockless', 'try_grab_folio_fast', 'ptep_get', 'gup_put_folio', 'put_page', 'Done')),
  /** The PTE each GUP user read. */
  gupMm: mapOf(Pinner, Mm),
  gupPage: mapOf(Pinner, Page),
  checkPc: mapOf(Checker, enumOf('folio_try_get', 'page_vma_mapped_walk', 'ptep_clear_flush', 'read_both_atomically', 'folio_mapcount',
    'folio_ref_count', 'set_pte_at', 'pte_unmap_unlock', 'try_to_migrate', 'folio_ref_freeze', 'move_to_new_folio', 'remove_migration_ptes',
    'folio_put', 'Done')),
  /** The process whose PTE KSM examines. */
  ksmMm: Mm,
  /** The mapcount the two-step check read first. */
  seenMapcount: int(0, MAX_NR + 1),
  verdict: enumOf('pending', 'extraRefs', 'noExtraRefs', 'gaveUp'),
  /** GUP users holding their reference at the check's first read and not put since. */
  heldThroughout: setOf(Pinner),
  /** The check has acted on "no extra references": KSM write-protects, compaction starts migration. */
  acted: bool(),
  /** Migration: the PTEs it replaced with migration entries, and how it ended. */
  migrationEntries: setOf(Page),
  migration: enumOf('none', 'migrated', 'retry'),
};
type S = InferShape<typeof state>;

/** The GUP users whose reference is complete: the re-check succeeded and they have not put it. */
const pinnedNow = (s: S) => new Set(Pinner.values.filter((p) => s.gupPc[p] === 'put_page'));

/** The check's decision from the counters it read: does it see references other than mappings? */
function decide(s: S, mapcount: number, refcount: number, c: C): 'extraRefs' | 'noExtraRefs' {
  const extra = c.checker === 'ksm' ? mapcount + 1 !== refcount : refcount - 1 > mapcount;
  s.verdict = extra ? 'extraRefs' : 'noExtraRefs';
  return s.verdict;
}

/** After the decision: KSM restores its PTE; compaction migrates a folio it believes unreferenced. */
function afterDecision(s: S, c: C) {
  if (c.checker === 'ksm') return 'set_pte_at' as const;
  return s.verdict === 'noExtraRefs' ? ('try_to_migrate' as const) : ('folio_put' as const);
}

const zap = process<S, C>()('zap', Zapper, {
  pc: 'zapPc',
  steps: {
    pte_offset_map_lock: {
      when: (s) => !s.ptl.has('zapper'),
      do: (s, _, c) => {
        s.ptl.add('zapper');
        // Migration entries in the range are zapped too, with no rmap or reference to drop.
        for (const p of [...s.migrationEntries]) s.migrationEntries.delete(p);
        for (const p of Page.values) if (s.pte.zapper[p]) s.batch.add(p);
        s.batchSize = s.batch.size;
        if (s.batchSize === 0) return 'pte_unmap_unlock';
        return c.zap === 'v4' ? 'folio_get' : 'ptep_get_and_clear_full';
      },
    },
    folio_get: { do: (s) => { s.refcount += 1; }, next: 'ptep_get_and_clear_full' },
    ptep_get_and_clear_full: {
      do: (s, _, c) => {
        const page = Math.min(...s.batch);
        s.batch.delete(page);
        s.pte.zapper[page] = false;
        if (c.zap === 'v4') return '__tlb_remove_page';
        if (c.zap === 'perPage') return 'page_remove_rmap';
        return s.batch.size > 0 ? 'ptep_get_and_clear_full' : 'folio_remove_rmap_ptes';
      },
    },
    page_remove_rmap: { do: (s) => { s.mapcount -= 1; }, next: '__tlb_remove_page' },
    __tlb_remove_page: {
      do: (s, _, c) => {
        s.refcount -= 1;
        if (s.batch.size > 0) return 'ptep_get_and_clear_full';
        return c.zap === 'v4' ? 'folio_remove_rmap_range' : 'pte_unmap_unlock';
      },
    },
    folio_remove_rmap_range: { do: (s) => { s.mapcount -= s.batchSize; }, next: 'folio_put' },
    folio_put: { do: (s) => { s.refcount -= 1; }, next: 'pte_unmap_unlock' },
    folio_remove_rmap_ptes: { do: (s) => { s.mapcount -= s.batchSize; }, next: 'pte_unmap_unlock' },
    pte_unmap_unlock: {
      do: (s, _, c) => {
        s.ptl.delete('zapper');
        return c.zap === 'landed' && s.batchSize > 0 ? 'folios_put_refs' : 'Done';
      },
    },
    folios_put_refs: { do: (s) => { s.refcount -= s.batchSize; }, next: 'Done' },
  },
});

const gup = process<S, C>()('gup', Pinner, {
  pc: 'gupPc',
  steps: {
    // ptep_get_lockless is written below as an action of its own: it chooses which PTE to read.
    try_grab_folio_fast: {
      do: (s) => {
        if (s.refcount === 0) return 'Done';
        s.refcount += 1;
      },
    },
    ptep_get: { do: (s, p) => (s.pte[s.gupMm[p]][s.gupPage[p]] ? 'put_page' : 'gup_put_folio') },
    gup_put_folio: { do: (s) => { s.refcount -= 1; }, next: 'Done' },
    put_page: {
      do: (s, p) => {
        s.refcount -= 1;
        if (!s.acted) s.heldThroughout.delete(p);
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
        if (c.checker === 'ksm') return 'page_vma_mapped_walk';
        return c.reads === 'atomic' ? 'read_both_atomically' : 'folio_mapcount';
      },
    },
    // page_vma_mapped_walk is written below as an action of its own: it chooses the process.
    ptep_clear_flush: {
      do: (s, _, c) => {
        s.pte[s.ksmMm][0] = false;
        return c.reads === 'atomic' ? 'read_both_atomically' : 'folio_mapcount';
      },
    },
    read_both_atomically: {
      do: (s, _, c) => {
        s.heldThroughout = pinnedNow(s);
        decide(s, s.mapcount, s.refcount, c);
        return afterDecision(s, c);
      },
    },
    folio_mapcount: {
      do: (s) => {
        s.heldThroughout = pinnedNow(s);
        s.seenMapcount = s.mapcount;
      },
    },
    folio_ref_count: {
      do: (s, _, c) => {
        decide(s, s.seenMapcount, s.refcount, c);
        return afterDecision(s, c);
      },
    },
    set_pte_at: {
      do: (s) => {
        s.pte[s.ksmMm][0] = true;
        if (s.verdict === 'noExtraRefs') s.acted = true;
      },
    },
    pte_unmap_unlock: { do: (s) => { s.ptl.delete(s.ksmMm); }, next: 'folio_put' },
    try_to_migrate: {
      when: (s) => !s.ptl.has('zapper'),
      do: (s, _, c) => {
        s.acted = true;
        for (const p of Page.values) {
          if (!s.pte.zapper[p]) continue;
          s.pte.zapper[p] = false;
          s.migrationEntries.add(p);
        }
        s.mapcount -= s.migrationEntries.size;
        s.refcount -= s.migrationEntries.size;
        return c.freeze ? 'folio_ref_freeze' : 'move_to_new_folio';
      },
    },
    folio_ref_freeze: {
      do: (s) => {
        if (s.refcount !== 1) return 'remove_migration_ptes';
        s.refcount = 0;
        s.migration = 'migrated';
        return 'Done';
      },
    },
    move_to_new_folio: {
      do: (s) => {
        s.refcount -= 1;
        s.migration = 'migrated';
      },
      next: 'Done',
    },
    remove_migration_ptes: {
      when: (s) => !s.ptl.has('zapper'),
      do: (s) => {
        // The zap may have removed some entries meanwhile; the others become mappings again.
        const restored = [...s.migrationEntries];
        s.refcount += restored.length;
        s.mapcount += restored.length;
        for (const p of restored) {
          s.pte.zapper[p] = true;
          s.migrationEntries.delete(p);
        }
        s.migration = 'retry';
      },
      next: 'folio_put',
    },
    folio_put: { do: (s) => { s.refcount -= 1; }, next: 'Done' },
  },
});

const allDone = (s: S) => s.zapPc.zap === 'Done' && s.checkPc.check === 'Done' && Pinner.values.every((p) => s.gupPc[p] === 'Done');

const base: C = { nr: 2, zap: 'landed', checker: 'compaction', reads: 'atomic', pinners: 1, otherMm: false, freeze: true };
/** KSM's variants: a small page mapped by the zapper and by a fork child. */
const ksm: Partial<C> = { checker: 'ksm', nr: 1, otherMm: true };

export default defineSpec({
  name: 'zap-ordering',
  description: 'Map/unmap ordering and batched zap: refcount >= mapcount, and reference checks against GUP-fast references.',
  constants: base,
  state,
  init: (c): S => ({
    refcount: c.nr + (c.otherMm ? 1 : 0),
    mapcount: c.nr + (c.otherMm ? 1 : 0),
    pte: {
      zapper: Object.fromEntries(Page.values.map((p) => [p, p < c.nr])),
      other: Object.fromEntries(Page.values.map((p) => [p, c.otherMm && p === 0])),
    },
    ptl: new Set<'zapper' | 'other'>(),
    zapPc: { zap: 'pte_offset_map_lock' },
    batch: new Set<number>(),
    batchSize: 0,
    // With fewer GUP users at work the others have nothing to do; they are still one scalarset.
    gupPc: Object.fromEntries(Pinner.values.map((p, i) => [p, i < c.pinners ? 'ptep_get_lockless' : 'Done'])) as S['gupPc'],
    gupMm: Object.fromEntries(Pinner.values.map((p) => [p, 'zapper' as const])),
    gupPage: Object.fromEntries(Pinner.values.map((p) => [p, 0])),
    checkPc: { check: 'folio_try_get' },
    ksmMm: 'zapper',
    seenMapcount: 0,
    verdict: 'pending',
    heldThroughout: new Set<string>(),
    acted: false,
    migrationEntries: new Set<number>(),
    migration: 'none',
  }),
  actions: {
    ...zap,
    // gup_fast_pte_range: read one of the folio's PTEs locklessly, in either process; a missing PTE
    // sends GUP to the slow path, which would fault in a new page (outside this model).
    'gup.ptep_get_lockless': {
      params: { self: Pinner, mm: Mm, page: Page },
      process: 'gup',
      when: (s, { self, mm, page }, c) => s.gupPc[self] === 'ptep_get_lockless' && page < c.nr && (mm === 'zapper' || (c.otherMm && page === 0)),
      do: (s, { self, mm, page }) => {
        s.gupMm[self] = mm;
        s.gupPage[self] = page;
        s.gupPc[self] = s.pte[mm][page] ? 'try_grab_folio_fast' : 'Done';
      },
    },
    ...gup,
    // write_protect_page: page_vma_mapped_walk finds the page's PTE in the process KSM scans and
    // takes that page table's lock; a PTE already zapped leaves KSM nothing to do.
    'check.page_vma_mapped_walk': {
      params: { self: Checker, mm: Mm },
      process: 'check',
      when: (s, { self, mm }, c) => s.checkPc[self] === 'page_vma_mapped_walk' && (mm === 'zapper' || c.otherMm) && !s.ptl.has(mm),
      do: (s, { self, mm }) => {
        s.ksmMm = mm;
        if (!s.pte[mm][0]) {
          s.verdict = 'gaveUp';
          s.checkPc[self] = 'folio_put';
          return;
        }
        s.ptl.add(mm);
        s.checkPc[self] = 'ptep_clear_flush';
      },
    },
    ...check,
  },
  invariants: {
    O1: (s) => s.refcount >= s.mapcount,
    O2: (s) => !(s.acted && s.heldThroughout.size > 0),
    O3: (s) => !(s.migration === 'migrated' && pinnedNow(s).size > 0),
  },
  terminal: allDone,
  variants: {
    'landed-atomic-compaction': { description: 'the landed zap (10ebac4f95e7), an ideal compaction check', expect: 'holds', bounds: { nr: [2, 3, 4] } },
    'perpage-atomic-compaction': { description: 'the per-page zap before batching', constants: { zap: 'perPage' }, expect: 'holds', bounds: { nr: [2, 3, 4] } },
    'v4-nr1': { description: "v4 on a 1-page folio: the extra folio_get masks the bug", constants: { zap: 'v4', nr: 1 }, expect: 'holds', bounds: { pinners: [1, 2, 3] } },
    v4: {
      description: "Ryan's v4 batch zap: mapcount > refcount",
      constants: { zap: 'v4' },
      expect: { violates: 'O1' },
      finding: {
        kind: 'sequential',
        threads: ['zap'],
        consequence: 'wrong answer',
        fix: 'landed-atomic-compaction',
        explain:
          "Inside its own page-table lock, v4's zap takes an extra reference, then clears each PTE and drops that page's reference at once, and removes the rmap only after the loop: after two pages refcount is 1 and mapcount 2. No other thread is needed: the order alone breaks refcount >= mapcount, the rule every lockless reference check relies on. The landed order removes the rmap before any reference goes.",
        narrative: ['zap.folio_get', 'zap.ptep_get_and_clear_full', 'zap.__tlb_remove_page', 'zap.ptep_get_and_clear_full', 'zap.__tlb_remove_page'],
      },
      bounds: { nr: [2, 3, 4] },
    },
    'v4-fools-compaction': {
      description: "v4 fools even an ideal compaction check (the migration that follows fails and retries)",
      constants: { zap: 'v4' },
      properties: ['O2'],
      expect: { violates: 'O2' },
      finding: {
        kind: 'race',
        threads: ['gup', 'zap', 'check'],
        consequence: 'wasted work',
        fix: 'landed-atomic-compaction',
        explain:
          "A GUP-fast reference to page 0 is complete; v4's zap has cleared both PTEs and dropped both references but not yet removed the rmap, so compaction's lockless snapshot sees refcount 3 (GUP, compaction, v4's extra) - 1 = mapcount 2: no extra references. Once the zap drops its page-table lock, try_to_migrate unmaps a folio that GUP holds; folio_ref_freeze then fails and the mappings are restored (v4-compaction-migrates holds): a wasted isolation and unmap, not a corruption.",
        narrative: ['gup.ptep_get', 'zap.__tlb_remove_page', 'check.read_both_atomically', 'zap.folio_remove_rmap_range', 'zap.pte_unmap_unlock', 'check.try_to_migrate'],
      },
      bounds: { nr: [2, 3, 4] },
    },
    'v4-compaction-migrates': {
      description: 'v4 and a two-step compaction check: folio_ref_freeze stops every migration of a referenced folio',
      constants: { zap: 'v4', reads: 'twoStep', pinners: 2 },
      properties: ['O3'],
      expect: 'holds',
      bounds: { nr: [2, 3, 4] },
    },
    nofreeze: {
      description: "migration on the check's word alone, without folio_ref_freeze",
      constants: { freeze: false },
      properties: ['O3'],
      expect: { violates: 'O3' },
      finding: {
        kind: 'race',
        threads: ['check', 'gup'],
        consequence: 'corruption',
        fix: 'landed-atomic-compaction',
        explain:
          "Compaction's check is right when it reads: no GUP reference yet. A GUP-fast reference is taken before try_to_migrate replaces the PTEs, and without folio_ref_freeze migration copies the folio anyway: the GUP user's I/O goes to the old copy. No zap is needed; this is why the pre-check may be racy at all: the freeze after the unmap is what makes migration safe.",
        narrative: ['check.read_both_atomically', 'gup.ptep_get', 'check.try_to_migrate', 'check.move_to_new_folio'],
      },
    },
    'landed-twostep-compaction': {
      description: 'the landed zap alone fools a check that reads mapcount, then refcount',
      constants: { reads: 'twoStep' },
      properties: ['O2'],
      expect: { violates: 'O2' },
      finding: {
        kind: 'race',
        threads: ['gup', 'check', 'zap'],
        consequence: 'wasted work',
        fix: 'landed-atomic-compaction',
        explain:
          "Compaction reads folio_mapcount (2) before the landed zap and folio_ref_count (2: GUP and compaction) after it, so 2 - 1 > 2 is false: no extra references, and it goes on to migrate a folio GUP holds. The zap keeps the rule; the two unordered reads break it (the kernel calls the check 'admittedly racy'). Migration's freeze catches it (v4-compaction-migrates holds): a wasted isolation and unmap.",
        narrative: ['gup.ptep_get', 'check.folio_mapcount', 'zap.folio_remove_rmap_ptes', 'zap.folios_put_refs', 'check.folio_ref_count', 'check.try_to_migrate'],
      },
      bounds: { nr: [2, 3, 4] },
    },
    'ksm-own-twostep': {
      description: "KSM scanning the zapper's own mapping: the page-table lock orders it against the zap",
      constants: { ...ksm, otherMm: false, reads: 'twoStep', zap: 'v4' },
      expect: 'holds',
      bounds: { pinners: [1, 2, 3] },
    },
    'ksm-v4-atomic': { description: "v4 on KSM's small page, with a fork child's mapping", constants: { ...ksm, zap: 'v4' }, expect: 'holds', bounds: { pinners: [1, 2] } },
    'ksm-atomic': { description: 'an ideal KSM check, the landed zap of the other mapping', constants: { ...ksm }, expect: 'holds', bounds: { pinners: [1, 2, 3] } },
    'ksm-twostep': {
      description: "KSM's two reads, with the other process's mapping zapped between them",
      constants: { ...ksm, reads: 'twoStep' },
      expect: { violates: 'O2' },
      finding: {
        kind: 'race',
        threads: ['gup', 'check', 'zap'],
        consequence: 'corruption',
        fix: 'ksm-atomic',
        explain:
          "A small anonymous page is mapped by the zapper and by a fork child, and an O_DIRECT-style GUP-fast reference holds it. KSM, under the child's page-table lock after ptep_clear_flush, reads page_mapcount 2; the zapper, under its own page-table lock, unmaps its PTE and drops its reference; KSM then reads page_count 3 = 2 + 1 and write-protects the page for merging while the I/O still holds it, so the I/O's data would land in a page the process no longer maps. The two reads are not ordered against an unmap under another lock; scanning the zapper's own mapping they are (ksm-own-twostep holds).",
        narrative: ['gup.ptep_get', 'check.ptep_clear_flush', 'check.folio_mapcount', 'zap.folio_remove_rmap_ptes', 'zap.folios_put_refs', 'check.folio_ref_count', 'check.set_pte_at'],
      },
      bounds: { pinners: [1, 2, 3] },
    },
  },
});
