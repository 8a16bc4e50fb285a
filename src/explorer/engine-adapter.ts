// What the live explorer needs of the engine, and nothing more: the initial states, the action
// instances, and one successor step (is the action enabled here, and what does it lead to). Kept in
// this one file so that the explorer follows the engine's step without knowing how it is built.
import { compileModel, type ActionInstance, type Model } from '../../checker/model.ts';
import { nextState } from '../../checker/trace.ts';
import { actorOf } from '../actor.ts';
import { TypeViolation } from '../schema/index.ts';
import type { ActionDef, Spec } from '../spec.ts';
import { TYPE_OK } from '../spec.ts';

/** A state as spec code sees it: variables by name. */
export type State = Record<string, unknown>;

export interface ExploreAction {
  id: number;
  name: string;
  label: string;
  params: Record<string, unknown>;
  actor?: string;
}

/** The outcome of trying one action in one state. */
export type StepOutcome =
  | { enabled: true; next: State; /** Properties of the step or of its successor that fail. */ violates: string[] }
  | { enabled: false; reason: string };

export interface ExploreSystem {
  title: string;
  vars: string[];
  initial: State[];
  actions: ExploreAction[];
  /** The one successor step, for one action. */
  step(from: State, action: number): StepOutcome;
  /** Invariants (and the type) that `s` breaks. */
  violations(s: State): string[];
  /** A state's variables as ITF values, as trace files hold them. */
  toItf(s: State): Record<string, unknown>;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** How a guard reads: its source, on one line, cut short. */
function sourceOf(fn: Function): string {
  const text = fn.toString().replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

export function exploreSystem(spec: Spec, variant: string, file?: string): ExploreSystem {
  const model: Model = compileModel(spec, variant, file);
  const defs = spec.def.actions as Record<string, ActionDef<State, unknown, Record<string, unknown>>>;
  const c = model.constants;
  const fitsType = (s: State) => {
    try {
      model.codec.encode(s, new Int32Array(model.width), 0, '');
      return true;
    } catch (e) {
      if (e instanceof TypeViolation) return false;
      throw e;
    }
  };
  const violations = (s: State): string[] => {
    if (!fitsType(s)) return [TYPE_OK];
    return model.invariants.filter(([, inv]) => {
      try {
        return inv(s, c) !== true;
      } catch {
        return true;
      }
    }).map(([name]) => name);
  };
  /** Why `a` is not enabled in `s`: a process step's place or its `await`, else the action's guard. */
  const blockedBecause = (a: ActionInstance, s: State): string => {
    const def = defs[a.name];
    if (def?.step) {
      const at = (s[def.step.pc] as Record<string, unknown>)[String(a.params.self)];
      if (at !== def.step.label) return `${def.step.pc}[${String(a.params.self)}] is '${String(at)}', not '${def.step.label}'`;
      if (def.step.wait) return `waits for ${sourceOf(def.step.wait)}`;
    }
    return def?.when ? `its guard is false: ${sourceOf(def.when)}` : 'not enabled';
  };
  return {
    title: variant === 'default' ? spec.def.name : `${spec.def.name} [${variant}]`,
    vars: model.vars,
    initial: model.init,
    actions: model.actions.map((a) => ({ id: a.id, name: a.name, label: a.label, params: a.params, actor: actorOf(spec, a.name, a.params) })),
    step(from, id) {
      const a = model.actions[id];
      if (!fitsType(from)) return { enabled: false, reason: 'the state is outside its type: nothing follows it' };
      let next: State | undefined;
      try {
        next = nextState(model, a, from);
      } catch (e) {
        return { enabled: false, reason: `spec code threw: ${errorText(e)}` };
      }
      if (next === undefined) return { enabled: false, reason: blockedBecause(a, from) };
      const broken = model.actionProperties
        .filter(([, p]) => {
          try {
            return p(from, next, c) !== true;
          } catch {
            return true;
          }
        })
        .map(([name]) => name);
      return { enabled: true, next, violates: [...broken, ...violations(next)] };
    },
    violations,
    toItf(s) {
      const out: Record<string, unknown> = {};
      for (const k of model.vars) {
        try {
          out[k] = model.codec.fields[k].toITF(s[k]);
        } catch {
          out[k] = { '#unserializable': JSON.stringify(s[k]) ?? String(s[k]) };
        }
      }
      return out;
    },
  };
}
