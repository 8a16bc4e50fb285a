// The two narrow interfaces a search keeps its states behind: the store of visited states (by
// fingerprint, with the transition that first reached each) and the queue of a level's states.
// The in-memory table (memory.ts) and the frontier (frontier.ts) implement them; a disk-backed or
// partitioned store replaces the first without touching the search.
import type { ChoicePath } from '../system.ts';

export interface StateStore {
  /** States stored so far; their indices are 0 .. size - 1. */
  readonly size: number;
  /**
   * Adds a state by its 64-bit fingerprint with the transition that reached it (parent -1 and action
   * -1 for an initial state). Returns its new index, or -1 when the fingerprint is already stored.
   */
  insert(hi: number, lo: number, parent: number, action: number, choice: ChoicePath): number;
  /** The index of a stored fingerprint, or -1 (for an observer, told where a transition leads). */
  find(hi: number, lo: number): number;
  parent(index: number): number;
  /** The action instance of the transition that reached the state (-1 for an initial state). */
  action(index: number): number;
  /** Its choice path, or undefined when the store did not keep it (trace rebuild then tries every path). */
  choice(index: number): ChoicePath | undefined;
  /** The fingerprints [hi, lo] (unsigned) of the given states. */
  fingerprints(indices: number[]): [number, number][];
  /** Bytes the store holds (for reports). */
  bytes(): number;
  /** Releases what it holds outside memory (a store on disk), once the trace is rebuilt. */
  close?(): void;
}

/** States of one level, as [store index, encoded state] records, in the order they were added. */
export interface LevelQueue {
  readonly count: number;
  /** Int32 slots per record: 1 + the state's width. */
  readonly record: number;
  push(index: number, v: Int32Array): void;
}
