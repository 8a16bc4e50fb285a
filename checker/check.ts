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
  /**
   * With `continue`: every property violated, each with its least violation of the first level that
   * violates it and that violation's shortest trace (the reported violation among them).
   */
  violated?: PropertyViolation[];
}

export interface PropertyViolation {
  outcome: Outcome;
  property?: string;
  message?: string;
  violation: Violation;
  trace?: TraceStep[];
}

export async function checkSystem(system: TransitionSystem, opts: RunOptions): Promise<RunResult> {
  const useSymmetry = opts.symmetry && system.symmetry.size > 0;
  const canonicalise = useSymmetry ? canonicaliser(system) : undefined;
  const { result, store } = await search(system, { ...opts, canonicalise });
  const withoutSymmetry =
    useSymmetry && opts.compareSymmetry ? (await search(system, { ...opts, workers: 1, onProgress: undefined, observer: undefined, store: undefined })).result.stats : undefined;
  const rebuild = (found: Violation): PropertyViolation => {
    try {
      const { steps, violation } = rebuildTrace(system, store, found, canonicalise);
      return { outcome: violation.outcome, property: violation.property, message: violation.message, violation, trace: steps };
    } catch (e) {
      if (!(e instanceof ReplayError)) throw e;
      return { outcome: 'error', property: found.property, message: `${found.message}; ${e.message}`, violation: found };
    }
  };
  const main = result.violation && rebuild(result.violation);
  const violation = main?.violation;
  const trace = main?.trace;
  const outcome: Outcome = main?.outcome ?? 'ok';
  const message = main?.message;
  const violated = opts.continue ? (result.violations ?? []).map((v) => (v === result.violation ? main! : rebuild(v))) : undefined;
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
    violated,
  };
}
