// `assert(condition, message)` in a guard, recipe, invariant or constraint: TLA+'s Assert, the
// kernel's BUG_ON. When the condition is false the check stops with a trace to the step that
// asserted, and exit code 14 (TLC's for a failed Assert).
import { AssertionFailure } from '../checker/assertion.ts';

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new AssertionFailure(String(message));
}
