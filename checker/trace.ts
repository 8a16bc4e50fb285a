// Rebuilds a concrete trace from the store's parent links by replay, as TLC does: start from the
// initial state whose fingerprint matches, and at each step take the successor whose (canonical)
// fingerprint is the one stored. Under symmetry the stored states are representatives, so the
// recorded action may not reproduce the step from the concrete state; another instance will.
import { enableMapSet, produce } from 'immer';
import { TypeViolation } from '../src/schema/index.ts';
import { TYPE_OK } from '../src/spec.ts';
import { errorText, failure, isTrue } from './bfs.ts';
import { recipeResult } from './recipe-result.ts';
import { fingerprint } from './fingerprint.ts';
import type { ActionInstance, Model, State } from './model.ts';
import type { TraceStep, Violation } from './result.ts';
import type { FingerprintStore } from './store.ts';
import type { Canonicaliser } from './symmetry.ts';

enableMapSet();

export class ReplayError extends Error {}

/**
 * The concrete trace to a violation, and the violation as seen from that trace's last state (which,
 * under symmetry, may differ from the representative the search met it in).
 */
export function rebuildTrace(
  model: Model,
  store: FingerprintStore,
  violation: Violation,
  canon?: Canonicaliser,
): { steps: TraceStep[]; violation: Violation } {
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
  let final = violation;
  const from = steps.at(-1)?.state;
  if (canon && from && violation.step?.action) final = restate(model, from, violation) ?? violation;
  if (final.step?.next) steps.push({ action: final.step.action, state: final.step.next });
  return { steps, violation: final };
}

/**
 * Under symmetry the search met a violation in a representative state, while the trace reaches a
 * concrete state of the same orbit. There the same violation comes from the corresponding action
 * instance (its parameters permuted): find it, trying the recorded one first, and restate the
 * violation (action, next state, message) for the concrete state.
 */
function restate(model: Model, from: State, violation: Violation): Violation | undefined {
  const recorded = violation.step!.action!;
  for (const action of [recorded, ...model.actions.filter((a) => a !== recorded)]) {
    const found = reproduce(model, violation, action, from);
    if (found) return { ...violation, ...found, step: { action, next: found.next } };
  }
  return undefined;
}

/** Whether `action` taken from `from` shows the violation; if so its next state and message. */
function reproduce(model: Model, v: Violation, action: ActionInstance, from: State): { next?: State; message: string } | undefined {
  const c = model.constants;
  const label = action.label;
  const pre = model.codec.decode(encode(model, from), 0);
  let enabled: unknown;
  try {
    enabled = !action.when || isTrue(action.when(pre, action.params, c));
  } catch (e) {
    return v.phase === 'guard' ? { message: failure(`the guard of ${label}`, e) } : undefined;
  }
  if (v.phase === 'guard' || enabled !== true) return undefined;
  if (v.phase === 'recipe') {
    // The search ran the recipe on a plain copy and judged what it returned: reproduce that here.
    const draft = model.codec.decode(encode(model, from), 0);
    try {
      recipeResult(action.do(draft, action.params, c), draft, () => changed(model, draft, from));
    } catch (e) {
      return { message: failure(`the recipe of ${label}`, e) };
    }
    return undefined;
  }
  let next: State;
  try {
    next = produce(pre, (draft: State) => action.do(draft, action.params, c)) as State;
    if (next === null || typeof next !== 'object') return undefined;
  } catch {
    return undefined;
  }
  if (v.phase === 'recipe') return undefined;
  let typeError: TypeViolation | undefined;
  try {
    encode(model, next);
  } catch (e) {
    if (!(e instanceof TypeViolation)) throw e;
    typeError = e;
  }
  if (v.property === TYPE_OK) return typeError ? { next, message: `${label} leaves the type: ${typeError.message}` } : undefined;
  if (typeError) return undefined;
  const property = model.actionProperties.find(([name]) => name === v.property || v.phase === `action property '${name}'`);
  const check = v.phase === 'constraint' ? () => model.constraint?.(next, c) : property ? () => property[1](from, next, c) : undefined;
  if (!check) return undefined;
  try {
    const holds = check();
    return v.outcome === 'action-property' && holds === false ? { next, message: `action property '${v.property}' is violated by ${label}` } : undefined;
  } catch (e) {
    return v.outcome === 'error' ? { next, message: `${v.phase} after ${label} threw: ${errorText(e)}` } : undefined;
  }
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

/** Whether a recipe changed its draft (a draft outside its type has changed). */
function changed(model: Model, draft: State, from: State): boolean {
  try {
    const a = encode(model, draft);
    const b = encode(model, from);
    return a.some((x, i) => x !== b[i]);
  } catch {
    return true;
  }
}
