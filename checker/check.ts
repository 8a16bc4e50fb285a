// Runs one compiled variant: search, then rebuild the counterexample, then judge it against the
// variant's expectation. Reporting is left to src/report.
import { search, type SearchOptions } from './bfs.ts';
import type { ActionInstance, Model } from './model.ts';
import { reselectTrace } from './trace/reselect.ts';
import { searchParallel } from './parallel.ts';
import type { Outcome, SearchResult, Stats, TraceStep, Violation } from './result.ts';
import { neverFired, summariseCoverage, type ActionCoverage } from './coverage.ts';
import { canonicaliser, type Canonicaliser } from './symmetry.ts';
import { ReplayError, rebuildTrace } from './trace.ts';
import type { Expectation } from '../src/spec.ts';

export interface CheckOptions extends Omit<SearchOptions, 'canonicalise' | 'deadlock'> {
  /** Reduce by symmetry; defaults to the spec's choice (on unless it says otherwise). */
  symmetry?: boolean;
  /** Override the spec's deadlock setting. */
  deadlock?: boolean;
  /** Worker threads to search with (default 1: the search runs in this thread). */
  workers?: number;
  /** With symmetry on, search again without it, to report how many states it saved. */
  compareSymmetry?: boolean;
  /**
   * Who takes each step (its swimlane column). Given, the counterexample printed is, among the
   * shortest to the same violation, one with the fewest switches between actors.
   */
  actorOf?: (action: ActionInstance) => string;
  /** Keep the counterexample the search met first instead (default: choose again when actorOf is given). */
  fewestSwitches?: boolean;
}

/** The canonicaliser a check uses, or undefined when it does not reduce by symmetry. */
export function canonicaliserFor(model: Model, symmetry: boolean): Canonicaliser | undefined {
  return symmetry ? canonicaliser(model) : undefined;
}

export interface CheckResult {
  model: Model;
  outcome: Outcome;
  property?: string;
  message?: string;
  stats: Stats;
  stopped?: SearchResult['stopped'];
  violation?: Violation;
  trace?: TraceStep[];
  /** Scalarsets the search reduced by (empty when symmetry is off or there are none). */
  symmetryReduced: string[];
  /** Statistics of the same search without symmetry (when compareSymmetry was asked and symmetry was used). */
  withoutSymmetry?: Stats;
  expected?: Expectation;
  /** Whether the outcome is what the variant declares (a variant with no expectation must hold). */
  matchesExpectation: boolean;
  /** How often each action fired. */
  coverage?: ActionCoverage[];
  /** Actions that never fired in a complete run of a spec that asks for `coverage: 'all-actions-fire'`. */
  deadActions?: string[];
  /** When the trace was chosen again for fewer actor switches: the switches before and after, and the states that took. */
  switches?: { before: number; after: number; explored: number };
}

/** Whether a check reduces by symmetry: the option, else the spec's default, and a scalarset to reduce. */
export function usesSymmetry(model: Model, option?: boolean): boolean {
  return (option ?? model.symmetryDefault) && model.symmetry.size > 0;
}

export async function checkModel(model: Model, opts: CheckOptions = {}): Promise<CheckResult> {
  const useSymmetry = usesSymmetry(model, opts.symmetry);
  const canonicalise = canonicaliserFor(model, useSymmetry);
  const deadlock = opts.deadlock ?? model.deadlock;
  const { result, store } =
    (opts.workers ?? 1) > 1
      ? await searchParallel(model, { ...opts, canonicalise, deadlock, workers: opts.workers!, symmetry: useSymmetry })
      : await search(model, { ...opts, canonicalise, deadlock });
  const withoutSymmetry =
    useSymmetry && opts.compareSymmetry ? (await search(model, { ...opts, onProgress: undefined, deadlock })).result.stats : undefined;
  let violation = result.violation;
  let trace: TraceStep[] | undefined;
  let outcome: Outcome = violation?.outcome ?? 'ok';
  let message = violation?.message;
  let switches: CheckResult['switches'];
  if (violation) {
    try {
      ({ steps: trace, violation } = rebuildTrace(model, store, violation, canonicalise));
      message = violation.message;
      if (opts.actorOf && opts.fewestSwitches !== false) {
        const again = reselectOrKeep(model, trace, violation, opts.actorOf);
        if (again) {
          trace = again.steps;
          switches = { before: again.before, after: again.after, explored: again.explored };
          const last = trace[trace.length - 1];
          if (violation.outcome === 'action-property') {
            violation = { ...violation, step: { action: last.action, next: last.state }, message: `action property '${violation.property}' is violated by ${last.action!.label}` };
            message = violation.message;
          }
        }
      }
    } catch (e) {
      if (!(e instanceof ReplayError)) throw e;
      outcome = 'error';
      message = `${violation.message}; ${e.message}`;
    }
  }
  const coverage = result.coverage && summariseCoverage(model, result.coverage);
  const dead = coverage && model.spec.def.coverage === 'all-actions-fire' && result.stats.complete ? neverFired(coverage) : [];
  return {
    model,
    outcome,
    property: violation?.property,
    message,
    stats: result.stats,
    stopped: result.stopped,
    violation,
    trace,
    symmetryReduced: useSymmetry ? [...model.symmetry.keys()] : [],
    withoutSymmetry,
    expected: model.expect,
    matchesExpectation: matches(model.expect ?? 'holds', outcome, violation?.property, result.stats.complete) && dead.length === 0,
    coverage,
    deadActions: dead.length ? dead : undefined,
    switches,
  };
}

/** The trace with the fewest switches; spec code that throws while it is sought leaves the search's own trace. */
function reselectOrKeep(...args: Parameters<typeof reselectTrace>): ReturnType<typeof reselectTrace> {
  try {
    return reselectTrace(...args);
  } catch {
    return undefined;
  }
}

function matches(expected: Expectation, outcome: Outcome, property: string | undefined, complete: boolean): boolean {
  if (expected === 'holds') return outcome === 'ok' && complete;
  return outcome !== 'ok' && outcome !== 'error' && property === expected.violates;
}
