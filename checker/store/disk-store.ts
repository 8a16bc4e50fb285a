// The visited set and the parent links on disk, behind the same interface as the in-memory table.
import type { ChoicePath } from '../system.ts';
import type { FingerprintStore } from './memory.ts';
import { DiskFingerprints, MAYBE_ON_DISK, type DiskFingerprintsOptions } from './disk-fingerprints.ts';
import { DiskParents } from './disk-parents.ts';
import type { StateStore } from './store.ts';

export class DiskStore implements StateStore {
  /** Called after close() (the search's other files go then too). */
  whenClosed?: () => void;

  static create(opts: DiskFingerprintsOptions): DiskStore {
    return new DiskStore(new DiskFingerprints(opts), new DiskParents(`${opts.dir}/parents.bin`));
  }

  /** Reopens a store a checkpoint recorded: its run, and its first `states` parent links. */
  static resume(opts: DiskFingerprintsOptions, run: { path?: string; generation: number }, states: number): DiskStore {
    return new DiskStore(DiskFingerprints.resume(opts, run.path, states, run.generation), new DiskParents(`${opts.dir}/parents.bin`, states));
  }

  /** Moves an in-memory store to disk (when it reaches its memory budget); the in-memory one can then go. */
  static fromMemory(memory: FingerprintStore, opts: DiskFingerprintsOptions): DiskStore {
    const store = DiskStore.create(opts);
    const t = memory.table;
    for (let s = 0; s < t.length; s += 3) if (t[s + 2] !== 0) store.fingerprintSet.addNew(t[s], t[s + 1], t[s + 2] - 1);
    for (let i = 0; i < memory.size; i++) store.links.append(memory.parent(i), memory.action(i));
    return store;
  }

  /**
   * Where a state whose lookup was put off goes once it proves new (the search queues it and checks
   * its invariants). Without it every lookup is answered at once, with a page read if need be.
   */
  onNew?: (index: number, hi: number, lo: number, action: number, v: Int32Array) => void;
  /** States whose lookup waits for a batch: [hi, lo, parent, action, slots...] each. */
  private pending = new Int32Array(0);
  private pendingCount = 0;
  private pendingRecord = 0;
  private capacity = 0;
  /** Memory for the states whose lookups wait for a batch. */
  batchBytes = 16 * 2 ** 20;
  /** Lookups answered in batches, and the batches. */
  deferred = 0;
  batches = 0;

  constructor(
    readonly fingerprintSet: DiskFingerprints,
    readonly links: DiskParents,
    /** States a batch of put-off lookups holds at most. */
    private readonly batch = 1 << 18,
  ) {}

  get size(): number {
    return this.links.count;
  }

  /**
   * Adds a state: its new index, or -1 when it is already stored, or -2 when that takes a read of
   * the run on disk and the lookup is put off (see onNew and settle()).
   */
  insert(hi: number, lo: number, parent: number, action: number, _choice?: ChoicePath, v?: Int32Array): number {
    const index = this.links.count;
    const set = this.fingerprintSet;
    if (!this.onNew || !v) {
      if (!set.add(hi, lo, index)) return -1;
    } else {
      const r = set.addUnlessOnDisk(hi, lo, index);
      if (r === 0) return -1;
      if (r === MAYBE_ON_DISK) {
        this.defer(hi, lo, parent, action, v);
        return -2;
      }
    }
    this.links.append(parent, action);
    return index;
  }

  private defer(hi: number, lo: number, parent: number, action: number, v: Int32Array): void {
    const record = 4 + v.length;
    if (this.pending.length === 0) {
      this.pendingRecord = record;
      this.capacity = Math.max(1024, Math.min(this.batch, Math.floor(this.batchBytes / (record * 4))));
      this.pending = new Int32Array(this.capacity * record);
    }
    const at = this.pendingCount * record;
    const p = this.pending;
    p[at] = hi;
    p[at + 1] = lo;
    p[at + 2] = parent;
    p[at + 3] = action;
    for (let i = 0; i < v.length; i++) p[at + 4 + i] = v[i];
    this.deferred++;
    if (++this.pendingCount === this.capacity) this.settle();
  }

  /**
   * Answers the put-off lookups: their fingerprints, sorted, are looked up in one ordered pass over
   * the run; those not found are stored, in the order they were generated (so that each keeps its
   * first parent), and handed to onNew.
   */
  settle(): void {
    const n = this.pendingCount;
    if (n === 0) return;
    const p = this.pending;
    const r = this.pendingRecord;
    const order = new Uint32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    order.sort((a, b) => {
      const ah = p[a * r] >>> 0, bh = p[b * r] >>> 0;
      if (ah !== bh) return ah - bh;
      const al = p[a * r + 1] >>> 0, bl = p[b * r + 1] >>> 0;
      return al !== bl ? al - bl : a - b;
    });
    // One key per distinct fingerprint, standing for its first occurrence.
    const keys = new Int32Array(n * 2);
    const first = new Uint32Array(n);
    let u = 0;
    for (let k = 0; k < n; k++) {
      const o = order[k];
      if (u > 0 && keys[(u - 1) * 2] === p[o * r] && keys[(u - 1) * 2 + 1] === p[o * r + 1]) continue;
      keys[u * 2] = p[o * r];
      keys[u * 2 + 1] = p[o * r + 1];
      first[u++] = o;
    }
    const found = new Uint8Array(u);
    this.fingerprintSet.lookUpSorted(keys, u, found);
    const fresh: number[] = [];
    for (let k = 0; k < u; k++) if (!found[k]) fresh.push(first[k]);
    fresh.sort((a, b) => a - b);
    this.pendingCount = 0;
    this.batches++;
    for (const o of fresh) {
      const at = o * r;
      const index = this.links.count;
      this.fingerprintSet.addNew(p[at], p[at + 1], index);
      this.links.append(p[at + 2], p[at + 3]);
      this.onNew!(index, p[at], p[at + 1], p[at + 3], p.subarray(at + 4, at + r));
    }
  }

  /** Not kept on disk: a search that tells an observer of every transition runs in memory. */
  find(): number {
    throw new Error('a store on disk does not look states up by fingerprint for an observer; search in memory');
  }

  /** Choice paths are not kept on disk: trace rebuild tries every path of the recorded action. */
  choice(): ChoicePath | undefined {
    return undefined;
  }

  parent(index: number): number {
    return this.links.parent(index);
  }

  action(index: number): number {
    // As the in-memory store: an initial state has no action.
    return this.links.parent(index) < 0 ? -1 : this.links.action(index);
  }

  fingerprints(indices: number[]): [number, number][] {
    return this.fingerprintSet.fingerprints(indices);
  }

  bytes(): number {
    return this.fingerprintSet.bytes() + this.links.bytes();
  }

  diskBytes(): number {
    return this.fingerprintSet.diskBytes() + this.links.diskBytes();
  }

  close(): void {
    this.fingerprintSet.close();
    this.links.close();
    this.whenClosed?.();
  }
}
