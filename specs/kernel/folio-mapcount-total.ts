// Folio mapcount definitions, part 1: the total mapcount and MM-id tracking (seed 004, linux-mm,
// January 2023, Matthew Wilcox on a per-folio mapcount; what landed is David Hildenbrand's).
//
// Once a large folio has one pointer per page, per-page mapcounts must go and a constant amount of
// per-folio state must answer two questions:
//   Q1 "is any page of this folio mapped?" (folio_mapped)
//   Q2 "I have it mapped; does anybody else?" (madvise_cold_or_pageout_pte_range, KSM, COW reuse),
//      in two senses: another *process* (Q2process) or another *VMA* (Q2vma).
// This file covers the two definitions that count page-table entries; folio-mapcount-vma.ts covers
// Willy's per-(VMA, page table) and per-VMA proposals.
//
//   total    the number of PTEs mapping a page of the folio, as folio_mapcount() returns it. Commit
//            05c5323b2a34 "mm: track mapcount of large folios in single value" (v6.11) added
//            folio->_large_mapcount for it, one more atomic add or sub per rmap batch *beside* the
//            per-page _mapcount and _nr_pages_mapped it kept updating (before it, folio_mapcount()
//            summed the entire mapcount and every page's mapcount). This file keeps only the one
//            value, as folio_mapcount() has read it since that commit: the per-page counters answer
//            neither question, and the configuration without them (CONFIG_NO_PAGE_MAPCOUNT, v6.15)
//            is later. Q2 is answered by folio_mapcount() > 1: exact only when it says 1, since two
//            pages of mine also give 2.
//   mmid     MM-id tracking (v6.15, "mm/rmap: basic MM owner tracking for large folios (!hugetlb)"):
//            the total plus two (mm id, mapcount) slots and a "maybe mapped shared" bit, kept by
//            folio_add_return_large_mapcount / folio_sub_return_large_mapcount (include/linux/rmap.h)
//            under folio_lock_large_mapcount. Q2 is answered by folio_maybe_mapped_shared()
//            (include/linux/mm.h): a single mapping means exclusive, otherwise the bit.
//
// Steps: mapping one page in one VMA is one step, folio_add_file_rmap_pte (the rmap update and
// set_pte_at under the page-table lock; the MM-id slots under the large-mapcount lock); unmapping is
// one step, folio_remove_rmap_pte (ptep_get_and_clear and the rmap update under the page-table lock).
// Both counters are only read and written under those locks, so splitting a step would add states
// in which an operation is half done, where the properties are not checked anyway. VMA split and
// merge (__split_vma, vma_merge) do not touch either counter, so this file has no action for them;
// fork is the other process mapping the same pages.
//
// Properties (checked in every state: no operation is ever half done here):
//   Q1               folio_mapcount() > 0 exactly when some PTE maps a page of the folio
//   Q2process        when I map it, the answer equals "another process maps a page of it"
//   Q2vma            for each of my VMAs mapping it, the answer equals "another VMA maps a page"
//   Q2processSafe    the answer never says "exclusive" while another process maps it (the
//                    direction COW reuse and KSM depend on)
//   Q2vmaSafe        likewise per VMA: never "nobody else" while another VMA maps it
// Each variant checks one property (its `properties`, as a TLC .cfg lists its INVARIANTs), so each
// answers one cell of the table in specs/README.md.
//
// Bounds: one folio of 4 pages (interchangeable here: neither counter knows where a page sits), me
// with two VMAs mapping the same file range and one other process; the three-process variants drop my
// second VMA and use 3 pages (4 pages would be about ten times the states without symmetry). Other
// processes are interchangeable. Every mapping maps any subset of the pages.
//
// Shortest counterexamples (trace lengths in states, the initial state included): Q2 for the total
// fails in 3 in both senses (I map two pages in one VMA: 2 says "shared"); MM-id Q2vma fails in 3 (I
// map a page in each of my two VMAs: they share one mm id, so it says "exclusive" while my other VMA
// maps the folio). The MM-id false "maybe shared" takes 7 states (6 steps, as predicted), in a
// different order from the hand trace (A, B, C map; A and B unmap; C maps a second page): mm1 maps
// a page and takes slot 0; mm2 maps a page and takes slot 1, setting the "maybe shared" bit; I map
// two pages and, with no slot free, am counted only in the total; mm1 unmaps, freeing slot 0; mm2
// unmaps, freeing slot 1. folio_sub_return_large_mapcount clears the bit only when one slot holds
// every mapping, and neither holds mine, so the bit stays while I alone map 2 pages.
import { bool, defineSpec, enumOf, int, mapOf, scalarset, setOf, type InferShape } from '../../src/index.ts';

type C = {
  /** Pages in the folio (at most PAGES). */
  pages: number;
  definition: 'total' | 'mmid';
  /** How many other processes map the file (at most OTHER_MMS). */
  others: number;
  /** Whether I map the file a second time, in a second VMA. */
  secondVma: boolean;
};

/** Bounds worth widening: pages in the folio and other processes (variants may use fewer). */
const PAGES = 4;
const OTHER_MMS = 2;
const Page = scalarset('page', PAGES);
const Other = scalarset('mm', OTHER_MMS);
/** My process: a parameter of my steps, so that a trace shows them in one column. */
const Me = enumOf('me');
const MyVma = enumOf('vma1', 'vma2');
const Slot = enumOf('slot0', 'slot1');
const SlotOwner = enumOf('none', 'slot0', 'slot1');

const state = {
  /** My PTEs, per VMA: the pages of the folio each of my VMAs maps. */
  mine: mapOf(MyVma, setOf(Page)),
  /** The other processes' PTEs. */
  theirs: mapOf(Other, setOf(Page)),
  /** folio_mapcount(): the total number of PTEs mapping the folio. */
  mapcount: int(0, (2 + OTHER_MMS) * PAGES),
  /** MM-id tracking: which slot each mm owns (the kernel stores the mm id in the slot). */
  mySlot: SlotOwner,
  theirSlot: mapOf(Other, SlotOwner),
  /** Mappings counted in each slot (the kernel stores this minus one; -1 means free). */
  slotMapcount: mapOf(Slot, int(0, 2 * PAGES)),
  maybeShared: bool(),
  /** Which of the other processes exist in this variant (constant during a run; kept in the state
   * so that the processes stay interchangeable). */
  exists: mapOf(Other, bool()),
  /** The pages of the folio in this variant, constant during a run, for the same reason. */
  inFolio: setOf(Page),
};
type S = InferShape<typeof state>;
type Mm = 'me' | string;

const myPages = (s: S) => s.mine.vma1.size + s.mine.vma2.size;
const theirPages = (s: S) => Other.values.reduce((n, o) => n + s.theirs[o].size, 0);
const ownerOf = (s: S, mm: Mm) => (mm === 'me' ? s.mySlot : s.theirSlot[mm]);
function setOwner(s: S, mm: Mm, slot: 'none' | 'slot0' | 'slot1'): void {
  if (mm === 'me') s.mySlot = slot;
  else s.theirSlot[mm] = slot;
}
const slotFree = (s: S, slot: 'slot0' | 'slot1') => s.mySlot !== slot && Other.values.every((o) => s.theirSlot[o] !== slot);

/** folio_add_return_large_mapcount for one page: the total, then the mm's slot. */
function addMapping(s: S, mm: Mm, c: C): void {
  s.mapcount += 1;
  if (c.definition !== 'mmid') return;
  const owned = ownerOf(s, mm);
  if (owned !== 'none') {
    s.slotMapcount[owned] += 1;
  } else if (slotFree(s, 'slot0')) {
    setOwner(s, mm, 'slot0');
    s.slotMapcount.slot0 = 1;
    // "We might have other mappings already."
    if (s.mapcount !== 1) s.maybeShared = true;
  } else if (slotFree(s, 'slot1')) {
    setOwner(s, mm, 'slot1');
    s.slotMapcount.slot1 = 1;
    // "Slot 0 certainly has mappings as well."
    s.maybeShared = true;
  }
}

/** folio_sub_return_large_mapcount for one page. */
function removeMapping(s: S, mm: Mm, c: C): void {
  s.mapcount -= 1;
  if (c.definition !== 'mmid') return;
  const owned = ownerOf(s, mm);
  if (owned !== 'none') {
    s.slotMapcount[owned] -= 1;
    if (s.slotMapcount[owned] > 0) return;
    setOwner(s, mm, 'none');
  }
  // If one slot owns all mappings, the folio is mapped exclusively.
  if (s.slotMapcount.slot0 === s.mapcount || s.slotMapcount.slot1 === s.mapcount) s.maybeShared = false;
}

/** The definition's answer to Q2: does somebody besides me map it? */
function answersShared(s: S, c: C): boolean {
  if (c.definition === 'total') return s.mapcount > 1;
  // folio_maybe_mapped_shared(): a single mapping implies "mapped exclusively".
  return s.mapcount > 1 && s.maybeShared;
}

export default defineSpec({
  name: 'folio-mapcount-total',
  description: 'Total mapcount and MM-id tracking: which questions they answer exactly.',
  constants: { pages: PAGES, definition: 'total', others: 1, secondVma: true } as C,
  state,
  init: (c): S => ({
    mine: { vma1: new Set<string>(), vma2: new Set<string>() },
    theirs: Object.fromEntries(Other.values.map((o) => [o, new Set<string>()])),
    mapcount: 0,
    mySlot: 'none',
    theirSlot: Object.fromEntries(Other.values.map((o) => [o, 'none' as const])),
    slotMapcount: { slot0: 0, slot1: 0 },
    maybeShared: false,
    exists: Object.fromEntries(Other.values.map((o, i) => [o, i < c.others])),
    inFolio: new Set(Page.values.slice(0, c.pages)),
  }),
  actions: {
    'me.folio_add_file_rmap_pte': {
      params: { mm: Me, vma: MyVma, page: Page },
      actor: 'mm',
      when: (s, { vma, page }, c) => (vma === 'vma1' || c.secondVma) && s.inFolio.has(page) && !s.mine[vma].has(page),
      do: (s, { vma, page }, c) => {
        s.mine[vma].add(page);
        addMapping(s, 'me', c);
      },
    },
    'me.folio_remove_rmap_pte': {
      params: { mm: Me, vma: MyVma, page: Page },
      actor: 'mm',
      when: (s, { vma, page }) => s.mine[vma].has(page),
      do: (s, { vma, page }, c) => {
        s.mine[vma].delete(page);
        removeMapping(s, 'me', c);
      },
    },
    'other.folio_add_file_rmap_pte': {
      params: { mm: Other, page: Page },
      actor: 'mm',
      when: (s, { mm, page }) => s.exists[mm] && s.inFolio.has(page) && !s.theirs[mm].has(page),
      do: (s, { mm, page }, c) => {
        s.theirs[mm].add(page);
        addMapping(s, mm, c);
      },
    },
    'other.folio_remove_rmap_pte': {
      params: { mm: Other, page: Page },
      actor: 'mm',
      when: (s, { mm, page }) => s.theirs[mm].has(page),
      do: (s, { mm, page }, c) => {
        s.theirs[mm].delete(page);
        removeMapping(s, mm, c);
      },
    },
  },
  invariants: {
    Q1: (s) => (s.mapcount > 0) === (myPages(s) + theirPages(s) > 0),
    Q2process: (s, c) => myPages(s) === 0 || answersShared(s, c) === theirPages(s) > 0,
    Q2vma: (s, c) =>
      MyVma.values.every((v) => {
        if (s.mine[v].size === 0) return true;
        const elsewhere = theirPages(s) > 0 || MyVma.values.some((w) => w !== v && s.mine[w].size > 0);
        return answersShared(s, c) === elsewhere;
      }),
    Q2processSafe: (s, c) => myPages(s) === 0 || answersShared(s, c) || theirPages(s) === 0,
    Q2vmaSafe: (s, c) =>
      MyVma.values.every((v) => s.mine[v].size === 0 || answersShared(s, c) || !(theirPages(s) > 0 || MyVma.values.some((w) => w !== v && s.mine[w].size > 0))),
  },
  // Every state can map or unmap something: there is no end state and no deadlock to look for.
  variants: {
    'total-Q1': { properties: ['Q1'], expect: 'holds' },
    'total-Q2process': {
      properties: ['Q2process'],
      expect: { violates: 'Q2process' },
      finding: {
        kind: 'sequential',
        threads: ['me'],
        consequence: 'wasted work',
        fix: 'total-Q2processSafe',
        explain:
          "I map two pages of the folio: folio_mapcount() is 2 and '> 1' says another process maps it. The total counts PTEs, not processes, so only 1 is exact; read as 'maybe shared' it is never wrong the other way (total-Q2processSafe holds). A false 'shared' costs a needless COW copy or a skipped pageout.",
        narrative: ['me.folio_add_file_rmap_pte', 'me.folio_add_file_rmap_pte'],
      },
    },
    'total-Q2vma': {
      properties: ['Q2vma'],
      expect: { violates: 'Q2vma' },
      finding: {
        kind: 'sequential',
        threads: ['me'],
        consequence: 'wasted work',
        fix: 'total-Q2vmaSafe',
        explain:
          "The same two mappings, both in one VMA: 2 says another VMA maps the folio. As 'maybe another VMA' it is never wrong the other way (total-Q2vmaSafe holds).",
        narrative: ['me.folio_add_file_rmap_pte', 'me.folio_add_file_rmap_pte'],
      },
    },
    'total-Q2processSafe': { properties: ['Q2processSafe'], expect: 'holds' },
    'total-Q2vmaSafe': { description: 'read "> 1" as "maybe another VMA": never wrong that way', properties: ['Q2vmaSafe'], expect: 'holds' },
    'mmid-Q1': { constants: { definition: 'mmid' }, properties: ['Q1'], expect: 'holds' },
    'mmid-Q2process-2mm': { description: 'two processes: never wrong', constants: { definition: 'mmid' }, properties: ['Q2process'], expect: 'holds' },
    'mmid-Q2process-3mm': {
      description: 'three processes: a false "maybe shared" after the other two leave',
      constants: { definition: 'mmid', others: 2, secondVma: false, pages: 3 },
      properties: ['Q2process'],
      expect: { violates: 'Q2process' },
      finding: {
        kind: 'race',
        threads: ['mm1', 'mm2', 'me'],
        consequence: 'wasted work',
        fix: 'mmid-Q2processSafe-3mm',
        explain:
          "No update is torn (each is atomic under the large-mapcount lock); what it needs is three processes mapping the folio at once. mm1 and mm2 take both MM-id slots (the second sets the 'maybe shared' bit), I map two pages with no slot free and am counted only in the total; when mm1 and mm2 unmap, the bit is cleared only if one slot holds every mapping, and none holds mine, so folio_maybe_mapped_shared() says shared while I alone map the folio. The documented false positive: never a false 'exclusive' (mmid-Q2processSafe-3mm holds).",
        narrative: ['other.folio_add_file_rmap_pte', 'other.folio_add_file_rmap_pte', 'me.folio_add_file_rmap_pte', 'me.folio_add_file_rmap_pte', 'other.folio_remove_rmap_pte', 'other.folio_remove_rmap_pte'],
      },
    },
    'mmid-Q2processSafe-3mm': {
      description: 'three processes: never a false "exclusive"',
      constants: { definition: 'mmid', others: 2, secondVma: false, pages: 3 },
      properties: ['Q2processSafe'],
      expect: 'holds',
    },
    'mmid-Q2vma': {
      description: 'my two VMAs share one mm id',
      constants: { definition: 'mmid' },
      properties: ['Q2vma'],
      expect: { violates: 'Q2vma' },
      finding: {
        kind: 'sequential',
        threads: ['me'],
        consequence: 'wrong answer',
        fix: 'total-Q2vmaSafe',
        explain:
          "I map a page in each of my two VMAs: both mappings are counted in my mm's slot, so folio_maybe_mapped_shared() says 'exclusive' while my other VMA maps the folio. MM-id answers the per-process question; for the per-VMA one, folio_mapcount() > 1 read as 'maybe' is never wrong this way (total-Q2vmaSafe holds).",
        narrative: ['me.folio_add_file_rmap_pte', 'me.folio_add_file_rmap_pte'],
      },
    },
  },
});
