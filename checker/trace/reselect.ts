// Chooses the printed counterexample again, among the shortest ones to the same violation: the one
// with the fewest switches between actors (see fewest-switches.ts). Only the path changes: the
// property, the kind of violation (invariant, action property, deadlock) and the length stay. The
// final state may be another one that breaks the property: were it held to the class of the one the
// search met, a search with symmetry on and one with it off (which can meet the violation in
// different classes) would print different traces.
import { produce } from 'immer';
import { TypeViolation } from '../../src/schema/index.ts';
import type { ActionInstance, Model, State } from '../model.ts';
import type { TraceStep, Violation } from '../result.ts';
import { countSwitches, fewestSwitches, type SwitchGraph, type SwitchStep } from './fewest-switches.ts';

export interface Reselected {
  steps: TraceStep[];
  /** Actor switches in the trace the search gave, and in the one chosen. */
  before: number;
  after: number;
  /** Concrete states the search kept. */
  explored: number;
}

/** States kept at most; past it the search's own trace is printed. */
export const RESELECT_LIMIT = 1_000_000;

/**
 * The trace with the fewest actor switches among the shortest to `violation`, or undefined when
 * there is nothing to choose (an initial state, a type violation or an exception in spec code,
 * whose steps the search alone reproduces) or the graph would be too big.
 */
export function reselectTrace(
  model: Model,
  trace: TraceStep[],
  violation: Violation,
  actorOf: (action: ActionInstance) => string,
  limit = RESELECT_LIMIT,
): Reselected | undefined {
  if (trace.length < 2 || violation.outcome === 'error' || violation.property === 'TypeOK') return undefined;
  const { width, constants: c } = model;
  const encode = (s: State): Int32Array | undefined => {
    const v = new Int32Array(width);
    try {
      model.codec.encode(s, v, 0, '');
      return v;
    } catch (e) {
      if (e instanceof TypeViolation) return undefined;
      throw e;
    }
  };
  const decode = (v: Int32Array) => model.codec.decode(v, 0) as State;
  const enabled = (s: State) => model.actions.some((a) => !a.when || a.when(s, a.params, c));
  const invariant = model.invariants.find(([name]) => name === violation.property)?.[1];
  const property = model.actionProperties.find(([name]) => name === violation.property)?.[1];

  const steps = (v: Int32Array): SwitchStep<Int32Array>[] => {
    const s = decode(v);
    const out: SwitchStep<Int32Array>[] = [];
    for (const a of model.actions) {
      if (a.when && !a.when(s, a.params, c)) continue;
      const next = encode(produce(decode(v), (d: State) => a.do(d, a.params, c)) as State);
      if (!next) continue;
      const after = decode(next);
      // As the search does: a step that breaks an action property is not stored, nor one outside the constraint.
      const stutters = next.every((x, i) => x === v[i]);
      const breaks = !stutters && model.actionProperties.some(([, p]) => p(s, after, c) !== true);
      const stored = !breaks && (!model.constraint || model.constraint(after, c) === true);
      out.push({ action: a.id, choice: [], next, stored });
    }
    return out;
  };
  const ends = (from: Int32Array, step: SwitchStep<Int32Array>): boolean => {
    const after = decode(step.next);
    switch (violation.outcome) {
      case 'invariant':
        return step.stored && !!invariant && invariant(after, c) !== true;
      case 'action-property':
        return !!property && property(decode(from), after, c) !== true;
      case 'deadlock':
        return step.stored && !enabled(after) && !(model.terminal && model.terminal(after, c) === true);
      default:
        return false;
    }
  };
  const initial = model.init.map(encode).filter((v): v is Int32Array => !!v && (!model.constraint || model.constraint(decode(v), c) === true));
  const g: SwitchGraph<Int32Array> = {
    initial,
    key: (v) => v.join(','),
    steps,
    ends,
    actor: (id) => actorOf(model.actions[id]),
    label: (id) => model.actions[id].label,
  };
  const found = fewestSwitches(g, trace.length, limit);
  if (!found) return undefined;
  const chosen: TraceStep[] = [{ state: decode(found.initial) }];
  for (const s of found.steps) chosen.push({ action: model.actions[s.action], state: decode(s.next) });
  const actors = (t: TraceStep[]) => t.slice(1).map((s) => actorOf(s.action!));
  return { steps: chosen, before: countSwitches(actors(trace)), after: found.switches, explored: found.explored };
}
