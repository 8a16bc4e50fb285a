// Runs one compiled variant: search, then rebuild the counterexample, then judge it against the
// variant's expectation. Reporting is left to src/report.
import { search, type SearchOptions } from './bfs.ts';
import type { Model } from './model.ts';
import { searchParallel } from './parallel.ts';
import type { Outcome, SearchResult, Stats, TraceStep, Violation } from './result.ts';
import { exactCanonicaliser, type Canonicaliser } from './symmetry.ts';
import { ReplayError, rebuildTrace } from './trace.ts';
import type { Expectation } from '../src/spec.ts';

export interface CheckOptions extends Omit<SearchOptions, 'canonicalise' | 'deadlock'> {
  /** Reduce by symmetry; defaults to the spec's choice (on unless it says otherwise). */
  symmetry?: boolean;
  /** Override the spec's deadlock setting. */
  deadlock?: boolean;
  /** Worker threads to search with (default 1: the search runs in this thread). */
  workers?: number;
}

/** The canonicaliser a check uses, or undefined when it does not reduce by symmetry. */
export function canonicaliserFor(model: Model, symmetry: boolean): Canonicaliser | undefined {
  return symmetry ? exactCanonicaliser(model) : undefined;
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
  expected?: Expectation;
  /** Whether the outcome is what the variant declares (a variant with no expectation must hold). */
  matchesExpectation: boolean;
}

export async function checkModel(model: Model, opts: CheckOptions = {}): Promise<CheckResult> {
  const useSymmetry = (opts.symmetry ?? model.symmetryDefault) && model.symmetry.size > 0;
  const canonicalise = canonicaliserFor(model, useSymmetry);
  const deadlock = opts.deadlock ?? model.deadlock;
  const { result, store } =
    (opts.workers ?? 1) > 1
      ? await searchParallel(model, { ...opts, canonicalise, deadlock, workers: opts.workers!, symmetry: useSymmetry })
      : await search(model, { ...opts, canonicalise, deadlock });
  const violation = result.violation;
  let trace: TraceStep[] | undefined;
  let outcome: Outcome = violation?.outcome ?? 'ok';
  let message = violation?.message;
  if (violation) {
    try {
      trace = rebuildTrace(model, store, violation, canonicalise);
    } catch (e) {
      if (!(e instanceof ReplayError)) throw e;
      outcome = 'error';
      message = `${violation.message}; ${e.message}`;
    }
  }
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
    expected: model.expect,
    matchesExpectation: matches(model.expect ?? 'holds', outcome, violation?.property, result.stats.complete),
  };
}

function matches(expected: Expectation, outcome: Outcome, property: string | undefined, complete: boolean): boolean {
  if (expected === 'holds') return outcome === 'ok' && complete;
  return outcome !== 'ok' && outcome !== 'error' && property === expected.violates;
}
