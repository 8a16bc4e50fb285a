// Rebuilds a concrete trace from the store's parent links by replay, as TLC does: start from the
// initial state whose fingerprint matches, and at each step take the successor whose (canonical)
// fingerprint is the one stored, found with the same step the search took. Under symmetry the
// stored states are representatives, so the recorded action may not reproduce the step from the
// concrete state; another instance will.
import type { TraceStep, Violation } from '../result.ts';
import { Step, type StepHandler } from '../step.ts';
import type { StateStore } from '../store/store.ts';
import type { Canonicaliser } from '../symmetry/canonicalise.ts';
import type { ActionInstance, ChoicePath, State, TransitionSystem } from '../system.ts';
import { propertyOf } from '../search/violations.ts';

export class ReplayError extends Error {}

/** A successor found while rebuilding: its instance, choice path and concrete encoding. */
interface Candidate {
  action?: ActionInstance;
  choice: ChoicePath;
  encoded: Int32Array;
}

/** Collects the stored successors of one state whose fingerprint is the wanted one, and the violations met. */
class Collector implements StepHandler {
  hi = 0;
  lo = 0;
  matches: Candidate[] = [];
  violations: Violation[] = [];
  stored(_next: State, _vector: Int32Array, hi: number, lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void {
    if (hi >>> 0 === this.hi && lo >>> 0 === this.lo) this.matches.push({ action, choice, encoded: encoded.slice() });
  }
  violation(v: Violation): void {
    this.violations.push(v);
  }
  reset(hi: number, lo: number): void {
    this.hi = hi;
    this.lo = lo;
    this.matches = [];
    this.violations = [];
  }
}

/**
 * The concrete trace to a violation, and the violation as seen from that trace's last state (which,
 * under symmetry, may differ from the representative the search met it in).
 */
export function rebuildTrace(
  system: TransitionSystem,
  store: StateStore,
  violation: Violation,
  canon?: Canonicaliser,
): { steps: TraceStep[]; violation: Violation } {
  const path: number[] = [];
  for (let i = violation.stateIndex; i >= 0; i = store.parent(i)) path.push(i);
  path.reverse();
  const steps: TraceStep[] = [];
  const stored = store.fingerprints(path);
  const collector = new Collector();
  const step = new Step(system, collector, { canonicalise: canon, deadlock: false });
  let at: Int32Array | undefined;

  if (path.length > 0) {
    const [hi, lo] = stored[0];
    collector.reset(hi, lo);
    system.initial.forEach((s, i) => step.initial(s, i));
    const init = collector.matches[0];
    if (!init) throw new ReplayError(`no initial state of '${system.title}' matches the stored one: is init deterministic?`);
    at = init.encoded;
    steps.push({ state: system.decode(at, 0) });
  }
  for (let k = 1; k < path.length; k++) {
    const [hi, lo] = stored[k];
    const recorded = store.action(path[k]);
    const choice = store.choice(path[k]);
    collector.reset(hi, lo);
    step.expand(at!, 0, -1);
    const found =
      collector.matches.find((m) => m.action?.id === recorded && (!choice || sameChoice(m.choice, choice))) ?? collector.matches[0];
    if (!found) {
      throw new ReplayError(
        `replaying the trace of '${system.title}' failed at step ${k + 1} (${system.actions[recorded]?.label}): no action reproduces the stored state. ` +
          'The usual cause is a spec that is not deterministic (randomness, time, or state kept outside the schema).',
      );
    }
    at = found.encoded;
    steps.push({ action: found.action, choice: found.choice, state: system.decode(at, 0) });
  }
  let final = violation;
  if (canon && at && violation.step?.action) final = restate(step, collector, at, violation) ?? violation;
  if (final.step?.next) steps.push({ action: final.step.action, choice: final.step.choice, state: final.step.next });
  return { steps, violation: final };
}

/**
 * Under symmetry the search met a violation in a representative state, while the trace reaches a
 * concrete state of the same orbit. There the same violation comes from the corresponding action
 * instance (its parameters permuted): run the step from the concrete state and take the violation
 * of the same property, the recorded action's first.
 */
function restate(step: Step, collector: Collector, at: Int32Array, violation: Violation): Violation | undefined {
  collector.reset(0, 0);
  step.expand(at, 0, violation.stateIndex);
  const same = collector.violations.filter((v) => propertyOf(v) === propertyOf(violation) && v.phase === violation.phase && !!v.step?.next === !!violation.step?.next);
  const found = same.find((v) => v.step?.action === violation.step?.action) ?? same[0];
  return found && { ...violation, message: found.message, step: found.step, error: found.error };
}

function sameChoice(a: ChoicePath, b: ChoicePath): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
