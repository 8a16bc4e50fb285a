// A level of the breadth-first search on disk: an append-only file of state records
// [store index, slot vector], written through a buffer and read back in order, a block at a time.
import { closeSync, fsyncSync, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import { readFully, writeFully } from './disk-fingerprints.ts';


export interface QueueBlock {
  data: Int32Array;
  /** Where the first record of the block starts in data. */
  at: number;
  /** Records in the block. */
  n: number;
}

export class DiskQueue {
  /** Records per buffered write or read. */
  static readonly BLOCK = 1 << 14;
  private readonly fd: number;
  private written: number;
  private readonly out: Int32Array;
  private buffered = 0;
  private readonly input: Int32Array;

  /** Opens (or creates) the file, keeping its first `keep` records (resume). */
  constructor(readonly path: string, readonly record: number, keep = 0) {
    this.fd = openSync(path, keep > 0 ? 'r+' : 'w+');
    ftruncateSync(this.fd, keep * record * 4);
    this.written = keep;
    this.out = new Int32Array(DiskQueue.BLOCK * record);
    this.input = new Int32Array(DiskQueue.BLOCK * record);
  }

  get count(): number {
    return this.written + this.buffered;
  }

  push(index: number, v: Int32Array): void {
    const at = this.buffered * this.record;
    const out = this.out;
    out[at] = index;
    for (let i = 1; i < this.record; i++) out[at + i] = v[i - 1];
    if (++this.buffered === DiskQueue.BLOCK) this.flush();
  }

  /** Appends records already laid out as [index, slots...] (a level moved from memory). */
  pushRecords(data: Int32Array, n: number): void {
    this.flush();
    writeFully(this.fd, data, n * this.record, this.written * this.record * 4);
    this.written += n;
  }

  flush(durable = false): void {
    if (this.buffered > 0) writeFully(this.fd, this.out, this.buffered * this.record, this.written * this.record * 4);
    this.written += this.buffered;
    this.buffered = 0;
    if (durable) fsyncSync(this.fd);
  }

  /** The records from `from` on, up to a block of them. Flush first when reading what was pushed. */
  block(from: number): QueueBlock {
    const n = Math.min(DiskQueue.BLOCK, this.written - from);
    if (n > 0) readFully(this.fd, this.input, n * this.record, from * this.record * 4);
    return { data: this.input, at: 0, n: Math.max(0, n) };
  }

  bytes(): number {
    return this.out.byteLength + this.input.byteLength;
  }

  diskBytes(): number {
    return this.count * this.record * 4;
  }

  close(remove: boolean): void {
    closeSync(this.fd);
    if (remove) unlinkSync(this.path);
  }
}
