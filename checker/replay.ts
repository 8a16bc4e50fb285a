// Validates a concrete trace against a spec: the first state must be initial, and each next state
// must be what some enabled action (the recorded one, when the trace names it) produces.
import { show } from '../src/schema/index.ts';
import { nextState } from './trace.ts';
import type { ActionInstance, Model, State } from './model.ts';

export interface ReplayInput {
  state: State;
  /** The action the trace says produced this state (absent for the first state, or when unknown). */
  action?: { name: string; params?: Record<string, unknown> };
  /** A stutter step (in a lasso's cycle): the state repeats, which every behaviour may do. */
  stutter?: boolean;
}

export type ReplayResult =
  | { ok: true; steps: { action?: ActionInstance; state: State }[] }
  | { ok: false; /** 1-based index of the first state that does not follow. */ step: number; reason: string };

export function replayTrace(model: Model, trace: ReplayInput[]): ReplayResult {
  if (trace.length === 0) return { ok: false, step: 1, reason: 'the trace has no states' };
  // States compare by their encoding, so a set is the same set whatever order it was built in; a
  // value outside its type (the last state of a TypeOK trace) has none and compares as printed.
  const key = (s: State) => {
    const v = new Int32Array(model.width);
    try {
      model.codec.encode(s, v, 0, '');
      return v.join(',');
    } catch {
      return show(s);
    }
  };
  const first = key(trace[0].state);
  if (!model.init.some((s) => key(s) === first)) {
    return { ok: false, step: 1, reason: `state 1 is not an initial state of '${model.specName}' [${model.variant}]` };
  }
  const steps: { action?: ActionInstance; state: State }[] = [{ state: trace[0].state }];
  for (let k = 1; k < trace.length; k++) {
    const from = trace[k - 1].state;
    const want = key(trace[k].state);
    if (trace[k].stutter) {
      if (want !== key(from)) return { ok: false, step: k + 1, reason: `state ${k + 1} is marked a stutter step but differs from state ${k}` };
      steps.push({ state: trace[k].state });
      continue;
    }
    const named = trace[k].action;
    const candidates = named
      ? model.actions.filter((a) => a.name === named.name && sameParams(a.params, named.params ?? {}))
      : model.actions;
    if (named && candidates.length === 0) {
      return { ok: false, step: k + 1, reason: `state ${k + 1} names action ${named.name}${show(named.params ?? {})}, which the spec does not have` };
    }
    let matched: ActionInstance | undefined;
    let enabledAny = false;
    for (const a of candidates) {
      let next: State | undefined;
      try {
        next = nextState(model, a, from);
      } catch (e) {
        return { ok: false, step: k + 1, reason: `${a.label} throws in state ${k}: ${(e as Error).message}` };
      }
      if (next === undefined) continue;
      enabledAny = true;
      if (key(next) === want) {
        matched = a;
        break;
      }
    }
    if (!matched) {
      const what = named ? (candidates.length === 1 ? candidates[0].label : named.name) : 'no action';
      const reason = named && !enabledAny
        ? `${what} is not enabled in state ${k}`
        : `${what} does not lead from state ${k} to state ${k + 1}`;
      return { ok: false, step: k + 1, reason };
    }
    steps.push({ action: matched, state: trace[k].state });
  }
  return { ok: true, steps };
}

function sameParams(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
