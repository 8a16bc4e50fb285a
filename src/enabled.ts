// TLA+'s ENABLED, for predicates: whether an action can take a step from a state. The checker
// makes the spec whose predicate, guard or recipe is running the one asked about (activate()), so
// that a predicate written as a plain function of the state can ask it; the answer runs the
// action's guard and recipe on a copy of the state, as TLC evaluates ENABLED A: A has a successor,
// whatever the state constraint or the invariants would make of it.

/** Answers enabled() for one compiled spec. */
export type EnabledEvaluator = (s: object, action: string | readonly string[] | undefined, params: Record<string, unknown> | undefined) => boolean;

let active: EnabledEvaluator | undefined;

/** Makes `evaluator` the one enabled() asks: the compiled spec calls it before running spec code. */
export function activate(evaluator: EnabledEvaluator): void {
  active = evaluator;
}

/**
 * Whether an action can take a step from `s` (TLA+'s ENABLED): its guard holds and some choice path
 * of its recipe yields a successor. For use inside a spec's invariants, properties, constraints,
 * guards, recipes and `init`:
 *
 *   enabled(s)                     ENABLED Next: some action can take a step (no deadlock)
 *   enabled(s, 'Termination')      ENABLED Termination: some instance of it, whatever its parameters
 *   enabled(s, ['Send', 'Recv'])   ENABLED (Send \/ Recv); a process name means all its steps
 *   enabled(s, 'Put', { v: 1 })    ENABLED Put(1): only the instances with these parameter values
 */
export function enabled(s: object, action?: string | readonly string[], params?: Record<string, unknown>): boolean {
  if (active === undefined) {
    throw new Error("enabled() asks the spec being checked: it is only allowed inside a spec's invariants, properties, constraints, guards, recipes and init");
  }
  return active(s, action, params);
}
