// Validates a concrete trace against a system: the first state must be initial, and each next state
// must be a successor, by the one step the search takes, of the state before (by the recorded
// action, when the trace names it).
import type { Violation } from '../result.ts';
import { show } from '../show.ts';
import { Step, type StepHandler } from '../step.ts';
import type { ActionInstance, ChoicePath, State, TransitionSystem } from '../system.ts';

export interface ReplayInput {
  state: State;
  /** The action the trace says produced this state (absent for the first state, or when unknown). */
  action?: { name: string; params?: Record<string, unknown> };
  /** A stutter step (in a lasso's cycle): the state repeats, which every behaviour may do. */
  stutter?: boolean;
}

export type ReplayResult =
  | { ok: true; steps: { action?: ActionInstance; state: State }[] }
  | {
      ok: false;
      /** 1-based index of the first state that does not follow. */ step: number;
      reason: string;
      /** Spec code threw there (a guard or a recipe), rather than the steps not leading to the state. */
      threw?: boolean;
    };

/** One successor of a state, as the step gives it: inside the type or not, pruned or not. */
export interface Successor {
  action: ActionInstance;
  choice: ChoicePath;
  next: State;
}

class Successors implements StepHandler {
  list: Successor[] = [];
  error?: Violation;
  stored(next: State, _v: Int32Array, _hi: number, _lo: number, action: ActionInstance | undefined, choice: ChoicePath): void {
    if (action) this.list.push({ action, choice, next });
  }
  pruned(next: State, _e: Int32Array | undefined, action: ActionInstance | undefined, choice: ChoicePath): void {
    if (action) this.list.push({ action, choice, next });
  }
  violation(v: Violation): void {
    if (v.outcome === 'error') this.error = v;
    else if (v.step?.action && v.step.next) this.list.push({ action: v.step.action, choice: v.step.choice ?? [], next: v.step.next });
  }
}

/**
 * Every successor of `from` (a concrete state), with the exception spec code threw, if any, as the
 * step reports it. A state outside its type has no successors.
 */
export function successorsOf(system: TransitionSystem, from: State): { successors: Successor[]; error?: Violation } {
  const v = new Int32Array(system.width);
  if (system.encode(from, v, 0) !== undefined) return { successors: [] };
  const handler = new Successors();
  new Step(system, handler, { deadlock: false }).expand(v, 0, -1);
  return { successors: handler.list, error: handler.error };
}

/**
 * `backOnView`: the last input is a lasso's step back to an earlier state, which with a view needs
 * only reach a state equal to it on the view (the search keeps one state per view value, as TLC does).
 */
export function replayTrace(system: TransitionSystem, trace: ReplayInput[], opts: { backOnView?: boolean } = {}): ReplayResult {
  if (trace.length === 0) return { ok: false, step: 1, reason: 'the trace has no states' };
  // States compare by their encoding, so a set is the same set whatever order it was built in; a
  // value outside its type (the last state of a TypeOK trace) has none and compares as printed.
  const view = opts.backOnView ? system.view : undefined;
  /** The state's encoding as text, or its projection on the view (`onView`, the lasso's step back). */
  const keyOf = (s: unknown, onView = false) => {
    const v = new Int32Array(system.width);
    if (system.encode(s, v, 0) !== undefined) return show(s);
    if (!onView || view === undefined) return v.join(',');
    const w = new Int32Array(view.width);
    view.project(v, w);
    return w.join(',');
  };
  let key = (s: unknown) => keyOf(s);
  const first = key(trace[0].state);
  if (!system.initial.some((s) => key(s) === first)) {
    return { ok: false, step: 1, reason: `state 1 is not an initial state of '${system.title}'` };
  }
  const steps: { action?: ActionInstance; state: State }[] = [{ state: trace[0].state }];
  for (let k = 1; k < trace.length; k++) {
    if (view !== undefined && k === trace.length - 1) key = (s) => keyOf(s, true);
    const want = key(trace[k].state);
    if (trace[k].stutter) {
      if (want !== key(trace[k - 1].state)) return { ok: false, step: k + 1, reason: `state ${k + 1} is marked a stutter step but differs from state ${k}` };
      steps.push({ state: trace[k].state });
      continue;
    }
    const named = trace[k].action;
    const candidates = named ? system.actions.filter((a) => a.name === named.name && sameParams(a.params, named.params ?? {})) : system.actions;
    if (named && candidates.length === 0) {
      return { ok: false, step: k + 1, reason: `state ${k + 1} names action ${named.name}${show(named.params ?? {})}, which the spec does not have` };
    }
    const { successors, error } = successorsOf(system, trace[k - 1].state);
    const mine = successors.filter((s) => candidates.includes(s.action));
    const matched = mine.find((s) => key(s.next) === want);
    if (!matched) {
      if (error) return { ok: false, step: k + 1, reason: `${error.message} (in state ${k})`, threw: true };
      const what = named ? (candidates.length === 1 ? candidates[0].label : named.name) : 'no action';
      const reason =
        named && mine.length === 0
          ? `${what} is not enabled in state ${k}`
          : named
            ? `${what} does not lead from state ${k} to state ${k + 1}`
            : `no action leads from state ${k} to state ${k + 1}`;
      return { ok: false, step: k + 1, reason };
    }
    steps.push({ action: matched.action, state: trace[k].state });
  }
  return { ok: true, steps };
}

/** Whether an action instance's parameters are those a trace file names (JSON has no sets: a set-valued one is compared as it prints). */
export function sameParams(a: Readonly<Record<string, unknown>>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  // A trace file carries a set-valued parameter (a quorum) as it prints: JSON has no sets.
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k] || (typeof a[k] === 'object' && a[k] !== null && show(a[k]) === b[k]));
}
