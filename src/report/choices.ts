// How a trace names the branch and the choices a step took (`either`, `choose` in its recipe): the
// step records its choice path, and the action replays its recipe along it to say what each took.
import type { TraceStep } from '../../checker/result.ts';
import type { State } from '../../checker/system.ts';
import type { SpecAction } from '../compile/model.ts';

/** `["branch 2", "m = { ... }"]` for a step with choices; empty for one without, or the initial state. */
export function chosen(step: TraceStep, pre: State | undefined): string[] {
  const action = step.action as Partial<SpecAction> | undefined;
  if (!action?.explain || !step.choice?.length || pre === undefined) return [];
  try {
    return action.explain(pre, step.choice);
  } catch {
    return [];
  }
}
