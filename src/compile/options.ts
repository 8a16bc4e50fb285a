// The choices a user makes about one check, declared once: the programmatic API (checkModel, the
// vitest helper) takes them as they are, and the command line's flags are typed against them
// (src/cli/check-options.ts), so the two cannot drift apart.
export interface CheckChoices {
  /** Check for deadlock; default: the spec decides. */
  deadlock?: boolean;
  /** Stop after this many distinct states. */
  maxStates?: number;
  /** Do not explore past this depth (initial states are depth 1). */
  maxDepth?: number;
  /** Threads to search with (default 1: the search runs in this thread). */
  workers?: number;
  /** Stop cleanly once the process uses this many bytes. */
  maxMemory?: number;
  /** Reduce by scalarset symmetry; default: the spec decides (normally on). */
  symmetry?: boolean;
  /** With symmetry on, search again without it, to report how many states it saved. */
  compareSymmetry?: boolean;
  /**
   * Print, among the shortest counterexamples to the violation found, one with the fewest switches
   * between actors (default true); false prints the one the search met first.
   */
  fewestSwitches?: boolean;
  /** Go on past violations (TLC's -continue): report every violated property with its own shortest trace. */
  continue?: boolean;
  /** Keep the visited states and the queue in memory (default) or on disk (--store). */
  storage?: 'memory' | 'disk';
  /** The folder of a search on disk; with the memory store, where it moves at 60% of maxMemory. */
  storeDir?: string;
  /** Bytes for the front table of a visited set on disk (default a fifth of maxMemory). */
  fpMemory?: number;
  /** Search on disk in this folder and checkpoint there. */
  checkpoint?: string;
  /** Minutes between checkpoints (default 5). */
  checkpointEvery?: number;
  /** Continue the search checkpointed in this folder. */
  resume?: string;
}
