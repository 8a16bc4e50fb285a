// The parallel search: the same level-by-level BFS, with each level's states expanded by this thread
// and N - 1 worker threads (worker.ts) over one store in shared memory. Threads claim chunks of the level
// through an atomic cursor and insert successors with compare-and-swap (FingerprintStore.insertShared),
// so the set of states, and with it every count, is the one a single thread finds. The level is
// always finished, and the least of its violations by a fixed key is reported (LevelViolations),
// so the verdict and the trace length do not depend on timing; the trace is still a shortest one.
//
// This thread also coordinates: it starts each round, takes part in it, and when the threads paused
// because the store was nearly full (a table cannot grow while others write to it), has them all
// move the table into a bigger one before the round goes on.
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TypeViolation } from '../src/schema/index.ts';
import { TYPE_OK } from '../src/spec.ts';
import { Frontier, lessThan, type Progress, type SearchOptions, errorText, Expander } from './bfs.ts';
import { collisionProbability, fingerprint } from './fingerprint.ts';
import type { Model, State } from './model.ts';
import type { SearchResult, Violation } from './result.ts';
import type { Canonicaliser } from './symmetry.ts';
import { actionBytes, CHUNK, FingerprintStore, INDEX_BLOCK, type StoreBuffers } from './store.ts';

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
  file: string;
  variant: string;
  /** Constants from the command line, applied over the variant's (the thread compiles the same model). */
  overrides: Record<string, unknown>;
  symmetry: boolean;
  deadlock: boolean;
  /** Worker threads and this thread: the number of regions a level can have. */
  participants: number;
  control: SharedArrayBuffer;
  /** Two Float64s per worker: the states it generated and the new states it stored, so far. */
  counts: SharedArrayBuffer;
}

export interface ToWorker {
  /** Instead of expanding states: move the old table into a bigger one, range by range. */
  rehash?: { old: SharedArrayBuffer; table: SharedArrayBuffer };
  newLevel: boolean;
  /** The level's regions: each participant's frontier from the level before. */
  frontiers: Region[];
  store?: StoreBuffers;
  storeSize: number;
  /** Pause once the store holds more states than this. */
  roomLimit: number;
  chunk: number;
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
  hasStep: boolean;
}

export interface FromWorker {
  /** Which participant (the worker's id; this thread is the last). */
  id: number;
  /** Its coverage so far: transitions per action instance, and new states per action instance. */
  fired: Uint32Array;
  found: Uint32Array;
  paused: boolean;
  next: { buffer: SharedArrayBuffer; count: number };
  violation?: { wire: WireViolation; key: number[]; inNextLevel: boolean };
}

export function toWire(v: Violation): WireViolation {
  const { step, ...rest } = v;
  return { ...rest, hasStep: !!step, actionId: step?.action?.id, next: step?.next };
}

function fromWire(model: Model, w: WireViolation): Violation {
  const { hasStep, actionId, next, ...rest } = w;
  if (!hasStep) return rest;
  return { ...rest, step: { action: actionId === undefined ? undefined : model.actions[actionId], next } };
}

/**
 * One thread's part in a level: claims chunks of the level through the shared cursor and expands
 * them into its own frontier for the next level. The worker threads run one each, and so does this
 * thread, between its looks at the clock (so Ctrl-C and the memory limit are still seen).
 */
export class Participant {
  next: Frontier;
  private previous?: Frontier;
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

  constructor(
    private readonly model: Model,
    canon: Canonicaliser | undefined,
    deadlock: boolean,
    private readonly control: Int32Array,
    private readonly counts: Float64Array,
    private readonly id: number,
    private readonly participants: number,
    store?: FingerprintStore,
  ) {
    this.store = store;
    this.next = new Frontier(model.width + 1, true);
    this.expander = new Expander(model, canon, deadlock, (hi, lo, parent, action) => {
      const index = this.store!.insertShared(hi, lo, parent, action, control, this.block);
      if (index >= 0) this.inserted++;
      return index;
    });
  }

  /** Moves ranges of the old table into the new one until none is left (a growth round). */
  rehash(r: NonNullable<ToWorker['rehash']>): void {
    const old = new Int32Array(r.old);
    const table = new Int32Array(r.table);
    const slots = old.length / 3;
    for (;;) {
      const from = Atomics.add(this.control, CONTROL.rehashCursor, REHASH_RANGE);
      if (from >= slots) return;
      FingerprintStore.rehashShared(old, table, from, Math.min(from + REHASH_RANGE, slots));
    }
  }

  /** Takes a round's orders: a new level, newer store buffers, the room left. */
  begin(m: ToWorker): void {
    if (m.store) this.store = FingerprintStore.view(m.store, m.storeSize);
    if (m.newLevel) {
      // The frontier written two levels ago is free again: the level now expanded is the last one's.
      const spare = this.previous;
      this.previous = this.next;
      this.next = spare?.clear() ?? new Frontier(this.model.width + 1, true);
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
    const { control, counts, id, expander, next } = this;
    const { roomLimit, chunk } = this.msg!;
    const record = this.model.width + 1;
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
      for (let p = this.claimed; p < last; p++) expander.expand(data, p * record, next);
      counts[2 * id] = expander.generated;
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
    const best = this.expander.violations.best;
    return {
      id: this.id,
      fired: this.expander.fired.slice(),
      found: this.expander.found.slice(),
      paused,
      next: { buffer: this.next.data.buffer as SharedArrayBuffer, count: this.next.count },
      violation: best && { wire: toWire(best), key: this.expander.violations.keyOfBest(), inNextLevel: this.expander.violations.bestInNextLevel },
    };
  }
}

export interface ParallelOptions extends SearchOptions {
  workers: number;
  symmetry: boolean;
}

export async function searchParallel(model: Model, opts: ParallelOptions): Promise<{ result: SearchResult; store: FingerprintStore }> {
  if (!model.file) throw new Error('a parallel search needs the spec file, which each worker thread loads');
  const start = Date.now();
  const width = model.width;
  const record = width + 1;
  const n = opts.workers;
  const A = Math.max(1, model.actions.length);
  const store = new FingerprintStore(actionBytes(model.actions.length), { shared: true, initialCapacity: 1 << 16 });
  const control = new Int32Array(new SharedArrayBuffer(4 * controlLength(n)));
  const counts = new Float64Array(new SharedArrayBuffer(16 * n));
  let initial = 0;
  const sum = (k: 0 | 1) => counts.reduce((acc, x, i) => (i % 2 === k ? acc + x : acc), 0);
  const distinctSoFar = () => initial + sum(1);
  let generated = 0;
  let depth = 0;
  let violation: Violation | undefined;
  let stopped: SearchResult['stopped'];
  let queue = 0;
  /** Each participant's latest coverage, summed at the end. */
  const coverageBy = new Map<number, { fired: Uint32Array; found: Uint32Array }>();

  const finish = () => {
    const fired = new Uint32Array(model.actions.length);
    const found = new Uint32Array(model.actions.length);
    for (const c of coverageBy.values()) {
      for (let a = 0; a < fired.length; a++) {
        fired[a] += c.fired[a];
        found[a] += c.found[a];
      }
    }
    store.size = Atomics.load(control, CONTROL.nextIndex);
    const total = generated + sum(0);
    const distinct = distinctSoFar();
    return {
      result: {
        stats: {
          generated: total,
          distinct,
          queue,
          depth,
          durationMs: Date.now() - start,
          collisionProbability: collisionProbability(distinct, total),
          complete: !violation && !stopped && queue === 0,
          storeBytes: store.bytes(),
        },
        violation,
        stopped,
        coverage: { fired, found },
      },
      store,
    };
  };

  // Initial states, in this thread, as the single-threaded search does them.
  const first = new Frontier(record, true);
  const init = new Expander(model, opts.canonicalise, opts.deadlock, () => -1);
  const encoded = new Int32Array(width);
  const canonical = new Int32Array(width);
  const fp = new Int32Array(2);
  for (const s of model.init) {
    generated++;
    try {
      model.encode(s, encoded, 0);
    } catch (e) {
      if (!(e instanceof TypeViolation)) throw e;
      violation = { outcome: 'invariant', property: TYPE_OK, message: `an initial state is outside its type: ${e.message}`, stateIndex: -1, step: { next: s } };
      return finish();
    }
    const decoded = model.decode(encoded, 0);
    try {
      if (model.constraint && !model.constraint(decoded, model.constants)) continue;
    } catch (error) {
      violation = { outcome: 'error', phase: 'constraint', message: `the constraint threw on an initial state: ${errorText(error)}`, stateIndex: -1, step: { next: s }, error };
      return finish();
    }
    const v = opts.canonicalise ? (opts.canonicalise(encoded, canonical), canonical) : encoded;
    fingerprint(v, width, fp);
    const index = store.insert(fp[0], fp[1], -1, -1);
    if (index < 0) continue;
    depth = 1;
    violation = init.checkInvariants(decoded, index);
    if (violation) {
      initial = store.size;
      Atomics.store(control, CONTROL.nextIndex, store.size);
      return finish();
    }
    first.push(index, v);
  }
  initial = store.size;
  Atomics.store(control, CONTROL.nextIndex, store.size);

  // n - 1 worker threads, and this thread as the n-th. This thread does not wait for them: each joins
  // the rounds once it has started (loaded tsx and the spec), which takes a while.
  const helpers = startWorkers(model, opts, control, counts);
  let storeVersion = 0;
  const ahead = new TableAhead();
  const self = new Participant(model, opts.canonicalise, opts.deadlock, control, counts, n - 1, n, store);
  const progressEvery = opts.progressEveryMs ?? 60_000;
  let lastProgress = start;
  let current: Region[] = [{ buffer: first.data.buffer as SharedArrayBuffer, count: first.count, owner: n - 1 }];
  const level = () => current.reduce((k, f) => k + f.count, 0);
  /** States of the level not yet handed out. */
  const unclaimed = () => current.reduce((k, f, r) => k + Math.max(0, f.count - Atomics.load(control, cursorSlot(n, r))), 0);
  // Watches for Ctrl-C, the memory limit, --max-states and progress while the workers run.
  const watch = setInterval(() => {
    const distinct = distinctSoFar();
    if (opts.maxMemory !== undefined && process.memoryUsage.rss() > opts.maxMemory) opts.control = { ...opts.control, stop: 'max-memory' };
    if (opts.control?.stop) stopped = opts.control.stop;
    else if (opts.maxStates !== undefined && distinct >= opts.maxStates) stopped = 'max-states';
    if (stopped) Atomics.store(control, CONTROL.stop, 2);
    const now = Date.now();
    if (opts.onProgress && now - lastProgress >= progressEvery) {
      lastProgress = now;
      const p: Progress = {
        depth,
        distinct,
        generated: generated + sum(0),
        queue: unclaimed(),
        elapsedMs: now - start,
        storeBytes: store.bytes(),
        rssBytes: process.memoryUsage.rss(),
      };
      opts.onProgress(p);
    }
  }, 50);

  try {
    while (level() > 0 && !stopped) {
      if (opts.maxDepth !== undefined && depth >= opts.maxDepth) {
        stopped = 'max-depth';
        queue = level();
        break;
      }
      for (let r = 0; r < n; r++) Atomics.store(control, cursorSlot(n, r), 0);
      let replies: FromWorker[];
      let newLevel = true;
      for (;;) {
        // Each thread adds at most chunk x actions states between two looks at the room left.
        const chunk = Math.max(1, Math.min(256, Math.floor(level() / (n * 8))));
        const headroom = n * (chunk * A + INDEX_BLOCK);
        store.size = Atomics.load(control, CONTROL.nextIndex);
        if (!store.hasRoomFor(2 * headroom)) {
          // One growth step at a time, as the single-threaded store grows (the load stays above
          // 0.65), the threads moving the old table into the new one together.
          while (store.size + 2 * headroom > store.capacity * 0.85) {
            const table = ahead.take(store);
            const rehash = { old: store.table.buffer as SharedArrayBuffer, table: table.buffer as SharedArrayBuffer };
            Atomics.store(control, CONTROL.rehashCursor, 0);
            const moving = helpers.filter((h) => h.ready).map((h) => round(h.worker, { rehash, newLevel: false, frontiers: [], storeSize: 0, roomLimit: 0, chunk: 0 }));
            self.rehash(rehash);
            await Promise.all(moving);
            store.adoptTable(table);
          }
          store.reserve(2 * headroom);
          storeVersion++;
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
            const m = h.storeVersion === storeVersion ? msg : { ...msg, store: store.buffers() };
            h.storeVersion = storeVersion;
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
        for (const r of replies) coverageBy.set(r.id, { fired: r.fired, found: r.found });
        newLevel = false;
        if (stopped || !replies.some((r) => r.paused)) break;
      }
      const next: Region[] = replies.filter((r) => r.next.count > 0).map((r) => ({ ...r.next, owner: r.id }));
      if (stopped) {
        queue = unclaimed() + next.reduce((k, f) => k + f.count, 0);
        break;
      }
      // The whole level is expanded: report the least of its violations, if any.
      let best: FromWorker['violation'];
      for (const r of replies) if (r.violation && (!best || lessThan(r.violation.key, best.key))) best = r.violation;
      current = next;
      if (best) {
        violation = fromWire(model, best.wire);
        if (best.inNextLevel || level() > 0) depth++;
        queue = level();
        break;
      }
      if (level() > 0) depth++;
    }
    return finish();
  } finally {
    clearInterval(watch);
    await Promise.all(helpers.map((h) => h.worker.terminate()));
  }
}

/**
 * The table the store grows into next, allocated once the store has grown and faulted in by this
 * thread a few pages at a time, in step with the states added, while the others search. Faulting in
 * the pages took a third of the time growing took on Counters, and done at the moment of growth it stops
 * every thread.
 */
class TableAhead {
  private table?: Int32Array;
  /** The store's capacity it was made for, and the state count at that time. */
  private capacity = -1;
  private from = 0;
  /** Int32 offset up to which its pages are faulted in. */
  private touched = 0;
  /** The state count at which the store must grow. */
  private due = 0;

  prepare(store: FingerprintStore, headroom: number): void {
    if (this.capacity === store.capacity) return;
    this.table = store.nextTable();
    this.capacity = store.capacity;
    this.from = store.size;
    this.touched = 0;
    this.due = Math.max(store.size + 1, store.capacity * 0.85 - 2 * headroom);
  }

  /** Faults in the share of the pages that `size` states call for (all of them a little before growth is due). */
  touch(size: number): void {
    const table = this.table;
    if (!table || this.touched >= table.length) return;
    const share = Math.min(1, (1.25 * (size - this.from)) / (this.due - this.from));
    const upTo = Math.floor(share * table.length);
    if (upTo > this.touched) this.touched = FingerprintStore.touchPages(table, this.touched, upTo);
  }

  /** The next table, all its pages faulted in. */
  take(store: FingerprintStore): Int32Array {
    if (this.capacity !== store.capacity) this.prepare(store, 0);
    const table = this.table!;
    FingerprintStore.touchPages(table, this.touched, table.length);
    this.table = undefined;
    this.capacity = -1;
    return table;
  }
}

function round(w: Worker, msg: ToWorker): Promise<FromWorker> {
  return new Promise((resolveReply, reject) => {
    const onError = (e: Error) => reject(e);
    w.once('error', onError);
    w.once('message', (m: FromWorker) => {
      w.off('error', onError);
      resolveReply(m);
    });
    w.postMessage(msg);
  });
}

/** A worker thread, which joins the rounds once it has loaded the spec. */
interface Helper {
  worker: Worker;
  id: number;
  ready: boolean;
  failed?: Error;
  /** The version of the store's buffers it was last sent. */
  storeVersion: number;
}

/**
 * Worker threads started ahead of the search (warmUp), still loading tsx and the checker. A thread
 * takes about half a second to start, which would otherwise be half a second of the search run by one.
 */
const warm: { worker: Worker; failed?: Error }[] = [];
const workerUrl = new URL('./worker-thread.js', import.meta.url);

/**
 * For a command line `check ... --workers N`: starts the N - 1 worker threads before the command line
 * is parsed and the specs are loaded. An option it cannot read is left to the parser to report.
 */
export function warmUpFor(argv: string[]): void {
  if (argv[0] !== 'check') return;
  const at = argv.findIndex((a) => a === '--workers' || a.startsWith('--workers='));
  const n = at < 0 ? NaN : Number(argv[at].includes('=') ? argv[at].slice('--workers='.length) : argv[at + 1]);
  if (Number.isInteger(n) && n > 1 && n <= 64) warmUp(n - 1);
}

/** Starts `count` worker threads now, for the next parallel search to use; they do not keep the process alive. */
export function warmUp(count: number): void {
  while (warm.length < count) {
    const w: (typeof warm)[number] = { worker: new Worker(workerUrl) };
    // Kept for the search that takes the thread, which then reports it.
    w.worker.once('error', (e) => (w.failed = e));
    w.worker.unref();
    warm.push(w);
  }
}

function startWorkers(model: Model, opts: ParallelOptions, control: Int32Array, counts: Float64Array): Helper[] {
  return Array.from({ length: opts.workers - 1 }, (_, id) => {
    const setup: Setup = {
      id,
      file: resolve(model.file!),
      variant: model.variant,
      overrides: model.overrides,
      symmetry: opts.symmetry,
      deadlock: opts.deadlock,
      participants: opts.workers,
      control: control.buffer as SharedArrayBuffer,
      counts: counts.buffer as SharedArrayBuffer,
    };
    const { worker, failed: early } = warm.shift() ?? { worker: new Worker(workerUrl) };
    worker.ref();
    worker.removeAllListeners('error');
    const helper: Helper = { worker, id, ready: false, storeVersion: -1, failed: early };
    helper.worker.once('error', (e) => (helper.failed = e));
    worker.postMessage(setup);
    return helper;
  });
}
