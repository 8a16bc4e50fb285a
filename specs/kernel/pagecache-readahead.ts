// Page-cache folio refcount during readahead: who owns which reference, and may the arithmetic change?
//
// Protocol (mm/readahead.c, mm/filemap.c, mm/vmscan.c, include/linux/pagemap.h).
// page_cache_ra_unbounded() allocates a locked folio (filemap_alloc_folio: count 1) and adds it to the
// page cache (__filemap_add_folio: folio_ref_add(folio, nr), then xas_store under the xarray lock;
// then folio_add_lru). The filesystem's ->readahead() takes it with readahead_folio(), which does a
// folio_put(): from then on the filesystem holds no reference of its own, only the folio lock and the
// page cache's nr references. folio_attach_private() adds one. Truncate (truncate_inode_pages_range:
// find_lock_entries, truncate_cleanup_folio, __filemap_remove_folio, filemap_free_folio =
// folio_put_refs(nr)) and reclaim (shrink_folio_list: isolate with a reference, trylock,
// filemap_release_folio, __remove_mapping = folio_ref_freeze(1 + nr)) rely on that count, as do
// lockless lookups (filemap_get_entry: xas_load, folio_try_get, xas_reload) and every path that
// compares the count with folio_expected_ref_count() before freezing it (mapping_evict_folio for
// memory failure and invalidation, migration, can_split_folio).
// Question (seed 000, Matthew Wilcox, 14 Aug 2024, on btrfs's "expected refcount"): is the
// "expected refcount" nr + private (+ mappings + transient refs) really what every path sees, and are
// his two proposals safe: P1 "filemap_add_folio() increments by one fewer and readahead_folio() no
// longer puts", P2 "the page cache holds a single reference"? Neither has landed. P2 changes every
// site that hard-codes nr: the spec checks it with each of three sites left at nr (filemap_free_folio,
// the freeze in __remove_mapping, folio_expected_ref_count).
//
// Steps (one kernel atomic operation each; a step named after the function it stands for):
//   readahead.filemap_alloc_folio     count 1, folio locked (__folio_set_locked: not yet visible)
//   readahead.filemap_add_folio       folio_ref_add(folio, nr) in __filemap_add_folio (P1: nr - 1, P2: 0)
//   readahead.xas_store               the folio enters the xarray; folio_add_lru follows at once (only
//                                     reclaim reads the LRU flag, so the two are one step)
//   readahead.readahead_folio         its folio_put() (P1, P2: no put; btrfs keeps the reference)
//   readahead.folio_attach_private    +1 (only for a filesystem with private data: an initial choice)
//   readahead.folio_get / folio_unlock / fs_touch / folio_put   read done (folio_end_read), then a
//                                     filesystem touching the folio after unlocking it (variants; the
//                                     get and put only in the fixed one)
//   truncate.xas_load / folio_try_get / xas_reload   find_lock_entries' lockless lookup
//   truncate.folio_lock, truncate_cleanup_folio (folio_detach_private: -1), __filemap_remove_folio
//     (xarray store of NULL), filemap_free_folio (folio_put_refs(nr)), folio_unlock, folio_put
//   reclaim.folio_isolate_lru         folio_try_get + clearing the LRU flag (isolate_lru_folios)
//   reclaim.folio_trylock, folio_expected_ref_count (with `precheck`: the plain comparison
//     count == expected + 1 that mapping_evict_folio, migration and can_split_folio make first),
//     filemap_release_folio (-1 private), folio_ref_freeze (the cmpxchg in __remove_mapping),
//     __filemap_remove_folio, folio_unlock, then free_unref_folios, or folio_putback_lru and another
//     pass (reclaim scans the LRU again while the folio is on it)
//   lookup.xas_load / folio_try_get / xas_reload / folio_test_uptodate / folio_put   filemap_get_folio()
//   alloc.folio_alloc                 anyone allocating the frame once it is freed: it comes back as
//                                     another folio (at another index or in another file), count 1
// The xas_reload re-check passes only while the slot holds this file's folio: the case it exists for
// is a try-get that succeeds on the frame after it was freed and reused.
//
// Properties. Conservation: the count equals the references the threads believe they own: the page
// cache's (NRc = nr, or 1 under P2, from filemap_add_folio until filemap_free_folio or a successful
// freeze), the private reference, the readahead's allocation reference until it is put or donated to
// the page cache (P1, P2), btrfs's kept reference, the filesystem's own around a late touch, the new
// owner's after reuse, and the transient ones (truncate, reclaim, lookups). Every step updates the
// count and the owner's bookkeeping together, so no state is half done and the property is checked
// everywhere. NoUnprotectedTouch: a thread about to touch the folio (at a step that reads or writes it,
// other than the speculative try-get) holds a reference, or holds the lock while the page cache owns
// the folio, and the folio is not freed: the rule, flagged before anything goes wrong. NoUseAfterFree
// (a property of steps): no such touch is taken on a freed frame, nor by readahead on the frame once
// reused: the bug itself. QuiescentExpected: once readahead is done, with no transient holder and the
// folio still in the page cache, the count is NRc + private: Willy's expected refcount.
// LookupGetsItsFolio: a lookup returns this file's folio, never the reused frame. PrecheckNotFooled: a
// freeze that follows a passed pre-check succeeds (it fails when the check went stale: wasted work).
// Temporal, under weak fairness of every thread and strong fairness of truncate (folio_unlock hands
// the lock to a sleeping waiter, 2a9127fcf229, so reclaim's trylock retries cannot starve it):
// Reclaimable, an idle cached folio (readahead done, in the page cache, unlocked, no transient holder)
// is eventually out of the page cache; LookupEnds, a lookup whose try-get meets a frozen folio
// eventually ends; TruncatedFreed, a folio truncate has removed is eventually freed. With truncate
// running, Reclaimable is truncate's doing; the variants named /Reclaimable leave reclaim alone with the
// folio (truncate off), which is the claim "eventually reclaimable".
//
// Bounds: one folio of nr = 2 pages (the constant `nr`; at nr = 1 every scheme gives the page cache
// one reference, so each stale site is right by accident); one readahead, one truncate, one reclaim
// thread, one allocator and 2 lockless lookups (the constant `lookups`, up to LOOKUPS = 3,
// interchangeable: a scalarset); the frame is reused at most once; no page-table mappings (each adds 1
// to count and expected alike). nr enters only the arithmetic: it leaves the state space of the
// variants that hold as it is and changes verdicts and trace lengths instead (every stale site holds
// at nr = 1; the stale freeze needs nr - 1 holders besides reclaim, so it fails at nr = 2, 3, 4 with
// longer traces and holds at 5, with only truncate and two lookups to hold it). `lookups` changes the
// state space. The bounds each verdict was checked at are in specs/README.md.
//
// Verdicts (trace lengths count states, the initial state included; steps are one fewer; "sequential"
// means each thread's steps run in one block, "race" that one thread's steps are interrupted by
// another's). current, P1 and P2 hold, liveness included; touch-with-ref and precheck hold every
// safety property.
// Sequential accounting: P2-half (filemap_free_folio still puts nr) breaks Conservation when truncate's
// filemap_free_folio frees the folio while truncate still holds its own reference and the lock (12
// states: readahead's 5 steps, then truncate's 3-step lookup, folio_lock, __filemap_remove_folio,
// filemap_free_folio); its folio_unlock and folio_put would follow on freed memory. P2 with
// readahead_folio still putting frees the cached, locked folio (5 states: alloc, add, xas_store,
// readahead_folio); P1 half applied (adds nr - 1, still puts) likewise drops a reference the page
// cache was given (5 states). btrfs's kept allocation reference leaves the quiescent count one too high
// (6 states), so its folio is never reclaimable (btrfs/Reclaimable, a lasso of 11 states: readahead,
// then reclaim's isolate, trylock, release, failed freeze, unlock and putback forever) and outlives
// truncate (btrfs/TruncatedFreed, 18 states: readahead, truncate, then reclaim putting the truncated
// folio back forever). A filesystem touching the folio after folio_unlock breaks the rule at once (6
// states, touch-after-unlock).
// Races: P2 with reclaim still freezing at 1 + nr (P2-freeze-1+nr): a speculative lookup takes a
// reference (xas_load, folio_try_get, xas_reload), reclaim isolates the folio (count 3 = 1 + nr at
// nr = 2), freezes it, removes and frees it, and the lookup's folio_test_uptodate reads freed memory (17
// states; Conservation already breaks at the freeze, state 13). The same stale freeze, with no other
// thread, never succeeds on an idle folio (P2-freeze-1+nr/Reclaimable, 11 states); a stale
// folio_expected_ref_count makes the pre-check never pass (P2-expected-nr/Reclaimable, 10 states).
// The late touch's use after free needs reclaim or truncate to free the folio between folio_unlock
// and the touch (touch-after-unlock/NoUseAfterFree, 14 states: readahead's 5 steps, reclaim's 7, the
// touch; with truncate instead, touch-after-unlock/NoUseAfterFree-truncate, 15 states: truncate's 8).
// touch-with-ref, a reference taken before folio_unlock and put after the touch, holds.
// The freeze is what makes a racy check safe: with `precheck`, a lookup's try-get between reclaim's
// folio_expected_ref_count and its folio_ref_freeze makes the freeze fail, a retry and no harm
// (precheck/PrecheckNotFooled, 13 states; precheck holds every safety property); setting the count to
// 0 instead of the cmpxchg loses the lookup's reference (precheck-no-cmpxchg, Conservation, 13
// states). Without xas_reload a lookup that loaded the slot before reclaim freed the folio and the
// frame was reused gets the new folio (no-reload, 17 states: readahead, lookup's xas_load, reclaim's 7
// steps, folio_alloc, the lookup's try-get and reload); without reuse the missing re-check is harmless.
// If reclaim could stop between the freeze and the removal, a lookup would spin on the frozen folio
// forever (current/reclaim-may-stall, 16 states); __remove_mapping holds the xarray lock with
// interrupts off over that window.
// Compared with kernel-models.md's hand counts: "about 9" for P2 half applied and "about 3" for the put
// mismatches count the lookup and filemap_add_folio + xas_store as fewer steps than the kernel's
// atomic operations do here; "about 4" for btrfs leaves out readahead_folio; "about 13" for the use
// after free is 15 states here with truncate (its lookup is three steps, and the touch itself is the
// last), 14 with reclaim.
import { bool, defineSpec, enumOf, forall, int, leadsTo, mapOf, scalarset, strongFair, weakFair, type InferShape } from '../../src/index.ts';
import { process } from '../../src/process.ts';

/** Bounds worth widening: the most lockless lookups a variant may run (`lookups` says how many do). */
const LOOKUPS = 3;
const Readahead = scalarset('readahead', ['ra']);
const Truncate = scalarset('truncate', ['tr']);
const Reclaim = scalarset('reclaim', ['rc']);
const Alloc = scalarset('alloc', ['al']);
const Lookup = scalarset('lookup', LOOKUPS);

const raSteps = ['filemap_alloc_folio', 'filemap_add_folio', 'xas_store', 'readahead_folio', 'folio_attach_private', 'folio_get', 'folio_unlock', 'fs_touch', 'folio_put', 'Done'] as const;
const trSteps = ['xas_load', 'folio_try_get', 'xas_reload', 'folio_lock', 'truncate_cleanup_folio', '__filemap_remove_folio', 'filemap_free_folio', 'folio_unlock', 'folio_put', 'Done'] as const;
const rcSteps = ['folio_isolate_lru', 'folio_trylock', 'folio_expected_ref_count', 'filemap_release_folio', 'folio_ref_freeze', '__filemap_remove_folio', 'folio_unlock', 'free_unref_folios', 'folio_putback_lru', 'Done'] as const;
const luSteps = ['xas_load', 'folio_try_get', 'xas_reload', 'folio_test_uptodate', 'folio_put', 'Done'] as const;
const alSteps = ['folio_alloc', 'Done'] as const;

const state = {
  /** The frame's _refcount; negative values are representable so an underflow shows as a Conservation failure. */
  ref: int(-8, 16),
  /** Which folio the frame holds: 0 is this file's folio, 1 the frame reallocated once it was freed. */
  gen: int(0, 1),
  /** The page cache owns its NRc references (from filemap_add_folio until filemap_free_folio or a freeze). */
  cacheOwns: bool(),
  inXarray: bool(),
  onLru: bool(),
  lock: enumOf('none', 'readahead', 'truncate', 'reclaim'),
  private: bool(),
  frozen: bool(),
  freed: bool(),
  /** Whether the filesystem attaches private data: chosen in the initial state. */
  usesPrivate: bool(),
  /** The readahead path's allocation reference, btrfs's kept one, and the filesystem's own around a late touch. */
  allocRef: bool(),
  btrfsRef: bool(),
  fsRef: bool(),
  truncateRef: bool(),
  reclaimRef: bool(),
  /** The reference of whoever reallocated the frame. */
  newRef: bool(),
  lookupRef: mapOf(Lookup, bool()),
  raPc: mapOf(Readahead, enumOf(...raSteps)),
  trPc: mapOf(Truncate, enumOf(...trSteps)),
  rcPc: mapOf(Reclaim, enumOf(...rcSteps)),
  luPc: mapOf(Lookup, enumOf(...luSteps)),
  alPc: mapOf(Alloc, enumOf(...alSteps)),
};
type S = InferShape<typeof state>;

/** The sites that hard-code nr for the page cache's references, and so must change with P2. */
type NrSite = 'filemap_free_folio' | 'folio_ref_freeze' | 'folio_expected_ref_count';
type C = {
  /** Pages in the folio. */
  nr: number;
  /** Lockless lookups at work (at most LOOKUPS; the rest have nothing to do). */
  lookups: number;
  /** Who owns what: the kernel today, Willy's P1 (one fewer atomic) or P2 (a single page-cache reference). */
  scheme: 'current' | 'P1' | 'P2';
  /** Whether readahead_folio() does a folio_put() (today's; P1 and P2 remove it). */
  readaheadPuts: boolean;
  /** Sites still counting nr page-cache references under P2 (a half-applied P2). */
  staleNr: NrSite[];
  /** btrfs: the allocation reference is never put. */
  keepAllocRef: boolean;
  /** The filesystem touches the folio after folio_unlock: not at all, bare, or holding its own reference. */
  touch: 'none' | 'unlocked' | 'ref';
  /** The evicting thread first compares the count with folio_expected_ref_count (mapping_evict_folio, migration, can_split_folio). */
  precheck: boolean;
  /** Whether the eviction freezes with a compare-and-swap; without it, it sets the count to 0 on the strength of its pre-check. */
  cmpxchgFreeze: boolean;
  /** Whether a lockless lookup re-checks the slot (xas_reload) after its try-get. */
  reload: boolean;
  /** Whether a freed frame may be reallocated. */
  reuse: boolean;
  /** Whether truncate runs at all (off: reclaim is alone with the folio). */
  truncate: boolean;
  /** Whether reclaim runs at all. */
  reclaim: boolean;
};

/** References the page cache owns: nr, or 1 under P2. */
const cacheRefs = (c: C) => (c.scheme === 'P2' ? 1 : c.nr);
/** What filemap_add_folio adds: nr today, nr - 1 under P1, 0 under P2 (P1 and P2 take over the allocation reference). */
const addRefs = (c: C) => (c.scheme === 'current' ? c.nr : c.scheme === 'P1' ? c.nr - 1 : 0);
const donates = (c: C) => c.scheme !== 'current';
/** What a site takes the page cache's references to be. */
const refsAt = (c: C, site: NrSite) => (c.staleNr.includes(site) ? c.nr : cacheRefs(c));
/** The count __remove_mapping() freezes at: 1 (the evicting thread's own) + the page cache's. */
const freezeAt = (c: C) => 1 + refsAt(c, 'folio_ref_freeze');

/** A folio_put() of n references; the last one frees the folio (and takes it off the LRU). */
const put = (s: S, n = 1) => {
  s.ref -= n;
  if (s.ref === 0) {
    s.freed = true;
    s.onLru = false;
  }
};

const readahead = process<S, C>()('readahead', Readahead, {
  pc: 'raPc',
  steps: {
    filemap_alloc_folio: { do: (s) => { s.ref = 1; s.allocRef = true; s.lock = 'readahead'; } },
    filemap_add_folio: {
      do: (s, _t, c) => {
        s.ref += addRefs(c);
        s.cacheOwns = true;
        if (donates(c)) s.allocRef = false;
      },
    },
    xas_store: { do: (s) => { s.inXarray = true; s.onLru = true; } },
    readahead_folio: {
      do: (s, _t, c) => {
        if (c.keepAllocRef) {
          s.allocRef = false;
          s.btrfsRef = true;
        } else if (c.readaheadPuts) {
          s.allocRef = false;
          put(s);
        }
        if (s.usesPrivate) return 'folio_attach_private';
        return c.touch === 'ref' ? 'folio_get' : 'folio_unlock';
      },
    },
    folio_attach_private: { do: (s, _t, c) => { s.ref += 1; s.private = true; return c.touch === 'ref' ? 'folio_get' : 'folio_unlock'; } },
    folio_get: { do: (s) => { s.ref += 1; s.fsRef = true; } },
    folio_unlock: { do: (s, _t, c) => { s.lock = 'none'; return c.touch === 'none' ? 'Done' : 'fs_touch'; } },
    fs_touch: { do: (_s, _t, c) => (c.touch === 'ref' ? 'folio_put' : 'Done') },
    folio_put: { do: (s) => { s.fsRef = false; put(s); } },
  },
});

const truncate = process<S, C>()('truncate', Truncate, {
  pc: 'trPc',
  steps: {
    xas_load: { do: (s) => (s.inXarray ? 'folio_try_get' : 'Done') },
    folio_try_get: {
      do: (s) => {
        if (s.ref === 0) return 'xas_load';
        s.ref += 1;
        s.truncateRef = true;
      },
    },
    // The slot still holds this folio only while it is this file's folio in the xarray.
    xas_reload: { do: (s) => (s.inXarray && s.gen === 0 ? 'folio_lock' : 'folio_put') },
    folio_lock: {
      when: (s) => s.lock === 'none',
      do: (s) => {
        s.lock = 'truncate';
        // The folio->mapping check under the lock: a folio removed meanwhile is skipped.
        if (!s.inXarray) return 'folio_unlock';
        return s.private ? 'truncate_cleanup_folio' : '__filemap_remove_folio';
      },
    },
    truncate_cleanup_folio: { do: (s) => { s.private = false; put(s); } },
    __filemap_remove_folio: { do: (s) => { s.inXarray = false; } },
    filemap_free_folio: { do: (s, _t, c) => { s.cacheOwns = false; put(s, refsAt(c, 'filemap_free_folio')); } },
    folio_unlock: { do: (s) => { s.lock = 'none'; } },
    folio_put: { do: (s) => { s.truncateRef = false; put(s); } },
  },
});

// Reclaim scans the LRU again and again while the folio is on it; with `precheck` the thread has the
// shape of mapping_evict_folio() and migration: compare the count with the expected one, then freeze.
const reclaim = process<S, C>()('reclaim', Reclaim, {
  pc: 'rcPc',
  steps: {
    folio_isolate_lru: {
      when: (s) => s.onLru,
      do: (s) => {
        if (s.ref === 0) return 'Done';
        s.ref += 1;
        s.reclaimRef = true;
        s.onLru = false;
      },
    },
    folio_trylock: {
      do: (s, _t, c) => {
        if (s.lock !== 'none') return 'folio_putback_lru';
        s.lock = 'reclaim';
        return c.precheck ? 'folio_expected_ref_count' : 'filemap_release_folio';
      },
    },
    // folio_ref_count(folio) == folio_expected_ref_count(folio) + 1: a plain read, stale at once.
    folio_expected_ref_count: {
      do: (s, _t, c) => (s.ref === refsAt(c, 'folio_expected_ref_count') + Number(s.private) + 1 ? 'filemap_release_folio' : 'folio_unlock'),
    },
    filemap_release_folio: {
      do: (s) => {
        if (!s.inXarray) return 'folio_unlock'; // truncated meanwhile
        if (s.private) {
          s.private = false;
          put(s);
        }
      },
    },
    folio_ref_freeze: {
      do: (s, _t, c) => {
        if (c.cmpxchgFreeze && s.ref !== freezeAt(c)) return 'folio_unlock';
        s.ref = 0;
        s.frozen = true;
        s.reclaimRef = false;
        s.cacheOwns = false;
      },
    },
    __filemap_remove_folio: { do: (s) => { s.inXarray = false; } },
    folio_unlock: { do: (s) => { s.lock = 'none'; return s.frozen ? 'free_unref_folios' : 'folio_putback_lru'; } },
    free_unref_folios: { do: (s) => { s.frozen = false; s.freed = true; }, next: 'Done' },
    folio_putback_lru: { do: (s) => { s.reclaimRef = false; s.onLru = true; put(s); return s.freed ? 'Done' : 'folio_isolate_lru'; } },
  },
});

const lookup = process<S, C>()('lookup', Lookup, {
  pc: 'luPc',
  steps: {
    xas_load: { do: (s) => (s.inXarray ? 'folio_try_get' : 'Done') },
    folio_try_get: {
      do: (s, l) => {
        if (s.ref === 0) return 'xas_load';
        s.ref += 1;
        s.lookupRef[l] = true;
      },
    },
    xas_reload: { do: (s, _l, c) => (!c.reload || (s.inXarray && s.gen === 0) ? 'folio_test_uptodate' : 'folio_put') },
    folio_test_uptodate: {},
    folio_put: { do: (s, l) => { s.lookupRef[l] = false; put(s); } },
  },
});

// Anyone allocating a page once the folio is freed: the frame comes back as another folio, at another
// index or in another file, with a reference of its owner's.
const alloc = process<S, C>()('alloc', Alloc, {
  pc: 'alPc',
  steps: {
    folio_alloc: {
      when: (s) => s.freed,
      do: (s) => {
        s.gen = 1;
        s.freed = false;
        s.ref = 1;
        s.newRef = true;
      },
    },
  },
});

const transientRefs = (s: Readonly<S>) =>
  Number(s.truncateRef) + Number(s.reclaimRef) + Lookup.values.filter((l) => s.lookupRef[l]).length;

/** Steps that read or write the folio itself (the speculative try-get and xarray accesses excepted). */
const touches = {
  readahead: new Set<string>(['filemap_add_folio', 'readahead_folio', 'folio_attach_private', 'folio_get', 'folio_unlock', 'fs_touch', 'folio_put']),
  truncate: new Set<string>(['folio_lock', 'truncate_cleanup_folio', '__filemap_remove_folio', 'filemap_free_folio', 'folio_unlock', 'folio_put']),
  reclaim: new Set<string>(['folio_trylock', 'folio_expected_ref_count', 'filemap_release_folio', 'folio_ref_freeze', '__filemap_remove_folio', 'folio_unlock', 'free_unref_folios', 'folio_putback_lru']),
  lookup: new Set<string>(['folio_test_uptodate', 'folio_put']),
};

const protectedTouches = (s: Readonly<S>) => {
  const underLock = (who: S['lock']) => s.lock === who && s.cacheOwns;
  const ok = (at: string, kind: keyof typeof touches, safe: boolean) => !touches[kind].has(at) || (!s.freed && safe);
  return (
    ok(s.raPc.ra, 'readahead', s.allocRef || s.fsRef || underLock('readahead')) &&
    ok(s.trPc.tr, 'truncate', s.truncateRef || underLock('truncate')) &&
    ok(s.rcPc.rc, 'reclaim', s.reclaimRef || s.frozen || underLock('reclaim')) &&
    Lookup.values.every((l) => ok(s.luPc[l], 'lookup', s.lookupRef[l]))
  );
};

/**
 * A touching step taken on a freed frame, or by the readahead path on the frame once it holds another
 * folio: the use after free itself, not the unprotected state before it.
 */
const usesFreed = (s: Readonly<S>, next: Readonly<S>) => {
  const took = (kind: keyof typeof touches, before: string, after: string) => before !== after && touches[kind].has(before);
  if (took('readahead', s.raPc.ra, next.raPc.ra) && (s.freed || s.gen === 1)) return true;
  if (!s.freed) return false;
  return (
    took('truncate', s.trPc.tr, next.trPc.tr) ||
    took('reclaim', s.rcPc.rc, next.rcPc.rc) ||
    Lookup.values.some((l) => took('lookup', s.luPc[l], next.luPc[l]))
  );
};

/** A clean, unlocked folio in the page cache, readahead done, that nobody but the page cache (and btrfs) holds. */
const idleCached = (s: Readonly<S>) =>
  s.raPc.ra === 'Done' && s.inXarray && s.gen === 0 && s.lock === 'none' && transientRefs(s) === 0 && !s.frozen;

// Weak fairness for every thread; strong for truncate, which sleeps in folio_lock(): since 2a9127fcf229
// folio_unlock() hands the lock to a sleeping waiter, so a reclaim that keeps retrying its trylock
// cannot take it from truncate forever.
const everyThread = ['readahead', 'truncate', 'reclaim', 'lookup', 'alloc'];
const fairExcept = (...stalled: string[]) =>
  everyThread.filter((p) => !stalled.includes(p)).map((p) => (p === 'truncate' ? strongFair({ process: p }) : weakFair({ process: p })));
/** Reclaim alone with the folio: no truncate comes to take it out of the page cache. */
const reclaimAlone = { truncate: false };
/** The same, with no lookups either: the shortest lasso then shows the failure is reclaim's alone. */
const reclaimAloneNoLookups = { truncate: false, lookups: 0 };
/**
 * The safety properties but PrecheckNotFooled, which a pre-check is expected to fail (its failure costs
 * a retry). Variants that change one path check these; the liveness of each scheme is checked in
 * current, P1, P2 and the /Reclaimable variants.
 */
const safety = ['Conservation', 'NoUnprotectedTouch', 'QuiescentExpected', 'LookupGetsItsFolio', 'NoUseAfterFree'];

const current: C = {
  nr: 2,
  lookups: 2,
  scheme: 'current',
  readaheadPuts: true,
  staleNr: [],
  keepAllocRef: false,
  touch: 'none',
  precheck: false,
  cmpxchgFreeze: true,
  reload: true,
  reuse: true,
  truncate: true,
  reclaim: true,
};
const P1: Partial<C> = { scheme: 'P1', readaheadPuts: false };
const P2: Partial<C> = { scheme: 'P2', readaheadPuts: false };

export default defineSpec({
  name: 'pagecache-readahead',
  description: 'Page-cache folio refcount through readahead, truncate, reclaim and lockless lookups.',
  constants: current,
  state,
  assumptions: {
    LookupsWithinBound: (c) => c.lookups >= 0 && c.lookups <= LOOKUPS,
    FolioFitsTheCount: (c) => c.nr >= 1 && c.nr <= 8,
  },
  init: (c) =>
    [false, true].map((usesPrivate) => ({
      ref: 0,
      gen: 0,
      cacheOwns: false,
      inXarray: false,
      onLru: false,
      lock: 'none' as const,
      private: false,
      frozen: false,
      freed: false,
      usesPrivate,
      allocRef: false,
      btrfsRef: false,
      fsRef: false,
      truncateRef: false,
      reclaimRef: false,
      newRef: false,
      lookupRef: Object.fromEntries(Lookup.values.map((l) => [l, false])) as S['lookupRef'],
      raPc: { ra: 'filemap_alloc_folio' as const },
      trPc: { tr: c.truncate ? ('xas_load' as const) : ('Done' as const) },
      rcPc: { rc: c.reclaim ? ('folio_isolate_lru' as const) : ('Done' as const) },
      luPc: Object.fromEntries(Lookup.values.map((l, i) => [l, i < c.lookups ? 'xas_load' : 'Done'])) as S['luPc'],
      alPc: { al: c.reuse ? ('folio_alloc' as const) : ('Done' as const) },
    })),
  actions: { ...readahead, ...truncate, ...reclaim, ...lookup, ...alloc },
  invariants: {
    Conservation: (s, c) =>
      s.ref ===
      (s.cacheOwns ? cacheRefs(c) : 0) +
        Number(s.private) +
        Number(s.allocRef) +
        Number(s.btrfsRef) +
        Number(s.fsRef) +
        Number(s.newRef) +
        transientRefs(s),
    NoUnprotectedTouch: protectedTouches,
    QuiescentExpected: (s, c) =>
      !(s.raPc.ra === 'Done' && s.cacheOwns && transientRefs(s) === 0) || s.ref === cacheRefs(c) + Number(s.private),
    /** A lookup that returns a folio returns this file's folio, not the frame reused for another. */
    LookupGetsItsFolio: (s) => Lookup.values.every((l) => s.luPc[l] !== 'folio_test_uptodate' || s.gen === 0),
  },
  actionProperties: {
    /** A freeze that follows a passed pre-check succeeds: when it fails, the pre-check was fooled and the work is wasted. */
    PrecheckNotFooled: (s, next, c) => !(c.precheck && s.rcPc.rc === 'folio_ref_freeze' && next.rcPc.rc === 'folio_unlock'),
    NoUseAfterFree: (s, next) => !usesFreed(s, next),
  },
  temporal: {
    /** A clean, unmapped, unreferenced cached folio is eventually evicted (by reclaim, or by truncate when it comes). */
    Reclaimable: leadsTo(idleCached, (s) => !s.inXarray),
    /** A lookup spinning on a frozen folio (try-get fails, load again) eventually ends. */
    LookupEnds: forall(Lookup, (l) => leadsTo((s) => s.luPc[l] === 'folio_try_get' && s.frozen, (s) => s.luPc[l] === 'Done' || s.luPc[l] === 'folio_test_uptodate')),
    /** A folio truncate has taken out of the page cache is eventually freed, once its holders drop their references. */
    TruncatedFreed: leadsTo((s) => s.trPc.tr === 'filemap_free_folio', (s) => s.freed || s.gen === 1),
  },
  fairness: fairExcept(),
  // Over when readahead, truncate and the lookups are done; reclaim may never have found the folio,
  // and the frame may never be reused.
  terminal: (s) =>
    s.raPc.ra === 'Done' &&
    s.trPc.tr === 'Done' &&
    (s.rcPc.rc === 'Done' || (s.rcPc.rc === 'folio_isolate_lru' && !s.onLru)) &&
    Lookup.values.every((l) => s.luPc[l] === 'Done'),
  variants: {
    current: {
      description: 'the kernel today: the page cache owns nr references',
      expect: 'holds',
      bounds: { lookups: [1, 2, 3] },
    },
    P1: { description: 'filemap_add_folio adds nr - 1 and readahead_folio stops putting', constants: P1, expect: 'holds' },
    P2: { description: 'the page cache owns a single reference, at every site', constants: P2, expect: 'holds' },
    'P2-half': {
      description: 'P2 with filemap_free_folio still putting nr',
      constants: { ...P2, staleNr: ['filemap_free_folio'] },
      expect: { violates: 'Conservation' },
      finding: {
        kind: 'sequential',
        threads: ['readahead', 'truncate'],
        consequence: 'use-after-free',
        fix: 'P2',
        explain:
          "Under P2 the page cache owns one reference, but filemap_free_folio() still puts folio_nr_pages(): truncate's own reference goes with the cache's, " +
          'the folio is freed while truncate holds it locked, and its folio_unlock() and folio_put() touch freed memory. Readahead and then truncate run straight through: ' +
          'arithmetic, not a race.',
        narrative: ['readahead.folio_unlock', 'truncate.folio_try_get', 'truncate.__filemap_remove_folio', 'truncate.filemap_free_folio'],
      },
      bounds: { nr: [1, 2], lookups: [0, 1, 2] },
    },
    'P2-readahead-put': {
      description: 'P2 with readahead_folio still doing its folio_put',
      constants: { ...P2, readaheadPuts: true },
      expect: { violates: 'Conservation' },
      finding: {
        kind: 'sequential',
        threads: ['readahead'],
        consequence: 'use-after-free',
        fix: 'P2',
        explain:
          "Under P2 filemap_add_folio() adds nothing: the allocation reference becomes the page cache's only one. readahead_folio()'s folio_put() then drops it, " +
          'and the folio is freed while it sits in the page cache, locked for the read.',
        narrative: ['readahead.filemap_add_folio', 'readahead.xas_store', 'readahead.readahead_folio'],
      },
    },
    'P1-half': {
      description: 'P1 with readahead_folio still doing its folio_put',
      constants: { ...P1, readaheadPuts: true },
      expect: { violates: 'Conservation' },
      finding: {
        kind: 'sequential',
        threads: ['readahead'],
        consequence: 'use-after-free',
        fix: 'P1',
        explain:
          "Under P1 filemap_add_folio() adds nr - 1 and keeps the allocation reference as the page cache's nth; readahead_folio()'s folio_put() then takes one the page cache owns. " +
          "The count sits one below the cache's nr, so filemap_free_folio()'s put of nr frees the folio under the truncate that still holds it.",
        narrative: ['readahead.filemap_add_folio', 'readahead.readahead_folio'],
      },
    },
    'P2-freeze-1+nr': {
      description: 'P2 with __remove_mapping still freezing at 1 + nr',
      constants: { ...P2, staleNr: ['folio_ref_freeze'] },
      properties: ['NoUseAfterFree'],
      expect: { violates: 'NoUseAfterFree' },
      finding: {
        kind: 'race',
        threads: ['lookup', 'reclaim'],
        consequence: 'use-after-free',
        fix: 'P2',
        explain:
          "A speculative lookup (filemap_get_entry) holds the reference its folio_try_get took. Under P2 that one, reclaim's and the page cache's single one make 1 + nr at nr = 2, " +
          "so __remove_mapping()'s freeze at 1 + nr succeeds and reclaim frees the folio under the lookup, which then reads it (folio_test_uptodate) after the free.",
        narrative: ['lookup.folio_try_get', 'lookup.xas_reload', 'reclaim.folio_isolate_lru', 'reclaim.folio_ref_freeze', 'reclaim.free_unref_folios', 'lookup.folio_test_uptodate'],
      },
      bounds: { nr: [1, 2, 3, 4, 5] },
    },
    btrfs: {
      description: 'the allocation reference is kept',
      constants: { keepAllocRef: true },
      expect: { violates: 'QuiescentExpected' },
      finding: {
        kind: 'sequential',
        threads: ['readahead'],
        consequence: 'leak',
        fix: 'current',
        explain:
          'btrfs keeps the allocation reference readahead_folio() would have put, so an idle cached folio sits at nr + private + 1, one above the expected count that reclaim, ' +
          'memory failure and migration compare with: it is never reclaimable (btrfs/Reclaimable) and truncate leaves it allocated (btrfs/TruncatedFreed).',
        narrative: ['readahead.readahead_folio', 'readahead.folio_unlock'],
      },
    },
    'btrfs/TruncatedFreed': {
      description: "btrfs's kept reference outlives truncate: the folio is never freed",
      constants: { keepAllocRef: true, lookups: 0 },
      properties: ['TruncatedFreed'],
      expect: { violates: 'TruncatedFreed' },
      finding: {
        kind: 'sequential',
        threads: ['readahead', 'truncate', 'reclaim'],
        consequence: 'leak',
        fix: 'current',
        explain:
          "Truncate removes the folio and filemap_free_folio() puts the cache's nr, but btrfs's kept reference keeps it allocated for good. The lasso: everyone is done " +
          'and reclaim, finding the folio on the LRU but out of the page cache, puts it back again and again.',
        narrative: ['truncate.__filemap_remove_folio', 'truncate.filemap_free_folio', 'truncate.folio_put', 'reclaim.folio_isolate_lru', 'reclaim.folio_unlock'],
      },
    },
    'touch-after-unlock': {
      description: 'the filesystem touches the folio after folio_unlock',
      constants: { touch: 'unlocked' },
      expect: { violates: 'NoUnprotectedTouch' },
      finding: {
        kind: 'sequential',
        threads: ['readahead'],
        consequence: 'use-after-free',
        fix: 'touch-with-ref',
        explain:
          'After readahead_folio() the filesystem owns no reference, only the folio lock; once it unlocks, nothing of its own keeps the folio alive, so a touch then is unprotected. ' +
          'This flags the rule broken; the use after free itself needs reclaim or truncate in between (touch-after-unlock/NoUseAfterFree).',
        narrative: ['readahead.readahead_folio', 'readahead.folio_unlock'],
      },
    },
    'touch-after-unlock/NoUseAfterFree': {
      description: 'the same, checked for the use after free itself',
      constants: { touch: 'unlocked' },
      properties: ['NoUseAfterFree'],
      expect: { violates: 'NoUseAfterFree' },
      finding: {
        kind: 'race',
        threads: ['readahead', 'reclaim'],
        consequence: 'use-after-free',
        fix: 'touch-with-ref',
        explain:
          "Between the filesystem's folio_unlock() and its late touch, reclaim isolates the clean folio, freezes it, removes it from the page cache and frees it; " +
          'the touch reads freed memory. A reference taken before folio_unlock() and put after the touch closes the window.',
        narrative: ['readahead.folio_unlock', 'reclaim.folio_ref_freeze', 'reclaim.free_unref_folios', 'readahead.fs_touch'],
      },
    },
    'touch-after-unlock/NoUseAfterFree-truncate': {
      description: 'the same use after free, with truncate freeing the folio (no reclaim)',
      constants: { touch: 'unlocked', reclaim: false },
      properties: ['NoUseAfterFree'],
      expect: { violates: 'NoUseAfterFree' },
      finding: {
        kind: 'race',
        threads: ['readahead', 'truncate'],
        consequence: 'use-after-free',
        fix: 'touch-with-ref',
        explain:
          "The same window with truncate instead of reclaim: between the filesystem's folio_unlock() and its touch, truncate looks the folio up, locks it, " +
          'removes it, puts the page cache\'s references and its own, and the folio is freed; the touch then reads freed memory.',
        narrative: ['readahead.folio_unlock', 'truncate.folio_lock', 'truncate.filemap_free_folio', 'truncate.folio_put', 'readahead.fs_touch'],
      },
    },
    'touch-with-ref': {
      description: 'the filesystem takes its own reference before folio_unlock and puts it after the touch',
      constants: { touch: 'ref' },
      properties: safety,
      expect: 'holds',
    },
    precheck: {
      description: 'reclaim compares the count with folio_expected_ref_count before its freeze',
      constants: { precheck: true },
      properties: safety,
      expect: 'holds',
    },
    'precheck/PrecheckNotFooled': {
      description: 'the pre-check is stale by the time of the freeze, which fails: the work is wasted',
      constants: { precheck: true },
      properties: ['PrecheckNotFooled'],
      expect: { violates: 'PrecheckNotFooled' },
      finding: {
        kind: 'race',
        threads: ['reclaim', 'lookup'],
        consequence: 'wasted work',
        fix: 'precheck',
        explain:
          "Reclaim's lockless comparison with folio_expected_ref_count() passes, then a speculative folio_try_get raises the count before the freeze. " +
          'folio_ref_freeze() compares again, fails, and the folio goes back on the LRU: the racy check cost a retry, not a corruption (precheck holds every safety property).',
        narrative: ['reclaim.folio_expected_ref_count', 'lookup.folio_try_get', 'reclaim.folio_ref_freeze'],
      },
      bounds: { lookups: [0, 1, 2] },
    },
    'precheck-no-cmpxchg': {
      description: 'the eviction trusts its pre-check and sets the count to 0 instead of freezing it',
      constants: { precheck: true, cmpxchgFreeze: false },
      properties: safety,
      expect: { violates: 'Conservation' },
      finding: {
        kind: 'race',
        threads: ['reclaim', 'lookup'],
        consequence: 'use-after-free',
        fix: 'precheck',
        explain:
          'Trusting the pre-check and setting the count to 0, instead of freezing it with a compare-and-swap, wipes out the reference a lookup took in between: ' +
          "the folio is then freed under the lookup. The freeze's re-validation is what makes the racy check safe.",
        narrative: ['reclaim.folio_expected_ref_count', 'lookup.folio_try_get', 'reclaim.folio_ref_freeze'],
      },
    },
    'no-reload': {
      description: 'a lockless lookup that does not re-check the slot after its try-get',
      constants: { reload: false },
      expect: { violates: 'LookupGetsItsFolio' },
      finding: {
        kind: 'race',
        threads: ['lookup', 'reclaim', 'alloc'],
        consequence: 'wrong answer',
        fix: 'current',
        explain:
          "A lookup loads the slot; reclaim frees the folio and the frame is allocated again as another folio before the lookup's folio_try_get, which succeeds on the new owner's count. " +
          'Without xas_reload the lookup returns that folio for this index: data of another index or file. With it, the lookup sees the slot changed, puts the reference and retries.',
        narrative: ['lookup.xas_load', 'reclaim.free_unref_folios', 'alloc.folio_alloc', 'lookup.folio_try_get', 'lookup.xas_reload'],
      },
      bounds: { reuse: [false, true] },
    },
    'current/Reclaimable': {
      description: 'reclaim alone evicts an idle cached folio',
      constants: reclaimAlone,
      properties: ['Reclaimable'],
      expect: 'holds',
    },
    'P2/Reclaimable': { description: 'the same under P2', constants: { ...P2, ...reclaimAlone }, properties: ['Reclaimable'], expect: 'holds' },
    'btrfs/Reclaimable': {
      description: "btrfs's kept reference: reclaim's freeze never succeeds",
      constants: { keepAllocRef: true, ...reclaimAloneNoLookups },
      properties: ['Reclaimable'],
      expect: { violates: 'Reclaimable' },
      finding: {
        kind: 'sequential',
        threads: ['readahead', 'reclaim'],
        consequence: 'leak',
        fix: 'current/Reclaimable',
        explain:
          "With reclaim's reference an idle btrfs folio counts 2 + nr, and the freeze at 1 + nr never matches: the lasso is reclaim isolating, locking, " +
          'releasing, failing the freeze and putting the folio back, forever. The clean folio is never reclaimed.',
        narrative: ['readahead.readahead_folio', 'reclaim.folio_isolate_lru', 'reclaim.folio_ref_freeze', 'reclaim.folio_unlock'],
      },
    },
    'P2-freeze-1+nr/Reclaimable': {
      description: 'P2 with the freeze at 1 + nr: it never succeeds on an idle folio',
      constants: { ...P2, staleNr: ['folio_ref_freeze'], ...reclaimAloneNoLookups },
      properties: ['Reclaimable'],
      expect: { violates: 'Reclaimable' },
      finding: {
        kind: 'sequential',
        threads: ['readahead', 'reclaim'],
        consequence: 'leak',
        fix: 'P2/Reclaimable',
        explain:
          "Under P2 an idle folio with reclaim's reference counts 2, and the freeze at 1 + nr = 3 never matches: every pass fails and puts the folio back, forever. " +
          'The same stale site that frees a folio under a lookup (P2-freeze-1+nr) makes every idle clean folio unreclaimable, with no other thread.',
        narrative: ['reclaim.folio_isolate_lru', 'reclaim.folio_ref_freeze', 'reclaim.folio_unlock'],
      },
      bounds: { nr: [1, 2] },
    },
    'P2-expected-nr/Reclaimable': {
      description: 'P2 with folio_expected_ref_count still counting nr: the pre-check never passes',
      constants: { ...P2, precheck: true, staleNr: ['folio_expected_ref_count'], ...reclaimAloneNoLookups },
      properties: ['Reclaimable'],
      expect: { violates: 'Reclaimable' },
      finding: {
        kind: 'sequential',
        threads: ['readahead', 'reclaim'],
        consequence: 'leak',
        fix: 'P2-precheck/Reclaimable',
        explain:
          "folio_expected_ref_count() still counts nr for the page cache under P2, so the check count == expected + 1 (mapping_evict_folio's shape; migration and " +
          'can_split_folio compare the same way) never passes and the folio is never evicted, migrated or split. Every site comparing with the expected count changes with P2.',
        narrative: ['reclaim.folio_trylock', 'reclaim.folio_expected_ref_count', 'reclaim.folio_unlock'],
      },
    },
    'P2-precheck/Reclaimable': {
      description: 'P2 with the pre-check at every site: reclaim alone evicts it',
      constants: { ...P2, precheck: true, ...reclaimAlone },
      properties: ['Reclaimable'],
      expect: 'holds',
    },
    'current/reclaim-may-stall': {
      description: 'reclaim may stop for good between its freeze and the removal (the kernel holds the xarray lock with interrupts off there)',
      fairness: fairExcept('reclaim'),
      properties: ['LookupEnds'],
      expect: { violates: 'LookupEnds' },
      finding: {
        kind: 'race',
        threads: ['reclaim', 'lookup'],
        consequence: 'hang',
        fix: 'current',
        explain:
          'If reclaim could stop between its freeze and the removal, a lookup would find the folio in its slot at count 0 forever and spin: xas_load, a failed folio_try_get, again. ' +
          '__remove_mapping() holds the xarray lock with interrupts off from before the freeze until after the removal, which is the fairness LookupEnds rests on (it holds in current).',
        narrative: ['reclaim.folio_ref_freeze', 'lookup.xas_load', 'lookup.folio_try_get', 'lookup.xas_load'],
      },
    },
  },
});
