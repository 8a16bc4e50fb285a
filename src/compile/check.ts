// Checks one compiled variant of a spec, and judges the outcome against the variant's expectation.
import { checkSystem, type RunOptions, type RunResult } from '../../checker/check.ts';
import { neverFired } from '../../checker/coverage.ts';
import { expectedViolations, findingOf, type Expectation } from '../spec.ts';
import type { CheckChoices } from './options.ts';
import { type Model, usesSymmetry } from './model.ts';

/** The user's choices (CheckChoices, shared with the command line) and how to follow the search. */
export interface CheckOptions extends CheckChoices, Omit<RunOptions, keyof CheckChoices> {}

export interface CheckResult extends RunResult {
  model: Model;
  expected?: Expectation;
  /** Whether the outcome is what the variant declares (a variant with no expectation must hold). */
  matchesExpectation: boolean;
  /** Actions that never fired in a complete run of a spec that asks for `coverage: 'all-actions-fire'`. */
  deadActions?: string[];
}

export async function checkModel(model: Model, opts: CheckOptions = {}): Promise<CheckResult> {
  const run = await checkSystem(model, { ...opts, symmetry: usesSymmetry(model, opts.symmetry) });
  const dead = run.coverage && model.spec.def.coverage === 'all-actions-fire' && run.stats.complete ? neverFired(run.coverage) : [];
  return {
    ...run,
    model,
    expected: model.expect,
    matchesExpectation: matches(model.expect ?? 'holds', run) && dead.length === 0,
    deadActions: dead.length ? dead : undefined,
  };
}

/**
 * A variant that must hold must have been searched to the end without a violation. One expected to
 * violate properties must violate one of them; gone on past violations (--continue), the properties
 * it violated must be exactly those named.
 */
function matches(expected: Expectation, run: RunResult): boolean {
  if (expected === 'holds') return run.outcome === 'ok' && run.stats.complete;
  const names = expectedViolations(expected);
  const reported = findingOf(run);
  if (reported === undefined) return false;
  if (!run.violated) return names.includes(reported);
  const found = run.violated.map((v) => findingOf(v) ?? '');
  return found.length === names.length && names.every((n) => found.includes(n));
}
