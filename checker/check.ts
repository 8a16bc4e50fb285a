// Checks one transition system: search, then rebuild the counterexample's concrete trace. What a
// result means for a spec (its expectation) is the front end's business; reporting is src/report's.
import { type ActionCoverage, summariseCoverage } from './coverage.ts';
import type { Outcome, SearchResult, Stats, TraceStep, Violation } from './result.ts';
import { search, type SearchOptions } from './search/bfs.ts';
import { canonicaliser } from './symmetry/canonicalise.ts';
import type { TransitionSystem } from './system.ts';
import { rebuildTrace, ReplayError } from './trace/rebuild.ts';

export interface RunOptions extends Omit<SearchOptions, 'canonicalise'> {
  /** Reduce by the system's symmetry (when it has any). */
  symmetry: boolean;
  /** With symmetry on, search again without it, to report how many states it saved. */
  compareSymmetry?: boolean;
}

export interface RunResult {
  outcome: Outcome;
  property?: string;
  message?: string;
  stats: Stats;
  stopped?: SearchResult['stopped'];
  violation?: Violation;
  trace?: TraceStep[];
  /** Sets of ids the search reduced by (empty when symmetry is off or there are none). */
  symmetryReduced: string[];
  /** Statistics of the same search without symmetry (when compareSymmetry was asked and symmetry was used). */
  withoutSymmetry?: Stats;
  /** How often each action fired. */
  coverage?: ActionCoverage[];
}

export async function checkSystem(system: TransitionSystem, opts: RunOptions): Promise<RunResult> {
  const useSymmetry = opts.symmetry && system.symmetry.size > 0;
  const canonicalise = useSymmetry ? canonicaliser(system) : undefined;
  const { result, store } = await search(system, { ...opts, canonicalise });
  const withoutSymmetry =
    useSymmetry && opts.compareSymmetry ? (await search(system, { ...opts, workers: 1, onProgress: undefined, observer: undefined, store: undefined })).result.stats : undefined;
  let violation = result.violation;
  let trace: TraceStep[] | undefined;
  let outcome: Outcome = violation?.outcome ?? 'ok';
  let message = violation?.message;
  if (violation) {
    try {
      ({ steps: trace, violation } = rebuildTrace(system, store, violation, canonicalise));
      message = violation.message;
    } catch (e) {
      if (!(e instanceof ReplayError)) throw e;
      outcome = 'error';
      message = `${violation.message}; ${e.message}`;
    }
  }
  return {
    outcome,
    property: violation?.property,
    message,
    stats: result.stats,
    stopped: result.stopped,
    violation,
    trace,
    symmetryReduced: useSymmetry ? [...system.symmetry.keys()] : [],
    withoutSymmetry,
    coverage: result.coverage && summariseCoverage(system, result.coverage),
  };
}
