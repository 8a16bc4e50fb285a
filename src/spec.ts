// defineSpec: what a user writes. A spec is typed state, initial states, named actions with finite
// parameters (a guard and an immer-style recipe), properties, and variants with expected outcomes.
import { ASSERTION } from '../checker/assertion.ts';
import { RecordSchema, type InferShape, type Schema, type Shape } from './schema/index.ts';
import type { TemporalFormula } from './temporal.ts';

/** What a check of a variant must find: `'holds'`, or a violation of the named property. */
export type Expectation = 'holds' | { violates: string | string[] };

/** The properties an expectation names as violated (none for 'holds'). */
export function expectedViolations(e: Expectation | undefined): string[] {
  if (!e || e === 'holds') return [];
  return Array.isArray(e.violates) ? e.violates : [e.violates];
}

/**
 * The property a run or one of its violations found violated, as expectations, the gate, JUnit and
 * the vitest matchers name it: a failed assert() is 'assertion'; nothing was found when everything
 * held or spec code threw.
 */
export function findingOf(v: { outcome: string; property?: string; violation?: { assertion?: true } }): string | undefined {
  if (v.outcome === 'ok' || (v.outcome === 'error' && !v.violation?.assertion)) return undefined;
  return v.property;
}

/** Names a failure can carry besides the spec's own properties. */
export const TYPE_OK = 'TypeOK';
export const DEADLOCK = 'deadlock';
/** What a failed assert() is reported and expected as. */
export { ASSERTION } from '../checker/assertion.ts';
/** The property the starvation check reports. */
export const STARVATION = 'Starvation';
/** What a variant may expect besides its spec's own properties. */
const RESERVED = [TYPE_OK, DEADLOCK, ASSERTION];

export type Constants = Record<string, unknown>;

/** Which step an action constraint judges: the action's name and its parameters. */
export interface StepInfo {
  action: string;
  params: Readonly<Record<string, unknown>>;
}

/** What a spec asks of action coverage; a dead action usually means a wrong guard. */
export type CoverageRequirement = 'all-actions-fire';

/**
 * Where a parameter takes its values: a finite type, any type whose values can be listed (a set of
 * ids gives every subset), or an explicit list of values (the quorums, computed from the constants).
 */
export type ParamDomain = Schema<any> | readonly unknown[];
export type ParamDomains = Record<string, ParamDomain>;

/** The parameter values of an action instance; an action with no `params` has none. */
export type ParamValues<P> = unknown extends P
  ? {}
  : { [K in keyof P]: P[K] extends Schema<infer T> ? T : P[K] extends readonly (infer T)[] ? T : never };

export interface ActionDef<S, C, P> {
  /**
   * Parameter domains: each combination of values is one action instance (like `\E t \in Threads`).
   * A function of the constants when a domain depends on them.
   */
  params?: P | ((c: C) => P);
  /** Guard: the action is enabled in `s` when this returns true (default: always). */
  when?: (s: Readonly<S>, p: ParamValues<P>, c: C) => boolean;
  /** Effect: mutate the draft (an immer recipe), or return the next state. */
  do: (draft: S, p: ParamValues<P>, c: C) => void | S;
  /** The process whose step this is, for swimlane views; set by `processes()`. */
  process?: string;
  /**
   * The parameter whose value is the actor taking the step: its swimlane column (`handleReq(from, to)`
   * changes only `to`'s state: `actor: 'to'`). Default: the process, then a parameter of a scalarset
   * declared `{ actor: true }`.
   */
  actor?: keyof P & string;
  /**
   * Set by `process()`: the program counter and label this step runs at, its own `await` (the
   * explorer says which one blocks it), and its recipe (read, with the await, for whether the spec
   * lists the state's variables: compile/function-source.ts).
   */
  step?: { pc: string; label: string; wait?: (s: Readonly<S>, self: any, c: C) => boolean; recipe?: (s: S, self: any, c: C) => unknown };
  /** The process's program-counter variable (set by `process()`), for the starvation check. */
  pc?: string;
  /** Fairness of each process id's steps (PlusCal's `fair process` and `fair+ process`); set by `process()`. */
  fair?: 'weak' | 'strong';
}

export interface VariantDef<S, C> {
  description?: string;
  /** Constants that differ from the spec's defaults. */
  constants?: Partial<C>;
  expect?: Expectation;
  /** Turn deadlock checking off (or on) for this variant. */
  deadlock?: boolean;
  /**
   * Check only these invariants and action properties (as a TLC model lists its INVARIANTs); default
   * all. A variant that fails one property first can still show how it fails another.
   */
  properties?: string[];
  /** Fairness for this variant instead of the spec's (the processes' `fair` included). */
  fairness?: TemporalFormula[];
  /** Turn the starvation check on (or off) for this variant. */
  starvation?: boolean;
  /** For a variant expected to fail: what kind of failure it is, what it costs, and which sibling fixes it. */
  finding?: Finding;
  /**
   * Constants whose other values this variant's verdict is also checked at (each one varied alone,
   * the rest as the variant has them), so a claim about a bound says where it was checked.
   */
  bounds?: { [K in keyof C]?: C[K][] };
}

/** How a failure happens: only when named threads interleave, or with each thread running straight through. */
export const FAILURE_KINDS = ['race', 'sequential'] as const;
/** What a failure costs in the system modelled. */
export const CONSEQUENCES = ['corruption', 'use-after-free', 'leak', 'wasted work', 'deadlock', 'hang', 'wrong answer'] as const;

/** What a failing variant means, for a reader who asks "is this a real race, what breaks, what is the fix". */
export interface Finding {
  /**
   * 'race': a shortest counterexample interrupts some thread's steps with another's; 'sequential':
   * it runs each thread's steps in one block (an accounting error, not an interleaving).
   */
  kind: (typeof FAILURE_KINDS)[number];
  /** The processes (or actors, such as 'truncate t1') whose steps the failure needs. */
  threads: string[];
  consequence: (typeof CONSEQUENCES)[number];
  /** A sibling variant with the smallest change that makes it hold. */
  fix: string;
  /** What breaks, in the terms of the system modelled, and why. */
  explain: string;
  /** The steps `explain` narrates, in order: action names as the counterexample shows them. */
  narrative?: string[];
}

export interface SpecDef<Sh extends Shape, C extends Constants, A> {
  name: string;
  description?: string;
  constants?: C;
  /** The state variables and their types; a function of the constants when a bound depends on them. */
  state: Sh | ((c: C) => Sh);
  /**
   * One initial state, several, or a function of the constants returning either, or any iterable of
   * them (a generator: the search then takes them one at a time and keeps none as objects).
   */
  init: InferShape<Sh> | InferShape<Sh>[] | ((c: C) => InferShape<Sh> | InferShape<Sh>[] | Iterable<InferShape<Sh>>);
  actions: { [K in keyof A]: ActionDef<InferShape<Sh>, C, A[K]> };
  invariants?: Record<string, (s: Readonly<InferShape<Sh>>, c: C) => boolean>;
  /** Properties of each step, over the state before and after (TLA+'s [][P]_vars). */
  actionProperties?: Record<string, (s: Readonly<InferShape<Sh>>, next: Readonly<InferShape<Sh>>, c: C) => boolean>;
  /**
   * TLA+'s ASSUME: conditions on the constants, checked before any search. One that does not hold
   * stops the variant with TLC's exit code 10.
   */
  assumptions?: Record<string, (c: C) => boolean>;
  /**
   * How traces show a state (TLC's ALIAS): `show` adds derived values, computed from each state, and
   * `hide` leaves variables out of the printed trace (saved ITF traces keep every variable).
   */
  trace?: { show?: Record<string, (s: Readonly<InferShape<Sh>>, c: C) => unknown>; hide?: (keyof Sh & string)[] };
  /**
   * TLC's ACTION_CONSTRAINT: a step for which this is false is not taken (its successor is not stored
   * or explored; its invariants are still checked). `step` names the action and its parameters.
   */
  actionConstraint?: (s: Readonly<InferShape<Sh>>, next: Readonly<InferShape<Sh>>, c: C, step: StepInfo) => boolean;
  /**
   * TLC's VIEW: the variables that identify a state. States that agree on them count as one, so
   * history or auxiliary variables (a step counter, a trace of events) do not multiply the states.
   */
  view?: (keyof Sh & string)[];
  /** Temporal properties (eventually, always(eventually), eventuallyAlways, leadsTo, ...), checked under `fairness`. */
  temporal?: Record<string, TemporalFormula>;
  /** weakFair(...) and strongFair(...) of actions, instances or processes: what every temporal property assumes. */
  fairness?: TemporalFormula[];
  /**
   * Check that every process id that is not done eventually takes a step (the property 'Starvation'),
   * assuming weak fairness of each process id unless `fairness` says otherwise.
   */
  starvation?: boolean;
  /** Like TLC's CONSTRAINT: states outside it are neither counted nor explored. */
  constraint?: (s: Readonly<InferShape<Sh>>, c: C) => boolean;
  /** Check for states with no enabled action (default true). */
  deadlock?: boolean;
  /** States where having nothing left to do is proper termination, not deadlock. */
  terminal?: (s: Readonly<InferShape<Sh>>, c: C) => boolean;
  /** Reduce by scalarset symmetry (default true). */
  symmetry?: boolean;
  /** Expected outcome of the default variant (used when there are no variants). */
  expect?: Expectation;
  /** `'all-actions-fire'`: a run that explores everything fails the gate if some action never fired. */
  coverage?: CoverageRequirement;
  variants?: Record<string, VariantDef<InferShape<Sh>, C>>;
}

export interface Spec<S = any, C extends Constants = any> {
  readonly kind: 'interleave-spec';
  readonly def: SpecDef<any, C, any>;
  /** Variant names in declaration order; `default` when the spec declares none. */
  readonly variantNames: string[];
  /** Phantom: the state type, for helpers that take a spec. */
  readonly _state?: S;
}

export class SpecError extends Error {}

// The keys a spec, an action and a variant may have: any other is a mistake (`guard:` for `when:`,
// a variant's own `constraint`) that would otherwise be ignored without a word, and change the verdict.
const SPEC_KEYS = ['name', 'description', 'constants', 'state', 'init', 'actions', 'invariants', 'actionProperties', 'assumptions', 'trace', 'actionConstraint', 'view', 'temporal', 'fairness', 'starvation', 'constraint', 'deadlock', 'terminal', 'symmetry', 'expect', 'coverage', 'variants'];
const ACTION_KEYS = ['params', 'when', 'do', 'process', 'actor', 'step', 'pc', 'fair'];
const VARIANT_KEYS = ['description', 'constants', 'expect', 'deadlock', 'properties', 'fairness', 'starvation', 'finding', 'bounds'];

function refuseUnknownKeys(obj: object, known: string[], where: string): void {
  const unknown = Object.keys(obj).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const list = unknown.map((k) => `'${k}'`).join(', ');
  throw new SpecError(`${where} has ${unknown.length === 1 ? 'a key' : 'keys'} Interleave does not know: ${list} (known: ${known.join(', ')})`);
}

export function defineSpec<Sh extends Shape, C extends Constants = {}, A = {}>(
  def: SpecDef<Sh, C, A>,
): Spec<InferShape<Sh>, C> {
  if (!def || typeof def !== 'object') throw new SpecError('defineSpec() needs an object');
  if (typeof def.name !== 'string' || !def.name) throw new SpecError('defineSpec(): `name` must be a non-empty string');
  if (!def.state) throw new SpecError(`spec '${def.name}': \`state\` is missing (an object of types, e.g. { n: int(0, 3) })`);
  if (def.init === undefined) throw new SpecError(`spec '${def.name}': \`init\` is missing`);
  if (!def.actions || typeof def.actions !== 'object') throw new SpecError(`spec '${def.name}': \`actions\` is missing`);
  refuseUnknownKeys(def, SPEC_KEYS, `spec '${def.name}'`);
  if (def.coverage !== undefined && def.coverage !== 'all-actions-fire') {
    throw new SpecError(`spec '${def.name}': \`coverage\` must be 'all-actions-fire', not ${JSON.stringify(def.coverage)}`);
  }
  for (const [name, a] of Object.entries(def.actions as Record<string, ActionDef<unknown, C, unknown>>)) {
    if (!a || typeof a.do !== 'function') throw new SpecError(`spec '${def.name}': action '${name}' needs a \`do\` recipe`);
    refuseUnknownKeys(a, ACTION_KEYS, `spec '${def.name}': action '${name}'`);
    if (a.actor !== undefined && !Object.keys(a.params ?? {}).includes(a.actor)) {
      throw new SpecError(
        `spec '${def.name}': action '${name}' names '${String(a.actor)}' as its actor, which is not one of its parameters (${Object.keys(a.params ?? {}).join(', ') || 'it has none'})`,
      );
    }
  }
  const temporalNames = Object.keys(def.temporal ?? {});
  const starves = def.starvation || Object.values(def.variants ?? {}).some((v) => v?.starvation);
  const names = new Set([...Object.keys(def.invariants ?? {}), ...Object.keys(def.actionProperties ?? {}), ...temporalNames, ...(starves ? [STARVATION] : [])]);
  if (Object.keys(def.invariants ?? {}).some((n) => n in (def.actionProperties ?? {}))) {
    throw new SpecError(`spec '${def.name}': an invariant and an action property share a name`);
  }
  const safetyNames = [...Object.keys(def.invariants ?? {}), ...Object.keys(def.actionProperties ?? {})];
  const shared = temporalNames.find((n) => safetyNames.includes(n));
  if (shared) throw new SpecError(`spec '${def.name}': the temporal property '${shared}' shares its name with an invariant or action property`);
  const variantNames = def.variants && Object.keys(def.variants).length ? Object.keys(def.variants) : ['default'];
  for (const v of variantNames) {
    const vdef = def.variants?.[v];
    if (vdef !== undefined && (typeof vdef !== 'object' || vdef === null)) throw new SpecError(`spec '${def.name}': variant '${v}' must be an object`);
    if (vdef) refuseUnknownKeys(vdef, VARIANT_KEYS, `spec '${def.name}': variant '${v}'`);
    for (const p of vdef?.properties ?? []) {
      if (!names.has(p)) {
        throw new SpecError(`spec '${def.name}', variant '${v}': checks '${p}', which is not a property of the spec (known: ${[...names].join(', ')})`);
      }
    }
    const expect = def.variants?.[v]?.expect ?? def.expect;
    checkFinding(def.name, v, def.variants?.[v]?.finding, variantNames);
    checkBounds(def.name, v, def.variants?.[v]?.bounds, def.constants ?? {});
    // An expectation the variant can never meet would fail every gate for a reason the spec hides.
    const where = `spec '${def.name}', variant '${v}'`;
    if (expect && expect !== 'holds' && expectedViolations(expect).length === 0) throw new SpecError(`${where}: expects a violation of no property (name one, or expect 'holds')`);
    for (const p of expectedViolations(expect)) {
      if (p === DEADLOCK && (vdef?.deadlock ?? def.deadlock ?? true) === false) {
        throw new SpecError(`${where}: expects a deadlock, but does not check for one (deadlock: false)`);
      }
      if (vdef?.properties && names.has(p) && !vdef.properties.includes(p)) {
        throw new SpecError(`${where}: expects a violation of '${p}', which it does not check (it checks ${vdef.properties.join(', ') || 'no property'})`);
      }
      if (!names.has(p) && !RESERVED.includes(p)) {
        throw new SpecError(
          `spec '${def.name}', variant '${v}': expects a violation of '${p}', which is not a property of the spec ` +
            `(known: ${[...names, ...RESERVED].join(', ')})`,
        );
      }
    }
  }
  return { kind: 'interleave-spec', def: def as SpecDef<any, C, any>, variantNames };
}

function checkFinding(spec: string, variant: string, f: Finding | undefined, variants: string[]): void {
  if (f === undefined) return;
  const where = `spec '${spec}', variant '${variant}': \`finding\``;
  const isStrings = (x: unknown) => Array.isArray(x) && x.every((e) => typeof e === 'string' && e !== '');
  if (!FAILURE_KINDS.includes(f.kind)) throw new SpecError(`${where}.kind must be one of ${FAILURE_KINDS.join(', ')}, not ${JSON.stringify(f.kind)}`);
  if (!CONSEQUENCES.includes(f.consequence)) {
    throw new SpecError(`${where}.consequence must be one of ${CONSEQUENCES.join(', ')}, not ${JSON.stringify(f.consequence)}`);
  }
  if (!isStrings(f.threads) || f.threads.length === 0) throw new SpecError(`${where}.threads must name the processes involved (a list of strings)`);
  if (typeof f.explain !== 'string' || !f.explain.trim()) throw new SpecError(`${where}.explain must say what breaks`);
  if (f.narrative !== undefined && !isStrings(f.narrative)) throw new SpecError(`${where}.narrative must be a list of action names`);
  if (f.fix === variant || !variants.includes(f.fix)) {
    throw new SpecError(`${where}.fix names '${f.fix}', which is not another variant of the spec (variants: ${variants.join(', ')})`);
  }
}

function checkBounds(spec: string, variant: string, bounds: Record<string, unknown[] | undefined> | undefined, constants: Constants): void {
  for (const [name, values] of Object.entries(bounds ?? {})) {
    const where = `spec '${spec}', variant '${variant}': \`bounds\` names '${name}'`;
    if (!(name in constants)) throw new SpecError(`${where}, which is not a constant of the spec (constants: ${Object.keys(constants).join(', ') || 'none'})`);
    if (!Array.isArray(values) || values.length === 0) throw new SpecError(`${where}: give the values to check it at, as a non-empty list`);
  }
}

export function isSpec(x: unknown): x is Spec {
  return !!x && typeof x === 'object' && (x as Spec).kind === 'interleave-spec';
}

/** The state schema of a spec under some constants, as a record. */
export function stateSchema(spec: Spec, constants: Constants): RecordSchema<Shape> {
  const shape = typeof spec.def.state === 'function' ? spec.def.state(constants) : spec.def.state;
  return new RecordSchema(shape);
}

/** The constants of a variant: the spec's defaults overridden by the variant's, then by `overrides` (--const). */
export function variantConstants(spec: Spec, variant: string, overrides: Constants = {}): Constants {
  return { ...(spec.def.constants ?? {}), ...(spec.def.variants?.[variant]?.constants ?? {}), ...overrides };
}

export function variantExpectation(spec: Spec, variant: string): Expectation | undefined {
  return spec.def.variants?.[variant]?.expect ?? spec.def.expect;
}
