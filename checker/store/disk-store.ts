// The visited set and the parent links on disk, behind the same interface as the in-memory table.
import type { FingerprintStore } from '../store.ts';
import { DiskFingerprints, type DiskFingerprintsOptions } from './disk-fingerprints.ts';
import { DiskParents } from './disk-parents.ts';
import type { VisitedStore } from './visited-store.ts';

export class DiskStore implements VisitedStore {
  /** Called after close() (the search's other files go then too). */
  whenClosed?: () => void;

  constructor(
    readonly fingerprintSet: DiskFingerprints,
    readonly links: DiskParents,
  ) {}

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

  get size(): number {
    return this.links.count;
  }

  insert(hi: number, lo: number, parent: number, action: number): number {
    const index = this.links.count;
    if (!this.fingerprintSet.add(hi, lo, index)) return -1;
    this.links.append(parent, action);
    return index;
  }

  parent(index: number): number {
    return this.links.parent(index);
  }

  action(index: number): number {
    return this.links.action(index);
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
