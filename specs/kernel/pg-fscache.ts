// PG_fscache (PG_private_2): must a page whose bit is set hold a reference of its own?
//
// Protocol. After a read from the server, netfs sets PG_fscache on the page while it writes the data
// to the local cache; the completion clears the bit and wakes waiters (folio_end_private_2, once
// end_page_fscache). Readahead holds no page reference, only the page lock (seed 001, David Howells).
// Waiters sleep on a hashed wait queue keyed by (page, bit), so a wake-up reaches whoever waits on that
// frame and bit, whatever use of the frame it is; the wake-up also writes the page's flags
// (PG_waiters). The writeback precedent, commit 073861ed77b6 "mm: fix VM_BUG_ON(PageTail) and
// BUG_ON(PageWriteback)": end_page_writeback held no reference, truncate freed the page between the
// clear and the wake, the frame was reused, and the late wake-up hit the new page. Its fix, still the
// shape of folio_end_writeback: get; clear; wake; put.
// Question (Linus Torvalds, seed 001): "if the bit is set the page has to have a reference", because
// the rest of the VM will not special-case the bit the way it waits for writeback. Which lifetime
// rules are safe?
//   V0  no reference: clear; wake                                   (the old fscache)
//   V1  the completion takes its own: get; clear; wake; put          (the writeback fix, copied)
//   V2  the setter takes it: get + set ... clear; wake; put          (folio_start_private_2 /
//                                                                    folio_end_private_2, what netfs did)
//   V3  wrong order: get + set ... clear; put; wake
// each with truncate waiting on the bit (folio_wait_private_2, as netfs's invalidate_folio and
// release_folio do) and without it (the VM behaviour Linus said fscache cannot rely on).
//
// Steps (one kernel atomic operation each):
//   reader.folio_get, reader.folio_set_private_2, reader.folio_unlock   the read path (get: V2, V3)
//   completion.folio_get (V1), folio_clear_private_2, folio_wake_bit, folio_put   the cache-write end
//   truncate.xas_load / folio_try_get / xas_reload   the lockless lookup in find_lock_entries
//   truncate.folio_lock (and the folio->mapping check), folio_wait_private_2 (when truncate waits),
//     __filemap_remove_folio, filemap_free_folio (the page cache's reference), folio_unlock, folio_put
//   newuser.alloc_page, folio_set_private_2, folio_wait_bit (queue, then test the bit), io_schedule
//     (returns once woken: since 2a9127fcf229 a woken waiter does not re-test the bit)
//   newio.folio_end_private_2   the new user's own I/O completes: clear its bit, wake the waiters
//
// Properties: the failures a kernel sees (the headline variants check these three). F0 FreedBitClear:
// the frame is never freed with PG_private_2 set (the write to the cache still reads the page; the
// page allocator checks the flag at free and reports a bad page). The model keeps the flag on the
// frame across the free, so the next user of the frame starts with the bit set and what the old
// completion then does to it stays visible. F1 NoStaleWake: the completion never gets, clears, wakes
// or puts a freed frame or a frame of another generation (a monitor: the offending step records it).
// F2 WokenBitClear: a woken waiter finds its bit clear (the new user records a wake-up that returns
// with its bit set). And a check of a rule, not of a failure: BitHoldsRef, Linus's rule literally,
// while the bit is set a reference owned by it is held (the setter's or the completion's; the new
// user's bit is covered by its allocation reference); only the variants named /rule check it alone.
// Temporal properties, under weak fairness of every thread: WaiterWoken, a waiter on the bit is
// eventually woken; TruncateProceeds, a truncate waiting on the bit (folio_wait_private_2) eventually
// goes on. They hold wherever the safety properties do; they rest on the fairness of the I/O
// completions, which the variants /write-may-hang and /io-may-hang drop (a cache write or the new
// user's I/O that never completes), and then fail.
//
// Bounds: one page frame; `reuses` (0 or 1) new users of it once freed (generation 1); one reader,
// one completion, `truncates` truncating threads (2; up to TRUNCATES = 3, interchangeable: a
// scalarset) and the page cache's one reference (nr = 1). Variants re-check their verdict at
// truncates = 1, 2, 3 and reuses = 0, 1 (specs/README.md, "Bounds"): the state space grows with each,
// the verdicts and trace lengths stay, except that F2 needs the reuse (it holds at reuses = 0).
//
// Verdicts (trace lengths count states, the initial state included; steps are one fewer). V2 holds
// everything, with or without truncate waiting. V1 holds F0, F1, F2 and the liveness properties
// while truncate waits (the folio_end_writeback shape is safe where the VM waits). Without the wait,
// V0 and V1 free the page with the bit set (F0, 11 states: the reader sets the bit and unlocks, then
// one truncate runs straight through; sequential), and V1's folio_get then lands on the freed page
// (F1, /F1+F2: 12 states). With the wait, V0's wake-up comes after truncate freed the page (F1, 14
// states: a race between the completion's clear and wake) and reaches the next user's waiter, which
// returns with its bit set (F2, /F2: 18 states). V3 puts before it wakes: F1 in 16 states with truncate
// waiting (truncate runs between the put and the wake: a race) and 15 without (truncate first, then the
// completion's own put frees the page and its wake-up follows: sequential), F2 in 20. The rule trips
// at the first folio_set_private_2 of V0 and V1 (2 states; the model starts after the read, with the
// page locked in the cache). kernel-models.md's hand counts (about 11, 13, 16, 14, 17 steps) differ
// by step granularity: the lookup is three steps here, the setter's get and set are two, and the new
// user's wait is queue-then-sleep.
import { bool, defineSpec, enumOf, forall, int, leadsTo, mapOf, scalarset, weakFair, type InferShape } from '../../src/index.ts';
import { process } from '../../src/process.ts';

const Reader = scalarset('reader', ['rd']);
const Completion = scalarset('completion', ['cw']);
/** The most truncating threads a variant may set to work (`truncates`); the rest have nothing to do. */
const TRUNCATES = 3;
const Truncate = scalarset('truncate', TRUNCATES);
const NewUser = scalarset('newuser', ['nu']);
const NewIo = scalarset('newio', ['io']);

const state = {
  ref: int(-1, 5),
  /** Which use of the frame is live: 0 the cached page, 1 the new user's page; and whether it is free. */
  gen: int(0, 1),
  frameFree: bool(),
  inCache: bool(),
  locked: bool(),
  /** PG_private_2 on the frame; whether a reference owned by it (setter's or completion's) is held. */
  bit: bool(),
  bitRef: bool(),
  /** The new user set the bit and covers it with its allocation reference. */
  newUserBit: bool(),
  waiting: bool(),
  woken: bool(),
  /** Monitors for F0, F1 and F2. */
  freedWithBit: bool(),
  staleTouch: bool(),
  wokenWithBitSet: bool(),
  truncateRef: mapOf(Truncate, bool()),
  rdPc: mapOf(Reader, enumOf('folio_get', 'folio_set_private_2', 'folio_unlock', 'Done')),
  cwPc: mapOf(Completion, enumOf('folio_get', 'folio_clear_private_2', 'folio_wake_bit', 'folio_put', 'Done')),
  trPc: mapOf(
    Truncate,
    enumOf('xas_load', 'folio_try_get', 'xas_reload', 'folio_lock', 'folio_wait_private_2', '__filemap_remove_folio', 'filemap_free_folio', 'folio_unlock', 'folio_put', 'Done'),
  ),
  nuPc: mapOf(NewUser, enumOf('alloc_page', 'folio_set_private_2', 'folio_wait_bit', 'io_schedule', 'Done')),
  ioPc: mapOf(NewIo, enumOf('folio_end_private_2', 'Done')),
};
type S = InferShape<typeof state>;
type C = {
  scheme: 'V0' | 'V1' | 'V2' | 'V3';
  truncateWaits: boolean;
  /** Truncating threads at work (at most TRUNCATES). */
  truncates: number;
  /** Reuses of the frame: 1, a new user allocates it once freed; 0, nobody does. */
  reuses: number;
};

/** The setter takes the bit's reference in V2 and V3. */
const setterRef = (c: C) => c.scheme === 'V2' || c.scheme === 'V3';

/**
 * The last put frees the frame. The model keeps the frame's flags across the free, so a frame freed
 * with the bit set is reused with it; the kernel's allocator checks PG_private_2 at free and reports
 * a bad page, which is what F0 stands for.
 */
const put = (s: S) => {
  s.ref -= 1;
  if (s.ref === 0) {
    s.frameFree = true;
    if (s.bit) s.freedWithBit = true;
  }
};

/** A completion step on the frame: it must still be generation 0's live page. */
const completionTouch = (s: S) => {
  if (s.frameFree || s.gen !== 0) s.staleTouch = true;
};

const reader = process<S, C>()('reader', Reader, {
  pc: 'rdPc',
  steps: {
    folio_get: { do: (s) => { s.ref += 1; s.bitRef = true; } },
    folio_set_private_2: { do: (s) => { s.bit = true; } },
    folio_unlock: { do: (s) => { s.locked = false; } },
  },
});

const completion = process<S, C>()('completion', Completion, {
  pc: 'cwPc',
  steps: {
    folio_get: {
      // The cache write is under way once the reader has set the bit.
      when: (s) => s.rdPc.rd === 'folio_unlock' || s.rdPc.rd === 'Done',
      do: (s) => { completionTouch(s); s.ref += 1; s.bitRef = true; },
    },
    folio_clear_private_2: {
      when: (s) => s.rdPc.rd === 'folio_unlock' || s.rdPc.rd === 'Done',
      do: (s, _t, c) => {
        completionTouch(s);
        s.bit = false;
        return c.scheme === 'V3' ? 'folio_put' : 'folio_wake_bit';
      },
    },
    folio_wake_bit: {
      do: (s, _t, c) => {
        completionTouch(s);
        if (s.waiting) {
          s.waiting = false;
          s.woken = true;
        }
        return c.scheme === 'V0' || c.scheme === 'V3' ? 'Done' : 'folio_put';
      },
    },
    folio_put: {
      do: (s, _t, c) => {
        completionTouch(s);
        s.bitRef = false;
        put(s);
        return c.scheme === 'V3' ? 'folio_wake_bit' : 'Done';
      },
    },
  },
});

const truncate = process<S, C>()('truncate', Truncate, {
  pc: 'trPc',
  steps: {
    xas_load: { do: (s) => (s.inCache ? 'folio_try_get' : 'Done') },
    folio_try_get: {
      do: (s, t) => {
        if (s.ref === 0) return 'xas_load';
        s.ref += 1;
        s.truncateRef[t] = true;
      },
    },
    // The slot still holds this frame only while generation 0's page is cached.
    xas_reload: { do: (s) => (s.inCache && s.gen === 0 ? 'folio_lock' : 'folio_put') },
    folio_lock: {
      when: (s) => !s.locked,
      do: (s, _t, c) => {
        s.locked = true;
        if (!s.inCache) return 'folio_unlock'; // the other truncate removed it
        return c.truncateWaits ? 'folio_wait_private_2' : '__filemap_remove_folio';
      },
    },
    folio_wait_private_2: { when: (s) => !s.bit },
    __filemap_remove_folio: { do: (s) => { s.inCache = false; } },
    filemap_free_folio: { do: (s) => put(s) },
    folio_unlock: { do: (s) => { s.locked = false; } },
    folio_put: { do: (s, t) => { s.truncateRef[t] = false; put(s); } },
  },
});

const newUser = process<S, C>()('newuser', NewUser, {
  pc: 'nuPc',
  steps: {
    alloc_page: {
      when: (s, _u, c) => s.frameFree && c.reuses > 0,
      do: (s) => { s.frameFree = false; s.gen = 1; s.ref = 1; },
    },
    folio_set_private_2: { do: (s) => { s.bit = true; s.newUserBit = true; } },
    folio_wait_bit: {
      do: (s) => {
        if (!s.bit) return 'Done';
        s.waiting = true;
      },
    },
    io_schedule: {
      when: (s) => s.woken,
      do: (s) => {
        if (s.bit) s.wokenWithBitSet = true;
      },
    },
  },
});

/** The new user's own I/O: it ends by clearing the new user's bit and waking the frame's waiters. */
const newIo = process<S, C>()('newio', NewIo, {
  pc: 'ioPc',
  steps: {
    folio_end_private_2: {
      when: (s) => s.newUserBit,
      do: (s) => {
        s.bit = false;
        s.newUserBit = false;
        if (s.waiting) {
          s.waiting = false;
          s.woken = true;
        }
      },
    },
  },
});

/** The failures a kernel sees (F0, F1, F2), without Linus's rule. */
const FAILURES = ['FreedBitClear', 'NoStaleWake', 'WokenBitClear'];
const LIVENESS = ['WaiterWoken', 'TruncateProceeds'];

const everyThread = ['reader', 'completion', 'truncate', 'newuser', 'newio'];
const fairExcept = (...hung: string[]) => everyThread.filter((p) => !hung.includes(p)).map((p) => weakFair({ process: p }));

export default defineSpec({
  name: 'pg-fscache',
  description: 'PG_fscache lifetime: a reference while the bit is set, and no wake-up on a freed or reused frame.',
  constants: { scheme: 'V0', truncateWaits: true, truncates: 2, reuses: 1 } as C,
  state,
  init: (c): S => ({
    ref: 1,
    gen: 0,
    frameFree: false,
    inCache: true,
    locked: true,
    bit: false,
    bitRef: false,
    newUserBit: false,
    waiting: false,
    woken: false,
    freedWithBit: false,
    staleTouch: false,
    wokenWithBitSet: false,
    truncateRef: Object.fromEntries(Truncate.values.map((t) => [t, false])),
    rdPc: { rd: setterRef(c) ? 'folio_get' : 'folio_set_private_2' },
    cwPc: { cw: c.scheme === 'V1' ? 'folio_get' : 'folio_clear_private_2' },
    trPc: Object.fromEntries(Truncate.values.map((t, i) => [t, i < c.truncates ? ('xas_load' as const) : ('Done' as const)])),
    nuPc: { nu: 'alloc_page' },
    ioPc: { io: 'folio_end_private_2' },
  }),
  actions: { ...reader, ...completion, ...truncate, ...newUser, ...newIo },
  invariants: {
    /** F0: a frame is never freed with PG_private_2 set (the cache write still reads the page). */
    FreedBitClear: (s) => !s.freedWithBit,
    NoStaleWake: (s) => !s.staleTouch,
    WokenBitClear: (s) => !s.wokenWithBitSet,
    /** Linus's rule, literally: a check of the rule, not of a failure. */
    BitHoldsRef: (s) => !s.bit || s.bitRef || s.newUserBit,
  },
  temporal: {
    WaiterWoken: leadsTo((s) => s.waiting, (s) => s.woken),
    TruncateProceeds: forall(Truncate, (t) => leadsTo((s) => s.trPc[t] === 'folio_wait_private_2', (s) => s.trPc[t] !== 'folio_wait_private_2')),
  },
  fairness: fairExcept(),
  // Over when the old page's threads are done; the new user may wait for a frame forever.
  terminal: (s) =>
    s.rdPc.rd === 'Done' && s.cwPc.cw === 'Done' && Truncate.values.every((t) => s.trPc[t] === 'Done'),
  variants: {
    'V0-wait': {
      properties: FAILURES,
      expect: { violates: 'NoStaleWake' },
      finding: {
        kind: 'race',
        threads: ['completion', 'truncate'],
        consequence: 'use-after-free',
        fix: 'V1-wait',
        explain:
          'The completion clears PG_private_2 holding no reference; truncate, waiting on the bit, then removes the page and drops the last reference between the clear and the wake-up, so folio_wake_bit() writes the flags of a freed page: the late wake-up of 073861ed77b6, which met a page already reused as a tail page. Taking a reference around clear and wake (V1, the folio_end_writeback() shape) closes it.',
        narrative: ['completion.folio_clear_private_2', 'truncate.folio_wait_private_2', 'truncate.folio_put', 'completion.folio_wake_bit'],
      },
      bounds: { truncates: [1, 2, 3] },
    },
    'V0-nowait': {
      constants: { truncateWaits: false },
      properties: FAILURES,
      expect: { violates: 'FreedBitClear' },
      finding: {
        kind: 'sequential',
        threads: ['reader', 'truncate'],
        consequence: 'use-after-free',
        fix: 'V2-nowait',
        explain:
          'Nothing holds a reference for the bit and truncate does not wait on it: truncate removes the page and drops the last reference while the write to the cache still reads it, and the page is freed with PG_private_2 set (the page allocator reports that as a bad page). Taking a reference when the bit is set (V2) keeps the page until the completion.',
        narrative: ['reader.folio_set_private_2', 'truncate.__filemap_remove_folio', 'truncate.filemap_free_folio', 'truncate.folio_put'],
      },
      bounds: { truncates: [1, 2, 3] },
    },
    'V1-wait': {
      constants: { scheme: 'V1' },
      properties: [...FAILURES, ...LIVENESS],
      expect: 'holds',
      bounds: { truncates: [1, 2, 3], reuses: [0, 1] },
    },
    'V1-nowait': {
      constants: { scheme: 'V1', truncateWaits: false },
      properties: FAILURES,
      expect: { violates: 'FreedBitClear' },
      finding: {
        kind: 'sequential',
        threads: ['reader', 'truncate'],
        consequence: 'use-after-free',
        fix: 'V2-nowait',
        explain:
          "V1 takes its reference only when the cache write completes; a truncate that does not wait on the bit frees the page before that folio_get(), while the write still reads it. The folio_end_writeback() shape is safe only because the VM waits on PG_writeback; it does not wait on PG_private_2, so the reference must come with the bit (V2).",
        narrative: ['reader.folio_set_private_2', 'truncate.folio_lock', 'truncate.folio_put'],
      },
      bounds: { truncates: [1, 2, 3] },
    },
    'V2-wait': { constants: { scheme: 'V2' }, expect: 'holds', bounds: { truncates: [1, 2, 3], reuses: [0, 1] } },
    'V2-nowait': { constants: { scheme: 'V2', truncateWaits: false }, expect: 'holds', bounds: { truncates: [1, 2, 3], reuses: [0, 1] } },
    'V3-wait': {
      constants: { scheme: 'V3' },
      properties: FAILURES,
      expect: { violates: 'NoStaleWake' },
      finding: {
        kind: 'race',
        threads: ['completion', 'truncate'],
        consequence: 'use-after-free',
        fix: 'V2-wait',
        explain:
          "The completion drops the setter's reference before it wakes: truncate, waiting correctly on the bit, runs between folio_put() and folio_wake_bit() and drops the last references, so the wake-up writes a freed page's flags. Swapping put and wake (V2) closes it.",
        narrative: ['completion.folio_clear_private_2', 'completion.folio_put', 'truncate.folio_wait_private_2', 'truncate.folio_put', 'completion.folio_wake_bit'],
      },
      bounds: { truncates: [1, 2, 3] },
    },
    'V3-nowait': {
      constants: { scheme: 'V3', truncateWaits: false },
      properties: FAILURES,
      expect: { violates: 'NoStaleWake' },
      finding: {
        kind: 'sequential',
        threads: ['truncate', 'completion'],
        consequence: 'use-after-free',
        fix: 'V2-nowait',
        explain:
          "Truncate, not waiting, removes the page and drops its references while the setter's keeps the page alive; the completion's own folio_put() is then the last and its folio_wake_bit() runs on the page it has just freed. No interleaving is needed: put before wake is wrong on its own once the page has left the cache.",
        narrative: ['truncate.folio_put', 'completion.folio_clear_private_2', 'completion.folio_put', 'completion.folio_wake_bit'],
      },
      bounds: { truncates: [1, 2, 3] },
    },
    'V0-wait/F2': {
      properties: ['WokenBitClear'],
      expect: { violates: 'WokenBitClear' },
      finding: {
        kind: 'race',
        threads: ['completion', 'truncate', 'newuser'],
        consequence: 'corruption',
        fix: 'V1-wait',
        explain:
          "V0-wait's late wake-up reaches the frame's next user, which has set its own PG_private_2 and sleeps on it: woken, it returns from the wait without re-testing the bit (since 2a9127fcf229) and carries on as if its I/O were done while that I/O still uses the page.",
        narrative: ['completion.folio_clear_private_2', 'truncate.folio_put', 'newuser.alloc_page', 'newuser.folio_wait_bit', 'completion.folio_wake_bit', 'newuser.io_schedule'],
      },
      bounds: { reuses: [0, 1] },
    },
    'V1-nowait/F1+F2': {
      constants: { scheme: 'V1', truncateWaits: false },
      properties: ['NoStaleWake', 'WokenBitClear'],
      expect: { violates: 'NoStaleWake' },
      finding: {
        kind: 'sequential',
        threads: ['truncate', 'completion'],
        consequence: 'use-after-free',
        fix: 'V2-nowait',
        explain:
          "Past V1-nowait's free, the completion's folio_get() takes a free page's count from 0 to 1: a reference on a page the allocator owns, and the clear and wake that follow write its flags.",
        narrative: ['truncate.folio_put', 'completion.folio_get'],
      },
      bounds: { truncates: [1, 2, 3] },
    },
    'V3-wait/F2': {
      constants: { scheme: 'V3' },
      properties: ['WokenBitClear'],
      expect: { violates: 'WokenBitClear' },
      finding: {
        kind: 'race',
        threads: ['completion', 'truncate', 'newuser'],
        consequence: 'corruption',
        fix: 'V2-wait',
        explain:
          "V3-wait's late wake-up reaches the frame's next user sleeping on its own bit; it returns with the bit still set, as if its I/O were done.",
        narrative: ['completion.folio_put', 'truncate.folio_put', 'newuser.folio_wait_bit', 'completion.folio_wake_bit', 'newuser.io_schedule'],
      },
      bounds: { reuses: [0, 1] },
    },
    'V0/rule': {
      description: "Linus's rule checked literally: it trips at the first set, a rule and not a race",
      properties: ['BitHoldsRef'],
      expect: { violates: 'BitHoldsRef' },
      finding: {
        kind: 'sequential',
        threads: ['reader'],
        consequence: 'use-after-free',
        fix: 'V2-wait',
        explain:
          'A check of the rule, not a race: the bit is set with no reference of its own, so the rule trips at the first folio_set_private_2(). The use-after-free it guards against is V0-wait (a stale wake-up) and V0-nowait (the page freed under the cache write).',
        narrative: ['reader.folio_set_private_2'],
      },
    },
    'V1/rule': {
      description: "Linus's rule checked literally: V1 breaks it, yet is safe while truncate waits (V1-wait)",
      constants: { scheme: 'V1' },
      properties: ['BitHoldsRef'],
      expect: { violates: 'BitHoldsRef' },
      finding: {
        kind: 'sequential',
        threads: ['reader'],
        consequence: 'use-after-free',
        fix: 'V2-wait',
        explain:
          "A check of the rule, not a race: V1's reference comes only at completion, so the rule trips at the first folio_set_private_2(). V1 is nevertheless safe while truncate waits on the bit (V1-wait holds); the use-after-free comes when it does not (V1-nowait), which is why the rule is needed for a bit the VM does not wait on.",
        narrative: ['reader.folio_set_private_2'],
      },
    },
    'V2-wait/write-may-hang': {
      description: 'V2 where the cache write may never complete: truncate waits on the bit forever',
      constants: { scheme: 'V2', truncates: 1 },
      fairness: fairExcept('completion'),
      properties: ['TruncateProceeds'],
      expect: { violates: 'TruncateProceeds' },
      finding: {
        kind: 'sequential',
        threads: ['reader', 'truncate'],
        consequence: 'hang',
        fix: 'V2-wait',
        explain:
          'Truncate holds the folio lock and sleeps in folio_wait_private_2() until the cache write ends; a write that never completes leaves truncate, and every later locker of the folio, waiting forever. Nothing in the protocol bounds the wait: it rests on the I/O completing.',
        narrative: ['reader.folio_set_private_2', 'truncate.folio_lock'],
      },
    },
    'V2-wait/io-may-hang': {
      description: "V2 where the new user's I/O may never complete: its waiter is never woken",
      constants: { scheme: 'V2', truncates: 1 },
      fairness: fairExcept('newio'),
      properties: ['WaiterWoken'],
      expect: { violates: 'WaiterWoken' },
      finding: {
        kind: 'sequential',
        threads: ['newuser'],
        consequence: 'hang',
        fix: 'V2-wait',
        explain:
          "The new user sleeps on its own PG_private_2 until its I/O completes and wakes it; V2's completion has woken and put before the frame was reused, so no stale wake-up comes, and an I/O that never ends leaves the waiter asleep for good.",
        narrative: ['newuser.folio_set_private_2', 'newuser.folio_wait_bit'],
      },
    },
  },
});
