// Expanding levels with the states on disk (--store disk, --checkpoint, --resume): one participant,
// this thread, over a store on disk (../store/disk-store.ts) and one queue file per level. The level
// loop (bfs.ts) is the same as in memory; a level here is a file, so the regions it passes around
// carry only the count. The store puts off the lookups it cannot answer without reading the disk
// and answers them in batches (DiskStore.settle); this runner treats each state proved new then as
// the step would have (coverage, invariants, the next level). It writes checkpoints between states.
//
// With N workers (opts.workers), the level is expanded in rounds of a block of states: this thread
// and N - 1 worker threads run the one step on them as the participants of the in-memory parallel
// search do (parallel.ts: the same threads, chunks claimed through the same shared cursor), but hand
// each successor back in an outbox (outbox.ts) instead of storing it, and this thread, the one that
// owns the store on disk, inserts them. It inserts one round's successors while the worker threads
// expand the next, and writes checkpoints between rounds, when every state before the round's end
// has all its successors stored and none after it has any: so a checkpoint is the same whatever the
// number of workers, and resumes with any number.
import type { DiskUse, SearchResult } from '../result.ts';
import { DiskQueue } from '../store/disk-queue.ts';
import { Frontier } from '../store/frontier.ts';
import { SearchFiles, type DiskSearchOptions, type SearchPosition } from '../store/search-files.ts';
import type { FingerprintStore } from '../store/memory.ts';
import { estimateTimeLeft } from '../store/time-left.ts';
import { initialStates, NO_CHOICE, type ActionInstance, type ChoicePath, type State, type TransitionSystem } from '../system.ts';
import { Expander, type LevelOutcome, type LevelRunner, type Region, type SearchOptions, type Watch } from './bfs.ts';
import { OUTBOX_HEADER, type OutboxExpander } from './outbox.ts';
import { CONTROL, controlLength, cursorSlot, fromWire, Participant, round, startWorkers, type FromWorker, type Helper, type ToWorker } from './parallel.ts';
import type { Violations } from './violations.ts';

/** This thread and the worker threads of a search on disk with more than one worker. */
interface Threads {
  n: number;
  control: Int32Array;
  helpers: Helper[];
  self: Participant;
  /** The states of the round under way, [index, vector] records, which every participant reads. */
  batch: Int32Array;
  /** A successor's vector, copied out of an outbox for the store and the queue. */
  scratch: Int32Array;
  /** Outbox buffers whose successors are stored, to give back to the worker threads. */
  spares: ArrayBuffer[];
}

/** A round: a block of the current level, expanded by every participant that has started. */
interface Round {
  to: number;
  msg: ToWorker;
  replies: Promise<FromWorker>[];
  joined: Set<Helper>;
}

const NO_DATA: Int32Array = new Int32Array(0);

/** An Expander that lets the store see the vector it is asked to store (to keep it while its lookup waits). */
class VectorExpander extends Expander {
  vector: Int32Array = NO_DATA;
  override stored(next: State, vector: Int32Array, hi: number, lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void {
    this.vector = vector;
    super.stored(next, vector, hi, lo, action, choice, encoded);
  }
}

/** A level held in memory, as the records the step reads ([index, slots...]), handed over a run at a time. */
export interface LevelRecords {
  count: number;
  each(write: (records: Int32Array, n: number) => void): void;
}

export class DiskLevels implements LevelRunner {
  readonly files: SearchFiles;
  private readonly expander: VectorExpander;
  private readonly record: number;
  private current?: DiskQueue;
  private next?: DiskQueue;
  /** The depth of the level expand() expands next. */
  private depth = 1;
  /** States of the current level already expanded (non-zero when resuming in the middle of one). */
  private consumed = 0;
  /** Sizes of the levels expanded so far, for the estimate of the time left and for checkpoints. */
  private readonly levels: number[] = [];
  private lastYield = Date.now();
  /** performance.now(), not Date.now(): an interval shorter than a millisecond is still measured. */
  private lastCheckpoint = performance.now();
  /** Where a resumed search starts: the depth and the level it was in. */
  readonly resumed?: { depth: number; level: Region; elapsedMs: number };
  /** Distinct states when the search moved to disk from memory (0: it started there). */
  private spilledAt = 0;
  private readonly threads?: Threads;

  private constructor(
    private readonly system: TransitionSystem,
    opts: SearchOptions,
    private readonly disk: DiskSearchOptions,
    how: { memory?: { store: FingerprintStore; level: LevelRecords; depth: number; generated: number; fired: Uint32Array; found: Uint32Array } },
  ) {
    this.record = system.width + 1;
    const store = () => this.files.store;
    // The expander's queue is set per level (expand()); a throwaway one until then.
    this.expander = new VectorExpander(system, opts, (hi, lo, parent, action) => store().insert(hi, lo, parent, action, NO_CHOICE, this.expander.vector), new Frontier(this.record));
    if (disk.resume) {
      const r = SearchFiles.resume(disk, this.record);
      this.files = r.files;
      const m = r.manifest;
      this.current = r.current;
      this.next = r.next;
      this.depth = m.depth;
      this.consumed = m.current.consumed;
      this.expander.step.generated = m.generated;
      this.expander.step.fired.set(m.fired);
      this.expander.found.set(m.found);
      this.levels.push(...m.levels);
      this.resumed = { depth: m.depth, level: { data: NO_DATA, count: r.current.count, owner: 0 }, elapsedMs: m.elapsedMs };
    } else if (how.memory) {
      const mem = how.memory;
      this.files = SearchFiles.fromMemory(mem.store, disk, this.record);
      this.spilledAt = mem.store.size;
      this.depth = mem.depth;
      const current = (this.current = this.files.level(mem.depth));
      mem.level.each((records, n) => current.pushRecords(records, n));
      current.flush(this.files.checkpointing);
      this.expander.step.generated = mem.generated;
      this.expander.step.fired.set(mem.fired);
      this.expander.found.set(mem.found);
    } else {
      this.files = SearchFiles.start(disk, this.record);
    }
    this.files.store.onNew = (index, hi, lo, action, v) => this.adoptNew(index, hi, lo, action, v);
    const n = opts.workers ?? 1;
    if (n > 1) {
      if (!system.source) throw new Error(`${system.title}: a search with worker threads needs a system that can be rebuilt in a thread (its source)`);
      const control = new Int32Array(new SharedArrayBuffer(4 * controlLength(n)));
      const counts = new Float64Array(new SharedArrayBuffer(16 * n));
      this.threads = {
        n,
        control,
        helpers: startWorkers(system, opts, n, control, counts, true),
        self: new Participant(system, opts, control, counts, n - 1, n, undefined, true),
        batch: new Int32Array(new SharedArrayBuffer(4 * DiskQueue.BLOCK * this.record)),
        scratch: new Int32Array(system.width),
        spares: [],
      };
    }
  }

  static start(system: TransitionSystem, opts: SearchOptions, disk: DiskSearchOptions): DiskLevels {
    return new DiskLevels(system, opts, disk, {});
  }

  /** Continues, on disk, a search whose store and current level are in memory (at a level's end). */
  static fromMemory(
    system: TransitionSystem,
    opts: SearchOptions,
    disk: DiskSearchOptions,
    memory: { store: FingerprintStore; level: LevelRecords; depth: number; generated: number; fired: Uint32Array; found: Uint32Array },
  ): DiskLevels {
    return new DiskLevels(system, opts, disk, { memory });
  }

  get store() {
    return this.files.store;
  }

  /** What the step does with a new state, for one whose lookup the store put off. */
  private adoptNew(index: number, hi: number, lo: number, action: number, v: Int32Array): void {
    const expander = this.expander;
    expander.found[action]++;
    if (this.system.invariants.length > 0) {
      const bad = expander.step.invariantViolation(this.system.decode(v, 0), index);
      if (bad) expander.violations.offer(bad, [1, hi, lo, -1], true);
    }
    expander.next.push(index, v);
  }

  async expand(level: Region[], found: Violations, watch: Watch): Promise<LevelOutcome> {
    const { expander, files } = this;
    const store = files.store;
    expander.violations.clear();
    if (level.length === 0) {
      const next = (this.next = files.level(1));
      expander.next = next;
      expander.initial(initialStates(this.system));
      return this.endLevel(found);
    }
    const current = this.current!;
    this.next ??= files.level(this.depth + 1);
    const next = this.next!;
    expander.next = next;
    // Most duplicates are states of this level and the next: the front table keeps them at a merge.
    store.fingerprintSet.setRecent(store.size - next.count - current.count, store.size - next.count);
    // Where the level stands: a resumed search may begin part-way through it, or at its end.
    this.checkpointIfDue(this.consumed);
    if (this.threads) return this.expandWithThreads(current, found, watch);
    const record = this.record;
    for (let q = this.consumed; q < current.count; ) {
      const { data, at, n } = current.block(q);
      for (let k = 0; k < n; k++, q++) {
        expander.expand(data, at + k * record);
        if (watch.maxStatesReached(store.size)) return this.stop(found, 'max-states', current.count - q - 1);
        if ((q & 1023) === 1023) {
          if (Date.now() - this.lastYield > 50) {
            // Let signal handlers (Ctrl-C) and timers run; the loop is otherwise synchronous.
            await new Promise((r) => setImmediate(r));
            this.lastYield = Date.now();
            const stop = watch.stopReason(store.size);
            if (stop) return this.stop(found, stop, current.count - q - 1);
            this.consumed = q + 1;
            this.checkpointIfDue(q + 1);
          }
          this.consumed = q + 1;
          watch.progress();
        }
      }
    }
    this.levels.push(current.count);
    this.depth++;
    return this.endLevel(found);
  }

  /**
   * Expands the rest of the current level in rounds, with this thread and the worker threads. A stop
   * (Ctrl-C, --max-states) is seen between rounds, so the states left unexpanded are exactly those
   * after the last round.
   */
  private async expandWithThreads(current: DiskQueue, found: Violations, watch: Watch): Promise<LevelOutcome> {
    const t = this.threads!;
    const store = this.files.store;
    let q = this.consumed;
    let pending: { to: number; replies: Promise<FromWorker>[]; mine: FromWorker } | undefined;
    let stopped: SearchResult['stopped'];
    for (;;) {
      // The worker threads are done with the batch once they have replied: it can take the next round.
      const handed = pending ? [...(await Promise.all(pending.replies)), pending.mine] : [];
      let next: Round | undefined;
      if (!stopped && q < current.count) {
        const { data, at, n } = current.block(q);
        t.batch.set(data.subarray(at, at + n * this.record));
        Atomics.store(t.control, cursorSlot(t.n, 0), 0);
        const chunk = Math.max(1, Math.min(256, Math.floor(n / (t.n * 8))));
        const msg: ToWorker = { newLevel: true, frontiers: [{ buffer: t.batch.buffer as SharedArrayBuffer, count: n, owner: -1 }], storeSize: 0, roomLimit: Infinity, chunk };
        next = { to: q + n, msg, replies: [], joined: new Set() };
        this.join(next);
        q += n;
      }
      if (pending) {
        // The last round's successors, while the worker threads expand this one.
        this.insertHanded(handed);
        this.consumed = pending.to;
        watch.progress();
        stopped ??= watch.stopReason(store.size);
        if (!stopped) this.checkpointIfDue(pending.to);
      }
      if (!next) break;
      t.self.begin(next.msg);
      // This thread's part, looking up every 50 ms so that signals are handled and a worker thread
      // that has just started joins this round.
      while (t.self.work(Date.now() + 50) === 'more') {
        await new Promise((r) => setImmediate(r));
        this.join(next);
      }
      pending = { to: next.to, replies: next.replies, mine: t.self.reply(false) };
    }
    if (stopped) return this.stop(found, stopped, current.count - this.consumed);
    this.levels.push(current.count);
    this.depth++;
    return this.endLevel(found);
  }

  /** Sends the round to the worker threads that have started and are not in it yet. */
  private join(r: Round): void {
    const t = this.threads!;
    for (const h of t.helpers) {
      if (h.failed) throw new Error(`a worker thread failed to start: ${h.failed.message}`);
      h.ready ||= Atomics.load(t.control, CONTROL.ready + h.id) === 1;
      if (!h.ready || r.joined.has(h)) continue;
      r.joined.add(h);
      const spare = t.spares.pop();
      r.replies.push(round(h.worker, spare ? { ...r.msg, spare } : r.msg, spare ? [spare] : []));
    }
  }

  /** Stores a round's successors, as the step would have: the new ones are queued and checked (adoptNew). */
  private insertHanded(replies: FromWorker[]): void {
    const { expander, files, system } = this;
    const store = files.store;
    const { step } = expander;
    const v = this.threads!.scratch;
    const record = OUTBOX_HEADER + system.width;
    for (const r of replies) {
      for (const f of r.violations) expander.violations.offer(fromWire(system, f.wire), f.key, f.inNextLevel);
      const h = r.handed!;
      step.generated += h.generated;
      for (let a = 0; a < h.fired.length; a++) step.fired[a] += h.fired[a];
      const d = new Int32Array(h.outbox.buffer, 0, h.outbox.length);
      for (let at = 0; at < d.length; at += record) {
        for (let i = 0; i < v.length; i++) v[i] = d[at + OUTBOX_HEADER + i];
        const index = store.insert(d[at], d[at + 1], d[at + 2], d[at + 3], NO_CHOICE, v);
        if (index >= 0) this.adoptNew(index, d[at], d[at + 1], d[at + 3], v);
      }
      if (r.id === this.threads!.n - 1) (this.threads!.self.expander as OutboxExpander).recycle(h.outbox.buffer);
      else this.threads!.spares.push(h.outbox.buffer);
    }
  }

  /** Answers the put-off lookups, closes the level's file and makes the next level current. */
  private endLevel(found: Violations): LevelOutcome {
    const files = this.files;
    files.store.settle();
    if (this.current) files.finishLevel(this.current);
    const next = this.next!;
    next.flush(files.checkpointing);
    this.current = next;
    this.next = undefined;
    this.consumed = 0;
    found.merge(this.expander.violations.all());
    return { next: next.count > 0 ? [{ data: NO_DATA, count: next.count, owner: 0 }] : [], unexpanded: 0 };
  }

  /** Ends a level early; the put-off lookups are answered first, so that the counts are exact. */
  private stop(found: Violations, stopped: SearchResult['stopped'], unexpanded: number): LevelOutcome {
    const next = this.next!;
    this.files.store.settle();
    found.merge(this.expander.violations.all());
    return { next: next.count > 0 ? [{ data: NO_DATA, count: next.count, owner: 0 }] : [], stopped, unexpanded };
  }

  private checkpointIfDue(consumed: number): void {
    const every = this.disk.checkpoint?.everyMs;
    if (every === undefined || performance.now() - this.lastCheckpoint < every || this.expander.violations.size > 0) return;
    // The put-off lookups first: a checkpoint holds no state half stored, and one of them may break an invariant.
    this.files.store.settle();
    if (this.expander.violations.size > 0) return;
    this.files.checkpoint(this.current!, this.next!, this.position(consumed));
    this.lastCheckpoint = performance.now();
  }

  private readonly started = Date.now();

  private position(consumed: number): SearchPosition {
    const { step, found } = this.expander;
    return { depth: this.depth, consumed, generated: step.generated, fired: [...step.fired], found: [...found], levels: [...this.levels], elapsedMs: (this.resumed?.elapsedMs ?? 0) + Date.now() - this.started };
  }

  /** An estimate of the time left, once the level sizes shrink. */
  timeLeft(): number | undefined {
    const expanded = this.levels.reduce((a, b) => a + b, 0) + this.consumed;
    const elapsed = (this.resumed?.elapsedMs ?? 0) + Date.now() - this.started;
    return estimateTimeLeft(this.levels, this.current?.count ?? 0, this.consumed, this.next?.count ?? 0, expanded / Math.max(1, elapsed));
  }

  diskUse(): DiskUse {
    const set = this.files.store.fingerprintSet;
    return { bytes: this.files.diskBytes(), spilledAtStates: this.spilledAt, merges: set.merges, mergeMs: set.mergeMs, pageReads: set.pageReads(), checkpoints: this.files.checkpoints };
  }

  generated(): number {
    return this.expander.step.generated;
  }
  distinct(): number {
    return this.files.store.size;
  }
  coverage(): { fired: Uint32Array; found: Uint32Array } {
    return { fired: this.expander.step.fired, found: this.expander.found };
  }
  async close(): Promise<void> {
    // The files stay open until the trace is rebuilt: the store's close() ends them.
    this.files.store.links.flush();
    if (this.threads) await Promise.all(this.threads.helpers.map((h) => h.worker.terminate()));
  }
}
