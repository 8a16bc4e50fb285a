// TLC's exit codes, so CI scripts written for TLC keep working.
import type { CheckResult } from '../compile/check.ts';

export const EXIT = {
  ok: 0,
  /** An assumption about the constants (TLA+'s ASSUME) does not hold. */
  assumption: 10,
  /** A gate run where a variant expected to fail did not (no TLC equivalent). */
  expectationNotMet: 1,
  deadlock: 11,
  invariant: 12,
  actionProperty: 13,
  /** An assert() in spec code that did not hold (TLC's code for a failed Assert). */
  assertion: 14,
  /** An output (a trace, a report) could not be written; every other result was still delivered. */
  outputNotWritten: 74,
  /** A temporal property violated (TLC's code for a liveness violation, as for action properties). */
  temporal: 13,
  specError: 75,
  specDoesNotLoad: 150,
  badOptions: 151,
  internal: 255,
} as const;

export function exitCodeOf(r: CheckResult): number {
  if (r.stopped === 'interrupted' || r.stopped === 'max-memory' || r.stopped === 'disk-failed' || r.stopped === 'internal-error') return EXIT.internal;
  switch (r.outcome) {
    case 'ok':
      return EXIT.ok;
    case 'deadlock':
      return EXIT.deadlock;
    case 'invariant':
      return EXIT.invariant;
    case 'action-property':
      return EXIT.actionProperty;
    case 'temporal':
      return EXIT.temporal;
    case 'error':
      return r.violation?.assertion ? EXIT.assertion : EXIT.specError;
  }
}

// A lost output ranks below every verdict: the verdict is what CI acts on, and the output's own
// message says what was lost.
const severity = [EXIT.internal, EXIT.specDoesNotLoad, EXIT.assumption, EXIT.specError, EXIT.assertion, EXIT.invariant, EXIT.actionProperty, EXIT.deadlock, EXIT.outputNotWritten, EXIT.expectationNotMet];

/** The most serious of several exit codes. */
export function worst(codes: number[]): number {
  for (const c of severity) if (codes.includes(c)) return c;
  return EXIT.ok;
}

/**
 * Without --gate: the most serious outcome. With --gate: 0 when every variant behaves as its spec
 * expects; otherwise the code of the most serious unexpected outcome, or 1 when the only surprise
 * is a variant that should have failed and did not.
 */
export function runExitCode(results: CheckResult[], gate: boolean): number {
  if (!gate) return worst(results.map(exitCodeOf));
  const surprises = results.filter((r) => !r.matchesExpectation);
  if (surprises.length === 0) return EXIT.ok;
  const code = worst(surprises.map(exitCodeOf));
  return code === EXIT.ok ? EXIT.expectationNotMet : code;
}
