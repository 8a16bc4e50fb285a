// What the live explorer needs of the engine, and nothing more: the initial states, the action
// instances, and the engine's one successor step from a state (each enabled action's successors,
// one per choice path, and what each breaks). Kept in this one file so that the explorer follows
// the engine's step without knowing how it is built.
import type { Violation } from '../../checker/result.ts';
import { isTrue, Step, type StepHandler } from '../../checker/step.ts';
import type { ActionInstance, ChoicePath, State } from '../../checker/system.ts';
import { compileModel, type Model } from '../compile/model.ts';
import type { ActionDef, Constants, Spec } from '../spec.ts';
import { parseITF } from '../report/itf.ts';
import { show } from '../schema/index.ts';

/** A state the explorer reached: its value, and its encoding when it fits its type. */
export interface ExploreState {
  value: State;
  encoded?: Int32Array;
}

export interface ExploreAction {
  id: number;
  name: string;
  label: string;
  params: Record<string, unknown>;
  actor?: string;
}

/** One successor of an enabled action: its choice path, the state, and the properties it breaks. */
export interface ExploreSuccessor {
  action: number;
  choice: number[];
  next: ExploreState;
  violates: string[];
}

export interface ExploreSystem {
  title: string;
  vars: string[];
  initial: ExploreState[];
  actions: ExploreAction[];
  /** The engine's step from `from`: every successor, and why each action without one is blocked. */
  expand(from: ExploreState): { successors: ExploreSuccessor[]; blocked: Map<number, string> };
  /** Invariants (and the type) that a state breaks. */
  violations(s: ExploreState): string[];
  /** A state's variables as ITF values, as trace files hold them. */
  toItf(s: ExploreState): Record<string, unknown>;
  /** What identifies a state: its encoding (a set is one set whatever its order), else how it prints. */
  keyOf(s: ExploreState): string;
  /** A trace file's states, read into the spec's types (ItfError when they do not fit), with their keys. */
  readTrace(json: unknown, source: string): { key: string; action?: { name: string; params?: Record<string, unknown> } }[];
}

/** How a guard reads: its source, on one line, cut short. */
function sourceOf(fn: Function): string {
  const text = fn.toString().replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** Collects what the step finds from one state. */
class Collector implements StepHandler {
  successors: ExploreSuccessor[] = [];
  errors = new Map<number, string>();
  constructor(private readonly model: Model) {}
  stored(_next: State, _v: Int32Array, _hi: number, _lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void {
    this.add(action, choice, { value: this.model.decode(encoded, 0), encoded: encoded.slice() }, []);
  }
  pruned(next: State, encoded: Int32Array | undefined, action: ActionInstance | undefined, choice: ChoicePath): void {
    this.add(action, choice, encoded ? { value: this.model.decode(encoded, 0), encoded: encoded.slice() } : { value: structuredClone(next) }, []);
  }
  violation(v: Violation): void {
    const action = v.step?.action;
    if (v.outcome === 'error') {
      if (action) this.errors.set(action.id, v.message);
      return;
    }
    if (!action || !v.step?.next) return;
    const scratch = new Int32Array(this.model.width);
    const fits = this.model.encode(v.step.next, scratch, 0) === undefined;
    this.add(action, v.step.choice ?? [], fits ? { value: this.model.decode(scratch, 0), encoded: scratch } : { value: structuredClone(v.step.next) }, [v.property!]);
  }
  private add(action: ActionInstance | undefined, choice: ChoicePath, next: ExploreState, violates: string[]): void {
    if (action) this.successors.push({ action: action.id, choice: [...choice], next, violates });
  }
}

export function exploreSystem(spec: Spec, variant: string, file?: string, constants?: Constants): ExploreSystem {
  const model = compileModel(spec, variant, file, { constants });
  const key = (value: unknown): string => {
    const v = new Int32Array(model.width);
    return model.encode(value, v, 0) === undefined ? v.join(',') : show(value);
  };
  const defs = spec.def.actions as Record<string, ActionDef<State, unknown, Record<string, unknown>>>;
  const collector = new Collector(model);
  const step = new Step(model, collector, { deadlock: false });
  const violations = (s: ExploreState): string[] => {
    if (!s.encoded) return ['TypeOK'];
    return model.invariants
      .filter((inv) => {
        try {
          return !isTrue(inv.holds(model.decode(s.encoded!, 0)));
        } catch {
          return true;
        }
      })
      .map((inv) => inv.name);
  };
  /** Why an action gives no successor in `s`: a process step's place or its `await`, else the action's guard. */
  const blockedBecause = (a: ActionInstance, s: State): string => {
    const def = defs[a.name];
    if (def?.step) {
      const at = (s[def.step.pc] as Record<string, unknown>)[String(a.params.self)];
      if (at !== def.step.label) return `${def.step.pc}[${String(a.params.self)}] is '${String(at)}', not '${def.step.label}'`;
      if (def.step.wait) return `waits for ${sourceOf(def.step.wait)}`;
    }
    return def?.when ? `its guard is false: ${sourceOf(def.when)}` : 'not enabled';
  };
  // The initial states as the engine takes them, through the same step.
  const initial: ExploreState[] = [];
  const initialCollector: StepHandler = {
    stored: (_n, _v, _hi, _lo, _a, _c, encoded) => initial.push({ value: model.decode(encoded, 0), encoded: encoded.slice() }),
    pruned: (next, encoded) => initial.push(encoded ? { value: model.decode(encoded, 0), encoded: encoded.slice() } : { value: structuredClone(next) }),
    violation: () => {},
  };
  const initStep = new Step(model, initialCollector, { deadlock: false });
  model.initial.forEach((s, i) => initStep.initial(s, i));

  return {
    title: variant === 'default' ? spec.def.name : `${spec.def.name} [${variant}]`,
    vars: model.vars,
    initial,
    actions: model.actions.map((a) => ({ id: a.id, name: a.name, label: a.label, params: { ...a.params }, actor: a.actor })),
    expand(from) {
      const blocked = new Map<number, string>();
      if (!from.encoded) {
        for (const a of model.actions) blocked.set(a.id, 'the state is outside its type: nothing follows it');
        return { successors: [], blocked };
      }
      collector.successors = [];
      collector.errors = new Map();
      step.expand(from.encoded, 0, -1);
      const successors = collector.successors.map((s) => ({ ...s, violates: s.violates.length ? s.violates : violations(s.next) }));
      const enabled = new Set(successors.map((s) => s.action));
      for (const a of model.actions) {
        if (enabled.has(a.id)) continue;
        const error = collector.errors.get(a.id);
        blocked.set(a.id, error ? `spec code threw: ${error}` : blockedBecause(a, from.value));
      }
      return { successors, blocked };
    },
    violations,
    keyOf: (s) => (s.encoded ? s.encoded.join(',') : key(s.value)),
    readTrace: (json, source) => parseITF(model, json, source).map((s) => ({ key: key(s.state), action: s.action })),
    toItf(s) {
      const out: Record<string, unknown> = {};
      for (const k of model.vars) {
        try {
          out[k] = model.codec.fields[k].toITF(s.value[k]);
        } catch {
          out[k] = { '#unserializable': JSON.stringify(s.value[k]) ?? String(s.value[k]) };
        }
      }
      return out;
    },
  };
}
