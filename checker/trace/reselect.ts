// Chooses the printed counterexample again, among the shortest ones to the same violation: the one
// with the fewest switches between actors (see fewest-switches.ts). Only the path changes: the
// property, the kind of violation (invariant, action property, deadlock) and the length stay. The
// final state may be another one that breaks the property: were it held to the class of the one the
// search met, a search with symmetry on and one with it off (which can meet the violation in
// different classes) would print different traces. Successors come from the engine's one step.
import type { TraceStep, Violation } from '../result.ts';
import { DEADLOCK, isTrue, Step, TYPE_OK, type StepHandler } from '../step.ts';
import type { ActionInstance, ChoicePath, State, TransitionSystem } from '../system.ts';
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

/** Who takes a step: the instance's actor, else its process, else its label. */
export const actorOf = (a: ActionInstance): string => a.actor ?? a.process ?? a.label;

/** A step as the search sees it, with the action property it breaks (such a step is not stored). */
type Found = SwitchStep<Int32Array> & { breaks?: string };

/** Collects what the step finds from one state: its successors, and whether it deadlocks. */
class Collector implements StepHandler {
  found: Found[] = [];
  deadlocks = false;
  private readonly scratch: Int32Array;
  constructor(private readonly system: TransitionSystem) {
    this.scratch = new Int32Array(system.width);
  }
  stored(_next: State, _vector: Int32Array, _hi: number, _lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void {
    this.found.push({ action: action?.id ?? -1, choice: [...choice], next: encoded.slice(), stored: true });
  }
  pruned(_next: State, encoded: Int32Array | undefined, action: ActionInstance | undefined, choice: ChoicePath): void {
    if (encoded) this.found.push({ action: action?.id ?? -1, choice: [...choice], next: encoded.slice(), stored: false });
  }
  violation(v: Violation): void {
    if (v.outcome === 'deadlock') this.deadlocks = true;
    const step = v.step;
    if (v.outcome === 'action-property' && step?.action && step.next && this.system.encode(step.next, this.scratch, 0) === undefined) {
      this.found.push({ action: step.action.id, choice: [...(step.choice ?? [])], next: this.scratch.slice(), stored: false, breaks: v.property });
    }
  }
  reset(): void {
    this.found = [];
    this.deadlocks = false;
  }
}

/**
 * The trace with the fewest actor switches among the shortest to `violation`, or undefined when
 * there is nothing to choose (an initial state, a type violation or an exception in spec code,
 * whose steps the search alone reproduces) or the graph would be too big.
 */
export function reselectTrace(system: TransitionSystem, trace: TraceStep[], violation: Violation, limit = RESELECT_LIMIT): Reselected | undefined {
  const kinds = ['invariant', 'action-property', 'deadlock'];
  if (trace.length < 2 || !kinds.includes(violation.outcome) || violation.property === TYPE_OK) return undefined;
  const collector = new Collector(system);
  const step = new Step(system, collector, { deadlock: violation.property === DEADLOCK });
  const expand = (v: Int32Array) => {
    collector.reset();
    step.expand(v, 0, -1);
    return collector.found;
  };
  const invariant = system.invariants.find((i) => i.name === violation.property);
  const breaksInvariant = (v: Int32Array) => {
    try {
      return !!invariant && !isTrue(invariant.holds(system.decode(v, 0)));
    } catch {
      return false;
    }
  };
  const ends = (_from: Int32Array, s: SwitchStep<Int32Array>): boolean => {
    const found = s as Found;
    switch (violation.outcome) {
      case 'invariant':
        return found.breaks === undefined && breaksInvariant(found.next);
      case 'action-property':
        return found.breaks === violation.property;
      case 'deadlock':
        return found.stored && (expand(found.next), collector.deadlocks);
      default:
        return false;
    }
  };
  collector.reset();
  system.initial.forEach((s, i) => step.initial(s, i));
  const initial = collector.found.filter((f) => f.stored).map((f) => f.next);
  const g: SwitchGraph<Int32Array> = {
    initial,
    key: (v) => v.join(','),
    steps: (v) => expand(v).slice(),
    ends,
    actor: (id) => actorOf(system.actions[id]),
    label: (id) => system.actions[id].label,
  };
  const found = fewestSwitches(g, trace.length, limit);
  if (!found) return undefined;
  const chosen: TraceStep[] = [{ state: system.decode(found.initial, 0) }];
  for (const s of found.steps) chosen.push({ action: system.actions[s.action], choice: s.choice, state: system.decode(s.next, 0) });
  const actors = (t: TraceStep[]) => t.slice(1).map((s) => actorOf(s.action!));
  return { steps: chosen, before: countSwitches(actors(trace)), after: found.switches, explored: found.explored };
}
