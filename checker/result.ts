// What a search reports: statistics, and at most one violation with enough to rebuild its trace.
import type { ActionInstance, ChoicePath, State } from './system.ts';

export type Outcome = 'ok' | 'invariant' | 'action-property' | 'deadlock' | 'temporal' | 'error';

export interface Stats {
  generated: number;
  distinct: number;
  /** States found but not yet explored when the search stopped. */
  queue: number;
  /** Depth of the deepest level reached, counting the initial states as depth 1 (as TLC does). */
  depth: number;
  durationMs: number;
  collisionProbability: number;
  /** False when the search stopped early (a violation, --max-states, --max-depth, interrupt). */
  complete: boolean;
  storeBytes: number;
  /** What went to disk, when the search kept its states there (--store disk, a spill, a checkpoint). */
  disk?: DiskUse;
}

export interface DiskUse {
  /** Bytes of the visited set and parent links on disk at the end. */
  bytes: number;
  /** Distinct states when the search moved to disk (0: it started there). */
  spilledAtStates?: number;
  /** Merges of the in-memory front table into the sorted run, and the time they took. */
  merges: number;
  mergeMs: number;
  /** Pages of the run read to answer lookups the Bloom filter could not. */
  pageReads: number;
  checkpoints: number;
}

export interface Violation {
  outcome: Exclude<Outcome, 'ok'>;
  /** The property violated: an invariant, an action property, a temporal property, 'TypeOK' or 'deadlock'. */
  property?: string;
  message: string;
  /** Index in the store of the last stored state of the trace; -1 when the trace is only `step`. */
  stateIndex: number;
  /**
   * A final step past that state whose result is not stored (a type violation, an action property,
   * an exception). Without an action it is an initial state.
   */
  step?: { action?: ActionInstance; next?: State; choice?: ChoicePath };
  /**
   * The step's successor is outside the state or the action constraint: its invariants were
   * checked, as TLC does, but no search would store it, so the search's depth does not count it.
   */
  outsideConstraints?: true;
  /** The exception thrown by spec code, for 'error'. */
  error?: unknown;
  /** Where spec code threw: 'guard' | 'recipe' | 'invariant' ... */
  phase?: string;
  /** What spec code threw was a failed assert(): exit code 14, as TLC's for Assert. */
  assertion?: true;
}

export interface SearchResult {
  stats: Stats;
  violation?: Violation;
  /** The least violation of each property found (the one above among them). */
  violations?: Violation[];
  /** Why the search stopped early without a violation. */
  /**
   * Why the search stopped before the end; 'disk-failed': the disk under a search on disk (full, or
   * failing); 'internal-error': the checker itself failed on this variant (`message` says how).
   */
  stopped?: 'max-states' | 'max-depth' | 'interrupted' | 'max-memory' | 'disk-failed' | 'internal-error';
  /** Per action instance (indexed by id): transitions it produced, and how many reached new states. */
  coverage?: Coverage;
}

export interface Coverage {
  fired: Uint32Array;
  found: Uint32Array;
}

export interface TraceStep {
  /** Undefined for the initial state (and for a stutter step). */
  action?: ActionInstance;
  /** The choice path of the action that gave this state (empty for an action without choices). */
  choice?: ChoicePath;
  state: State;
  /** A step that changes nothing, inside the cycle of a lasso. */
  stutter?: boolean;
}
