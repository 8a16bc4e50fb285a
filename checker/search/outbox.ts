// What a participant of a search on disk does with the successors it finds: the store on disk is
// one thread's (../store/disk-store.ts), so the worker threads run the one step and hand each
// successor back, and the thread that owns the store inserts them, round by round (disk-levels.ts).
import type { ActionInstance, ChoicePath, State, TransitionSystem } from '../system.ts';
import { Expander, type SearchOptions } from './bfs.ts';
import type { LevelQueue } from '../store/store.ts';

/** Int32 slots before the vector in each record: fingerprint hi, lo, parent index, action id. */
export const OUTBOX_HEADER = 4;

/** A round's successors: `length` Int32s of [hi, lo, parent, action, vector...] records. */
export interface OutboxContents {
  buffer: ArrayBuffer;
  length: number;
}

/**
 * An Expander that stores nothing: each successor inside the constraints and its type goes into an
 * outbox, with the fingerprint, the parent and the action that reached it. Which of them are new,
 * their invariants and the next level are the store owner's (DiskLevels.adoptNew).
 */
export class OutboxExpander extends Expander {
  private data: Int32Array;
  private length = 0;
  private readonly record: number;
  /** A buffer handed over before and given back once emptied, for the next round. */
  private spare?: ArrayBuffer;

  constructor(system: TransitionSystem, opts: Pick<SearchOptions, 'canonicalise' | 'deadlock'>, next: LevelQueue) {
    super(system, opts, () => -1, next);
    this.record = OUTBOX_HEADER + system.width;
    this.data = new Int32Array(this.record * 4096);
  }

  override stored(_next: State, vector: Int32Array, hi: number, lo: number, action: ActionInstance | undefined, _choice: ChoicePath, _encoded: Int32Array): void {
    const record = this.record;
    if (this.length + record > this.data.length) this.grow();
    const d = this.data;
    const at = this.length;
    d[at] = hi;
    d[at + 1] = lo;
    d[at + 2] = this.parent;
    d[at + 3] = action ? action.id : -1;
    for (let i = OUTBOX_HEADER; i < record; i++) d[at + i] = vector[i - OUTBOX_HEADER];
    this.length = at + record;
  }

  private grow(): void {
    const bigger = new Int32Array(this.data.length * 2);
    bigger.set(this.data.subarray(0, this.length));
    this.data = bigger;
  }

  /**
   * Hands over what the outbox holds (its buffer can be transferred to another thread) and goes on
   * in the spare buffer, or a new one as large.
   */
  take(): OutboxContents {
    const taken = { buffer: this.data.buffer as ArrayBuffer, length: this.length };
    const spare = this.spare;
    this.data = spare && spare.byteLength >= this.data.byteLength ? new Int32Array(spare) : new Int32Array(this.data.length);
    this.spare = undefined;
    this.length = 0;
    return taken;
  }

  /**
   * Takes back a buffer take() handed over, once its successors are stored: the next take() reuses
   * it. Outboxes are megabytes a round, and left to the garbage collector they pile up between
   * collections, in a search whose memory is counted.
   */
  recycle(buffer: ArrayBuffer): void {
    this.spare = buffer;
  }
}
