// Runs one compiled variant: search, then rebuild the counterexample, then judge it against the
// variant's expectation. Reporting is left to src/report.
import { search, type SearchOptions } from './bfs.ts';
import type { Model } from './model.ts';
import { searchParallel } from './parallel.ts';
import type { Outcome, SearchResult, Stats, TraceStep, Violation } from './result.ts';
import { neverFired, summariseCoverage, type ActionCoverage } from './coverage.ts';
import { canonicaliser, type Canonicaliser } from './symmetry.ts';
import { ReplayError, rebuildTrace } from './trace.ts';
import type { Expectation } from '../src/spec.ts';
import { checkTemporal, type LivenessInfo, type TemporalViolation } from './liveness/run.ts';

export interface CheckOptions extends Omit<SearchOptions, 'canonicalise' | 'deadlock'> {
  /** Reduce by symmetry; defaults to the spec's choice (on unless it says otherwise). */
  symmetry?: boolean;
  /** Override the spec's deadlock setting. */
  deadlock?: boolean;
  /** Worker threads to search with (default 1: the search runs in this thread). */
  workers?: number;
  /** With symmetry on, search again without it, to report how many states it saved. */
  compareSymmetry?: boolean;
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
  /** The liveness check, when the variant has temporal properties and the safety search completed. */
  liveness?: LivenessInfo & { symmetryOff: boolean };
  /** A temporal violation's lasso: the trace is its prefix and cycle, and its last state goes back to `loop`. */
  lasso?: Pick<TemporalViolation, 'loop' | 'fairness' | 'back' | 'label'>;
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
  if (violation) {
    try {
      ({ steps: trace, violation } = rebuildTrace(model, store, violation, canonicalise));
      message = violation.message;
    } catch (e) {
      if (!(e instanceof ReplayError)) throw e;
      outcome = 'error';
      message = `${violation.message}; ${e.message}`;
    }
  }
  let liveness: CheckResult['liveness'];
  let lasso: CheckResult['lasso'];
  if (model.temporal && outcome === 'ok' && result.stats.complete) {
    // Liveness is checked on every concrete state: symmetry reduction is not sound for properties
    // or fairness that name ids, so the graph is recorded without it (the safety search keeps it).
    const t = checkTemporal(model);
    if (t.info) liveness = { ...t.info, symmetryOff: useSymmetry };
    if (!t.ok) {
      outcome = 'error';
      message = t.error;
      violation = { outcome: 'error', message, stateIndex: -1 };
    } else if (t.violation) {
      const v = t.violation;
      outcome = 'temporal';
      message = v.message;
      trace = v.trace;
      violation = { outcome: 'temporal', property: v.property, message, stateIndex: -1 };
      lasso = { loop: v.loop, fairness: v.fairness, back: v.back, label: v.label };
    }
  }
  const complete = result.stats.complete && outcome !== 'temporal' && outcome !== 'error';
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
    matchesExpectation: matches(model.expect ?? 'holds', outcome, violation?.property, complete) && dead.length === 0,
    coverage,
    deadActions: dead.length ? dead : undefined,
    liveness,
    lasso,
  };
}

function matches(expected: Expectation, outcome: Outcome, property: string | undefined, complete: boolean): boolean {
  if (expected === 'holds') return outcome === 'ok' && complete;
  return outcome !== 'ok' && outcome !== 'error' && property === expected.violates;
}
