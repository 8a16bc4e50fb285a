// The parallel search: the level loop of bfs.ts, with each level's states expanded by this thread
// and N - 1 worker threads (worker.ts) over one store in shared memory. Threads claim chunks of the level
// through an atomic cursor and insert successors with compare-and-swap (FingerprintStore.insertShared),
// so the set of states, and with it every count, is the one a single thread finds. The level is
// always finished, and the least of its violations by a fixed key is reported (LevelViolations),
// so the verdict and the trace length do not depend on timing; the trace is still a shortest one.
//
// This thread also coordinates: it starts each round, takes part in it, and when the threads paused
// because the store was nearly full (a table cannot grow while others write to it), has them all
// move the table into a bigger one before the round goes on.
import { Worker } from 'node:worker_threads';
import type { Violation } from '../result.ts';
import { Frontier } from '../store/frontier.ts';
import { levelQueue, PackedFrontier } from '../store/packed-frontier.ts';
import { actionBytes, CHUNK, FingerprintStore, INDEX_BLOCK, type StoreBuffers } from '../store/memory.ts';
import { collectGarbage, RELEASE_BYTES } from '../store/release.ts';
import { canonicaliser } from '../symmetry/canonicalise.ts';
import { initialStates, type ChoicePath, type State, type SystemSource, type TransitionSystem } from '../system.ts';
import { BatchedExpander, Expander, type LevelOutcome, type LevelRunner, type Region as LevelRegion, type SearchOptions, type Watch } from './bfs.ts';
import { OutboxExpander, type OutboxContents } from './outbox.ts';
import { takeWarm } from './warm.js';
import type { Found, Violations } from './violations.ts';

/** Slots of the shared control array. */
export const CONTROL = {
  /** The next free state index (FingerprintStore.insertShared hands them out in blocks). */
  nextIndex: 0,
  /** Non-zero: threads stop claiming work (1: the store must grow; 2: the search stops). */
  stop: 1,
  /** The next range of the old table to move, while the threads grow the store together. */
  rehashCursor: 2,
  /**
   * From here, one slot per worker thread, set once it has loaded the spec. A flag rather than a
   * message: this thread may run many small levels without once returning to its event loop.
   */
  ready: 3,
} as const;

/** Int32 slots per 64-byte cache line: each region's cursor has a line of its own. */
const LINE = 16;

/**
 * The slot of the cursor of region r of the current level (the next position in it to hand out).
 * A region is the frontier one participant wrote in the level before.
 */
export function cursorSlot(participants: number, r: number): number {
  return LINE * (Math.ceil((CONTROL.ready + participants) / LINE) + r);
}

export function controlLength(participants: number): number {
  return cursorSlot(participants, participants);
}

/** Slots of the old table a thread moves at a time when the store grows. */
const REHASH_RANGE = 1 << 14;

export interface Setup {
  id: number;
  /** Where the thread rebuilds the system from. */
  source: SystemSource;
  symmetry: boolean;
  deadlock: boolean;
  /** Worker threads and this thread: the number of regions a level can have. */
  participants: number;
  control: SharedArrayBuffer;
  /** Two Float64s per worker: the states it generated and the new states it stored, so far. */
  counts: SharedArrayBuffer;
  /** Hand successors back instead of storing them (a search on disk, whose store is one thread's). */
  outbox?: boolean;
}

export interface ToWorker {
  /** Instead of expanding states: move the old table into a bigger one, range by range (each the first `slots` of its buffer). */
  rehash?: { old: SharedArrayBuffer; oldSlots: number; table: SharedArrayBuffer; slots: number };
  newLevel: boolean;
  /** The level's regions: each participant's frontier from the level before. */
  frontiers: Region[];
  store?: StoreBuffers;
  storeSize: number;
  /** Pause once the store holds more states than this. */
  roomLimit: number;
  chunk: number;
  /** With an outbox: a buffer it handed back before, emptied, to reuse. */
  spare?: ArrayBuffer;
}

export interface Region {
  buffer: SharedArrayBuffer;
  count: number;
  /** The participant that wrote it. */
  owner: number;
}

/** A violation as it crosses threads: the action by its id, not the object with its functions. */
export interface WireViolation extends Omit<Violation, 'step'> {
  actionId?: number;
  next?: State;
  choice?: ChoicePath;
  hasStep: boolean;
}

export interface WireFound {
  wire: WireViolation;
  key: Found['key'];
  inNextLevel: boolean;
}

export interface FromWorker {
  /** Which participant (the worker's id; this thread is the last). */
  id: number;
  /** Its coverage so far: transitions per action instance, and new states per action instance. */
  fired: Uint32Array;
  found: Uint32Array;
  paused: boolean;
  next: { buffer: SharedArrayBuffer; count: number };
  /** The least violation of each property it found in this level. */
  violations: WireFound[];
  /** With an outbox: the round's successors, and the transitions it generated and fired in the round. */
  handed?: { outbox: OutboxContents; generated: number; fired: Uint32Array };
}

export function toWire(v: Violation): WireViolation {
  const { step, ...rest } = v;
  return { ...rest, hasStep: !!step, actionId: step?.action?.id, next: step?.next, choice: step?.choice };
}

export function fromWire(system: TransitionSystem, w: WireViolation): Violation {
  const { hasStep, actionId, next, choice, ...rest } = w;
  if (!hasStep) return rest;
  return { ...rest, step: { action: actionId === undefined ? undefined : system.actions[actionId], next, choice } };
}

/**
 * One thread's part in a level: claims chunks of the level through the shared cursor and expands
 * them into its own frontier for the next level. The worker threads run one each, and so does this
 * thread, between its looks at the clock (so Ctrl-C and the memory limit are still seen).
 */
export class Participant {
  next: Frontier | PackedFrontier;
  private previous?: Frontier | PackedFrontier;
  /** One packed record, unpacked for the step. */
  private readonly unpacked: Int32Array;
  private store?: FingerprintStore;
  private readonly block = new Int32Array(2);
  private inserted = 0;
  readonly expander: Expander;
  private frontiers: { data: Int32Array; count: number }[] = [];
  /** The region this thread takes chunks from, and the regions it found used up in this level. */
  private region = 0;
  private exhausted: boolean[] = [];
  private claimed = 0;
  private msg?: ToWorker;
  /** With an outbox: the counts up to the last round handed back. */
  private handedGenerated = 0;
  private readonly handedFired: Uint32Array;

  constructor(
    private readonly system: TransitionSystem,
    opts: Pick<SearchOptions, 'canonicalise' | 'deadlock'>,
    private readonly control: Int32Array,
    private readonly counts: Float64Array,
    private readonly id: number,
    private readonly participants: number,
    store?: FingerprintStore,
    private readonly outbox = false,
  ) {
    this.store = store;
    this.unpacked = new Int32Array(system.width + 1);
    this.next = this.frontier();
    this.handedFired = new Uint32Array(system.actions.length);
    this.expander = outbox
      ? new OutboxExpander(system, opts, this.next)
      : new BatchedExpander(
          system,
          opts,
          (hi, lo, parent, action, choice) => {
            const index = this.store!.insertShared(hi, lo, parent, action, choice, control, this.block);
            if (index >= 0) this.inserted++;
            return index;
          },
          this.next,
          (hi) => this.store!.touch(hi),
          system.width,
        );
  }

  /** A frontier for a level this thread finds, in shared memory: packed, but for an outbox's owner, which reads levels from disk. */
  private frontier(): Frontier | PackedFrontier {
    return this.outbox ? new Frontier(this.system.width + 1, true) : levelQueue(this.system, true);
  }

  /** Moves ranges of the old table into the new one until none is left (a growth round). */
  rehash(r: NonNullable<ToWorker['rehash']>): void {
    const old = new Int32Array(r.old, 0, r.oldSlots * 3);
    const table = new Int32Array(r.table, 0, r.slots * 3);
    const slots = r.oldSlots;
    for (;;) {
      const from = Atomics.add(this.control, CONTROL.rehashCursor, REHASH_RANGE);
      if (from >= slots) return;
      FingerprintStore.rehashShared(old, table, from, Math.min(from + REHASH_RANGE, slots));
    }
  }

  /** Drops this worker thread's view of the store (after a growth: it holds the old table; the next round brings the new one). */
  dropStore(): void {
    this.store = undefined;
    this.msg = undefined;
  }

  /** Takes a round's orders: a new level, newer store buffers, the room left. */
  begin(m: ToWorker): void {
    if (m.store) this.store = FingerprintStore.view(m.store, m.storeSize);
    if (m.spare) (this.expander as OutboxExpander).recycle(m.spare);
    if (m.newLevel) {
      // The frontier written two levels ago is free again: the level now expanded is the last one's.
      const spare = this.previous;
      this.previous = this.next;
      this.next = spare?.clear() ?? this.frontier();
      this.expander.next = this.next;
      this.expander.violations.clear();
    }
    this.frontiers = m.frontiers.map((f) => ({ data: new Int32Array(f.buffer), count: f.count }));
    if (m.newLevel) {
      // Its own frontier first: the successors of the states it found last level are near each
      // other's in the order they were found (siblings share successors), and a state another
      // thread has just inserted is a line in that thread's cache, several times dearer to look up.
      const own = m.frontiers.findIndex((f) => f.owner === this.id);
      this.region = own >= 0 ? own : this.id % Math.max(1, m.frontiers.length);
      this.exhausted = m.frontiers.map(() => false);
    }
    this.msg = m;
  }

  /**
   * Expands claimed chunks until the level is done, the threads must pause or stop, or `untilMs`
   * passes; `between` runs after each chunk.
   */
  work(untilMs = Infinity, between?: () => void): 'done' | 'paused' | 'more' {
    const { control, counts, id, expander } = this;
    const { roomLimit, chunk } = this.msg!;
    const record = this.system.width + 1;
    for (;;) {
      if (Atomics.load(control, CONTROL.stop) !== 0) return 'done';
      if (Atomics.load(control, CONTROL.nextIndex) > roomLimit) {
        // The store must grow before more states go in: every thread pauses at its next chunk.
        Atomics.store(control, CONTROL.stop, 1);
        return 'paused';
      }
      const r = this.claim(chunk);
      if (r < 0) return 'done';
      const { data, count } = this.frontiers[r];
      const last = Math.min(this.claimed + chunk, count);
      // Every thread's frontiers have the one layout (each built the same system): its own reads theirs.
      const packed = this.next instanceof PackedFrontier ? this.next : undefined;
      if (packed !== undefined) {
        const unpacked = this.unpacked;
        for (let p = this.claimed; p < last; p++) {
          packed.readIn(data, p, unpacked);
          expander.expand(unpacked, 0);
        }
      } else for (let p = this.claimed; p < last; p++) expander.expand(data, p * record);
      // Within the chunk's room: the store may grow before the next.
      if (expander instanceof BatchedExpander) expander.flush();
      counts[2 * id] = expander.step.generated;
      counts[2 * id + 1] = this.inserted;
      between?.();
      if (Date.now() > untilMs) return 'more';
    }
  }

  /** Claims the next chunk, from this thread's region or else the next one not used up: its region, or -1. */
  private claim(chunk: number): number {
    const regions = this.frontiers.length;
    for (let tried = 0; tried < regions; tried++) {
      const r = this.region;
      if (!this.exhausted[r]) {
        this.claimed = Atomics.add(this.control, cursorSlot(this.participants, r), chunk);
        if (this.claimed < this.frontiers[r].count) return r;
        this.exhausted[r] = true;
      }
      this.region = (r + 1) % regions;
    }
    return -1;
  }

  reply(paused: boolean): FromWorker {
    return {
      id: this.id,
      fired: this.expander.step.fired.slice(),
      found: this.expander.found.slice(),
      paused,
      next: { buffer: this.next.data.buffer as SharedArrayBuffer, count: this.next.count },
      violations: this.expander.violations.all().map((f) => ({ wire: toWire(f.violation), key: f.key, inNextLevel: f.inNextLevel })),
      handed: this.outbox ? this.hand() : undefined,
    };
  }

  /** The round's successors and counts, for the thread that owns the store on disk. */
  private hand(): NonNullable<FromWorker['handed']> {
    const { step } = this.expander;
    const fired = new Uint32Array(step.fired.length);
    for (let a = 0; a < fired.length; a++) fired[a] = step.fired[a] - this.handedFired[a];
    this.handedFired.set(step.fired);
    const generated = step.generated - this.handedGenerated;
    this.handedGenerated = step.generated;
    return { outbox: (this.expander as OutboxExpander).take(), generated, fired };
  }
}

/**
 * Expands each level with this thread and N - 1 worker threads. This thread also coordinates: it
 * starts each round, takes part in it, and when the threads paused because the store was nearly
 * full (a table cannot grow while others write to it), has them all move the table into a bigger
 * one before the round goes on.
 */
export class ThreadedLevels implements LevelRunner {
  readonly store: FingerprintStore;
  private readonly control: Int32Array;
  private readonly counts: Float64Array;
  private readonly helpers: Helper[];
  private readonly self: Participant;
  private readonly ahead = new TableAhead();
  private storeVersion = 0;
  /** Initial states: stored by this thread before the rounds start. */
  private initial = 0;
  private initialGenerated = 0;
  private initialCoverage?: { fired: Uint32Array; found: Uint32Array };
  /** Each participant's latest coverage, summed at the end. */
  private readonly coverageBy = new Map<number, { fired: Uint32Array; found: Uint32Array }>();

  private constructor(
    private readonly system: TransitionSystem,
    private readonly opts: SearchOptions,
    private readonly n: number,
  ) {
    this.store = new FingerprintStore(actionBytes(system.actions.length), { shared: true, choices: !!system.choices });
    this.control = new Int32Array(new SharedArrayBuffer(4 * controlLength(n)));
    this.counts = new Float64Array(new SharedArrayBuffer(16 * n));
    // n - 1 worker threads, and this thread as the n-th. This thread does not wait for them: each joins
    // the rounds once it has started (loaded tsx and the system), which takes a while.
    this.helpers = startWorkers(system, opts, n, this.control, this.counts);
    this.self = new Participant(system, opts, this.control, this.counts, n - 1, n, this.store);
  }

  static async start(system: TransitionSystem, opts: SearchOptions, workers: number): Promise<ThreadedLevels> {
    if (!system.source) throw new Error(`${system.title}: a search with worker threads needs a system that can be rebuilt in a thread (its source)`);
    return new ThreadedLevels(system, opts, workers);
  }

  private sum(k: 0 | 1): number {
    return this.counts.reduce((acc, x, i) => (i % 2 === k ? acc + x : acc), 0);
  }
  generated(): number {
    return this.initialGenerated + this.sum(0);
  }
  distinct(): number {
    return this.initial + this.sum(1);
  }
  coverage(): { fired: Uint32Array; found: Uint32Array } {
    const fired = new Uint32Array(this.system.actions.length);
    const found = new Uint32Array(this.system.actions.length);
    for (const c of [...this.coverageBy.values(), ...(this.initialCoverage ? [this.initialCoverage] : [])]) {
      for (let a = 0; a < fired.length; a++) {
        fired[a] += c.fired[a];
        found[a] += c.found[a];
      }
    }
    return { fired, found };
  }

  async close(): Promise<void> {
    this.store.size = Atomics.load(this.control, CONTROL.nextIndex);
    await Promise.all(this.helpers.map((h) => h.worker.terminate()));
  }

  /**
   * One growth step: in the table's own buffer, by this thread while the others wait (its new pages
   * are faulted in already), or else the threads move the table into a bigger one together. Returns
   * the bytes of the table left behind.
   */
  private async grow(): Promise<number> {
    const { store, control, helpers, self, ahead } = this;
    const table = ahead.take(store);
    if (table === undefined) {
      store.growOnce();
      return 0;
    }
    const rehash = { old: store.table.buffer as SharedArrayBuffer, oldSlots: store.capacity, table: table.buffer as SharedArrayBuffer, slots: table.length / 3 };
    Atomics.store(control, CONTROL.rehashCursor, 0);
    const moving = helpers.filter((h) => h.ready).map((h) => round(h.worker, { rehash, newLevel: false, frontiers: [], storeSize: 0, roomLimit: 0, chunk: 0 }));
    self.rehash(rehash);
    await Promise.all(moving);
    store.adoptTable(table);
    return rehash.old.byteLength;
  }

  async expand(level: LevelRegion[], found: Violations, watch: Watch): Promise<LevelOutcome> {
    const { system, store, control, n, helpers, self, ahead } = this;
    if (level.length === 0) {
      // Initial states, in this thread, through the same expander as every other state.
      const first = levelQueue(system, true);
      const init = new Expander(system, this.opts, (hi, lo, parent, action, choice) => store.insert(hi, lo, parent, action, choice), first);
      init.initial(initialStates(system));
      found.merge(init.violations.all());
      this.initial = store.size;
      this.initialGenerated = init.step.generated;
      this.initialCoverage = { fired: init.step.fired, found: init.found };
      Atomics.store(control, CONTROL.nextIndex, store.size);
      return { next: first.count > 0 ? [{ data: first.data, count: first.count, owner: n - 1 }] : [], unexpanded: 0 };
    }
    const A = Math.max(1, system.actions.length);
    const current: Region[] = level.map((r) => ({ buffer: r.data.buffer as SharedArrayBuffer, count: r.count, owner: r.owner }));
    const size = () => current.reduce((k, f) => k + f.count, 0);
    /** States of the level not yet handed out. */
    const unclaimed = () => current.reduce((k, f, r) => k + Math.max(0, f.count - Atomics.load(control, cursorSlot(n, r))), 0);
    let stopped: LevelOutcome['stopped'];
    // Watches for Ctrl-C, the memory limit, --max-states and progress while the workers run.
    const timer = setInterval(() => {
      stopped ??= watch.stopReason(this.distinct());
      if (stopped) Atomics.store(control, CONTROL.stop, 2);
      watch.progress();
    }, 50);
    try {
      for (let r = 0; r < n; r++) Atomics.store(control, cursorSlot(n, r), 0);
      let replies: FromWorker[];
      let newLevel = true;
      for (;;) {
        // Each thread adds at most chunk x actions states between two looks at the room left.
        const chunk = Math.max(1, Math.min(256, Math.floor(size() / (n * 8))));
        const headroom = n * (chunk * A + INDEX_BLOCK);
        store.size = Atomics.load(control, CONTROL.nextIndex);
        if (!store.hasRoomFor(2 * headroom)) {
          // One growth step at a time, as the single-threaded store grows (the load stays above
          // 0.65), the threads moving the old table into the new one together.
          let dropped = 0;
          while (store.size + 2 * headroom > store.capacity * 0.85) dropped += await this.grow();
          store.reserve(2 * headroom);
          // Each thread collects once it has dropped the old table (release.ts): this one now.
          if (dropped >= RELEASE_BYTES) collectGarbage();
          this.storeVersion++;
        }
        const roomLimit = Math.floor(store.capacity * 0.85) - headroom;
        const limit = Math.min(roomLimit, store.parents.length * CHUNK - headroom);
        Atomics.store(control, CONTROL.stop, 0);
        const msg: ToWorker = { newLevel, frontiers: current, storeSize: store.size, roomLimit: limit, chunk };
        const failed = helpers.find((h) => h.failed);
        if (failed) throw new Error(`a worker thread failed to start: ${failed.failed!.message}`);
        const pending: Promise<FromWorker>[] = [];
        const inRound = new Set<Helper>();
        const join = () => {
          for (const h of helpers) {
            h.ready ||= Atomics.load(control, CONTROL.ready + h.id) === 1;
            if (!h.ready || inRound.has(h)) continue;
            const m = h.storeVersion === this.storeVersion ? msg : { ...msg, store: store.buffers() };
            h.storeVersion = this.storeVersion;
            inRound.add(h);
            pending.push(round(h.worker, m));
          }
        };
        join();
        // This thread takes part too, looking up every 50 ms so that Ctrl-C and the watch still run,
        // and so that a worker thread that has just started joins this round rather than the next.
        self.begin(msg);
        let status: 'done' | 'paused' | 'more';
        ahead.prepare(store, headroom);
        const touch = () => ahead.touch(Atomics.load(control, CONTROL.nextIndex));
        while ((status = self.work(Date.now() + 50, touch)) === 'more') {
          await new Promise((r) => setImmediate(r));
          join();
        }
        replies = [...(await Promise.all(pending)), self.reply(status === 'paused')];
        for (const r of replies) this.coverageBy.set(r.id, { fired: r.fired, found: r.found });
        newLevel = false;
        if (stopped || !replies.some((r) => r.paused)) break;
      }
      const next: LevelRegion[] = replies
        .filter((r) => r.next.count > 0)
        .map((r) => ({ data: new Int32Array(r.next.buffer), count: r.next.count, owner: r.id }));
      for (const r of replies) for (const f of r.violations) found.offer(fromWire(system, f.wire), f.key, f.inNextLevel);
      store.size = Atomics.load(control, CONTROL.nextIndex);
      return { next, stopped, unexpanded: stopped ? unclaimed() : 0 };
    } finally {
      clearInterval(timer);
    }
  }
}

/**
 * The pages the store's next growth step writes, faulted in by this thread a few at a time, in step
 * with the states added, while the others search: the room after the table in its own buffer, when
 * the step happens there, or else a new table, allocated once the store has grown. Faulting in the
 * pages took a third of the time growing took on Counters, and done at the moment of growth it
 * stops every thread.
 */
class TableAhead {
  /** The store's whole buffer (growing in place), or the next table. */
  private pages?: Int32Array;
  /** The next table, when the step cannot happen in place. */
  private next?: Int32Array;
  /** The store's capacity it was prepared for, and the state count at that time. */
  private capacity = -1;
  private from = 0;
  /** Int32 offsets of the pages to fault in, and up to where they are. */
  private start = 0;
  private end = 0;
  private touched = 0;
  /** The state count at which the store must grow. */
  private due = 0;

  prepare(store: FingerprintStore, headroom: number): void {
    if (this.capacity === store.capacity) return;
    if (store.growsInPlace()) {
      this.next = undefined;
      this.pages = store.room();
      this.start = store.capacity * 3;
      this.end = store.nextCapacity() * 3;
    } else {
      this.pages = this.next = store.nextTable();
      this.start = 0;
      this.end = this.next.length;
    }
    this.touched = this.start;
    this.capacity = store.capacity;
    this.from = store.size;
    this.due = Math.max(store.size + 1, store.capacity * 0.85 - 2 * headroom);
  }

  /** Faults in the share of the pages that `size` states call for (all of them a little before growth is due). */
  touch(size: number): void {
    const pages = this.pages;
    if (!pages || this.touched >= this.end) return;
    // Over the second half of the way to growth, done by nine tenths: pages faulted in earlier would
    // hold memory that a search ending before the growth never uses (one worker allocates at growth).
    const share = Math.min(1, Math.max(0, ((size - this.from) / (this.due - this.from) - 0.5) / 0.4));
    const upTo = this.start + Math.floor(share * (this.end - this.start));
    if (upTo > this.touched) this.touched = FingerprintStore.touchPages(pages, this.touched, upTo);
  }

  /** The next table, all its pages faulted in; undefined when the store grows in place (its new pages faulted in). */
  take(store: FingerprintStore): Int32Array | undefined {
    if (this.capacity !== store.capacity) this.prepare(store, 0);
    FingerprintStore.touchPages(this.pages!, this.touched, this.end);
    const next = this.next;
    this.pages = this.next = undefined;
    this.capacity = -1;
    return next;
  }
}

export function round(w: Worker, msg: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
  return new Promise((resolveReply, reject) => {
    const onError = (e: Error) => reject(e);
    w.once('error', onError);
    w.once('message', (m: FromWorker) => {
      w.off('error', onError);
      resolveReply(m);
    });
    w.postMessage(msg, transfer);
  });
}

/** A worker thread, which joins the rounds once it has loaded the spec. */
export interface Helper {
  worker: Worker;
  id: number;
  ready: boolean;
  failed?: Error;
  /** The version of the store's buffers it was last sent. */
  storeVersion: number;
}

export function startWorkers(system: TransitionSystem, opts: SearchOptions, n: number, control: Int32Array, counts: Float64Array, outbox = false): Helper[] {
  return Array.from({ length: n - 1 }, (_, id) => {
    const setup: Setup = {
      id,
      source: system.source!,
      symmetry: !!opts.canonicalise,
      deadlock: opts.deadlock ?? system.deadlock,
      participants: n,
      control: control.buffer as SharedArrayBuffer,
      counts: counts.buffer as SharedArrayBuffer,
      outbox,
    };
    const { worker, failed: early } = takeWarm();
    worker.ref();
    worker.removeAllListeners('error');
    const helper: Helper = { worker, id, ready: false, storeVersion: -1, failed: early };
    helper.worker.once('error', (e) => (helper.failed = e));
    worker.postMessage(setup);
    return helper;
  });
}

/** The canonicaliser a worker thread uses: the one its coordinator uses, rebuilt from the system. */
export function threadCanonicaliser(system: TransitionSystem, symmetry: boolean) {
  return symmetry ? canonicaliser(system) : undefined;
}
