// Breadth-first search, level by level, so that the first violation found has a shortest trace.
// One level loop for any number of workers: it handles the initial states, ends each level,
// chooses the violation to report and writes the statistics. Expanding a level is the only part
// that differs: in this thread (LocalLevels, below), or by N participants over a shared store
// (ThreadedLevels, parallel.ts). Either way each state goes through the one step (../step.ts).
import type { DiskUse, SearchResult, Violation } from '../result.ts';
import type { DiskSearchOptions } from '../store/search-files.ts';
import { estimateTimeLeft } from '../store/time-left.ts';
import type { DiskLevels, LevelRecords } from './disk-levels.ts';
import { Step, type StepHandler, type ViolationKey } from '../step.ts';
import { collisionProbability } from '../store/fingerprint.ts';
import { WIDE } from '../store/frontier.ts';
import { Frontier } from '../store/frontier.ts';
import { levelQueue, PackedFrontier } from '../store/packed-frontier.ts';
import { actionBytes, FingerprintStore } from '../store/memory.ts';
import type { LevelQueue, StateStore } from '../store/store.ts';
import type { Canonicaliser } from '../symmetry/canonicalise.ts';
import { type ActionInstance, type ChoicePath, initialStates, NO_CHOICE, type State, type TransitionObserver, type TransitionSystem } from '../system.ts';
import { Violations } from './violations.ts';

export interface SearchOptions {
  canonicalise?: Canonicaliser;
  /**
   * Go on past violations (TLC's -continue) and keep, for each property, the least violation of the
   * first level that violates it; `violation` stays the one a run without this option reports.
   */
  continue?: boolean;
  /** Report states without successors (default: the system's setting). */
  deadlock?: boolean;
  /** Participants in each level: this thread and workers - 1 worker threads (default 1). */
  workers?: number;
  maxStates?: number;
  /** Do not expand states at this depth (initial states are depth 1). */
  maxDepth?: number;
  /** Called about every `progressEveryMs` with the statistics so far. */
  onProgress?: (p: Progress) => void;
  /** Called at every look-up (each level's end, and often within a level) with the counts so far, for a thread that may be ended at any moment. */
  onLevel?: (counts: SearchCounts) => void;
  progressEveryMs?: number;
  /** Polled between states; set `stop` to end the search early (Ctrl-C). */
  control?: { stop?: 'interrupted' | 'max-memory' };
  /** Stop cleanly (stopped: 'max-memory') once the process's resident memory exceeds this many bytes. */
  maxMemory?: number;
  /** Told of every transition (one worker only: it runs in this thread). */
  observer?: TransitionObserver;
  /** The store to search into (one worker; default a new in-memory FingerprintStore). */
  store?: StateStore;
  /**
   * Keep the states on disk, from the start (any number of workers: disk-levels.ts), or once memory
   * reaches a share of the budget (one worker).
   */
  disk?: DiskSearchOptions;
  /** Who expands the levels instead of this process's threads (a partitioned search, partitioned.ts). */
  levels?: (system: TransitionSystem, opts: SearchOptions) => Promise<LevelRunner>;
}

/** The search's counts so far. */
export interface SearchCounts {
  depth: number;
  distinct: number;
  generated: number;
  queue: number;
}

export interface Progress extends SearchCounts {
  elapsedMs: number;
  storeBytes: number;
  rssBytes: number;
  /** Bytes the search keeps on disk (a search on disk). */
  diskBytes?: number;
  /** An estimate of the time left, when the level sizes allow one. */
  leftMs?: number;
}

/** A level's states as one participant wrote them. */
export interface Region {
  data: Int32Array;
  count: number;
  /** The participant that wrote it. */
  owner: number;
}

/** What expanding a level gives: the next level, or why it stopped before the end. */
export interface LevelOutcome {
  next: Region[];
  stopped?: SearchResult['stopped'];
  /** States of the level left unexpanded (when stopped). */
  unexpanded: number;
  /** The depth of `next`, when a runner resumes a search part-way (default: the initial states' 1). */
  depth?: number;
}

/** How a level is expanded: by this thread alone, or by N participants. */
export interface LevelRunner {
  readonly store: StateStore;
  /** Expands every state of `level` (unless the watch says stop), collecting violations into `found`. */
  expand(level: Region[], found: Violations, watch: Watch): Promise<LevelOutcome>;
  generated(): number;
  distinct(): number;
  coverage(): { fired: Uint32Array; found: Uint32Array };
  close(): Promise<void>;
  /** A resumed search: the depth and the level it continues (DiskLevels). */
  readonly resumed?: { depth: number; level: Region; elapsedMs: number };
  /** What went to disk (DiskLevels). */
  diskUse?(): DiskUse;
  /** An estimate of the time left. */
  timeLeft?(): number | undefined;
}

/**
 * Expands states with the one step and keeps what a breadth-first search keeps of them: new states
 * in the store and the next level's queue, the least violation of each property, coverage. Each
 * participant of a level has one.
 */
export class Expander implements StepHandler {
  readonly step: Step;
  readonly found: Uint32Array;
  readonly violations = new Violations();
  next: LevelQueue;
  /** The store index of the state being expanded. */
  protected parent = -1;
  /** Place of the initial state being admitted among the system's initial states. */
  private position = -1;

  constructor(
    system: TransitionSystem,
    opts: { canonicalise?: Canonicaliser; deadlock?: boolean; observer?: TransitionObserver },
    /** Adds a state to the store: its new index, or -1 when it is already there. */
    protected readonly insert: (hi: number, lo: number, parent: number, action: number, choice: ChoicePath) => number,
    next: LevelQueue,
    /** Looks a stored state up (only an observer needs it). */
    private readonly find?: (hi: number, lo: number) => number,
  ) {
    // The expander keeps no state it is handed: the step may give guards and recipes views.
    this.step = new Step(system, this, { ...opts, views: true });
    this.found = new Uint32Array(system.actions.length);
    this.observer = opts.observer;
    this.invariants = system.invariants.length > 0;
    this.next = next;
  }
  private readonly observer?: TransitionObserver;
  protected readonly invariants: boolean;

  /** Expands the state whose [index, vector] record starts at data[at]. */
  expand(data: Int32Array, at: number): void {
    this.parent = data[at];
    this.step.expand(data, at + 1, this.parent);
  }

  /** Admits the system's initial states. */
  initial(values: Iterable<unknown>): void {
    this.parent = -1;
    let i = 0;
    for (const value of values) {
      this.position = i;
      this.step.initial(value, i++);
    }
    this.position = -1;
  }

  // The hot path of every search: kept small, with the rare cases in calls of their own, so that the
  // compiler inlines it, the store's insert, the fingerprint and the frontier's push into the step.
  stored(next: State, vector: Int32Array, hi: number, lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void {
    const a = action ? action.id : -1;
    const index = this.insert(hi, lo, this.parent, a, choice);
    if (this.observer !== undefined) this.observe(index, hi, lo, a, choice, encoded);
    if (index < 0) return;
    if (action) this.found[a]++;
    if (this.invariants) this.checkInvariants(next, index, hi, lo, action, encoded);
    this.next.push(index, vector);
  }

  private observe(index: number, hi: number, lo: number, a: number, choice: ChoicePath, encoded: Int32Array): void {
    this.observer!(this.parent, index < 0 ? this.find!(hi, lo) : index, a, choice, encoded);
  }

  /** `next` may be left out where `encoded` is given: the invariants read the state from it. */
  protected checkInvariants(next: State | undefined, index: number, hi: number, lo: number, action: ActionInstance | undefined, encoded: Int32Array): void {
    const bad = this.step.invariantViolation(next, index, undefined, encoded);
    if (bad) this.violations.offer(bad, action ? [1, hi, lo, -1] : [1, 0, 0, this.position], !!action);
  }

  pruned(_next: State, encoded: Int32Array | undefined, action: ActionInstance | undefined, choice: ChoicePath): void {
    if (this.observer !== undefined && encoded) this.observer(this.parent, -1, action ? action.id : -1, choice, encoded);
  }

  violation(v: Violation, key: ViolationKey): void {
    this.violations.offer(v, key);
  }
}

/** Successors looked up in the store at a time (BatchedExpander). */
const BATCH = 16;

/**
 * An expander that looks successors up in the store a batch at a time: first it reads the slot
 * where each lookup starts, then it inserts them. Each lookup reads a random place of a table far
 * bigger than the caches: one after another, with a step between them, each waits for memory on its
 * own; read together, they wait for it at once (the processor overlaps the reads). What a stored
 * successor needs later (its vector, its encoding for the invariants) is copied into the batch.
 * Nothing else changes: the least violation of each property does not depend on the order in which
 * states were looked up. The owner flushes the batch before it reads the store's size or the queue.
 */
export class BatchedExpander extends Expander {
  declare next: Frontier | PackedFrontier;
  private pending = 0;
  private readonly his = new Int32Array(BATCH);
  private readonly los = new Int32Array(BATCH);
  private readonly parents = new Int32Array(BATCH);
  private readonly actionsOf: ActionInstance[] = new Array(BATCH);
  private readonly choices: ChoicePath[] = new Array(BATCH).fill(NO_CHOICE);
  /** The vectors to queue, and the concrete encodings where they differ (symmetry, views): BATCH * width each. */
  private readonly vectors: Int32Array;
  private readonly encodings: Int32Array;
  private readonly differ: Uint8Array = new Uint8Array(BATCH);
  /** One state's encoding, for the invariants. */
  private readonly scratch: Int32Array;
  /** What the reads of a batch gave, kept so that the compiler does not drop them. */
  touched = 0;

  constructor(
    system: TransitionSystem,
    opts: { canonicalise?: Canonicaliser; deadlock?: boolean },
    insert: (hi: number, lo: number, parent: number, action: number, choice: ChoicePath) => number,
    next: Frontier | PackedFrontier,
    /** Reads the slot where a lookup of `hi` starts. */
    private readonly touch: (hi: number) => number,
    private readonly width: number,
  ) {
    super(system, opts, insert, next);
    this.vectors = new Int32Array(BATCH * width);
    this.encodings = new Int32Array(BATCH * width);
    this.scratch = new Int32Array(width);
  }

  override stored(next: State, vector: Int32Array, hi: number, lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void {
    if (action === undefined) {
      // An initial state: its place among them orders its violations, so it is looked up at once.
      this.flush();
      super.stored(next, vector, hi, lo, action, choice, encoded);
      return;
    }
    const k = this.pending;
    this.his[k] = hi;
    this.los[k] = lo;
    this.parents[k] = this.parent;
    this.actionsOf[k] = action;
    this.choices[k] = choice;
    const w = this.width;
    const vectors = this.vectors;
    const at = k * w;
    // A wide state (a set of many messages) is copied by one memcpy; a narrow one slot by slot.
    if (w > WIDE) vectors.set(vector.subarray(0, w), at);
    else for (let i = 0; i < w; i++) vectors[at + i] = vector[i];
    const differs = vector !== encoded && this.invariants;
    this.differ[k] = differs ? 1 : 0;
    if (differs) {
      const encodings = this.encodings;
      for (let i = 0; i < w; i++) encodings[at + i] = encoded[i];
    }
    if (++this.pending === BATCH) this.flush();
  }

  /** Looks up and stores what the batch holds. */
  flush(): void {
    const n = this.pending;
    if (n === 0) return;
    this.pending = 0;
    const { his, los, touch } = this;
    let t = 0;
    for (let k = 0; k < n; k++) t ^= touch(his[k]);
    this.touched = t;
    const w = this.width;
    for (let k = 0; k < n; k++) {
      const action = this.actionsOf[k];
      const a = action.id;
      const index = this.insert(his[k], los[k], this.parents[k], a, this.choices[k]);
      if (index < 0) continue;
      this.found[a]++;
      if (this.invariants) {
        const scratch = this.scratch;
        const from = this.differ[k] === 1 ? this.encodings : this.vectors;
        for (let i = 0; i < w; i++) scratch[i] = from[k * w + i];
        this.checkInvariants(undefined, index, his[k], los[k], action, scratch);
      }
      this.next.pushFrom(index, this.vectors, k * w);
    }
  }
}

/**
 * Looks up between states: Ctrl-C, the memory limit, --max-states, and progress lines. Both
 * runners call it; the level loop owns it.
 */
export class Watch {
  private lastProgress: number;
  constructor(
    private readonly opts: SearchOptions,
    private readonly start: number,
    private readonly counts: () => SearchCounts,
    /** The rest of a progress line (store and disk sizes, time left), worked out only when one is due. */
    private readonly sizes: () => Omit<Progress, keyof SearchCounts | 'elapsedMs' | 'rssBytes'>,
  ) {
    this.lastProgress = start;
  }
  /** Why the search must stop now, if it must. */
  stopReason(distinct: number): SearchResult['stopped'] | undefined {
    const opts = this.opts;
    if (opts.maxMemory !== undefined && process.memoryUsage.rss() > opts.maxMemory) opts.control = { ...opts.control, stop: 'max-memory' };
    if (opts.control?.stop) return opts.control.stop;
    if (opts.maxStates !== undefined && distinct >= opts.maxStates) return 'max-states';
    return undefined;
  }
  maxStatesReached(distinct: number): boolean {
    return this.opts.maxStates !== undefined && distinct >= this.opts.maxStates;
  }
  progress(): void {
    const { onProgress, onLevel, progressEveryMs } = this.opts;
    onLevel?.(this.counts());
    const now = Date.now();
    if (!onProgress || now - this.lastProgress < (progressEveryMs ?? 60_000)) return;
    this.lastProgress = now;
    onProgress({ ...this.counts(), ...this.sizes(), elapsedMs: now - this.start, rssBytes: process.memoryUsage.rss() });
  }
}

export async function search(system: TransitionSystem, opts: SearchOptions): Promise<{ result: SearchResult; store: StateStore }> {
  const start = Date.now();
  const workers = opts.workers ?? 1;
  if (workers > 1 && opts.observer) throw new Error('a search with an observer runs in one thread: use one worker');
  if (workers > 1 && opts.store) throw new Error('a search with worker threads uses its own shared store');
  if (opts.observer && opts.disk) throw new Error('a search on disk runs without an observer');
  if (workers > 1 && opts.disk?.spillAt !== undefined) throw new Error('a search that moves to disk half-way runs in one thread: search on disk from the start');
  const onDisk = opts.disk ? (await import('./disk-levels.ts')).DiskLevels : undefined;
  let runner: LevelRunner = opts.levels
    ? await opts.levels(system, opts)
    : onDisk && opts.disk!.spillAt === undefined
      ? onDisk.start(system, opts, opts.disk!)
      : workers > 1
        ? await (await import('./parallel.ts')).ThreadedLevels.start(system, opts, workers)
        : new LocalLevels(system, opts);
  const found = new Violations();
  let depth = 0;
  let queue = 0;
  let current: Region[] = [];
  let stopped: SearchResult['stopped'];
  let violation: Violation | undefined;
  const levelSize = (rs: Region[]) => rs.reduce((k, r) => k + r.count, 0);
  // On disk the memory stays within the shares of the budget each part was given: no stop at it.
  const watch = new Watch(
    opts.disk ? { ...opts, maxMemory: undefined } : opts,
    start,
    () => ({ depth, distinct: runner.distinct(), generated: runner.generated(), queue: levelSize(current) }),
    () => ({ storeBytes: runner.store.bytes(), diskBytes: runner.diskUse?.().bytes, leftMs: runner.timeLeft?.() }),
  );
  const earlierMs = runner.resumed?.elapsedMs ?? 0;

  const keepGoing = !!opts.continue;
  /** With keepGoing: the least violation of the first level that had any (what a plain run reports). */
  let firstLeast: Violation | undefined;
  const expand = async (level: Region[]): Promise<LevelOutcome> => {
    if (!keepGoing) return runner.expand(level, found, watch);
    const here = new Violations();
    const out = await runner.expand(level, here, watch);
    firstLeast ??= here.least()?.violation;
    found.addNew(here.all());
    return out;
  };

  let failed = true;
  try {
    if (runner.resumed) {
      depth = runner.resumed.depth;
      current = [runner.resumed.level];
    } else {
      // Initial states: depth 1, checked before anything is expanded.
      const first = await expand([]);
      current = first.next;
      if (levelSize(current) > 0 || found.size > 0) depth = first.depth ?? 1;
    }
    while ((keepGoing || found.size === 0) && levelSize(current) > 0) {
      if (opts.maxDepth !== undefined && depth >= opts.maxDepth) {
        stopped = 'max-depth';
        queue = levelSize(current);
        break;
      }
      const out = await expand(current);
      // A level with a violation is still expanded to its end, and the least violation of each
      // property kept (Violations): the verdict, the counts and the violating state are then the
      // ones any number of workers finds, and a deadlock, whose trace is a state shorter, comes first.
      if (out.stopped || (!keepGoing && found.size > 0)) {
        const least = found.least();
        if (!least || keepGoing) stopped = out.stopped;
        if (least?.inNextLevel || levelSize(out.next) > 0) depth++;
        queue = out.unexpanded + levelSize(out.next);
        current = [];
        break;
      }
      current = out.next;
      if (levelSize(current) > 0) depth++;
      // Also between levels: a search of many small levels then reports its progress too.
      watch.progress();
      if (runner instanceof LocalLevels && opts.disk?.spillAt !== undefined && process.memoryUsage.rss() > opts.disk.spillAt && levelSize(current) > 0) {
        // The process has reached its share of the budget: the search goes on on disk, from this level.
        runner = runner.toDisk(onDisk!, opts.disk, current[0], depth);
        current = [{ data: new Int32Array(0), count: levelSize(current), owner: 0 }];
      }
    }
    violation = keepGoing ? firstLeast : found.least()?.violation;
    failed = false;
    const generated = runner.generated();
    const distinct = runner.distinct();
    return {
      result: {
        stats: {
          generated,
          distinct,
          queue,
          depth,
          durationMs: earlierMs + Date.now() - start,
          collisionProbability: collisionProbability(distinct, generated),
          complete: (keepGoing || !violation) && !stopped && queue === 0,
          storeBytes: runner.store.bytes(),
          ...(runner.diskUse ? { disk: runner.diskUse() } : {}),
        },
        violation,
        violations: found.all().map((f) => f.violation),
        stopped,
        coverage: runner.coverage(),
      },
      store: runner.store,
    };
  } finally {
    if (!failed) await runner.close();
    else {
      // A search that failed (the disk under it full) leaves no trace to rebuild: its store, and the
      // files of a search on disk, go now; what is reported is the failure itself.
      await runner.close().catch(() => undefined);
      try {
        runner.store.close?.();
      } catch {
        // The same failure again, closing: the first one is the one to report.
      }
    }
  }
}

/** One participant: this thread expands each level alone, into a store of its own. */
class LocalLevels implements LevelRunner {
  readonly store: StateStore;
  private readonly expander: Expander;
  /** Packed where the system bounds its slots tightly enough (PackedFrontier). */
  private readonly frontiers: [Frontier | PackedFrontier, Frontier | PackedFrontier];
  /** One record of a packed level, unpacked for the step. */
  private readonly unpacked: Int32Array;
  private lastYield = Date.now();
  /** For the estimate of the time left: sizes of the levels expanded, and the one under way. */
  private readonly levels: number[] = [];
  private level = { count: 0, done: 0 };
  private readonly started = Date.now();

  constructor(
    private readonly system: TransitionSystem,
    private readonly opts: SearchOptions,
  ) {
    const store = opts.store ?? new FingerprintStore(actionBytes(system.actions.length), { choices: !!system.choices });
    this.store = store;
    const record = system.width + 1;
    this.frontiers = [levelQueue(system), levelQueue(system)];
    this.unpacked = new Int32Array(record);
    const insert = (hi: number, lo: number, parent: number, action: number, choice: ChoicePath) => store.insert(hi, lo, parent, action, choice);
    // Lookups in batches, where nothing reads the store between two states: an observer is told of
    // each transition as it is taken, and --max-states stops at the state that reaches the bound.
    this.expander =
      store instanceof FingerprintStore && !opts.observer && opts.maxStates === undefined
        ? new BatchedExpander(system, opts, insert, this.frontiers[0], (hi) => store.touch(hi), system.width)
        : new Expander(system, opts, insert, this.frontiers[0], (hi, lo) => store.find(hi, lo));
  }

  /** Stores what the expander holds back (BatchedExpander), before anything counts or reads the store. */
  private flush(): void {
    if (this.expander instanceof BatchedExpander) this.expander.flush();
  }

  async expand(level: Region[], found: Violations, watch: Watch): Promise<LevelOutcome> {
    const { expander, store } = this;
    // Two frontiers, the level being expanded and the next, swapped after each level.
    const next = this.frontiers[0].data === level[0]?.data ? this.frontiers[1] : this.frontiers[0];
    next.clear();
    expander.next = next;
    expander.violations.clear();
    const outcome = (stopped?: SearchResult['stopped'], unexpanded = 0): LevelOutcome => {
      this.flush();
      found.merge(expander.violations.all());
      return { next: next.count > 0 ? [{ data: next.data, count: next.count, owner: 0 }] : [], stopped, unexpanded };
    };
    if (level.length === 0) {
      expander.initial(initialStates(this.system));
      return outcome();
    }
    const record = this.system.width + 1;
    const { data, count } = level[0];
    // Both frontiers have the one layout: either reads the other's records.
    const packed = next instanceof PackedFrontier ? next : undefined;
    const unpacked = this.unpacked;
    this.level = { count, done: 0 };
    for (let q = 0; q < count; q++) {
      if (packed !== undefined) {
        packed.readIn(data, q, unpacked);
        expander.expand(unpacked, 0);
      } else expander.expand(data, q * record);
      if (watch.maxStatesReached(store.size)) return outcome('max-states', count - q - 1);
      if ((q & 1023) === 1023) {
        this.flush();
        const now = Date.now();
        if (now - this.lastYield > 50) {
          // Let signal handlers (Ctrl-C) and timers run; the loop is otherwise synchronous.
          await new Promise((r) => setImmediate(r));
          this.lastYield = Date.now();
          const stop = watch.stopReason(store.size);
          if (stop) return outcome(stop, count - q - 1);
        }
        this.level.done = q + 1;
        watch.progress();
      }
    }
    this.flush();
    this.levels.push(count);
    this.level = { count: 0, done: 0 };
    if (Date.now() - this.lastYield > 50) {
      // Many small levels must not keep Ctrl-C waiting either.
      await new Promise((r) => setImmediate(r));
      this.lastYield = Date.now();
      const stop = watch.stopReason(0);
      if (stop && expander.violations.size === 0) return outcome(stop, 0);
    }
    return outcome();
  }

  generated(): number {
    return this.expander.step.generated;
  }
  distinct(): number {
    return this.store.size;
  }
  coverage(): { fired: Uint32Array; found: Uint32Array } {
    return { fired: this.expander.step.fired, found: this.expander.found };
  }
  timeLeft(): number | undefined {
    const { count, done } = this.level;
    const expanded = this.levels.reduce((a, b) => a + b, 0) + done;
    return estimateTimeLeft(this.levels, count, done, this.expander.next.count, expanded / Math.max(1, Date.now() - this.started));
  }
  async close(): Promise<void> {}

  /** The same search on disk from here (at a level's end): the store and the level to expand move there. */
  toDisk(levels: typeof DiskLevels, disk: DiskSearchOptions, level: Region, depth: number): DiskLevels {
    const { step, found } = this.expander;
    const [packed] = this.frontiers;
    const records: LevelRecords = {
      count: level.count,
      each: (write) => {
        if (!(packed instanceof PackedFrontier)) return write(level.data, level.count);
        // Unpacked a run at a time: the whole level at once would take the memory the spill frees.
        const run = 4096;
        const out = new Int32Array(run * this.unpacked.length);
        for (let q = 0; q < level.count; q += run) {
          const n = Math.min(run, level.count - q);
          for (let k = 0; k < n; k++) packed.readIn(level.data, q + k, out, k * this.unpacked.length);
          write(out, n);
        }
      },
    };
    return levels.fromMemory(this.system, this.opts, disk, { store: this.store as FingerprintStore, level: records, depth, generated: step.generated, fired: step.fired, found });
  }
}

