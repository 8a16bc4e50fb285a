// What the breadth-first search needs of the store of visited states, so that the in-memory table
// (store.ts) and the disk-backed one (disk-store.ts) are interchangeable, and what it needs of a
// level's queue, so that a level in memory (bfs.ts's Frontier) and one on disk (disk-queue.ts) are.
import type { QueueBlock } from './disk-queue.ts';

export interface VisitedStore {
  /** Distinct states stored; state indices run from 0 to size - 1. */
  readonly size: number;
  /**
   * Adds a state; returns its new index, or -1 when its fingerprint is already stored. A store on
   * disk may put the answer off (-2) and hand the state, if new, to the search later.
   */
  insert(hi: number, lo: number, parent: number, action: number, v?: Int32Array): number;
  /** The index of the state a state was first reached from (-1 for an initial state). */
  parent(index: number): number;
  /** The action instance that first reached a state (-1 for an initial state). */
  action(index: number): number;
  /** The fingerprints [hi, lo] (unsigned) of the given states. */
  fingerprints(indices: number[]): [number, number][];
  /** Bytes held in memory. */
  bytes(): number;
  /** Releases files (a store on disk), once the trace is rebuilt. */
  close?(): void;
}

export interface LevelQueue {
  readonly count: number;
  push(index: number, v: Int32Array): void;
  /** The records from `from` on, up to a block of them (all of them for a level in memory). */
  block(from: number): QueueBlock;
}
