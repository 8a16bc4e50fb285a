// Compiles one variant of a spec into the transition system the engine searches (checker/system.ts):
// a codec, the action instances with their parameters expanded, the properties with the constants
// bound, the symmetry sites, and the source a worker thread rebuilds it from. The Model keeps what
// the command line and the reports need besides (the spec, its codec, its expectation).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { type ActionInstance, type ChoicePath, type Encoder, type State, type SymmetryGroup, type StepSource, type SymmetrySite, type SystemSource, type TransitionSystem, type View } from '../../checker/system.ts';
import { isPromise, recipeResult } from '../../checker/recipe-result.ts';
import { again, enumerateChoices, followChoices, yieldsAny } from '../choice.ts';
import { activate, type EnabledEvaluator } from '../enabled.ts';
import { checkAssumptions } from '../constants.ts';
import { compileCodec, compileViews, type StateViews } from '../schema/compile.ts';
import { equalValues, FiniteSchema, RecordSchema, Schema, show, TypeViolation, ValueBag, ValueSet, type Shape } from '../schema/index.ts';
import { actionList, compileTemporal, isNamed, safetyParts, strongFair, unknownName, weakFair, type TemporalFormula } from '../temporal.ts';
import type { LivenessSystem } from '../../checker/liveness/formula.ts';
import {
  SpecError,
  STARVATION,
  stateSchema,
  variantConstants,
  variantExpectation,
  type ActionDef,
  type Constants,
  type Expectation,
  type ParamDomains,
  type Spec,
  type StepInfo,
} from '../spec.ts';
import { listsStateProperties, readsNoParameter } from './function-source.ts';
import { importGraphHash } from './import-graph.ts';
import { laneTitle } from '../actor.ts';
import { errorText } from '../../checker/error-text.ts';
import { REBUILD_MODULE } from './rebuild-module.js';

export type { ActionInstance, State };

export interface Model extends TransitionSystem {
  spec: Spec;
  specName: string;
  file?: string;
  variant: string;
  constants: Constants;
  /** The constants set over the variant's (`--const`): a trace records them, so that it replays. */
  overrides: Constants;
  codec: RecordSchema<Shape>;
  vars: string[];
  symmetry: Map<string, SymmetryGroup>;
  /** Whether the spec asks for symmetry reduction when the user does not say. */
  symmetryDefault: boolean;
  expect?: Expectation;
  /** Makes this spec the one enabled() asks: for spec code run outside the checker (trace expressions in reports). */
  activate(): void;
}

export interface CompileOptions {
  /** Constants that override the variant's. */
  constants?: Constants;
  /** The export of `file` that holds the spec (default: `default`). */
  exportName?: string;
  /** Check for starvation (the property 'Starvation') whatever the spec and variant say. */
  starvation?: boolean;
  /**
   * Leave `init` uncalled until the initial states are asked for: for a model that only names what
   * another thread searches (the command line's main thread), where the search thread's own
   * compilation calls it and reports what it throws. An `init` can be a search of its own (every
   * state of an inductive invariant).
   */
  lazyInit?: boolean;
  /** A streamed `init` is not run through once when it is first called (see evaluateInit): only searches. */
  streamOnce?: boolean;
  /**
   * The assumptions about the constants were checked where this variant was first compiled (the
   * command line's main thread, for its search thread and workers): they are not run again, so
   * what they print is printed once, as TLC evaluates an ASSUME once.
   */
  assumptionsChecked?: boolean;
}

/** Whether a check reduces by symmetry: the option, else the spec's default, and a scalarset to reduce. */
export function usesSymmetry(model: Model, option?: boolean): boolean {
  return (option ?? model.symmetryDefault) && model.symmetry.size > 0;
}

/** Slots of 32 bits a state may take (256 KB): a wider one is a bound left out, not a model to search. */
const MAX_WIDTH = 1 << 16;

export function compileModel(spec: Spec, variant: string, file?: string, opts: CompileOptions = {}): Model {
  const def = spec.def;
  if (!spec.variantNames.includes(variant)) {
    throw new SpecError(`spec '${def.name}' has no variant '${variant}' (variants: ${spec.variantNames.join(', ')})`);
  }
  const constants = variantConstants(spec, variant, opts.constants);
  if (!opts.assumptionsChecked) checkAssumptions(spec, variant, constants);
  let codec: RecordSchema<Shape>;
  try {
    codec = stateSchema(spec, constants);
  } catch (e) {
    // Constants given on the command line are the likely cause: they are named.
    const given = Object.entries(opts.constants ?? {});
    const from = given.length ? ` (with ${given.map(([k, v]) => `--const ${k}=${show(v)}`).join(' ')})` : '';
    throw new SpecError(`spec '${def.name}': the state schema is invalid${from}: ${(e as Error).message}`);
  }
  if (codec.width > MAX_WIDTH) {
    const widest = [...codec.keys].sort((a, b) => codec.fields[b].width - codec.fields[a].width)[0];
    throw new SpecError(
      `spec '${def.name}': a state takes ${codec.width.toLocaleString('en-US')} slots of 32 bits (${widest}: ${codec.fields[widest].width.toLocaleString('en-US')}), ` +
        `more than the ${MAX_WIDTH.toLocaleString('en-US')} a search can queue and store: bound the types (a sequence's length, a set's elements)`,
    );
  }
  const initThrew = (e: unknown) => new SpecError(`spec '${def.name}', variant '${variant}': \`init\` threw: ${errorText(e)}`);
  const noInitial = () => new SpecError(`spec '${def.name}': \`init\` gives no initial state`);
  let produce: (() => Iterable<unknown>) | undefined;
  let init: unknown[] | undefined;
  const evaluateInit = (): void => {
    let rawInit: unknown;
    try {
      activate(enabledIn);
      rawInit = typeof def.init === 'function' ? def.init(constants) : def.init;
    } catch (e) {
      throw initThrew(e);
    }
    if (isPromise(rawInit) || (Array.isArray(rawInit) && rawInit.some(isPromise))) {
      (Array.isArray(rawInit) ? rawInit : [rawInit]).forEach((p) => isPromise(p) && (p as Promise<unknown>).catch(() => undefined));
      throw new SpecError(`spec '${def.name}', variant '${variant}': \`init\` gives a Promise (an async function?): it gives its states at once, so drop the async`);
    }
    // A function that returns a generator (any iterable but an array) streams its states: each search
    // calls it again and admits each state as it comes.
    produce = typeof def.init === 'function' && isStream(rawInit) ? streamOf(() => (activate(enabledIn), (def.init as (c: Constants) => Iterable<unknown>)(constants)), initThrew, noInitial) : undefined;
    if (produce) {
      // Run through once, keeping nothing, so that a generator that throws is a spec that does not
      // load, as an `init` that throws is, rather than a command that fails half-way. A search need
      // not (streamOnce): it takes every initial state before it expands one, so what the generator
      // throws, or that it gives none, ends it with this same error before it has done anything else.
      if (!opts.streamOnce) for (const _ of produce());
    } else {
      init = (Array.isArray(rawInit) ? rawInit : [rawInit]) as unknown[];
      if (init.length === 0) throw noInitial();
      // Not a state at all (a number, null, a missing return): said as what `init` is, not as a
      // type violation of a state whose every variable is missing.
      const at = init.findIndex((s) => typeof s !== 'object' || s === null || Array.isArray(s));
      if (at >= 0) {
        const odd = init[at];
        throw new SpecError(
          `spec '${def.name}', variant '${variant}': \`init\` gives ${show(odd)}${odd === undefined ? ' (a missing return?)' : ''}; it gives a state (an object with a value for each variable), an array of states, or a generator of them`,
        );
      }
    }
  };
  let evaluated = false;
  const ensureInit = (): void => {
    if (evaluated) return;
    evaluateInit();
    evaluated = true;
  };

  const compiled = compileCodec(codec);
  const views = compileViews<State>(codec);
  // With one variable every recipe touches all of the state, and a view is one layer more.
  // A function that lists the state's own properties needs plain states (./function-source.ts).
  const viewsOn = codec.keys.length > 1 && !specFunctions(def).some(listsStateProperties);
  // What does not pass the generated check goes to the schema's own encoder, which says why (or
  // writes it). The common path has no try: it costs a tenth of a small spec's step.
  const typeMessage = (value: unknown, out: Int32Array, at: number): string | undefined => {
    try {
      if (viewsOn && views.isView(value)) views.encode(value as State, out, at);
      else compiled.encode(value, out, at);
      return undefined;
    } catch (e) {
      if (e instanceof TypeViolation) return e.message;
      throw e;
    }
  };
  const { fits } = compiled;
  const encode: Encoder = viewsOn
    ? (value, out, at) => ((views.isView(value) ? views.fits(value as State, out, at) : fits(value, out, at)) ? undefined : typeMessage(value, out, at))
    : (value, out, at) => (fits(value, out, at) ? undefined : typeMessage(value, out, at));

  const actions: SpecAction[] = [];
  const enabledIn = enabledEvaluator(def.name, actions);
  for (const [name, a] of Object.entries(def.actions as Record<string, ActionDef<State, Constants, ParamDomains>>)) {
    let domains: ParamDomains;
    try {
      domains = typeof a.params === 'function' ? a.params(constants) : (a.params ?? {});
    } catch (e) {
      throw new SpecError(`spec '${def.name}', action '${name}': \`params\` threw: ${errorText(e)}`);
    }
    for (const params of expandParams(def.name, name, domains)) {
      const shown = Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? show(v) : String(v)}`).join(', ');
      actions.push(instance(actions.length, name, shown ? `${name}(${shown})` : name, params, a, constants, codec, spec, encode, viewsOn ? views : undefined, enabledIn));
    }
  }

  const symmetry = symmetryGroups(codec);
  const variantDef = def.variants?.[variant];
  const checked = (name: string) => !variantDef?.properties || variantDef.properties.includes(name);
  // A temporal property []P (or a conjunct of one) is an invariant, as TLC checks it.
  const { invariants: alwaysChecked, actionProperties: stepChecked, temporal } = safetyParts(Object.fromEntries(Object.entries(def.temporal ?? {}).filter(([n]) => checked(n))), constants, {
    name: def.name,
    actions,
    variables: codec.keys,
  });
  // A(s, s') for the actions or processes named: one of their instances steps from s to next.
  const stepOf = (names: readonly string[], s: State, next: State) => actions.some((a) => isNamed(names, a) && a.stepsTo(s, next));
  type Pred = (s: State, c: Constants) => unknown;
  type StepPred = (s: State, next: State, c: Constants) => unknown;
  const constraint = def.constraint as Pred | undefined;
  const actionConstraint = def.actionConstraint as ((s: State, next: State, c: Constants, step: StepInfo) => unknown) | undefined;
  const terminal = def.terminal as Pred | undefined;
  let source: SystemSource | undefined;
  const exportName = opts.exportName ?? 'default';
  // Until the checker runs spec code of another spec, enabled() asks this one.
  activate(enabledIn);
  // `init` may filter candidate states with enabled(): it runs once the actions exist.
  if (!opts.lazyInit) ensureInit();
  return {
    title: variant === 'default' ? def.name : `${def.name} [${variant}]`,
    spec,
    specName: def.name,
    file,
    variant,
    constants,
    overrides: opts.constants ?? {},
    codec,
    encode,
    decode: compiled.decode as Model['decode'],
    views: viewsOn ? { open: views.open, draft: views.draft, plain: (s) => (views.isView(s) ? views.plain(s) : s), recycle: views.recycle } : undefined,
    width: codec.width,
    countedRegions: countedRegionsOf(codec),
    slotBounds: slotBoundsOf(codec),
    vars: codec.keys,
    // Listed (for traces, simulation, the explorer) only when asked for, if they are streamed.
    get initial(): unknown[] {
      ensureInit();
      return (init ??= [...produce!()]);
    },
    // Read when a search starts: a lazy `init` is called then, and streams if it is a generator.
    get initialStates() {
      ensureInit();
      return produce;
    },
    actions,
    invariants: Object.entries((def.invariants ?? {}) as Record<string, Pred>)
      .filter(([n]) => checked(n))
      .map(([name, f]) => ({ name, holds: (s: State) => (activate(enabledIn), f(s, constants)) }))
      .concat(
        alwaysChecked.map(({ name, holds, which }) => ({ name, holds: (s: State) => (activate(enabledIn), holds(s, constants)), which: (s: State) => which(s, constants) })),
      ),
    actionProperties: Object.entries((def.actionProperties ?? {}) as Record<string, StepPred>)
      .filter(([n]) => checked(n))
      .map(([name, f]) => ({ name, holds: (s: State, next: State) => f(s, next, constants) }))
      .concat(stepChecked.map(({ name, holds }) => ({ name, holds: (s: State, next: State) => holds(s, next, constants, stepOf) }))),
    constraint: constraint && ((s: State) => (activate(enabledIn), constraint(s, constants))),
    // The engine judges a step by its states; which action took it is the one running (see instance()).
    actionConstraint: actionConstraint && ((s: State, next: State) => actionConstraint(s, next, constants, running!)),
    view: def.view ? compileView(def.name, codec, def.view) : undefined,
    choices: true,
    terminal: terminal && ((s: State) => (activate(enabledIn), terminal(s, constants))),
    deadlock: variantDef?.deadlock ?? def.deadlock ?? true,
    symmetry,
    symmetryDefault: def.symmetry ?? true,
    expect: variantExpectation(spec, variant),
    activate: () => activate(enabledIn),
    liveness: withEnabled(variantLiveness(spec, variant, actions, constants, checked, temporal, opts.starvation), enabledIn),
    // Computed when first asked for (a parallel search): it reads the spec's import graph.
    get source(): SystemSource | undefined {
      if (!file) return undefined;
      source ??= {
        builder: REBUILD_MODULE,
        module: pathToFileURL(resolve(file)).href,
        export: exportName,
        variant,
        constants,
        hash: importGraphHash(resolve(file)),
      };
      return source;
    },
  };
}

/** Whether what `init` returned is a stream of states: an iterable that is neither an array nor a state. */
function isStream(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
}

/** The states of a fresh run of `make`, with whatever it throws as a spec error. */
function streamOf(make: () => Iterable<unknown>, threw: (e: unknown) => Error, none: () => Error): () => Iterable<unknown> {
  return function* () {
    let count = 0;
    let it: Iterator<unknown>;
    try {
      it = make()[Symbol.iterator]();
    } catch (e) {
      throw threw(e);
    }
    for (;;) {
      let r: IteratorResult<unknown>;
      try {
        r = it.next();
      } catch (e) {
        throw threw(e);
      }
      if (r.done) {
        if (count === 0) throw none();
        return;
      }
      count++;
      yield r.value;
    }
  };
}

/** The temporal properties a variant checks, compiled for the liveness checker; undefined when none. */
function variantLiveness(
  spec: Spec,
  variant: string,
  actions: ActionInstance[],
  constants: Constants,
  checked: (name: string) => boolean,
  /** The temporal properties this variant checks, with their []P conjuncts taken out as invariants. */
  properties: Record<string, TemporalFormula>,
  starvationOption?: boolean,
): LivenessSystem | undefined {
  const def = spec.def;
  const v = def.variants?.[variant];
  const defOf = (a: ActionInstance) => (def.actions as Record<string, ActionDef<State, Constants, Shape>>)[a.name];
  // --starvation asks it of every spec: one without processes has nothing to starve.
  const starvation =
    starvationOption !== undefined ? starvationOption && actions.some((a) => defOf(a).pc) : (v?.starvation ?? def.starvation ?? false) && checked(STARVATION);
  if (!Object.keys(properties).length && !starvation) return undefined;
  // PlusCal's `fair process` / `fair+ process`, declared where the process is.
  const processFair = [...new Map(actions.flatMap((a) => (defOf(a).fair ? [[a.process!, defOf(a).fair!] as const] : []))).entries()].map(([p, kind]) =>
    kind === 'weak' ? weakFair({ process: p }) : strongFair({ process: p }),
  );
  return compileTemporal({
    specName: def.name,
    properties,
    // A variant's fairness replaces the spec's, the processes' own included (`fairness: []` is none).
    fairness: v?.fairness ?? [...processFair, ...(def.fairness ?? [])],
    starvation,
    actions,
    pcOf: (a) => defOf(a).pc,
    constants,
  });
}

/** The step being taken: what an action constraint is told (the engine calls it inside the step). */
let running: StepInfo | undefined;

/** An action instance as the reports see it: it can also say which choices a choice path took. */
export interface SpecAction extends ActionInstance {
  /** Whether this instance can take a step from `s` (TLA+'s ENABLED): its guard holds and a choice path of its recipe yields. */
  canStep(s: State): boolean;
  /** Whether this instance can take the step from `s` to `next` (TLA+'s A(s, s')). */
  stepsTo(s: State, next: State): boolean;
  /** What each choice point on `choice` took from `pre` (`branch 2`, `m = {...}`), for traces. */
  explain(pre: State, choice: ChoicePath): string[];
}

/**
 * One action with its parameters bound: the guard and the recipe, with the constants bound too. The
 * recipe runs once per choice path (either/choose inside it), each run giving one successor.
 */
function instance(
  id: number,
  name: string,
  label: string,
  params: Record<string, unknown>,
  a: ActionDef<State, Constants, ParamDomains>,
  constants: Constants,
  codec: RecordSchema<Shape>,
  spec: Spec,
  encode: Encoder,
  /** Undefined when the search hands recipes decoded drafts. */
  views: StateViews<State> | undefined,
  /** The spec's answer to enabled(), made the active one whenever this instance's spec code runs. */
  enabledIn: EnabledEvaluator,
): SpecAction {
  const when = a.when as ((s: State, p: Record<string, unknown>, c: Constants) => unknown) | undefined;
  const recipe = a.do as (draft: State, p: Record<string, unknown>, c: Constants) => unknown;
  const step: StepInfo = Object.freeze({ action: name, params });
  // The recipe run and the sink are made once per instance, not per state: the step is the hot loop.
  let source: StepSource;
  // Set once the recipe has returned a new state built by spreading its draft: a view has no own
  // properties to spread, so from then on it runs on decoded drafts.
  let decoded = false;
  const runOn = (draft: State): State => {
    const returned = recipe(draft, params, constants);
    // Every choice path's run is judged (a Promise, a mutated draft also returned): immer's rules.
    return returned === undefined ? draft : recipeResult(returned, draft, () => draftChanged(encode, codec.width, draft, source.draft()));
  };
  const run = () => {
    const draft = source.draft();
    if (views === undefined || !views.isView(draft)) return runOn(draft);
    if (decoded) return runOn(views.plain(draft));
    const next = runOn(draft);
    if (next === draft || codec.keys.every((k) => k in next)) return next;
    decoded = true;
    // The same run again, along the same choices, on a decoded draft.
    return again(() => runOn(views.plain(source.draft())));
  };
  const guard = when && ((s: State) => (activate(enabledIn), when(s, params, constants)));
  /** Whether a choice path of this instance's recipe from `s` gives a successor that passes `test` (its guard holding). */
  const yields = (s: State, test: (result: State) => boolean): boolean => {
    if (guard !== undefined && !isGuardTrue(guard(s), label)) return false;
    const saved = running;
    running = step;
    try {
      // Each choice path's run gets a fresh copy: `s` is the predicate's, and stays as it was.
      return yieldsAny(() => {
        const draft = copyState(codec.keys, s);
        const returned = recipe(draft, params, constants);
        return test((returned === undefined ? draft : returned) as State);
      });
    } finally {
      running = saved;
    }
  };
  return {
    id,
    name,
    label,
    params,
    process: a.process,
    actor: laneTitle(spec, { name, params, process: a.process, label }),
    guard,
    disabled: guard !== undefined && falseWithoutState(guard),
    guardShared: when !== undefined && Object.keys(params).length > 0 && readsNoParameter(when) ? a : undefined,
    successors: (from, sink) => {
      running = step;
      source = from;
      activate(enabledIn);
      // A run without choices hands its successor on with NO_CHOICE as its path.
      enumerateChoices(run, sink);
    },
    canStep: (s) => yields(s, () => true),
    stepsTo: (s, next) => yields(s, (result) => codec.keys.every((k) => equalValues(result[k], next[k]))),
    explain: (pre, choice) => {
      activate(enabledIn);
      const draft = copyState(codec.keys, pre);
      return followChoices(() => recipe(draft, params, constants), choice).taken.map((t) => t.shown);
    },
  };
}

/**
 * Whether a guard is false without reading the state: then it is false in every state (spec code is
 * deterministic), and the instance need not be tried. The guard runs once on a state that records
 * any use; a guard that touches it, throws or answers anything but false is left to the search.
 */
function falseWithoutState(guard: (s: State) => unknown): boolean {
  let touched = false;
  const touch = () => {
    touched = true;
    throw new Error('the state is read');
  };
  const probe = new Proxy({}, { get: touch, has: touch, ownKeys: touch, getOwnPropertyDescriptor: touch, set: touch, deleteProperty: touch, defineProperty: touch, getPrototypeOf: touch });
  try {
    const answer = guard(probe);
    // An async guard (a mistake the step names) must not leave a rejected promise behind.
    if (answer instanceof Promise) answer.catch(() => undefined);
    return answer === false && !touched;
  } catch {
    return false;
  }
}

/** The spec's functions that are handed a state as their first argument. */
function specFunctions(def: Spec['def']): unknown[] {
  const actions = Object.values(def.actions as Record<string, { when?: unknown; do: unknown; step?: { wait?: unknown; recipe?: unknown } }>);
  return [
    // A process step's own guard and recipe, which the action's wrappers call.
    ...actions.flatMap((a) => [a.when, a.do, a.step?.wait, a.step?.recipe]),
    ...Object.values(def.invariants ?? {}),
    ...Object.values(def.trace?.show ?? {}),
    def.constraint,
    def.terminal,
  ];
}

/**
 * enabled() for one spec: whether one of the named actions' instances (all of them when none is
 * named) with the given parameter values can take a step from `s`. A guard or recipe that asks about
 * its own action, or about one whose guard asks about it, would never end: the loop is named.
 */
function enabledEvaluator(spec: string, actions: readonly SpecAction[]): EnabledEvaluator {
  /** The instances whose guards and recipes are being run for enabled(), outermost first. */
  const asking: SpecAction[] = [];
  return (s, action, params) => {
    const names = action === undefined ? undefined : typeof action === 'string' ? [action] : action;
    if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))) {
      throw new TypeError(`enabled(s, ${show(action)}): name an action or process, or a list of them`);
    }
    const named = names === undefined ? actions : actions.filter((a) => isNamed(names, a));
    const unknown = names && unknownName(names, actions);
    if (unknown !== undefined) throw new Error(`enabled(s, '${unknown}'): spec '${spec}' has no action or process '${unknown}' ${actionList(actions)}`);
    for (const k of Object.keys(params ?? {})) {
      if (named.some((a) => k in a.params)) continue;
      const has = [...new Set(named.flatMap((a) => Object.keys(a.params)))];
      const parameters = has.length ? `parameters: ${has.join(', ')}` : names?.length === 1 ? 'it has no parameters' : 'they have no parameters';
      const who = names ? `'${names.join("', '")}' has no parameter '${k}'` : `no action has a parameter '${k}'`;
      throw new Error(`enabled(): ${who} (${parameters})`);
    }
    const picked = params === undefined ? named : named.filter((a) => Object.entries(params).every(([k, v]) => k in a.params && equalValues(a.params[k], v)));
    // A value outside a parameter's domain has no instance to ask about: a mistake, not a false.
    if (picked.length === 0 && named.length > 0) {
      throw new Error(`enabled(s, ${names ? show(names.length === 1 ? names[0] : names) : 'undefined'}, ${show(params)}): no instance has these parameter values`);
    }
    for (const a of picked) {
      const at = asking.indexOf(a);
      if (at >= 0) {
        const loop = [...asking.slice(at), a].map((x) => x.label).join(' -> ');
        throw new Error(`enabled() would never end: ${loop} (the guard or recipe of each asks whether the next is enabled)`);
      }
      asking.push(a);
      try {
        if (a.canStep(s as State)) return true;
      } finally {
        asking.pop();
      }
    }
    return false;
  };
}

/** What a guard said, as the step takes it: a non-boolean is a mistake in the spec, named. */
function isGuardTrue(answer: unknown, label: string): boolean {
  if (answer === true || answer === false) return answer;
  throw new TypeError(`the guard of ${label} returned ${show(answer)}, not a boolean`);
}

/** A fresh copy of state `s` (a view, a decoded or a frozen state) for a recipe to change, keeping value classes (ValueSet, ValueBag). */
function copyState(keys: readonly string[], s: State): State {
  const out: State = {};
  for (const k of keys) out[k] = cloneValue(s[k]);
  return out;
}

/**
 * The liveness checker's state predicates, each making its spec the one enabled() asks: an initial
 * state is recorded before any action of the search ran. (Steps are recorded inside an action's
 * step, which made its spec the one asked.)
 */
function withEnabled(live: LivenessSystem | undefined, enabledIn: EnabledEvaluator): LivenessSystem | undefined {
  if (live === undefined) return undefined;
  return { ...live, stateAtoms: live.stateAtoms.map((p) => (s: State) => (activate(enabledIn), p(s))) };
}

function cloneValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneValue);
  if (v instanceof ValueSet) return new ValueSet([...v].map(cloneValue));
  if (v instanceof ValueBag) {
    const b = new ValueBag();
    for (const [e, n] of v.entries()) b.add(cloneValue(e), n);
    return b;
  }
  if (v instanceof Set) return new Set([...v].map(cloneValue));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneValue(x)]));
}

/** TLC's VIEW over whole variables: the slots of the listed variables, in order. */
function compileView(spec: string, codec: RecordSchema<Shape>, vars: readonly string[]): View {
  const ranges: [number, number][] = [];
  for (const name of vars) {
    if (!codec.keys.includes(name)) throw new SpecError(`spec '${spec}': \`view\` names '${name}', which is not a state variable (variables: ${codec.keys.join(', ')})`);
    let at = 0;
    for (const k of codec.keys) {
      if (k === name) break;
      at += codec.fields[k].width;
    }
    ranges.push([at, codec.fields[name].width]);
  }
  const width = ranges.reduce((n, [, w]) => n + w, 0);
  return {
    width,
    project(v, out) {
      let o = 0;
      for (const [at, w] of ranges) for (let i = 0; i < w; i++) out[o++] = v[at + i];
    },
  };
}

/** Whether a recipe changed its draft: the draft no longer encodes as the state it is a copy of. */
function draftChanged(encode: Encoder, width: number, draft: State, original: State): boolean {
  const a = new Int32Array(width);
  const b = new Int32Array(width);
  if (encode(draft, a, 0) !== undefined) return true;
  encode(original, b, 0);
  return a.some((x, i) => x !== b[i]);
}

/** Scalarset occurrences in a state schema, grouped by scalarset; one-element scalarsets have no symmetry. */
export function symmetryGroups(codec: Schema<unknown>): Map<string, SymmetryGroup> {
  const symmetry = new Map<string, { size: number; sites: SymmetrySite[]; elements: readonly string[] }>();
  const sizes = new Map<string, number>();
  const elements = new Map<string, string>();
  const ids = new Map<string, readonly string[]>();
  for (const s of codec.scalarsets()) {
    const listed = s.values.join(', ');
    if (elements.has(s.name) && elements.get(s.name) !== listed) {
      // Permuting one set of ids by a permutation sized for another would be unsound.
      throw new SpecError(`two scalarsets are named '${s.name}' with different elements ({${elements.get(s.name)}} and {${listed}}); give them different names, or use one scalarset`);
    }
    elements.set(s.name, listed);
    ids.set(s.name, s.values);
    sizes.set(s.name, s.size);
  }
  for (const site of codec.sites(0)) {
    const group = symmetry.get(site.set) ?? { size: sizes.get(site.set)!, sites: [], elements: ids.get(site.set)! };
    group.sites.push(site);
    symmetry.set(site.set, group);
  }
  for (const [name, g] of symmetry) if (g.size < 2) symmetry.delete(name);
  return symmetry;
}

/**
 * Instances one action may have: each is an object with its bound guard and recipe, so a product of
 * parameter domains past this would exhaust the heap before the search starts.
 */
const MAX_INSTANCES = 1_000_000;

function expandParams(spec: string, action: string, params: ParamDomains): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  const sizes: string[] = [];
  for (const [p, domain] of Object.entries(params)) {
    let values: readonly unknown[];
    if (Array.isArray(domain)) values = domain;
    else if (domain instanceof FiniteSchema) values = domain.values;
    else if (domain instanceof Schema) {
      try {
        values = domain.enumerate();
      } catch (e) {
        throw new SpecError(`spec '${spec}', action '${action}': parameter '${p}': ${(e as Error).message}`);
      }
    } else {
      throw new SpecError(
        `spec '${spec}', action '${action}': parameter '${p}' is ${show(domain)}; a parameter needs a type (int, enumOf, scalarset, setOf ...) or an array of values`,
      );
    }
    sizes.push(`${p}: ${values.length.toLocaleString('en-US')}`);
    if (combos.length * values.length > MAX_INSTANCES) {
      const total = Object.values(params).reduce((n: number, d) => n * (Array.isArray(d) ? d.length : d instanceof FiniteSchema ? d.values.length : 1), 1);
      throw new SpecError(
        `spec '${spec}', action '${action}': its parameters make ${total.toLocaleString('en-US')} instances (${sizes.join(', ')}${sizes.length < Object.keys(params).length ? ', ...' : ''}), ` +
          `more than the ${MAX_INSTANCES.toLocaleString('en-US')} an action may have: bound the parameters, or pick values inside the recipe with choose()`,
      );
    }
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [p]: v })));
  }
  return combos;
}

/** The largest number each slot of the state's encoding holds (TransitionSystem.slotBounds). */
function slotBoundsOf(codec: RecordSchema<Shape>): Uint32Array {
  const bounds: number[] = [];
  codec.slotBounds(bounds);
  return Uint32Array.from(bounds);
}

/** The state's wide bounded sets and sequences (TransitionSystem.countedRegions), if it has any. */
function countedRegionsOf(codec: RecordSchema<Shape>): Int32Array | undefined {
  const regions = codec.countedRegions(0);
  return regions.length > 0 ? Int32Array.from(regions) : undefined;
}
