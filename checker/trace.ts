// Rebuilds a concrete trace from the store's parent links by replay, as TLC does: start from the
// initial state whose fingerprint matches, and at each step take the successor whose (canonical)
// fingerprint is the one stored. Under symmetry the stored states are representatives, so the
// recorded action may not reproduce the step from the concrete state; another instance will.
import { enableMapSet, produce } from 'immer';
import { fingerprint } from './fingerprint.ts';
import type { ActionInstance, Model, State } from './model.ts';
import type { TraceStep, Violation } from './result.ts';
import type { FingerprintStore } from './store.ts';
import type { Canonicaliser } from './symmetry.ts';

enableMapSet();

export class ReplayError extends Error {}

export function rebuildTrace(model: Model, store: FingerprintStore, violation: Violation, canon?: Canonicaliser): TraceStep[] {
  const path: number[] = [];
  for (let i = violation.stateIndex; i >= 0; i = store.parent(i)) path.push(i);
  path.reverse();
  const steps: TraceStep[] = [];
  const stored = store.fingerprints(path);
  const want = (k: number) => stored[k];
  const fingerprintOf = makeFingerprinter(model, canon);

  if (path.length > 0) {
    const [hi, lo] = want(0);
    const init = model.init.find((s) => sameFingerprint(fingerprintOf(s), hi, lo));
    if (!init) throw new ReplayError(`no initial state of '${model.specName}' matches the stored one: is init deterministic?`);
    steps.push({ state: model.codec.decode(encode(model, init), 0) });
  }
  for (let k = 1; k < path.length; k++) {
    const [hi, lo] = want(k);
    const from = steps[steps.length - 1].state;
    const recorded = model.actions[store.action(path[k])];
    const candidates = [recorded, ...model.actions.filter((a) => a !== recorded)];
    let found: TraceStep | undefined;
    for (const action of candidates) {
      const next = applyAction(model, action, from);
      if (next && sameFingerprint(fingerprintOf(next), hi, lo)) {
        found = { action, state: next };
        break;
      }
    }
    if (!found) {
      throw new ReplayError(
        `replaying the trace of '${model.specName}' failed at step ${k + 1} (${recorded.label}): no action reproduces the stored state. ` +
          'The usual cause is a spec that is not deterministic (randomness, time, or state kept outside the schema).',
      );
    }
    steps.push(found);
  }
  if (violation.step?.next) {
    const from = steps.at(-1)?.state;
    const last = from && violation.step.action ? finalStep(model, from, violation) : undefined;
    steps.push(last ?? { action: violation.step.action, state: violation.step.next });
  }
  return steps;
}

/**
 * The last step of a trace whose final state is not stored (it leaves its type, or breaks an action
 * property). The search took it from a representative; from the concrete state reached by replay the
 * same violation comes from the corresponding action instance, which is found by trying them all.
 */
function finalStep(model: Model, from: State, violation: Violation): TraceStep | undefined {
  const recorded = violation.step!.action!;
  const property = model.actionProperties.find(([name]) => name === violation.property)?.[1];
  for (const action of [recorded, ...model.actions.filter((a) => a !== recorded)]) {
    let next: State | undefined;
    try {
      next = nextState(model, action, from);
    } catch {
      continue;
    }
    if (next === undefined) continue;
    const inType = applyAction(model, action, from);
    if (violation.outcome === 'action-property' ? inType && property && !property(from, inType, model.constants) : !inType) {
      return { action, state: inType ?? next };
    }
  }
  return undefined;
}

/**
 * The successor of `from` under `action` as the recipe leaves it (possibly outside its type), or
 * undefined when the action is disabled. Runs the recipe through immer, off the hot path, so the
 * pre-state is provably untouched; exceptions from spec code propagate.
 */
export function nextState(model: Model, action: ActionInstance, from: State): State | undefined {
  const pre = model.codec.decode(encode(model, from), 0);
  if (action.when && !action.when(pre, action.params, model.constants)) return undefined;
  return produce(pre, (draft: State) => action.do(draft, action.params, model.constants)) as State;
}

/** Like nextState, but only successors inside the type, as fresh (unfrozen) values. */
export function applyAction(model: Model, action: ActionInstance, from: State): State | undefined {
  const next = nextState(model, action, from);
  if (next === undefined) return undefined;
  try {
    return model.codec.decode(encode(model, next), 0);
  } catch {
    return undefined;
  }
}

function encode(model: Model, s: State): Int32Array {
  const v = new Int32Array(model.width);
  model.codec.encode(s, v, 0, '');
  return v;
}

function makeFingerprinter(model: Model, canon?: Canonicaliser): (s: State) => Uint32Array {
  const canonical = new Int32Array(model.width);
  return (s) => {
    const out = new Uint32Array(2);
    const v = encode(model, s);
    if (canon) canon(v, canonical);
    fingerprint(canon ? canonical : v, model.width, out);
    return out;
  };
}

function sameFingerprint(fp: Uint32Array, hi: number, lo: number): boolean {
  return fp[0] === hi && fp[1] === lo;
}
