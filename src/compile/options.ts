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
  /** Go on past violations (TLC's -continue): report every violated property with its own shortest trace. */
  continue?: boolean;
}
