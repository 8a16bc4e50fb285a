// Random walks over one compiled variant, judged against the variant's expectation.
import { expectedViolations, findingOf } from '../spec.ts';
import { simulate as walk, type SimulateOptions, type SimulationRun } from '../../checker/search/simulate.ts';
import type { CheckResult } from './check.ts';
import type { Model } from './model.ts';

export type SimulationResult = SimulationRun & CheckResult;

export function simulate(model: Model, opts: SimulateOptions): SimulationResult {
  const r = walk(model, opts);
  const expected = model.expect ?? 'holds';
  return {
    ...r,
    model,
    expected,
    // Walks cut short (Ctrl-C) match nothing, as a check cut short does not.
    matchesExpectation:
      r.stopped === undefined &&
      (expected === 'holds' ? r.outcome === 'ok' : expectedViolations(expected).includes(findingOf(r) ?? '')),
  };
}
