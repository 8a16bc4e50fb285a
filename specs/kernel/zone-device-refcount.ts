// ZONE_DEVICE pages: at what count does a free device page sit?
//
// Protocol. A driver of device-private memory (lib/test_hmm.c is the reference) keeps its free pages
// on a list under a spinlock. dmirror_devmem_alloc_page() pops a page; when the last reference goes
// (put_page: a 1 -> 0 transition) mm/memremap.c's free_zone_device_page() calls the driver's
// ->page_free(), dmirror_devmem_free(), which pushes the page back.
//   v6.0: every ZONE_DEVICE page starts at count 1 (memremap_pages), and free_zone_device_page()
//         calls ->page_free() and *then* resets the count to 1 (set_page_count(page, 1)).
//   v6.1: device-private and device-coherent pages start at 0, the reset is gone, and the driver
//         calls zone_device_page_init() (set the count to 1, lock the page) when it hands a page out
//         (ef233450898f "mm: free device private pages have zero refcount", 0dc45ca1ce18 "mm/memremap.c:
//         take a pgmap reference on page allocation"); speculative get_page_unless_zero() then fails
//         on free pages.
//   init_mode: Dan Williams' "mm/memremap_pages: Support initializing pages to a zero reference
//         count" (v2 16/18, Sep 2022) left device-private pages at 1 with the reset, so within one
//         driver it is the v6.0 scheme: the checker gives it the same verdicts and counts.
//   reset-first: not a kernel version but the smallest change to v6.0: reset the count to 1 *before*
//         ->page_free() pushes the page. It answers what v6.1's move to 0 buys beyond that.
// Question (Jason Gunthorpe, 21 Sep 2022, seed 003): ->page_free() only runs on 1 -> 0, so free pages
// must be at 0; "how on earth can a free'd page have both a 0 and 1 refcount?" Is the v6.0 scheme
// safe, and does v6.1 fix it, also with speculative getters?
//
// Steps (one atomic operation each; the thread that drops the last reference runs the free path):
//   user.dmirror_devmem_alloc_page   spin_lock; pop the free list; spin_unlock (one critical section)
//   user.zone_device_page_init       v6.1 only: set_page_count(page, 1) on the popped page
//   user.get_page                    a second reference (the page mapped, or migrated into)
//   *.put_page                       page_ref_dec_and_test(); on 0 go to the free path
//   *.page_free                      ->page_free() = dmirror_devmem_free(): push under the lock
//   *.set_page_count                 v6.0 / init_mode: the reset to 1 after ->page_free();
//                                    reset-first: the same reset, before it
//   getter.get_page_unless_zero      a speculative reference (pfn walkers, memory-failure), then put_page
// Each user allocates one page, takes a second reference or not (chosen in the initial state) and
// drops them. The properties are monitors: the step that breaks a rule records it in `broken`, so the
// trace ends with the offending step.
//
// Bounds: `pages` device pages and `users` users (2 and 2; up to PAGES = USERS = 3; both
// interchangeable: scalarsets), one speculative getter whose target page is chosen in the initial
// state; each user allocates once, so a page is reused when a user allocates a page another freed;
// counts from -USERS (a put_page() on 0 is only caught under CONFIG_DEBUG_VM, so the model lets it
// happen and the later failures stay visible). Variants re-check their verdict at users = 1, 2, 3 and
// pages = 1, 2 (and 3 with the getter): without the getter a third page never leaves the free list
// with two users (the same states as 2), so pages = 3 is checked only where the getter can touch it.
// With one user no page is reused and every v6.0 failure but the non-uniform free list goes away; with
// one page the free list cannot disagree with itself, and v6.0 fails first by handing the page out at
// 0; a third user makes the leak's lasso longer (11 states: fairness makes the third user finish).
//
// Verdicts (trace lengths count states, the initial state included; steps are one fewer). v6.1
// holds everything, with the getter too. v6.0 and init_mode break FreeListUniform in 4 states (alloc,
// put_page, page_free: one free page at 0, one at 1), with the speculative getter in 2 (a free page
// taken from 1 to 2). The variants that check one property each show what the window between
// ->page_free() and the reset costs, each at the length kernel-models.md's hand trace gives: a page
// handed out at count 0 (5 states: alloc, put, page_free, the other user's alloc), get_page on a 0
// count (6), the reset overwriting the count of a page that was handed out again (6; the one race:
// user1's free path resumes after user2's alloc), ->page_free() while the page is still referenced
// (8: the page handed out at 0 goes 0 -> 1 by get_page, and its owner's first put is a 1 -> 0 that
// frees it under the owner's second reference), a double free (11: the owner's own reset takes the
// freed page back to 1 on the free list, and its last put is a second 1 -> 0) and, as a liveness
// property, a leak (PageReturns, 7: a put on a page handed out at 0 takes it to -1, and the late reset
// leaves it at 1 with nobody holding it). reset-first holds all of them, and fails as soon as a
// speculative getter comes: the getter's get succeeds on a free page at 1, and between the reset and
// ->page_free() it makes the driver free a page the getter holds (6 states). That is the case v6.1's
// count of 0 on free pages closes.
import { defineSpec, enumOf, forall, int, leadsTo, mapOf, optional, scalarset, seqOf, setOf, weakFair, type InferShape } from '../../src/index.ts';
import { process } from '../../src/process.ts';

/** The most device pages and users a variant may set to work (`pages`, `users`); the rest sit idle. */
const PAGES = 3;
const USERS = 3;
const Page = scalarset('page', PAGES);
const User = scalarset('user', USERS);
const Getter = scalarset('getter', ['g']);

const Rule = enumOf(
  'FreeListUniform',
  'PageFreeUnreferenced',
  'NoDoubleFree',
  'AllocatedFresh',
  'ResetNoOverwrite',
  'NoGetOnZero',
);
type RuleName = typeof Rule.values[number];

const freePath = ['put_page', 'page_free', 'set_page_count', 'Done'] as const;
const state = {
  /** The device pages of this run (the first `pages` of the scalarset): the others are not the driver's. */
  device: setOf(Page),
  /**
   * Below 0 is reachable: put_page() on a zero count is a VM_BUG_ON only under CONFIG_DEBUG_VM, so
   * each user's puts on a page handed out at 0 can take it one lower.
   */
  count: mapOf(Page, int(-USERS, 2 * USERS)),
  /** The driver's free list, a stack (test_hmm pushes and pops at the head). */
  freeList: seqOf(Page, PAGES),
  userPc: mapOf(User, enumOf('dmirror_devmem_alloc_page', 'zone_device_page_init', 'get_page', ...freePath)),
  /** The page each user allocated, and how many references it holds on it. */
  page: mapOf(User, optional(Page)),
  refs: mapOf(User, int(0, 2)),
  /** Whether the user takes a second reference: a choice made in the initial state. */
  second: mapOf(User, int(0, 1)),
  getterPc: mapOf(Getter, enumOf('get_page_unless_zero', ...freePath)),
  target: mapOf(Getter, Page),
  held: mapOf(Getter, int(0, 1)),
  broken: setOf(Rule),
};
type S = InferShape<typeof state>;
type C = {
  /** reset-first: v6.0 with the reset to 1 moved before ->page_free(), the smallest change to v6.0. */
  scheme: 'v6.0' | 'v6.1' | 'init_mode' | 'reset-first';
  speculative: boolean;
  /** Device pages and users at work (at most PAGES and USERS). */
  pages: number;
  users: number;
};

/** v6.0, init_mode and reset-first keep free pages at 1 and reset on the free path; v6.1 keeps them at 0. */
const resets = (c: C) => c.scheme !== 'v6.1';
/** reset-first resets the count before ->page_free() pushes the page, v6.0 and init_mode after. */
const resetFirst = (c: C) => c.scheme === 'reset-first';

/** Who holds a reference on page p, by the threads' own bookkeeping. */
const holders = (s: Readonly<S>, p: string) =>
  User.values.reduce((n, u) => n + (s.page[u] === p ? s.refs[u] : 0), 0) +
  Getter.values.reduce((n, g) => n + (s.target[g] === p ? s.held[g] : 0), 0);

const breaks = (s: S, rule: RuleName) => s.broken.add(rule);

/** The free path after put_page() took the count to 0: reset-first resets before ->page_free(). */
const freePathStart = (c: C) => (resetFirst(c) ? ('set_page_count' as const) : ('page_free' as const));

/** page_ref_dec_and_test(): on 0 the putting thread runs free_zone_device_page(). */
const putPage = (s: S, p: string, c: C): 'page_free' | 'set_page_count' | undefined => {
  s.count[p] -= 1;
  return s.count[p] === 0 ? freePathStart(c) : undefined;
};

/** ->page_free(): dmirror_devmem_free() pushes the page on the free list under the driver's lock. */
const pageFree = (s: S, p: string) => {
  if (holders(s, p) > 0) breaks(s, 'PageFreeUnreferenced');
  if (s.freeList.includes(p)) breaks(s, 'NoDoubleFree');
  if (s.freeList.length < PAGES) s.freeList.unshift(p);
};


/**
 * free_zone_device_page()'s reset in v6.0: set_page_count(page, 1), whatever the count is now. The
 * count is someone else's if it moved off 0 or the page left the free list (it was handed out again).
 */
const resetCount = (s: S, p: string, c: C) => {
  // reset-first resets a page not yet pushed: only the count moving off 0 is someone else's.
  if (s.count[p] !== 0 || (!resetFirst(c) && !s.freeList.includes(p))) breaks(s, 'ResetNoOverwrite');
  s.count[p] = 1;
};

const user = process<S, C>()('user', User, {
  pc: 'userPc',
  steps: {
    dmirror_devmem_alloc_page: {
      when: (s) => s.freeList.length > 0,
      do: (s, u, c) => {
        const p = s.freeList.shift()!;
        s.page[u] = p;
        if (resets(c)) {
          // The page is handed out as it is: it must be at 1, with nobody else's reference.
          if (s.count[p] !== 1 || holders(s, p) > 0) breaks(s, 'AllocatedFresh');
          s.refs[u] = 1;
          return s.second[u] ? 'get_page' : 'put_page';
        }
      },
    },
    zone_device_page_init: {
      do: (s, u) => {
        const p = s.page[u]!;
        if (s.count[p] !== 0 || holders(s, p) > 0) breaks(s, 'AllocatedFresh');
        s.count[p] = 1;
        s.refs[u] = 1;
        return s.second[u] ? 'get_page' : 'put_page';
      },
    },
    get_page: {
      do: (s, u) => {
        const p = s.page[u]!;
        if (s.count[p] === 0) breaks(s, 'NoGetOnZero');
        s.count[p] += 1;
        s.refs[u] += 1;
      },
    },
    put_page: {
      do: (s, u, c) => {
        s.refs[u] -= 1;
        return putPage(s, s.page[u]!, c) ?? (s.refs[u] > 0 ? 'put_page' : 'Done');
      },
    },
    page_free: {
      do: (s, u, c) => {
        pageFree(s, s.page[u]!);
        // v6.0 and init_mode reset next; otherwise the free path is over (in v6.1 or reset-first the
        // user may still hold a reference when the page went to 0 early: a broken count).
        if (!resets(c) || resetFirst(c)) return s.refs[u] > 0 ? 'put_page' : 'Done';
      },
    },
    set_page_count: {
      do: (s, u, c) => {
        resetCount(s, s.page[u]!, c);
        if (resetFirst(c)) return 'page_free';
        return s.refs[u] > 0 ? 'put_page' : 'Done';
      },
    },
  },
});

const getter = process<S, C>()('getter', Getter, {
  pc: 'getterPc',
  steps: {
    get_page_unless_zero: {
      when: (_s, _g, c) => c.speculative,
      do: (s, g) => {
        const p = s.target[g];
        if (s.count[p] === 0) return 'Done';
        s.count[p] += 1;
        s.held[g] = 1;
        return 'put_page';
      },
    },
    put_page: {
      do: (s, g, c) => {
        s.held[g] = 0;
        return putPage(s, s.target[g], c) ?? 'Done';
      },
    },
    page_free: {
      do: (s, g, c) => {
        pageFree(s, s.target[g]);
        if (!resets(c) || resetFirst(c)) return 'Done';
      },
    },
    set_page_count: {
      do: (s, g, c) => {
        resetCount(s, s.target[g], c);
        return resetFirst(c) ? 'page_free' : 'Done';
      },
    },
  },
});

const monitor = (rule: RuleName) => (s: Readonly<S>) => !s.broken.has(rule);

export default defineSpec({
  name: 'zone-device-refcount',
  description: 'ZONE_DEVICE free pages: one count for every free page, ->page_free() only when unreferenced.',
  constants: { scheme: 'v6.0', speculative: false, pages: 2, users: 2 } as C,
  state,
  init: (c) => {
    const free = resets(c) ? 1 : 0;
    const each = <T,>(keys: readonly string[], v: T) => Object.fromEntries(keys.map((k) => [k, v]));
    const pages = Page.values.slice(0, c.pages);
    const users = User.values.slice(0, c.users);
    // Every combination of which users take a second reference, and (with a getter) of its target.
    const choices = users.reduce<number[][]>((acc) => acc.flatMap((a) => [[...a, 0], [...a, 1]]), [[]]);
    return choices.flatMap((second) =>
      (c.speculative ? pages : pages.slice(0, 1)).map((t) => ({
        device: new Set(pages),
        count: each(Page.values, free),
        freeList: [...pages],
        // Users beyond `users` have nothing to do.
        userPc: Object.fromEntries(User.values.map((u, i) => [u, i < c.users ? ('dmirror_devmem_alloc_page' as const) : ('Done' as const)])),
        page: each(User.values, null),
        refs: each(User.values, 0),
        second: Object.fromEntries(User.values.map((u, i) => [u, second[i] ?? 0])),
        getterPc: { g: 'get_page_unless_zero' as const },
        target: { g: t },
        held: { g: 0 },
        broken: new Set<RuleName>(),
      })),
    );
  },
  actions: { ...user, ...getter },
  invariants: {
    /** Jason's rule: all pages on the free list have the same count. */
    FreeListUniform: (s) => s.freeList.every((p) => s.count[p] === s.count[s.freeList[0]]),
    /** ->page_free() runs only when nobody holds a reference to the page. */
    PageFreeUnreferenced: monitor('PageFreeUnreferenced'),
    /** A page is never pushed on the free list while it is already there. */
    NoDoubleFree: monitor('NoDoubleFree'),
    /** A page is handed out unreferenced and leaves allocation with count 1. */
    AllocatedFresh: monitor('AllocatedFresh'),
    /** The v6.0 reset never overwrites a count someone else owns. */
    ResetNoOverwrite: monitor('ResetNoOverwrite'),
    /** get_page() is never applied to a count of 0. */
    NoGetOnZero: monitor('NoGetOnZero'),
  },
  temporal: {
    /**
     * A page whose last reference has dropped (nobody holds it, and it is not on the free list: the
     * free path is under way, or it leaked) eventually returns to the driver's free list.
     */
    PageReturns: forall(Page, (p) =>
      leadsTo((s) => s.device.has(p) && holders(s, p) === 0 && !s.freeList.includes(p), (s) => s.freeList.includes(p)),
    ),
  },
  // Every thread keeps going while it can: each user's and the getter's steps are weakly fair.
  fairness: [weakFair({ process: 'user' }), weakFair({ process: 'getter' })],
  // Every thread finished, or a user waits for a free page that never comes back: the run is over.
  terminal: (s) =>
    User.values.every((u) => s.userPc[u] === 'Done' || (s.userPc[u] === 'dmirror_devmem_alloc_page' && s.freeList.length === 0)) &&
    Getter.values.every((g) => s.getterPc[g] === 'Done' || s.getterPc[g] === 'get_page_unless_zero'),
  variants: {
    'v6.0': {
      expect: { violates: 'FreeListUniform' },
      finding: {
        kind: 'sequential',
        threads: ['user'],
        consequence: 'corruption',
        fix: 'reset-first',
        explain:
          "Jason's objection, seen directly: ->page_free() pushes the page at 0 before the reset to 1, so the free list holds one page at 0 and one at 1. A page allocated in that window is handed out at 0, and the counts that follow go wrong: the reset overwrites its owner's count, the page is freed while mapped or freed twice (the v6.0/ variants below).",
        narrative: ['user.dmirror_devmem_alloc_page', 'user.put_page', 'user.page_free'],
      },
      bounds: { users: [1, 2, 3], pages: [1, 2] },
    },
    'v6.0+speculative': {
      constants: { speculative: true },
      expect: { violates: 'FreeListUniform' },
      finding: {
        kind: 'sequential',
        threads: ['getter'],
        consequence: 'use-after-free',
        fix: 'v6.1+speculative',
        explain:
          "Free pages sit at 1, so a speculative get_page_unless_zero() succeeds on a free page (1 -> 2); the driver can hand the page out while the getter holds it, and a put then frees it under its owner (reset-first+speculative/PageFreeUnreferenced). Free pages at 0 (v6.1) make the speculative get fail.",
        narrative: ['getter.get_page_unless_zero'],
      },
      bounds: { users: [1, 2, 3], pages: [1, 2, 3] },
    },
    'v6.1': { constants: { scheme: 'v6.1' }, expect: 'holds', bounds: { users: [1, 2, 3], pages: [1, 2] } },
    'v6.1+speculative': { constants: { scheme: 'v6.1', speculative: true }, expect: 'holds', bounds: { users: [1, 2, 3], pages: [1, 2, 3] } },
    init_mode: {
      constants: { scheme: 'init_mode' },
      expect: { violates: 'FreeListUniform' },
      finding: {
        kind: 'sequential',
        threads: ['user'],
        consequence: 'corruption',
        fix: 'reset-first',
        explain:
          "Dan's init_mode leaves device-private pages at 1 with the reset after ->page_free(): within one driver it is v6.0, with v6.0's trace and its consequences.",
        narrative: ['user.put_page', 'user.page_free'],
      },
    },
    'init_mode+speculative': {
      constants: { scheme: 'init_mode', speculative: true },
      expect: { violates: 'FreeListUniform' },
      finding: {
        kind: 'sequential',
        threads: ['getter'],
        consequence: 'use-after-free',
        fix: 'v6.1+speculative',
        explain: "As v6.0+speculative: init_mode's free device-private pages sit at 1, where a speculative get succeeds.",
        narrative: ['getter.get_page_unless_zero'],
      },
    },
    'v6.0/AllocatedFresh': {
      description: 'v6.0 checked only for the page handed out at count 0',
      properties: ['AllocatedFresh'],
      expect: { violates: 'AllocatedFresh' },
      finding: {
        kind: 'sequential',
        threads: ['user user1', 'user user2'],
        consequence: 'leak',
        fix: 'reset-first',
        explain:
          "user2 allocates the page user1 has just pushed, before user1's reset: it gets the page at 0. Its put then takes the count to -1, with no 1 -> 0 transition, so no free path runs and the page never returns to the driver (unless the reset lands first, which v6.0/ResetNoOverwrite shows going wrong).",
        narrative: ['user.page_free', 'user.dmirror_devmem_alloc_page'],
      },
      bounds: { users: [1, 2, 3] },
    },
    'v6.0/NoGetOnZero': {
      properties: ['NoGetOnZero'],
      expect: { violates: 'NoGetOnZero' },
      finding: {
        kind: 'sequential',
        threads: ['user user1', 'user user2'],
        consequence: 'corruption',
        fix: 'reset-first',
        explain:
          "user2, handed the page at 0, takes its second reference with get_page() on a count of 0: a VM_BUG_ON under CONFIG_DEBUG_VM, and otherwise a count one below the references held, so user2's first put frees the page under its second reference (v6.0/PageFreeUnreferenced).",
        narrative: ['user.dmirror_devmem_alloc_page', 'user.get_page'],
      },
      bounds: { users: [1, 2, 3] },
    },
    'v6.0/ResetNoOverwrite': {
      properties: ['ResetNoOverwrite'],
      expect: { violates: 'ResetNoOverwrite' },
      finding: {
        kind: 'race',
        threads: ['user user1', 'user user2'],
        consequence: 'corruption',
        fix: 'reset-first',
        explain:
          "user1's free path is interrupted between ->page_free() and the reset; user2 allocates the page meanwhile, and user1's set_page_count(page, 1) then overwrites the count of a page it no longer owns: from there the count and the references disagree.",
        narrative: ['user.page_free', 'user.dmirror_devmem_alloc_page', 'user.set_page_count'],
      },
      bounds: { users: [1, 2, 3] },
    },
    'v6.0/PageFreeUnreferenced': {
      properties: ['PageFreeUnreferenced'],
      expect: { violates: 'PageFreeUnreferenced' },
      finding: {
        kind: 'sequential',
        threads: ['user user1', 'user user2'],
        consequence: 'use-after-free',
        fix: 'reset-first',
        explain:
          "user2, handed the page at 0 inside user1's free path, takes a second reference (0 -> 1) and drops one (1 -> 0): ->page_free() puts the page back on the driver's free list while user2 still holds it, and the next allocation hands the same device memory to someone else.",
        narrative: ['user.dmirror_devmem_alloc_page', 'user.get_page', 'user.put_page', 'user.page_free'],
      },
      bounds: { users: [1, 2, 3] },
    },
    'v6.0/NoDoubleFree': {
      properties: ['NoDoubleFree'],
      expect: { violates: 'NoDoubleFree' },
      finding: {
        kind: 'sequential',
        threads: ['user user1', 'user user2'],
        consequence: 'corruption',
        fix: 'reset-first',
        explain:
          "After that early free, user2's own reset sets the page to 1 while it sits on the free list, and user2's last put is a second 1 -> 0 transition: ->page_free() pushes the page again, and two allocations get the same page.",
        narrative: ['user.page_free', 'user.set_page_count', 'user.put_page', 'user.page_free'],
      },
      bounds: { users: [1, 2, 3] },
    },
    'v6.0/PageReturns': {
      description: 'v6.0 checked only for pages leaking: a put on a page handed out at 0 never frees it',
      properties: ['PageReturns'],
      expect: { violates: 'PageReturns' },
      finding: {
        kind: 'race',
        threads: ['user user1', 'user user2'],
        consequence: 'leak',
        fix: 'reset-first',
        explain:
          "user2's put on a page handed out at 0 takes it to -1: no 1 -> 0 transition, no free path. user1's late reset then sets it to 1 with nobody holding it, and the page never returns to the driver's free list: device memory leaks.",
        narrative: ['user.dmirror_devmem_alloc_page', 'user.put_page', 'user.set_page_count'],
      },
      bounds: { users: [1, 2, 3] },
    },
    'init_mode/PageReturns': {
      constants: { scheme: 'init_mode' },
      properties: ['PageReturns'],
      expect: { violates: 'PageReturns' },
      finding: {
        kind: 'race',
        threads: ['user user1', 'user user2'],
        consequence: 'leak',
        fix: 'reset-first',
        explain: "init_mode's device-private pages leak as v6.0's do: a put on a page handed out at 0, then the late reset to 1.",
        narrative: ['user.put_page', 'user.set_page_count'],
      },
    },
    'reset-first': {
      description: 'v6.0 with the reset to 1 before ->page_free(): the smallest change that makes v6.0 hold without speculative getters',
      constants: { scheme: 'reset-first' },
      expect: 'holds',
      bounds: { users: [1, 2, 3], pages: [1, 2] },
    },
    'reset-first+speculative': {
      constants: { scheme: 'reset-first', speculative: true },
      expect: { violates: 'FreeListUniform' },
      finding: {
        kind: 'sequential',
        threads: ['getter'],
        consequence: 'use-after-free',
        fix: 'v6.1+speculative',
        explain:
          'Resetting first keeps free pages uniform at 1 among themselves, but a speculative get_page_unless_zero() still succeeds on a free page (1 -> 2): the fix for v6.0 alone is not enough once pfn walkers take speculative references.',
        narrative: ['getter.get_page_unless_zero'],
      },
    },
    'reset-first+speculative/PageFreeUnreferenced': {
      constants: { scheme: 'reset-first', speculative: true },
      properties: ['PageFreeUnreferenced'],
      expect: { violates: 'PageFreeUnreferenced' },
      finding: {
        kind: 'race',
        threads: ['user', 'getter'],
        consequence: 'use-after-free',
        fix: 'v6.1+speculative',
        explain:
          "The reset brings the page to 1 before ->page_free(); a speculative get_page_unless_zero() in between succeeds (1 -> 2), and ->page_free() pushes the page while the getter holds it, so its put later drops a reference of whoever the driver hands the page to. This is why v6.1 keeps free pages at 0, where the speculative get fails.",
        narrative: ['user.put_page', 'user.set_page_count', 'getter.get_page_unless_zero', 'user.page_free'],
      },
      bounds: { users: [1, 2, 3], pages: [1, 2, 3] },
    },
  },
});
