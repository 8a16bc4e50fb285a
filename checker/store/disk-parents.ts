// Parent links on disk: a fixed 8-byte record [parent index, action instance] per state, by state
// index, appended in order through a buffer. A trace reads one record per step.
import { closeSync, fsyncSync, ftruncateSync, openSync } from 'node:fs';
import { readFully, writeFully } from './disk-fingerprints.ts';

const BUFFER = 1 << 16;

export class DiskParents {
  private readonly fd: number;
  /** Records on disk. */
  private flushed: number;
  private readonly buffer = new Int32Array(BUFFER * 2);
  private buffered = 0;
  private readonly one = new Int32Array(2);

  /** Opens (or creates) the file, keeping its first `keep` records (resume) and dropping the rest. */
  constructor(readonly path: string, keep = 0) {
    this.fd = openSync(path, keep > 0 ? 'r+' : 'w+');
    ftruncateSync(this.fd, keep * 8);
    this.flushed = keep;
  }

  get count(): number {
    return this.flushed + this.buffered;
  }

  append(parent: number, action: number): void {
    this.buffer[this.buffered * 2] = parent;
    this.buffer[this.buffered * 2 + 1] = action;
    if (++this.buffered === BUFFER) this.flush();
  }

  flush(durable = false): void {
    if (this.buffered > 0) writeFully(this.fd, this.buffer, this.buffered * 2, this.flushed * 8);
    this.flushed += this.buffered;
    this.buffered = 0;
    if (durable) fsyncSync(this.fd);
  }

  parent(index: number): number {
    return this.record(index)[0];
  }

  action(index: number): number {
    return this.record(index)[1];
  }

  private record(index: number): Int32Array {
    if (index >= this.flushed) return this.buffer.subarray((index - this.flushed) * 2, (index - this.flushed) * 2 + 2);
    readFully(this.fd, this.one, 2, index * 8);
    return this.one;
  }

  bytes(): number {
    return this.buffer.byteLength;
  }

  diskBytes(): number {
    return this.count * 8;
  }

  close(): void {
    closeSync(this.fd);
  }
}
