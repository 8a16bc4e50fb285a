// Expanding levels with the states on disk (--store disk, --checkpoint, --resume): one participant,
// this thread, over a store on disk (../store/disk-store.ts) and one queue file per level. The level
// loop (bfs.ts) is the same as in memory; a level here is a file, so the regions it passes around
// carry only the count. The store puts off the lookups it cannot answer without reading the disk
// and answers them in batches (DiskStore.settle); this runner treats each state proved new then as
// the step would have (coverage, invariants, the next level). It writes checkpoints between states.
import type { DiskUse, SearchResult } from '../result.ts';
import { DiskQueue } from '../store/disk-queue.ts';
import { Frontier } from '../store/frontier.ts';
import { SearchFiles, type DiskSearchOptions, type SearchPosition } from '../store/search-files.ts';
import type { FingerprintStore } from '../store/memory.ts';
import { estimateTimeLeft } from '../store/time-left.ts';
import { initialStates, NO_CHOICE, type ActionInstance, type ChoicePath, type State, type TransitionSystem } from '../system.ts';
import { Expander, type LevelOutcome, type LevelRunner, type Region, type SearchOptions, type Watch } from './bfs.ts';
import type { Violations } from './violations.ts';

const NO_DATA: Int32Array = new Int32Array(0);

/** An Expander that lets the store see the vector it is asked to store (to keep it while its lookup waits). */
class VectorExpander extends Expander {
  vector: Int32Array = NO_DATA;
  override stored(next: State, vector: Int32Array, hi: number, lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void {
    this.vector = vector;
    super.stored(next, vector, hi, lo, action, choice, encoded);
  }
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
  private lastCheckpoint = Date.now();
  /** Where a resumed search starts: the depth and the level it was in. */
  readonly resumed?: { depth: number; level: Region; elapsedMs: number };
  /** Distinct states when the search moved to disk from memory (0: it started there). */
  private spilledAt = 0;

  private constructor(
    private readonly system: TransitionSystem,
    opts: SearchOptions,
    private readonly disk: DiskSearchOptions,
    how: { memory?: { store: FingerprintStore; level: Region; depth: number; generated: number; fired: Uint32Array; found: Uint32Array } },
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
      this.current = this.files.level(mem.depth);
      this.current.pushRecords(mem.level.data, mem.level.count);
      this.current.flush(this.files.checkpointing);
      this.expander.step.generated = mem.generated;
      this.expander.step.fired.set(mem.fired);
      this.expander.found.set(mem.found);
    } else {
      this.files = SearchFiles.start(disk, this.record);
    }
    this.files.store.onNew = (index, hi, lo, action, v) => this.adoptNew(index, hi, lo, action, v);
  }

  static start(system: TransitionSystem, opts: SearchOptions, disk: DiskSearchOptions): DiskLevels {
    return new DiskLevels(system, opts, disk, {});
  }

  /** Continues, on disk, a search whose store and current level are in memory (at a level's end). */
  static fromMemory(
    system: TransitionSystem,
    opts: SearchOptions,
    disk: DiskSearchOptions,
    memory: { store: FingerprintStore; level: Region; depth: number; generated: number; fired: Uint32Array; found: Uint32Array },
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
    const bad = expander.step.invariantViolation(this.system.decode(v, 0), index);
    if (bad) expander.violations.offer(bad, [1, hi, lo, -1], true);
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
    this.checkpointIfDue(0);
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
    if (every === undefined || Date.now() - this.lastCheckpoint < every || this.expander.violations.size > 0) return;
    // The put-off lookups first: a checkpoint holds no state half stored, and one of them may break an invariant.
    this.files.store.settle();
    if (this.expander.violations.size > 0) return;
    this.files.checkpoint(this.current!, this.next!, this.position(consumed));
    this.lastCheckpoint = Date.now();
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
  }
}
