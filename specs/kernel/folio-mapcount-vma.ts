// Folio mapcount definitions, part 2: Matthew Wilcox's per-VMA proposals (seed 004, linux-mm,
// January 2023). Part 1 (folio-mapcount-total.ts) covers the total mapcount and MM-id tracking that
// landed; it states the two questions:
//   Q1 "is any page of this folio mapped?"  Q2 "I have it mapped; does anybody else?", in the sense of
//   another process (Q2process) or another VMA (Q2vma).
//
//   A  (his first proposal) the number of (VMA, page table) pairs mapping a page of the folio. The
//      "first page of this pair?" test reads only the page table whose lock the fault or zap holds,
//      so a map or unmap is one step here. VMA split and merge must recount the pairs.
//   B  (his follow-up) the number of VMAs mapping a page of the folio. Its test, "does this VMA
//      already map a page of this folio?" (folio_mapped_in_vma: page_vma_mapped_walk over the VMA),
//      spans both page tables when the folio straddles a PMD boundary. Four ways to run it:
//        atomic        test and update as one step (an idealisation: nothing in the kernel does this)
//        checkThenAct  lock our page table, test the other one without its lock, update: races
//        lockOther     also take the other page table's lock: two threads mapping in the two
//                      halves take the two locks in opposite orders, the "deadly embrace" Willy
//                      feared (there is no lock order between page tables at one level)
//        lockOrdered   take both locks in address order, page table 0's first: a fault under page
//                      table 1 takes the other lock first and its own nested (the minimal fix)
//
// Threads: one per (mapping, page table), interleaving freely. Where the test reads only the locked
// page table (A) or is idealised as atomic (B atomic), a whole fault is one step, finish_fault, and a
// whole zap of one page is one step, zap_pte_range, taken by the mapping's owner (`mine`, `mine2`,
// `theirs`). Otherwise each atomic operation is a step of the thread `fault <mapping>.pt<n>`:
//   map (do_fault -> finish_fault)   pte_offset_map_lock; [spin_lock_other | spin_lock_nested;
//                                    queued_spin_lock_slowpath while that lock is taken];
//                                    folio_mapped_in_vma; folio_add_file_rmap_ptes (atomic_inc unless
//                                    already mapped); set_pte_at; [spin_unlock_other]; pte_unmap_unlock
//   unmap (zap_pte_range)            the same locking; ptep_get_and_clear; folio_mapped_in_vma;
//                                    folio_remove_rmap_ptes (atomic_dec unless still mapped)
//   __split_vma / vma_merge          one step each of `mine`, on my first mapping, only while no fault
//                                    or zap is in flight on it (they hold the mmap and VMA write
//                                    locks); the variant says whether they recount the folio's counter.
// A second page-table lock found taken sends the thread to the spinlock's slow path, where it queues
// and waits for the lock (queued spinlocks are fair): so a trace shows the attempt, and a thread
// stuck in the embrace sits in queued_spin_lock_slowpath.
//
// Properties (the invariants are checked only where no fault or zap is half done):
//   Q1             counter > 0 exactly when some PTE maps a page of the folio
//   Q2process      when I map it, "counter > 1" equals "another process maps a page of it"
//   Q2vma          for each of my VMAs mapping it, "counter > 1" equals "another VMA maps a page"
//   Q2processSafe  "counter <= 1" never while another process maps it
//   FaultCompletes (temporal) every fault or zap that has taken its first lock eventually finishes,
//                  under strong fairness of each thread (fair spinlocks)
// Each variant checks the properties its `properties` lists, as a TLC .cfg lists its INVARIANTs.
//
// Bounds: one folio of 4 pages, pages 0-1 under page table 0 and 2-3 under page table 1; my first
// mapping of the file (one VMA covering the folio, which split and merge cut at the three page
// boundaries), my second mapping (one VMA) and another process's mapping (one VMA over the folio),
// as each variant needs; each mapping maps any subset of the pages. The liveness variants and the
// fix keep what the embrace and the race need: no VMA changes, my faults on pages 0 and 2 (one under
// each page table; check-then-act still loses the count there) and the other process's VMA over
// page 0 only, so that its faults need one lock and always complete. No symmetry: splits and page
// tables tell the pages apart, and there is only one other process.
//
// Shortest counterexamples (trace lengths in states, the initial state included):
//   split without recount: B = 0 while pages 0 and 1 are mapped, in 5 states: map both, split
//     between them (not recounted: B stays 1 for 2 VMAs), merge (recounted: 2 VMAs to 1, B to 0).
//     kernel-models.md's route (split, then unmap page 0) is as short; A without recount takes it.
//   merge without recount: B stays at 1 after everything is unmapped, in 7 states (split with
//     recount, map 0 and 1, merge without, unmap both).
//   check-then-act: 16 states, not "about 11" steps: 6 of them are page-table lock and unlock
//     steps, which the hand trace does not count. What the search finds is not the double increment
//     of two first maps but a map racing an unmap: my fault on page 2 tests while page 0 is mapped
//     (so does not count), then a zap of page 0 tests before page 2's PTE is set (so uncounts): B = 0
//     with page 2 mapped, for good.
//   lock-other: deadlock in 5 states, each thread holding its own page table's lock and queued for
//     the other's. With another process faulting (it can always progress) there is no deadlock; the
//     embrace is a FaultCompletes lasso of 15 states whose cycle is the other process mapping and
//     unmapping page 0.
//   lock-ordered: Q1 and FaultCompletes hold, and there is no deadlock.
import { bool, defineSpec, enumOf, forall, int, leadsTo, mapOf, setOf, strongFair, type InferShape } from '../../src/index.ts';
import { process } from '../../src/process.ts';

type Region = 'mine' | 'mine2' | 'theirs';
type C = {
  definition: 'A' | 'B';
  update: 'atomic' | 'checkThenAct' | 'lockOther' | 'lockOrdered';
  /** The other process's VMA covers the whole folio, or only its page 0 (so its faults never need a
   * second page-table lock and it can always progress). */
  theirSpan: 'folio' | 'firstPage';
  /** Whether __split_vma and vma_merge recount the folio's counter. */
  recountOnSplit: boolean;
  recountOnMerge: boolean;
  /** Whether my first mapping's VMA may be split and merged at all. */
  vmaChanges: boolean;
  /** The pages my mappings fault in and zap (the liveness variants use one under each page table). */
  myPages: readonly number[];
  /** The mappings of the file that exist in this variant. */
  regions: readonly Region[];
};

const Page = int(0, 3);
const Boundary = int(1, 3); // boundary b lies between page b - 1 and page b
const RegionT = enumOf('mine', 'mine2', 'theirs');
const MyMm = enumOf('mine');
const Thread = enumOf('mine.pt0', 'mine.pt1', 'mine2.pt0', 'mine2.pt1', 'theirs.pt0', 'theirs.pt1');
type T = (typeof Thread.values)[number];

const state = {
  pte: mapOf(RegionT, setOf(Page)),
  /** VMA boundaries inside my first mapping. */
  cuts: setOf(Boundary),
  /** The definition's counter (A or B). */
  mapcount: int(0, 8),
  pc: mapOf(Thread, enumOf('idle', 'spin_lock_other', 'spin_lock_nested', 'queued_spin_lock_slowpath', 'ptep_get_and_clear', 'folio_mapped_in_vma', 'folio_add_file_rmap_ptes',
    'folio_remove_rmap_ptes', 'set_pte_at', 'spin_unlock_other', 'pte_unmap_unlock')),
  /** The page each thread is mapping or unmapping, and whether its test found the VMA already mapping. */
  page: mapOf(Thread, Page),
  unmapping: mapOf(Thread, bool()),
  already: mapOf(Thread, bool()),
  /** Whether the thread holds the other page table's lock too. */
  holdsOther: mapOf(Thread, bool()),
  /** Page-table locks held, named by the (mapping, page table) they protect. */
  locked: setOf(Thread),
};
type S = InferShape<typeof state>;

const regionOf = (t: T) => t.split('.')[0] as Region;
const ptOf = (page: number) => (page < 2 ? 0 : 1);
const threadFor = (r: Region, pt: number) => `${r}.pt${pt}` as T;
const otherTable = (t: T) => threadFor(regionOf(t), t.endsWith('pt0') ? 1 : 0);

/** The VMAs of a mapping as page ranges [lo, hi]; only my first mapping is ever split. */
function vmas(s: S, r: Region, c: C): [number, number][] {
  if (r === 'theirs' && c.theirSpan === 'firstPage') return [[0, 0]];
  if (r !== 'mine') return [[0, 3]];
  const out: [number, number][] = [];
  let lo = 0;
  for (let b = 1; b <= 3; b++) {
    if (s.cuts.has(b)) {
      out.push([lo, b - 1]);
      lo = b;
    }
  }
  out.push([lo, 3]);
  return out;
}
const vmaOf = (s: S, r: Region, page: number, c: C) => vmas(s, r, c).find(([lo, hi]) => lo <= page && page <= hi);
const pagesIn = ([lo, hi]: [number, number]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/** What the definition counts, computed from the PTEs. */
function defined(s: S, c: C): number {
  let n = 0;
  for (const r of c.regions) {
    for (const vma of vmas(s, r, c)) {
      const mapped = pagesIn(vma).filter((p) => s.pte[r].has(p));
      n += c.definition === 'B' ? (mapped.length > 0 ? 1 : 0) : new Set(mapped.map(ptOf)).size;
    }
  }
  return n;
}

/**
 * The test before the counter update: does the unit the definition counts (the VMA for B, the VMA's
 * part under this page table for A) still map another page of the folio?
 */
function alreadyMapped(s: S, r: Region, page: number, c: C): boolean {
  return pagesIn(vmaOf(s, r, page, c)!).some((p) => p !== page && s.pte[r].has(p) && (c.definition === 'B' || ptOf(p) === ptOf(page)));
}

/** lockOther and lockOrdered take the other page table's lock when B's test must read it. */
const needsOtherLock = (s: S, t: T, page: number, c: C) =>
  (c.update === 'lockOther' || c.update === 'lockOrdered') &&
  c.definition === 'B' &&
  pagesIn(vmaOf(s, regionOf(t), page, c)!).some((p) => ptOf(p) !== ptOf(page));
/** lockOrdered takes page 0's table lock first: a thread of page table 1 takes the other lock first. */
const otherFirst = (s: S, t: T, page: number, c: C) => c.update === 'lockOrdered' && ptOf(page) === 1 && needsOtherLock(s, t, page, c);

const quiescent = (s: S) => Thread.values.every((t) => s.pc[t] === 'idle');
const mapsAny = (s: S, r: Region) => s.pte[r].size > 0;

/** A VMA change on my first mapping: the counter moves by the change in the definition if recounted. */
function changeVmas(s: S, c: C, recount: boolean, change: () => void): void {
  const before = defined(s, c);
  change();
  if (recount) s.mapcount += defined(s, c) - before;
}

/** The second lock a thread takes: the other table's, or its own when it took the other one first. */
const secondLock = (s: S, t: T) => (s.holdsOther[t] ? t : otherTable(t));
function takeSecondLock(s: S, t: T) {
  const lock = secondLock(s, t);
  if (s.locked.has(lock)) return 'queued_spin_lock_slowpath' as const;
  s.locked.add(lock);
  s.holdsOther[t] = true;
  return s.unmapping[t] ? ('ptep_get_and_clear' as const) : ('folio_mapped_in_vma' as const);
}

const fault = process<S, C>()('fault', Thread, {
  pc: 'pc',
  steps: {
    // 'idle' is written below as an action of its own: it picks the page (pte_offset_map_lock).
    // The second page-table lock: spin_lock's fast path takes a free lock in one step; a lock held
    // by another thread sends it to the slow path, where it queues and spins until the lock is free
    // (queued spinlocks are fair: first come, first served).
    spin_lock_other: { do: (s, t) => takeSecondLock(s, t) },
    // lockOrdered, a thread of page table 1: it holds page table 0's lock and now takes its own.
    spin_lock_nested: { do: (s, t) => takeSecondLock(s, t) },
    queued_spin_lock_slowpath: {
      when: (s, t) => !s.locked.has(secondLock(s, t)),
      do: (s, t) => takeSecondLock(s, t),
    },
    ptep_get_and_clear: { do: (s, t) => { s.pte[regionOf(t)].delete(s.page[t]); }, next: 'folio_mapped_in_vma' },
    folio_mapped_in_vma: {
      do: (s, t, c) => {
        s.already[t] = alreadyMapped(s, regionOf(t), s.page[t], c);
        return s.unmapping[t] ? 'folio_remove_rmap_ptes' : 'folio_add_file_rmap_ptes';
      },
    },
    folio_add_file_rmap_ptes: {
      do: (s, t) => {
        if (!s.already[t]) s.mapcount += 1;
      },
      next: 'set_pte_at',
    },
    folio_remove_rmap_ptes: {
      do: (s, t) => {
        if (!s.already[t]) s.mapcount -= 1;
        return s.holdsOther[t] ? 'spin_unlock_other' : 'pte_unmap_unlock';
      },
    },
    set_pte_at: {
      do: (s, t) => {
        s.pte[regionOf(t)].add(s.page[t]);
        return s.holdsOther[t] ? 'spin_unlock_other' : 'pte_unmap_unlock';
      },
    },
    spin_unlock_other: {
      do: (s, t) => {
        s.locked.delete(otherTable(t));
        s.holdsOther[t] = false;
      },
      next: 'pte_unmap_unlock',
    },
    pte_unmap_unlock: { do: (s, t) => { s.locked.delete(t); }, next: 'idle' },
  },
});

const split = (s: S, b: number) => s.cuts.add(b);

/** A's test reads only the locked page table, so A's updates are one step in every variant. */
const isAtomic = (c: C) => c.update === 'atomic' || c.definition === 'A';
/** This thread may start a fault or zap on this page: its mapping exists, the page is under its table. */
const mayStart = (s: S, t: T, page: number, c: C) =>
  s.pc[t] === 'idle' &&
  c.regions.includes(regionOf(t)) &&
  threadFor(regionOf(t), ptOf(page)) === t &&
  vmaOf(s, regionOf(t), page, c) !== undefined &&
  (regionOf(t) === 'theirs' || c.myPages.includes(page));
const atomicOn = (s: S, r: Region, page: number, c: C) => isAtomic(c) && mayStart(s, threadFor(r, ptOf(page)), page, c);

export default defineSpec({
  name: 'folio-mapcount-vma',
  description: "Willy's per-(VMA, page table) and per-VMA mapcounts: which questions they answer, and B's locking.",
  constants: { definition: 'A', update: 'atomic', theirSpan: 'folio', recountOnSplit: true, recountOnMerge: true, vmaChanges: true, myPages: [0, 1, 2, 3], regions: ['mine', 'theirs'] } as C,
  state,
  init: {
    pte: { mine: new Set<number>(), mine2: new Set<number>(), theirs: new Set<number>() },
    cuts: new Set<number>(),
    mapcount: 0,
    pc: Object.fromEntries(Thread.values.map((t) => [t, 'idle'])) as S['pc'],
    page: Object.fromEntries(Thread.values.map((t) => [t, 0])) as S['page'],
    unmapping: Object.fromEntries(Thread.values.map((t) => [t, false])) as S['unmapping'],
    already: Object.fromEntries(Thread.values.map((t) => [t, false])) as S['already'],
    holdsOther: Object.fromEntries(Thread.values.map((t) => [t, false])) as S['holdsOther'],
    locked: new Set<T>(),
  },
  actions: {
    // Atomic variants: a whole fault (finish_fault: lock, test, rmap, set_pte_at, unlock) or zap
    // (zap_pte_range: lock, clear, test, rmap, unlock) on one page is one step.
    // The mapping's owner takes the step, so a trace shows one column per mapping.
    finish_fault: {
      params: { mm: RegionT, page: Page },
      actor: 'mm',
      when: (s, { mm, page }, c) => atomicOn(s, mm, page, c) && !s.pte[mm].has(page),
      do: (s, { mm, page }, c) => {
        if (!alreadyMapped(s, mm, page, c)) s.mapcount += 1;
        s.pte[mm].add(page);
      },
    },
    zap_pte_range: {
      params: { mm: RegionT, page: Page },
      actor: 'mm',
      when: (s, { mm, page }, c) => atomicOn(s, mm, page, c) && s.pte[mm].has(page),
      do: (s, { mm, page }, c) => {
        s.pte[mm].delete(page);
        if (!alreadyMapped(s, mm, page, c)) s.mapcount -= 1;
      },
    },
    // Otherwise the first step takes this page table's lock; the PTE decides between map and unmap.
    'fault.pte_offset_map_lock': {
      params: { self: Thread, page: Page },
      process: 'fault',
      when: (s, { self, page }, c) =>
        !isAtomic(c) && mayStart(s, self, page, c) && !s.locked.has(otherFirst(s, self, page, c) ? otherTable(self) : self),
      do: (s, { self, page }, c) => {
        const unmapping = s.pte[regionOf(self)].has(page);
        s.page[self] = page;
        s.unmapping[self] = unmapping;
        s.already[self] = false;
        if (otherFirst(s, self, page, c)) {
          s.locked.add(otherTable(self));
          s.holdsOther[self] = true;
          s.pc[self] = 'spin_lock_nested';
          return;
        }
        s.locked.add(self);
        if (needsOtherLock(s, self, page, c)) s.pc[self] = 'spin_lock_other';
        else s.pc[self] = unmapping ? 'ptep_get_and_clear' : 'folio_mapped_in_vma';
      },
    },
    ...fault,
    // Split and merge are my process's (mprotect, mmap): its faults and zaps are idle meanwhile.
    __split_vma: {
      params: { mm: MyMm, at: Boundary },
      actor: 'mm',
      when: (s, { at }, c) => c.vmaChanges && c.regions.includes('mine') && !s.cuts.has(at) && s.pc['mine.pt0'] === 'idle' && s.pc['mine.pt1'] === 'idle',
      do: (s, { at }, c) => changeVmas(s, c, c.recountOnSplit, () => split(s, at)),
    },
    vma_merge: {
      params: { mm: MyMm, at: Boundary },
      actor: 'mm',
      when: (s, { at }, c) => s.cuts.has(at) && s.pc['mine.pt0'] === 'idle' && s.pc['mine.pt1'] === 'idle',
      do: (s, { at }, c) => changeVmas(s, c, c.recountOnMerge, () => s.cuts.delete(at)),
    },
  },
  invariants: {
    Q1: (s, c) => !quiescent(s) || (s.mapcount > 0) === c.regions.some((r) => mapsAny(s, r)),
    Q2process: (s) =>
      !quiescent(s) || !(mapsAny(s, 'mine') || mapsAny(s, 'mine2')) || s.mapcount > 1 === mapsAny(s, 'theirs'),
    Q2vma: (s, c) => {
      if (!quiescent(s)) return true;
      const all = c.regions.flatMap((r) => vmas(s, r, c).map((v) => ({ r, mapped: pagesIn(v).some((p) => s.pte[r].has(p)) })));
      return all.every((v, i) => v.r === 'theirs' || !v.mapped || s.mapcount > 1 === all.some((w, j) => j !== i && w.mapped));
    },
    Q2processSafe: (s) =>
      !quiescent(s) || !(mapsAny(s, 'mine') || mapsAny(s, 'mine2')) || s.mapcount > 1 || !mapsAny(s, 'theirs'),
  },
  temporal: {
    // Every fault or zap that has started (taken its first page-table lock) eventually finishes.
    FaultCompletes: forall(Thread, (t) => leadsTo((s) => s.pc[t] !== 'idle', (s) => s.pc[t] === 'idle')),
  },
  // Kernel spinlocks are fair (queued): a thread whose lock is free again and again gets it, which
  // strong fairness of each thread's steps says; weak fairness would let a looping neighbour starve it.
  fairness: [strongFair({ process: 'fault' })],
  variants: {
    'A-Q1': { description: 'A, split and merge recount the pairs', properties: ['Q1'], expect: 'holds' },
    'A-Q2process': {
      properties: ['Q2process'],
      expect: { violates: 'Q2process' },
      finding: {
        kind: 'sequential',
        threads: ['mine'],
        consequence: 'wasted work',
        fix: 'A-Q2processSafe',
        explain:
          "My one VMA maps page 0 (under page table 0) and page 2 (under page table 1): two (VMA, page table) pairs, so A is 2 and '> 1' says another process maps the folio. At 2, A cannot tell this from two processes; read as 'maybe shared, ask the rmap', as Willy proposed, it is never wrong the other way (A-Q2processSafe holds). A false 'shared' costs a needless COW copy or a skipped pageout.",
        narrative: ['finish_fault', 'finish_fault'],
      },
    },
    'A-Q2vma': {
      properties: ['Q2vma'],
      expect: { violates: 'Q2vma' },
      finding: {
        kind: 'sequential',
        threads: ['mine'],
        consequence: 'wasted work',
        fix: 'B-Q2vma',
        explain:
          "The same two faults: A is 2 while a single VMA maps the folio, so it says another VMA maps it too. B, which counts VMAs, answers the per-VMA question exactly (B-Q2vma holds).",
        narrative: ['finish_fault', 'finish_fault'],
      },
    },
    'A-Q2processSafe': { properties: ['Q2processSafe'], expect: 'holds' },
    'A-norecount-Q1': {
      constants: { recountOnSplit: false, recountOnMerge: false },
      properties: ['Q1'],
      expect: { violates: 'Q1' },
      finding: {
        kind: 'sequential',
        threads: ['mine'],
        consequence: 'wrong answer',
        fix: 'A-Q1',
        explain:
          "I map pages 0 and 1 (one pair: A = 1) and split the VMA between them without recounting (two pairs now, A still 1); unmapping page 0 finds no other page of its VMA under that page table and uncounts: A = 0 while page 1 is mapped, so folio_mapped() says unmapped. Recounting the pairs on split and merge (A-Q1) keeps Q1 exact.",
        narrative: ['finish_fault', 'finish_fault', '__split_vma', 'zap_pte_range'],
      },
    },
    'B-Q1': { description: 'B with atomic updates; split and merge recount', constants: { definition: 'B' }, properties: ['Q1'], expect: 'holds' },
    'B-Q2process': {
      description: 'I map the file twice',
      constants: { definition: 'B', regions: ['mine', 'mine2'] },
      properties: ['Q2process'],
      expect: { violates: 'Q2process' },
      finding: {
        kind: 'sequential',
        threads: ['mine', 'mine2'],
        consequence: 'wasted work',
        fix: 'B-Q2processSafe',
        explain:
          "I map the same file twice and each mapping maps a page: B = 2 says another process maps the folio. B counts VMAs, not processes; read as 'maybe shared' it is never wrong the other way (B-Q2processSafe holds).",
        narrative: ['finish_fault', 'finish_fault'],
      },
    },
    'B-Q2vma': { constants: { definition: 'B' }, properties: ['Q2vma'], expect: 'holds' },
    'B-Q2processSafe': { constants: { definition: 'B' }, properties: ['Q2processSafe'], expect: 'holds' },
    'B-split-norecount-Q1': {
      constants: { definition: 'B', recountOnSplit: false },
      properties: ['Q1'],
      expect: { violates: 'Q1' },
      finding: {
        kind: 'sequential',
        threads: ['mine'],
        consequence: 'wrong answer',
        fix: 'B-Q1',
        explain:
          "I map pages 0 and 1 (B = 1) and split the VMA between them without recounting: two VMAs map the folio and B is still 1. Merging them back is recounted, from 2 VMAs to 1, so B drops to 0 while both pages are mapped: the merge takes away what the split never added. Recounting on both (B-Q1) keeps Q1 exact.",
        narrative: ['finish_fault', 'finish_fault', '__split_vma', 'vma_merge'],
      },
    },
    'B-merge-norecount-Q1': {
      constants: { definition: 'B', recountOnMerge: false },
      properties: ['Q1'],
      expect: { violates: 'Q1' },
      finding: {
        kind: 'sequential',
        threads: ['mine'],
        consequence: 'wrong answer',
        fix: 'B-Q1',
        explain:
          "I split the VMA (recounted; nothing is mapped), map page 0 and page 1, one in each VMA (B = 2), and merge without recounting (one VMA, B still 2). Unmapping page 0 finds page 1 in the same VMA and does not uncount; unmapping page 1 uncounts once: B = 1 with nothing mapped, so the folio looks mapped for good. Recounting on both (B-Q1) keeps Q1 exact.",
        narrative: ['__split_vma', 'finish_fault', 'finish_fault', 'vma_merge', 'zap_pte_range', 'zap_pte_range'],
      },
    },
    'B-checkThenAct-Q1': {
      constants: { definition: 'B', update: 'checkThenAct', regions: ['mine'] },
      properties: ['Q1'],
      expect: { violates: 'Q1' },
      finding: {
        kind: 'race',
        threads: ['fault mine.pt0', 'fault mine.pt1'],
        consequence: 'wrong answer',
        fix: 'B-lockOrdered',
        explain:
          "B's test, 'does this VMA already map a page of this folio?', reads the other page table without its lock. My fault on page 2 tests while page 0 is mapped and does not count; before it sets its PTE, a zap of page 0 tests, finds no other page and uncounts: the VMA maps page 2 and B is 0, and no later step repairs it. Taking both page-table locks in address order (B-lockOrdered) makes the test and the update one critical section.",
        narrative: ['fault.set_pte_at', 'fault.folio_mapped_in_vma', 'fault.folio_add_file_rmap_ptes', 'fault.ptep_get_and_clear', 'fault.folio_mapped_in_vma', 'fault.folio_remove_rmap_ptes', 'fault.set_pte_at'],
      },
    },
    'B-lockOther': {
      description: "taking the other page table's lock: the deadly embrace",
      constants: { definition: 'B', update: 'lockOther', regions: ['mine'] },
      properties: ['Q1'],
      expect: { violates: 'deadlock' },
      finding: {
        kind: 'race',
        threads: ['fault mine.pt0', 'fault mine.pt1'],
        consequence: 'deadlock',
        fix: 'B-lockOrdered',
        explain:
          "A fault on page 0 holds page table 0's lock and a fault on page 2 holds page table 1's; each then needs the other's lock for B's test, finds it taken and spins for it forever: Willy's deadly embrace, since page tables at one level have no lock order. Only my two threads exist here, so it is a global deadlock; B-lockOther+theirs/FaultCompletes finds it with another process running.",
        narrative: ['fault.pte_offset_map_lock', 'fault.pte_offset_map_lock', 'fault.spin_lock_other', 'fault.spin_lock_other'],
      },
    },
    'B-lockOther+theirs': {
      description: 'the same locking with another process faulting too: it can always progress, so no global deadlock',
      constants: { definition: 'B', update: 'lockOther', regions: ['mine', 'theirs'], theirSpan: 'firstPage', vmaChanges: false, myPages: [0, 2] },
      properties: ['Q1'],
      expect: 'holds',
    },
    'B-lockOther+theirs/FaultCompletes': {
      description: 'the same, asking whether every fault completes: the embrace, with the other process running',
      constants: { definition: 'B', update: 'lockOther', regions: ['mine', 'theirs'], theirSpan: 'firstPage', vmaChanges: false, myPages: [0, 2] },
      properties: ['FaultCompletes'],
      expect: { violates: 'FaultCompletes' },
      finding: {
        kind: 'race',
        threads: ['fault mine.pt0', 'fault mine.pt1', 'fault theirs.pt0'],
        consequence: 'deadlock',
        fix: 'B-lockOrdered',
        explain:
          "The same embrace with another process faulting on the folio too: its faults need one page-table lock of its own and always complete, so no state is a global deadlock and the safety check passes (B-lockOther+theirs holds). Every fault eventually completes does not: in the lasso my two faults hold one lock each and spin for the other's while the other process maps and unmaps page 0 forever; strong fairness cannot help them, as neither lock is ever free.",
        narrative: ['fault.pte_offset_map_lock', 'fault.pte_offset_map_lock', 'fault.spin_lock_other', 'fault.spin_lock_other', 'fault.set_pte_at', 'fault.folio_remove_rmap_ptes'],
      },
    },
    'B-lockOrdered': {
      description: 'both page-table locks taken in address order: no race, no deadlock, every fault completes',
      constants: { definition: 'B', update: 'lockOrdered', regions: ['mine', 'theirs'], theirSpan: 'firstPage', vmaChanges: false, myPages: [0, 2] },
      properties: ['Q1', 'FaultCompletes'],
      expect: 'holds',
    },
  },
});
