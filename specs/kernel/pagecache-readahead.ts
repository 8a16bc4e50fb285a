// Page-cache folio refcount during readahead: who owns which reference, and may the arithmetic change?
//
// Protocol (mm/readahead.c, mm/filemap.c, include/linux/pagemap.h). page_cache_ra_unbounded()
// allocates a locked folio (filemap_alloc_folio: count 1) and adds it to the page cache
// (__filemap_add_folio: folio_ref_add(folio, nr), then xas_store under the xarray lock; then
// folio_add_lru). The filesystem's ->readahead() takes it with readahead_folio(), which does a
// folio_put(): from then on the filesystem holds no reference of its own, only the folio lock and the
// page cache's nr references. folio_attach_private() adds one. Truncate (truncate_inode_pages_range:
// find_lock_entries, truncate_cleanup_folio, __filemap_remove_folio, filemap_free_folio =
// folio_put_refs(nr)) and reclaim (shrink_folio_list: isolate with a reference, trylock,
// filemap_release_folio, __remove_mapping = folio_ref_freeze(1 + nr)) rely on that count, as do
// lockless lookups (filemap_get_entry: xas_load, folio_try_get, xas_reload).
// Question (seed 000, Matthew Wilcox, 14 Aug 2024, on btrfs's "expected refcount"): is the
// "expected refcount" nr + private (+ mappings + transient refs) really what every path sees, and are
// his two proposals safe: P1 "filemap_add_folio() increments by one fewer and readahead_folio() no
// longer puts", P2 "the page cache holds a single reference"? Neither has landed; P2 changes every
// site that hard-codes nr, so the spec also checks it half applied.
//
// Steps (one kernel atomic operation each; a step named after the function it stands for):
//   readahead.filemap_alloc_folio     count 1, folio locked (__folio_set_locked: not yet visible)
//   readahead.filemap_add_folio       folio_ref_add(folio, nr) in __filemap_add_folio (P1: nr - 1, P2: 0)
//   readahead.xas_store               the folio enters the xarray; folio_add_lru follows at once (only
//                                     reclaim reads the LRU flag, so the two are one step)
//   readahead.readahead_folio         its folio_put() (P1, P2: no put; btrfs keeps the reference)
//   readahead.folio_attach_private    +1 (only for a filesystem with private data: an initial choice)
//   readahead.folio_unlock            read done (folio_end_read)
//   readahead.fs_touch                a filesystem touching the folio after unlocking it (variant)
//   truncate.xas_load / folio_try_get / xas_reload   find_lock_entries' lockless lookup
//   truncate.folio_lock, truncate_cleanup_folio (folio_detach_private: -1), __filemap_remove_folio
//     (xarray store of NULL), filemap_free_folio (folio_put_refs(nr)), folio_unlock, folio_put
//   reclaim.folio_isolate_lru         folio_try_get + clearing the LRU flag (isolate_lru_folios)
//   reclaim.folio_trylock, filemap_release_folio (-1 private), folio_ref_freeze (the cmpxchg in
//     __remove_mapping), __filemap_remove_folio, folio_unlock, then free_unref_folios or folio_putback_lru
//   lookup.xas_load / folio_try_get / xas_reload / folio_test_uptodate / folio_put   filemap_get_folio()
//
// Properties. Conservation: the count equals the references the threads believe they own: the page
// cache's (NRc = nr, or 1 under P2, from filemap_add_folio until filemap_free_folio or a successful
// freeze), the private reference, the readahead's allocation reference until it is put or donated to
// the page cache (P1, P2), btrfs's kept reference, and the transient ones (truncate, reclaim,
// lookups). Every step updates the count and the owner's bookkeeping together, so no state is half
// done and the property is checked everywhere. NoUnprotectedTouch: a thread about to touch the folio
// (at a step that reads or writes it, other than the speculative try-get) holds a reference, or holds
// the lock while the page cache owns the folio, and the folio is not freed. QuiescentExpected: once
// readahead is done, with no transient holder and the folio still in the page cache, the count is
// NRc + private: Willy's expected refcount.
//
// Bounds: one folio of nr = 2 pages; one readahead, one truncate, one reclaim thread and 2 lockless
// lookups (interchangeable: a scalarset); no page-table mappings (each adds 1 to count and expected
// alike); the folio is not reused after it is freed.
//
// Verdicts (trace lengths count states, the initial state included; steps are one fewer): current,
// P1 and P2 hold. P2 half applied (filemap_free_folio still puts nr) breaks Conservation when
// truncate's filemap_free_folio frees the folio while truncate still holds its own reference (12
// states: readahead's 5 steps, truncate's 3-step lookup, folio_lock, __filemap_remove_folio,
// filemap_free_folio). P2 with readahead_folio still putting frees the cached, locked folio (5 states:
// alloc, add, xas_store, readahead_folio); P1 half applied (adds nr - 1, still puts) likewise drops a
// reference the page cache was given (5 states). P2 with reclaim still freezing at 1 + nr freezes a
// folio truncate's lookup holds (12 states). btrfs's kept allocation reference leaves the quiescent
// count one too high (6 states); a filesystem touching the folio after folio_unlock is unprotected at
// once (6 states). Compared with kernel-models.md's hand counts: "about 9" for P2 half applied and
// "about 3" for the put mismatches count the lookup and filemap_add_folio + xas_store as fewer steps
// than the kernel's atomic operations do here; "about 4" for btrfs leaves out readahead_folio. The use
// after free that follows the unprotected touch (once truncate frees the folio) is not a separate
// property: the touch is already the bug.
import { bool, defineSpec, enumOf, int, mapOf, scalarset, type InferShape } from '../../src/index.ts';
import { process } from '../../src/process.ts';

const NR = 2;
const Readahead = scalarset('readahead', ['ra']);
const Truncate = scalarset('truncate', ['tr']);
const Reclaim = scalarset('reclaim', ['rc']);
/** The bound on lockless lookups: widen it here (the README's bounds section gives the cost). */
const LOOKUPS = 2;
const Lookup = scalarset('lookup', LOOKUPS);

const raSteps = ['filemap_alloc_folio', 'filemap_add_folio', 'xas_store', 'readahead_folio', 'folio_attach_private', 'folio_unlock', 'fs_touch', 'Done'] as const;
const trSteps = ['xas_load', 'folio_try_get', 'xas_reload', 'folio_lock', 'truncate_cleanup_folio', '__filemap_remove_folio', 'filemap_free_folio', 'folio_unlock', 'folio_put', 'Done'] as const;
const rcSteps = ['folio_isolate_lru', 'folio_trylock', 'filemap_release_folio', 'folio_ref_freeze', '__filemap_remove_folio', 'folio_unlock', 'free_unref_folios', 'folio_putback_lru', 'Done'] as const;
const luSteps = ['xas_load', 'folio_try_get', 'xas_reload', 'folio_test_uptodate', 'folio_put', 'Done'] as const;

const state = {
  /** The folio's _refcount; -1 is representable so an underflow shows as a Conservation failure. */
  ref: int(-1, 9),
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
  /** The readahead path's allocation reference, and btrfs's kept one. */
  allocRef: bool(),
  btrfsRef: bool(),
  truncateRef: bool(),
  reclaimRef: bool(),
  lookupRef: mapOf(Lookup, bool()),
  raPc: mapOf(Readahead, enumOf(...raSteps)),
  trPc: mapOf(Truncate, enumOf(...trSteps)),
  rcPc: mapOf(Reclaim, enumOf(...rcSteps)),
  luPc: mapOf(Lookup, enumOf(...luSteps)),
};
type S = InferShape<typeof state>;
type C = {
  /** References the page cache owns: nr, or 1 under P2. */
  cacheRefs: number;
  /** What filemap_add_folio adds: nr today, nr - 1 under P1, 0 under P2. */
  addRefs: number;
  /** Whether readahead_folio() does a folio_put(). */
  readaheadPuts: boolean;
  /** What filemap_free_folio() puts. */
  freeRefs: number;
  /** The count __remove_mapping() freezes at: 1 (reclaim's own) + the page cache's. */
  freezeAt: number;
  /** btrfs: the allocation reference is never put. */
  keepAllocRef: boolean;
  touchAfterUnlock: boolean;
};

/** filemap_add_folio() takes the allocation reference as one of the page cache's (P1, P2). */
const donates = (c: C) => c.addRefs === c.cacheRefs - 1;

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
        s.ref += c.addRefs;
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
        return s.usesPrivate ? 'folio_attach_private' : 'folio_unlock';
      },
    },
    folio_attach_private: { do: (s) => { s.ref += 1; s.private = true; } },
    folio_unlock: { do: (s, _t, c) => { s.lock = 'none'; return c.touchAfterUnlock ? 'fs_touch' : 'Done'; } },
    fs_touch: { next: 'Done' },
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
    xas_reload: { do: (s) => (s.inXarray ? 'folio_lock' : 'folio_put') },
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
    filemap_free_folio: { do: (s, _t, c) => { s.cacheOwns = false; put(s, c.freeRefs); } },
    folio_unlock: { do: (s) => { s.lock = 'none'; } },
    folio_put: { do: (s) => { s.truncateRef = false; put(s); } },
  },
});

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
      do: (s) => {
        if (s.lock !== 'none') return 'folio_putback_lru';
        s.lock = 'reclaim';
      },
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
        if (s.ref !== c.freezeAt) return 'folio_unlock';
        s.ref = 0;
        s.frozen = true;
        s.reclaimRef = false;
        s.cacheOwns = false;
      },
    },
    __filemap_remove_folio: { do: (s) => { s.inXarray = false; } },
    folio_unlock: { do: (s) => { s.lock = 'none'; return s.frozen ? 'free_unref_folios' : 'folio_putback_lru'; } },
    free_unref_folios: { do: (s) => { s.frozen = false; s.freed = true; }, next: 'Done' },
    folio_putback_lru: { do: (s) => { s.reclaimRef = false; s.onLru = true; put(s); }, next: 'Done' },
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
    xas_reload: { do: (s) => (s.inXarray ? 'folio_test_uptodate' : 'folio_put') },
    folio_test_uptodate: {},
    folio_put: { do: (s, l) => { s.lookupRef[l] = false; put(s); } },
  },
});

const transientRefs = (s: Readonly<S>) =>
  Number(s.truncateRef) + Number(s.reclaimRef) + Lookup.values.filter((l) => s.lookupRef[l]).length;

/** Steps that read or write the folio itself (the speculative try-get and xarray accesses excepted). */
const touches = {
  readahead: new Set<string>(['filemap_add_folio', 'readahead_folio', 'folio_attach_private', 'folio_unlock', 'fs_touch']),
  truncate: new Set<string>(['folio_lock', 'truncate_cleanup_folio', '__filemap_remove_folio', 'filemap_free_folio', 'folio_unlock', 'folio_put']),
  reclaim: new Set<string>(['folio_trylock', 'filemap_release_folio', 'folio_ref_freeze', '__filemap_remove_folio', 'folio_unlock', 'free_unref_folios', 'folio_putback_lru']),
  lookup: new Set<string>(['folio_test_uptodate', 'folio_put']),
};

const protectedTouches = (s: Readonly<S>) => {
  const underLock = (who: S['lock']) => s.lock === who && s.cacheOwns;
  const ok = (at: string, kind: keyof typeof touches, safe: boolean) => !touches[kind].has(at) || (!s.freed && safe);
  return (
    ok(s.raPc.ra, 'readahead', s.allocRef || underLock('readahead')) &&
    ok(s.trPc.tr, 'truncate', s.truncateRef || underLock('truncate')) &&
    ok(s.rcPc.rc, 'reclaim', s.reclaimRef || s.frozen || underLock('reclaim')) &&
    Lookup.values.every((l) => ok(s.luPc[l], 'lookup', s.lookupRef[l]))
  );
};

const current: C = { cacheRefs: NR, addRefs: NR, readaheadPuts: true, freeRefs: NR, freezeAt: 1 + NR, keepAllocRef: false, touchAfterUnlock: false };
const P1: Partial<C> = { addRefs: NR - 1, readaheadPuts: false };
const P2: Partial<C> = { cacheRefs: 1, addRefs: 0, readaheadPuts: false, freeRefs: 1, freezeAt: 2 };

export default defineSpec({
  name: 'pagecache-readahead',
  description: 'Page-cache folio refcount through readahead, truncate, reclaim and lockless lookups.',
  constants: current,
  state,
  init: [false, true].map((usesPrivate) => ({
    ref: 0,
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
    truncateRef: false,
    reclaimRef: false,
    lookupRef: Object.fromEntries(Lookup.values.map((l) => [l, false])),
    raPc: { ra: 'filemap_alloc_folio' as const },
    trPc: { tr: 'xas_load' as const },
    rcPc: { rc: 'folio_isolate_lru' as const },
    luPc: Object.fromEntries(Lookup.values.map((l) => [l, 'xas_load' as const])),
  })),
  actions: { ...readahead, ...truncate, ...reclaim, ...lookup },
  invariants: {
    Conservation: (s, c) =>
      s.ref ===
      (s.cacheOwns ? c.cacheRefs : 0) + Number(s.private) + Number(s.allocRef) + Number(s.btrfsRef) + transientRefs(s),
    NoUnprotectedTouch: protectedTouches,
    QuiescentExpected: (s, c) =>
      !(s.raPc.ra === 'Done' && s.cacheOwns && transientRefs(s) === 0) || s.ref === c.cacheRefs + Number(s.private),
  },
  // Over when readahead, truncate and the lookups are done; reclaim may never have found the folio.
  terminal: (s) =>
    s.raPc.ra === 'Done' &&
    s.trPc.tr === 'Done' &&
    (s.rcPc.rc === 'Done' || (s.rcPc.rc === 'folio_isolate_lru' && !s.onLru)) &&
    Lookup.values.every((l) => s.luPc[l] === 'Done'),
  variants: {
    current: { description: 'the kernel today: the page cache owns nr references', expect: 'holds' },
    P1: { description: 'filemap_add_folio adds nr - 1 and readahead_folio stops putting', constants: P1, expect: 'holds' },
    P2: { description: 'the page cache owns a single reference, at every site', constants: P2, expect: 'holds' },
    'P2-half': {
      description: 'P2 with filemap_free_folio still putting nr',
      constants: { ...P2, freeRefs: NR },
      expect: { violates: 'Conservation' },
    },
    'P2-readahead-put': {
      description: 'P2 with readahead_folio still doing its folio_put',
      constants: { ...P2, readaheadPuts: true },
      expect: { violates: 'Conservation' },
    },
    'P1-half': {
      description: 'P1 with readahead_folio still doing its folio_put',
      constants: { ...P1, readaheadPuts: true },
      expect: { violates: 'Conservation' },
    },
    'P2-freeze-1+nr': {
      description: 'P2 with __remove_mapping still freezing at 1 + nr',
      constants: { ...P2, freezeAt: 1 + NR },
      expect: { violates: 'Conservation' },
    },
    btrfs: { description: 'the allocation reference is kept', constants: { keepAllocRef: true }, expect: { violates: 'QuiescentExpected' } },
    'touch-after-unlock': {
      description: 'the filesystem touches the folio after folio_unlock',
      constants: { touchAfterUnlock: true },
      expect: { violates: 'NoUnprotectedTouch' },
    },
  },
});
