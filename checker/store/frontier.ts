// The in-memory level queue: [store index, slot vector] records in one growable typed array, in a
// SharedArrayBuffer when worker threads read it.
import type { LevelQueue } from './store.ts';

/** Vectors wider than this many slots are copied with set() (a memcpy), narrower ones slot by slot. */
export const WIDE = 64;
/** Slots (64M: 256 MB) below which a frontier grows eightfold, not twofold (grow()). */
const FAST_BELOW = 1 << 26;

export class Frontier implements LevelQueue {
  data: Int32Array;
  count = 0;
  constructor(
    readonly record: number,
    private readonly shared = false,
  ) {
    this.data = firstQueueBuffer(record, shared);
  }
  push(index: number, v: Int32Array): void {
    this.pushFrom(index, v, 0);
  }
  /** push() of the vector at src[from..from + record - 1). */
  pushFrom(index: number, src: Int32Array, from: number): void {
    const at = this.count * this.record;
    if (at + this.record > this.data.length) this.grow();
    const data = this.data;
    data[at] = index;
    // A plain loop: set() costs more than it saves on vectors of a few slots (its subarray is an object).
    if (this.record > WIDE) data.set(src.subarray(from, from + this.record - 1), at + 1);
    else for (let i = 1; i < this.record; i++) data[at + i] = src[from + i - 1];
    this.count++;
  }
  /** Out of push(), which then fits within the compiler's inlining budget of the hot loop. */
  private grow(): void {
    this.data = grownQueue(this.data, this.shared);
  }
  /** Empties it for reuse: a level's frontier is as big as the last, and fresh buffers cost page faults. */
  clear(): this {
    this.count = 0;
    return this;
  }
}

/** Room for 1024 records of `record` words at first, or 4 MB of them for wide ones: it grows as it fills. */
export function firstQueueBuffer(record: number, shared: boolean): Int32Array {
  return queueBuffer(record * Math.max(1, Math.min(1024, Math.floor((1 << 20) / record))), shared);
}

/** A queue's buffer of `length` Int32 words, in shared memory for worker threads to read. */
export function queueBuffer(length: number, shared: boolean): Int32Array {
  return new Int32Array(shared ? new SharedArrayBuffer(length * 4) : new ArrayBuffer(length * 4));
}

/**
 * A larger buffer holding what `data` holds. Up to FAST_BELOW words eightfold: a buffer's pages are
 * faulted in as they are first written, so room not yet used costs no memory, while each growth
 * copies the level so far and leaves the pages of the old buffer to be faulted in again in the new
 * one (BoundedQueue took 1-3% less CPU, and peaked 11% lower: fewer old buffers wait for the
 * collector). Beyond, twofold, and twofold where the system refuses the larger reservation.
 */
export function grownQueue(data: Int32Array, shared: boolean): Int32Array {
  const n = data.length;
  let bigger: Int32Array;
  try {
    bigger = queueBuffer(n < FAST_BELOW ? n * 8 : n * 2, shared);
  } catch {
    bigger = queueBuffer(n * 2, shared);
  }
  bigger.set(data);
  return bigger;
}
