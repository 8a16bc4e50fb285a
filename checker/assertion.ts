// An assertion in spec code that does not hold (TLA+'s Assert, the kernel's BUG_ON): a violation
// with TLC's exit code for it, 14, not an exception in spec code (75). The engine owns the class so
// that the step can tell the two apart; the spec language throws it (src/assert.ts).
import { thrownIs } from './error-text.ts';

export class AssertionFailure extends Error {
  override name = 'AssertionFailure';
}

/** The name a failed assertion is reported and expected under (`expect: { violates: 'assertion' }`). */
export const ASSERTION = 'assertion';

/** Marks a violation made of what spec code threw as a failed assertion, when it is one. */
export function assertionMark(error: unknown): { assertion?: true; property?: string } {
  return thrownIs(error, AssertionFailure) ? { assertion: true, property: ASSERTION } : {};
}
