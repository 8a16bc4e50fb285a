// The partitioned search: the level loop of bfs.ts over P partitions of the state space, each owning
// the states whose fingerprint hashes to it and storing only those, in a store of its own. A
// partition expands its states of the level with the one step (../step.ts) and sends each successor,
// in batches, to the partition that owns it; the owner inserts it, and checks its invariants there,
// once, as the one-machine search does on insert. Action properties and deadlock are judged where a
// state is expanded. A level ends when every partition has expanded its states and every batch has
// been stored (expand), and then every partition has made its new states its next level (commit).
//
// The engine knows no transport: partitions talk through PartitionLink (batches to an owner) and
// the coordinator through Cluster (expand, commit, trace look-ups, recovery). LocalCluster runs P
// partitions in this process; a broker-backed cluster lives in the front end.
//
// Counts and verdicts are the one-machine ones: the set of states is the same, every successor is
// generated once, and the violation reported is the least of each property by a key that does not
// depend on where or when it was found (violations.ts). Parent links stay with the owner, as
// (parent partition, parent index); the coordinator fetches the path of the violation it reports
// and rebuilds the trace by replay (trace/rebuild.ts) from it.
import type { Violation } from '../result.ts';
import { Step, type StepHandler, type ViolationKey } from '../step.ts';
import { Frontier } from '../store/frontier.ts';
import { levelQueue, PackedFrontier } from '../store/packed-frontier.ts';
import { actionBytes, FingerprintStore } from '../store/memory.ts';
import type { StateStore } from '../store/store.ts';
import { canonicaliser, type Canonicaliser } from '../symmetry/canonicalise.ts';
import type { ActionInstance, ChoicePath, State, TransitionSystem } from '../system.ts';
import type { LevelOutcome, LevelRunner, Region, SearchOptions, Watch } from './bfs.ts';
import { type Found, Violations } from './violations.ts';

/** The partition that owns a fingerprint (the store's table is addressed by `hi`, so this uses `lo`). */
export function partitionOf(lo: number, partitions: number): number {
  return (lo >>> 0) % partitions;
}

/**
 * A successor record, as batches carry it and partition logs keep it: the transition that reached
 * the state, its fingerprint, its choice path and its canonical encoding.
 */
const R = { parentPartition: 0, parentIndex: 1, action: 2, position: 3, hi: 4, lo: 5, choices: 6 } as const;
const HEADER = 7;

/** A state's global id, as violations and the coordinator name it: its index in its owner's store, and the owner. */
export function globalId(partition: number, index: number, partitions: number): number {
  return index < 0 ? -1 : index * partitions + partition;
}

/**
 * Where batches go: to the partition that owns their states. Resolves once the owner has stored
 * them, with the bytes that crossed the wire (0 when the owner is in this process).
 */
export interface PartitionLink {
  send(to: number, batch: Int32Array): Promise<number>;
}

/** A violation as it crosses processes: the action by its id. */
export interface WireFound {
  violation: Omit<Violation, 'step' | 'error'> & { actionId?: number; next?: State; choice?: ChoicePath; hasStep: boolean; error?: string; stack?: string };
  key: ViolationKey;
  inNextLevel: boolean;
}

export interface ExpandReport {
  /** Successors generated in this level. */
  generated: number;
  /** Per action instance, successors generated in this level. */
  fired: number[];
  violations: WireFound[];
  /** Successor records sent through the broker, and the bytes of their batches (those to a partition in the same process stay in memory). */
  sentRecords: number;
  sentBytes: number;
}

export interface CommitReport {
  /** New states stored in the level, now the partition's next level. */
  inserted: number;
  /** Per action instance, new states it reached in this level. */
  found: number[];
  /** Violations of invariants found when the new states were stored. */
  violations: WireFound[];
  storeBytes: number;
}

/** One state on a trace: its fingerprint, the transition that reached it and its parent's global id. */
export interface PathEntry {
  hi: number;
  lo: number;
  action: number;
  choice: number[] | undefined;
  parent: number;
}

export interface PartitionOptions {
  symmetry: boolean;
  deadlock?: boolean;
  /** Int32 slots in a batch before it is sent (default 16384: 64 KiB). */
  batchSlots?: number;
  /** Batches per destination in flight at once. */
  window?: number;
  /** Go on from this committed level (the partitions already rebuilt to it) instead of starting. */
  resume?: Checkpoint;
}

function toWire(f: Found): WireFound {
  const { step, error, ...rest } = f.violation;
  const errorText = error === undefined ? undefined : error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? error.stack : undefined;
  return {
    violation: { ...rest, hasStep: !!step, actionId: step?.action?.id, next: step?.next, choice: step?.choice, error: errorText, stack },
    key: f.key,
    inNextLevel: f.inNextLevel,
  };
}

export function fromWire(system: TransitionSystem, w: WireFound): Found {
  const { hasStep, actionId, next, choice, error, stack, ...rest } = w.violation;
  const violation: Violation = { ...rest };
  if (error !== undefined) {
    // The exception as thrown where the state was expanded, with its stack (where in the spec).
    const thrown = new Error(error);
    if (stack) thrown.stack = stack;
    violation.error = thrown;
  }
  if (hasStep) violation.step = { action: actionId === undefined ? undefined : system.actions[actionId], next, choice };
  return { violation, key: w.key, inNextLevel: w.inNextLevel };
}

/** A growable run of Int32 slots: one destination's batch, or a level's log. */
class Slots {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }
  room(n: number): void {
    if (this.length + n <= this.data.length) return;
    const bigger = new Int32Array(Math.max(this.data.length * 2, this.length + n));
    bigger.set(this.data.subarray(0, this.length));
    this.data = bigger;
  }
  take(): Int32Array {
    const out = this.data.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

/** Appends a successor record to `out`. */
function writeRecord(out: Slots, pp: number, pi: number, action: number, position: number, hi: number, lo: number, choice: ChoicePath, vector: Int32Array, width: number): void {
  const n = HEADER + choice.length + width;
  out.room(n);
  const d = out.data;
  let at = out.length;
  d[at + R.parentPartition] = pp;
  d[at + R.parentIndex] = pi;
  d[at + R.action] = action;
  d[at + R.position] = position;
  d[at + R.hi] = hi;
  d[at + R.lo] = lo;
  d[at + R.choices] = choice.length;
  at += HEADER;
  for (let i = 0; i < choice.length; i++) d[at++] = choice[i];
  for (let i = 0; i < width; i++) d[at++] = vector[i];
  out.length = at;
}

/**
 * One partition: its store, its level frontiers, and the step it expands its states with. Inserts
 * arrive between the states it expands (the search is single-threaded per partition), so an insert
 * never sees a step half done.
 */
export class PartitionNode implements StepHandler {
  readonly store: FingerprintStore;
  /** The partition of each stored state's parent (its index is in the store). */
  private parentPartitions = new Uint16Array(1024);
  /** The partition's levels, packed where the system's slots are bounded (PackedFrontier). */
  private current: Frontier | PackedFrontier;
  private next: Frontier | PackedFrontier;
  /** One packed record, unpacked for the step. */
  private readonly unpacked: Int32Array;
  private readonly step: Step;
  private readonly width: number;
  private readonly outbox: Slots[];
  /** Records in each destination's batch. */
  private readonly outboxRecords: number[];
  private readonly batchSlots: number;
  private readonly window: number;
  private readonly inFlight: Promise<void>[][];
  /** This level's log: the records of the states stored since the last commit, in order. */
  private log: Slots;
  private readonly expandViolations = new Violations();
  private readonly insertViolations = new Violations();
  private found: number[];
  private parent = -1;
  private sentRecords = 0;
  private sentBytes = 0;

  constructor(
    private readonly system: TransitionSystem,
    readonly id: number,
    readonly partitions: number,
    private readonly link: PartitionLink,
    opts: PartitionOptions,
  ) {
    const canon: Canonicaliser | undefined = opts.symmetry && system.symmetry.size > 0 ? canonicaliser(system) : undefined;
    this.store = new FingerprintStore(actionBytes(system.actions.length), { choices: !!system.choices });
    this.width = system.width;
    this.current = levelQueue(system);
    this.next = levelQueue(system);
    this.unpacked = new Int32Array(system.width + 1);
    this.step = new Step(system, this, { canonicalise: canon, deadlock: opts.deadlock });
    this.batchSlots = opts.batchSlots ?? 16384;
    this.window = opts.window ?? 4;
    this.outbox = Array.from({ length: partitions }, () => new Slots(1024));
    this.outboxRecords = new Array<number>(partitions).fill(0);
    this.inFlight = Array.from({ length: partitions }, () => []);
    this.log = new Slots(1024);
    this.found = new Array<number>(system.actions.length).fill(0);
  }

  /** Stores a batch of successor records: new states join the next level, their invariants checked here. */
  insert(batch: Int32Array): void {
    const { store, width, system } = this;
    for (let at = 0; at < batch.length; ) {
      const nc = batch[at + R.choices];
      const end = at + HEADER + nc + width;
      const hi = batch[at + R.hi];
      const lo = batch[at + R.lo];
      const action = batch[at + R.action];
      const choice = nc === 0 ? [] : Array.from(batch.subarray(at + HEADER, at + HEADER + nc));
      const index = store.insert(hi, lo, batch[at + R.parentIndex], action, choice);
      if (index >= 0) {
        this.setParentPartition(index, batch[at + R.parentPartition]);
        const vector = batch.subarray(at + HEADER + nc, end);
        if (action >= 0) this.found[action]++;
        if (system.invariants.length > 0) {
          const s = system.decode(vector, 0);
          const bad = this.step.invariantViolation(s, globalId(this.id, index, this.partitions), undefined, vector);
          if (bad) this.insertViolations.offer(bad, action >= 0 ? [1, hi, lo, -1] : [1, 0, 0, batch[at + R.position]], action >= 0);
        }
        this.next.push(index, vector);
        this.log.room(end - at);
        this.log.data.set(batch.subarray(at, end), this.log.length);
        this.log.length += end - at;
      }
      at = end;
    }
  }

  private setParentPartition(index: number, p: number): void {
    if (index >= this.parentPartitions.length) {
      const bigger = new Uint16Array(this.parentPartitions.length * 2);
      bigger.set(this.parentPartitions);
      this.parentPartitions = bigger;
    }
    this.parentPartitions[index] = p;
  }

  /** Expands the partition's states of the current level; resolves once every successor is stored by its owner. */
  async expand(): Promise<ExpandReport> {
    const { current, step } = this;
    const record = this.width + 1;
    const generated0 = step.generated;
    const fired0 = Array.from(step.fired);
    this.expandViolations.clear();
    this.sentRecords = 0;
    this.sentBytes = 0;
    let lastYield = Date.now();
    try {
      const unpacked = this.unpacked;
      for (let q = 0; q < current.count; q++) {
        if (current instanceof PackedFrontier) {
          current.read(q, unpacked);
          this.parent = unpacked[0];
          step.expand(unpacked, 1, this.parent);
        } else {
          this.parent = current.data[q * record];
          step.expand(current.data, q * record + 1, this.parent);
        }
        for (let p = 0; p < this.partitions; p++) if (this.outbox[p].length >= this.batchSlots) await this.flush(p);
        if ((q & 255) === 255 && Date.now() - lastYield > 50) {
          // Let batches from other partitions in, and the process answer its coordinator's pings.
          await new Promise((r) => setImmediate(r));
          lastYield = Date.now();
        }
      }
      for (let p = 0; p < this.partitions; p++) if (this.outbox[p].length > 0) await this.flush(p);
    } catch (e) {
      // A level given up part-way leaves nothing in flight for the next.
      for (const flying of this.inFlight) flying.length = 0;
      throw e;
    }
    await Promise.all(this.inFlight.flatMap((flying) => flying.splice(0)));
    const fired = Array.from(step.fired, (n, a) => n - fired0[a]);
    return {
      generated: step.generated - generated0,
      fired,
      violations: this.expandViolations.all().map(toWire),
      sentRecords: this.sentRecords,
      sentBytes: this.sentBytes,
    };
  }

  /** Sends partition p's batch, keeping at most `window` of its batches in flight. */
  private async flush(p: number): Promise<void> {
    const batch = this.outbox[p].take();
    const records = this.outboxRecords[p];
    this.outboxRecords[p] = 0;
    if (p === this.id) {
      this.insert(batch);
      return;
    }
    const flying = this.inFlight[p];
    if (flying.length >= this.window) await flying.shift();
    const sending = this.link.send(p, batch).then((wire) => {
      if (wire === 0) return;
      this.sentBytes += wire;
      this.sentRecords += records;
    });
    // Awaited later, or never when the level is given up part-way (a partition lost): a rejection
    // left unhandled would end the worker's process.
    sending.catch(() => {});
    flying.push(sending);
  }

  /** Admits the system's initial states, routed to their owners like successors (the coordinator runs this). */
  static initialBatches(system: TransitionSystem, partitions: number, opts: PartitionOptions): { batches: Int32Array[]; generated: number; violations: WireFound[] } {
    const canon = opts.symmetry && system.symmetry.size > 0 ? canonicaliser(system) : undefined;
    const out = Array.from({ length: partitions }, () => new Slots(1024));
    const violations = new Violations();
    let position = 0;
    const handler: StepHandler = {
      stored: (_next, vector, hi, lo) => writeRecord(out[partitionOf(lo, partitions)], 0, -1, -1, position, hi, lo, [], vector, system.width),
      violation: (v, key) => violations.offer(v, key),
    };
    const step = new Step(system, handler, { canonicalise: canon, deadlock: opts.deadlock });
    for (position = 0; position < system.initial.length; position++) step.initial(system.initial[position], position);
    return { batches: out.map((s) => s.take()), generated: step.generated, violations: violations.all().map(toWire) };
  }

  stored(_next: State, vector: Int32Array, hi: number, lo: number, action: ActionInstance | undefined, choice: ChoicePath): void {
    const owner = partitionOf(lo, this.partitions);
    writeRecord(this.outbox[owner], this.id, this.parent, action ? action.id : -1, -1, hi, lo, choice, vector, this.width);
    this.outboxRecords[owner]++;
  }

  violation(v: Violation, key: ViolationKey): void {
    this.expandViolations.offer({ ...v, stateIndex: globalId(this.id, v.stateIndex, this.partitions) }, key);
  }

  /** Ends the level: the states stored in it become the next level to expand. Returns the level's log too. */
  commit(): { report: CommitReport; log: Int32Array } {
    const report: CommitReport = {
      inserted: this.next.count,
      found: this.found,
      violations: this.insertViolations.all().map(toWire),
      storeBytes: this.store.bytes(),
    };
    this.found = new Array<number>(this.system.actions.length).fill(0);
    this.insertViolations.clear();
    const done = this.current;
    this.current = this.next;
    this.next = done.clear();
    return { report, log: this.log.take() };
  }

  /** Rebuilds the partition from its logs of the committed levels, in order: the last one's states are its next level. */
  restore(logs: Int32Array[]): void {
    for (const log of logs) {
      this.insert(log);
      this.commit();
    }
    this.found.fill(0);
    this.insertViolations.clear();
  }

  /** The stored state `index`: its fingerprint, how it was reached, and its parent's global id. */
  path(index: number): PathEntry {
    const [[hi, lo]] = this.store.fingerprints([index]);
    const parent = this.store.parent(index);
    const choice = this.store.choice(index);
    return {
      hi,
      lo,
      action: this.store.action(index),
      choice: choice && [...choice],
      parent: parent < 0 ? -1 : globalId(this.parentPartitions[index], parent, this.partitions),
    };
  }
}

/** A partition's owner has gone (its process died or the broker lost it): the level is run again after recovery. */
export class PartitionLost extends Error {
  constructor(
    readonly partition: number,
    message: string,
  ) {
    super(message);
    this.name = 'PartitionLost';
  }
}

/** What the coordinator asks of the partitions, wherever they run. */
export interface Cluster {
  readonly partitions: number;
  /** Stores initial-state records at their owner. */
  insert(partition: number, batch: Int32Array): Promise<void>;
  expand(partition: number, level: number): Promise<ExpandReport>;
  /** Ends level `level` at the partition (and keeps its log where it survives the partition). */
  commit(partition: number, level: number): Promise<CommitReport>;
  path(partition: number, index: number): Promise<PathEntry>;
  /**
   * After a PartitionLost: every partition back to the end of level `committed` (0: empty), lost ones
   * taken over by live processes. Throws when that cannot be done.
   */
  recover(committed: number): Promise<void>;
  /** Records that a level is committed everywhere, with the search's totals then (recovery and resumption start from it). */
  committed(checkpoint: Checkpoint): Promise<void>;
  close(): Promise<void>;
}

/** The search's totals at the end of a committed level: what a resumed run starts from. */
export interface Checkpoint {
  level: number;
  generated: number;
  distinct: number;
  fired: number[];
  found: number[];
  /** States of the level's frontier (the next to expand), over all partitions. */
  frontier: number;
  storeBytes: number;
  wire: WireStats;
}

/** Statistics of the broker traffic, for the benchmark. */
export interface WireStats {
  records: number;
  bytes: number;
}

/**
 * The coordinator's side, as a LevelRunner of bfs.ts: the level loop, the choice of violation and
 * the statistics are the one-machine search's.
 */
export class PartitionedLevels implements LevelRunner {
  readonly store: PathStore;
  private level = 0;
  private gen = 0;
  private distinctCount = 0;
  private fired: Uint32Array;
  private foundBy: Uint32Array;
  /** Each property's violation of the first level that violates it: the ones a report may show (with --continue, all). */
  private readonly toReport = new Violations();
  readonly wire: WireStats = { records: 0, bytes: 0 };
  /** Levels run again after a partition was lost. */
  recoveries = 0;

  constructor(
    private readonly system: TransitionSystem,
    private readonly cluster: Cluster,
    private readonly opts: PartitionOptions,
  ) {
    this.store = new PathStore();
    this.fired = new Uint32Array(system.actions.length);
    this.foundBy = new Uint32Array(system.actions.length);
  }

  async expand(level: Region[], found: Violations, watch: Watch): Promise<LevelOutcome> {
    const { cluster, system } = this;
    const all = Array.from({ length: cluster.partitions }, (_, p) => p);
    for (;;) {
      try {
        const levelFound = new Violations();
        let generated = 0;
        const fired = new Uint32Array(system.actions.length);
        const wire = { records: 0, bytes: 0 };
        if (level.length === 0 && this.opts.resume) {
          // A resumed run: the partitions were rebuilt from their logs; its level loop goes on from there.
          const cp = this.opts.resume;
          this.adopt(cp);
          return { next: cp.frontier > 0 ? [{ data: new Int32Array(0), count: cp.frontier, owner: 0 }] : [], unexpanded: 0, depth: cp.level };
        }
        if (level.length === 0) {
          const init = PartitionNode.initialBatches(system, cluster.partitions, this.opts);
          generated += init.generated;
          for (const w of init.violations) levelFound.offer(...spread(fromWire(system, w)));
          await Promise.all(all.map((p) => (init.batches[p].length > 0 ? cluster.insert(p, init.batches[p]) : undefined)));
        } else {
          const reports = await Promise.all(all.map((p) => cluster.expand(p, this.level + 1)));
          for (const r of reports) {
            generated += r.generated;
            r.fired.forEach((n, a) => (fired[a] += n));
            for (const w of r.violations) levelFound.offer(...spread(fromWire(system, w)));
            wire.records += r.sentRecords;
            wire.bytes += r.sentBytes;
          }
        }
        const commits = await Promise.all(all.map((p) => cluster.commit(p, this.level + 1)));
        let inserted = 0;
        const foundBy = this.foundBy.slice();
        for (const c of commits) {
          inserted += c.inserted;
          c.found.forEach((n, a) => (foundBy[a] += n));
          for (const w of c.violations) levelFound.offer(...spread(fromWire(system, w)));
        }
        fired.forEach((n, a) => (fired[a] += this.fired[a]));
        const checkpoint: Checkpoint = {
          level: this.level + 1,
          generated: this.gen + generated,
          distinct: this.distinctCount + inserted,
          fired: Array.from(fired),
          found: Array.from(foundBy),
          frontier: inserted,
          storeBytes: commits.reduce((k, c) => k + c.storeBytes, 0),
          wire: { records: this.wire.records + wire.records, bytes: this.wire.bytes + wire.bytes },
        };
        await cluster.committed(checkpoint);
        // The level counts only once it is committed everywhere: a level run again counts once.
        this.adopt(checkpoint);
        found.merge(levelFound.all());
        this.toReport.addNew(levelFound.all());
        watch.progress();
        const stopped = watch.stopReason(this.distinctCount);
        return { next: inserted > 0 ? [{ data: new Int32Array(0), count: inserted, owner: 0 }] : [], stopped, unexpanded: 0 };
      } catch (e) {
        if (!(e instanceof PartitionLost)) throw e;
        this.recoveries++;
        await cluster.recover(this.level);
      }
    }
  }

  private adopt(cp: Checkpoint): void {
    this.level = cp.level;
    this.gen = cp.generated;
    this.distinctCount = cp.distinct;
    this.fired = Uint32Array.from(cp.fired);
    this.foundBy = Uint32Array.from(cp.found);
    this.store.storeBytes = cp.storeBytes;
    this.wire.records = cp.wire.records;
    this.wire.bytes = cp.wire.bytes;
  }

  generated(): number {
    return this.gen;
  }
  distinct(): number {
    return this.distinctCount;
  }
  coverage(): { fired: Uint32Array; found: Uint32Array } {
    return { fired: this.fired, found: this.foundBy };
  }

  /** Fetches the paths of the violations a report may show from their owners, then lets the partitions go. */
  async close(): Promise<void> {
    try {
      for (const f of this.toReport.all()) await this.fetchPath(f.violation.stateIndex);
    } finally {
      await this.cluster.close();
    }
  }

  /**
   * The states of a path, from the violating one back to its initial state. A partition lost on the
   * way is rebuilt from the last committed level, which holds the whole path, and the fetch goes on.
   */
  private async fetchPath(id: number): Promise<void> {
    const P = this.cluster.partitions;
    for (let at = id; at >= 0 && !this.store.has(at); ) {
      let entry: PathEntry;
      try {
        entry = await this.cluster.path(at % P, Math.floor(at / P));
      } catch (e) {
        if (!(e instanceof PartitionLost)) throw e;
        this.recoveries++;
        await this.cluster.recover(this.level);
        continue;
      }
      this.store.put(at, entry);
      at = entry.parent;
    }
  }
}

function spread(f: Found): [Violation, ViolationKey, boolean] {
  return [f.violation, f.key, f.inNextLevel];
}

/**
 * The states of the reported trace, by global id, fetched from their owners: what trace rebuild
 * reads (parent links, fingerprints, actions, choice paths).
 */
export class PathStore implements StateStore {
  private readonly entries = new Map<number, PathEntry>();
  storeBytes = 0;
  get size(): number {
    return this.entries.size;
  }
  has(id: number): boolean {
    return this.entries.has(id);
  }
  put(id: number, e: PathEntry): void {
    this.entries.set(id, e);
  }
  insert(): number {
    throw new Error('the states of a partitioned search are stored by their partitions');
  }
  find(): number {
    return -1;
  }
  parent(index: number): number {
    return this.entry(index).parent;
  }
  action(index: number): number {
    return this.entry(index).action;
  }
  choice(index: number): ChoicePath | undefined {
    return this.entry(index).choice;
  }
  fingerprints(indices: number[]): [number, number][] {
    return indices.map((i) => [this.entry(i).hi, this.entry(i).lo]);
  }
  bytes(): number {
    return this.storeBytes;
  }
  private entry(id: number): PathEntry {
    const e = this.entries.get(id);
    if (!e) throw new Error(`state ${id} of the trace was not fetched from its partition`);
    return e;
  }
}

/** P partitions in this process, talking directly: the partitioned search without a broker (for tests and comparison). */
export class LocalCluster implements Cluster {
  readonly nodes: PartitionNode[];
  constructor(
    system: TransitionSystem,
    readonly partitions: number,
    opts: PartitionOptions,
  ) {
    const link: PartitionLink = {
      send: async (to, batch) => {
        this.nodes[to].insert(batch);
        return 0;
      },
    };
    this.nodes = Array.from({ length: partitions }, (_, p) => new PartitionNode(system, p, partitions, link, opts));
  }
  async insert(p: number, batch: Int32Array): Promise<void> {
    this.nodes[p].insert(batch);
  }
  expand(p: number): Promise<ExpandReport> {
    return this.nodes[p].expand();
  }
  async commit(p: number): Promise<CommitReport> {
    return this.nodes[p].commit().report;
  }
  async path(p: number, index: number): Promise<PathEntry> {
    return this.nodes[p].path(index);
  }
  async recover(): Promise<void> {
    throw new Error('a partition of an in-process cluster cannot be lost');
  }
  async committed(): Promise<void> {}
  async close(): Promise<void> {}
}

/** SearchOptions.levels for a partitioned search over `cluster`. */
export function partitionedLevels(cluster: Cluster, made?: (runner: PartitionedLevels) => void, resume?: Checkpoint): NonNullable<SearchOptions['levels']> {
  return async (system, opts) => {
    if (opts.observer) throw new Error('a partitioned search reports no transitions: record them with a search in one thread');
    const runner = new PartitionedLevels(system, cluster, { symmetry: !!opts.canonicalise, deadlock: opts.deadlock, resume });
    made?.(runner);
    return runner;
  };
}
