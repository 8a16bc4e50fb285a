// Temporal properties and fairness, as a spec writes them, and their compilation into what the
// liveness checker reads: predicate bits per state, action-form bits per step, fairness units
// (sets of action instances) and formulas over those bits.
//
//   initially(P)                 P on the first state (a state predicate as a TLA+ property)
//   eventually(P)                <>P
//   always(P)                    []P: an invariant, as TLC checks it; under implies(h, ...), h => []P
//   always(eventually(P))        []<>P        (also alwaysEventually(P))
//   eventuallyAlways(P)          <>[]P        (also eventually(always(P)))
//   leadsTo(P, Q)                P ~> Q
//   always(implies(P, always(Q)))  [](P => []Q): once P, Q from then on
//   always(implies(P, T)), always(or(...)), always(exists(...)), with T <>[]Q, []<>Q or fairness:
//                                [](P => T) is [](~P) \/ T, since T holds at a state of a behaviour
//                                exactly when it holds at the first (ReliableChan's
//                                [](\E s: P(s) => <>[]Q(s)))
//   step(A, vars?)               <<A>>_v: a step of A that changes v (operand of the forms above)
//   stepOrStutter(A, vars?)      [A]_v: a step of A, or one that leaves v unchanged
//   and(...), implies(hyp, f)    conjunctions; fairness, []P, [][A]_v and []<>/<>[] forms as hypotheses
//   or(...)                      disjunctions (of hypotheses too); at most one part of a disjunction
//                                may be leadsTo(), always(P) or [](P => []Q)
//   weakFair(A), strongFair(A)   as a conclusion (a refinement's WF_v(A)): checked, not assumed
//   forall(ids, (t) => f(t))     one conjunct per id (\A t \in Ids: ...); ids may be made from the constants
//   exists(ids, (t) => f(t))     one disjunct per id (\E t \in Ids: ...), likewise
import type { ActionInstance, State } from '../checker/system.ts';
import { needsTrigger, type FairnessUnit, type Lit, type LivenessSystem, type Temporal } from '../checker/liveness/formula.ts';
import { equalValues, FiniteSchema, show } from './schema/index.ts';
import { SpecError, STARVATION, type Constants } from './spec.ts';

type Pred = (s: any, c: any) => boolean;
/** An action formula: action names (a process name means all its steps), or a predicate on (s, s'). */
export type ActionSpec = string | string[] | ((s: any, next: any, c: any) => boolean);

export interface StepForm {
  kind: 'step';
  actions: ActionSpec;
  /** The v of <<A>>_v: variable names, or a function of the state (a refinement's mapped tuple, `(s) => [f(s), g(s)]`). */
  vars?: Vars;
  /** [A]_v rather than <<A>>_v. */
  orStutter: boolean;
}

type Operand = Pred | StepForm;

export type TemporalFormula =
  /** P of the first state: a state predicate as a TLA+ property, or the P of P => <>Q. */
  | { op: 'initially'; p: Pred }
  | { op: 'eventually'; p: Operand }
  | { op: 'eventually-always'; p: Operand }
  | { op: 'always-eventually'; p: Operand }
  | { op: 'leads-to'; p: Pred; q: Pred }
  | { op: 'leads-to-always'; p: Pred; q: Pred }
  /** [](P => []Q): once P holds, Q holds from then on. */
  | { op: 'always-after'; p: Pred; q: Pred }
  | { op: 'and'; parts: TemporalFormula[]; labels?: string[] }
  | { op: 'or'; parts: TemporalFormula[] }
  /** A state predicate as the hypothesis only inside always(): always(implies(P, always(Q))). */
  | { op: 'implies'; hypothesis: TemporalFormula | Pred; conclusion: TemporalFormula }
  | { op: 'fair'; fairness: Fairness }
  /** \A t \in ids(constants): f(t), expanded when the spec is compiled with its constants. */
  | { op: 'forall'; ids: (c: any) => Ids<unknown>; f: (id: unknown) => TemporalFormula }
  /** \E t \in ids(constants): f(t), expanded into a disjunction when the spec is compiled with its constants. */
  | { op: 'exists'; ids: (c: any) => Ids<unknown>; f: (id: unknown) => TemporalFormula }
  /** []P: inside eventually(...) as <>[]P; of a state predicate, as a property or a conjunct of one, an invariant (safetyParts). */
  | { op: 'always'; p: Operand }
  /** []F of implications from state predicates to tail formulas, their disjunctions and \E: rewritten once the constants are known (alwaysOf). */
  | { op: 'always-of'; f: TemporalFormula };

/** Weak or strong fairness of an action (all its instances as one), of each instance, or of each process id. */
export interface Fairness {
  kind: 'weak' | 'strong';
  /**
   * An action name (`'tick'`, `'put.load'`), several as one unit (`['initiateProbe', 'passToken']`,
   * like WF_vars(A \/ B)), or `{ process: 'put' }` for each id's steps of a process.
   */
  target: string | string[] | { process: string };
  /** One unit per action instance (\A t: WF(A(t))) rather than one for all (WF(\E t: A(t))). */
  each?: boolean;
  /**
   * Only the instances with these parameter values, together as one unit: weakFair(['A', 'B'],
   * { params: { p } }) is WF_vars(A(p) \/ B(p)) (with `each`, one unit per instance).
   */
  params?: Record<string, unknown>;
  /** Only the instances whose parameters pass this test, together as one unit (WF_v(\E p: A(p) /\ test(p))). */
  where?: (params: any) => boolean;
  /**
   * Only the steps whose parameters agree with the state they are taken from: TLA+'s
   * WF_vars(Return(c, alloc[c])) is weakFair('Return', { each: ..., when: (s, p) => p.S equals s.alloc[p.c] }).
   * The unit is enabled in a state when one of the instances it admits there can take a step.
   * `action` is the step's action name, for a unit of several whose condition differs by action:
   * WF_vars((QCond /\ MemQWr) \/ MemQRd) is weakFair(['MemQWr', 'MemQRd'], { when: (s, p, c, action) => action !== 'MemQWr' || QCond(s) }).
   */
  when?: (s: any, params: any, c: any, action: string) => boolean;
  /** How reports name the unit (default: WF(action) or SF(action)). */
  name?: string;
}

/**
 * P holds in the first state of every behaviour (TLA+'s state predicate used as a property, such as
 * the Init of a refinement); as the hypothesis of implies(), TLA+'s P => F with P read on the first
 * state: implies(initially(P), eventually(Q)) is P => <>Q.
 */
export const initially = (p: Pred): TemporalFormula => ({ op: 'initially', p });

/** The v of <<A>>_v and [A]_v: variable names, or a function of the state whose value is v. */
export type Vars = string[] | ((s: any) => unknown);

export const step = (actions: ActionSpec, vars?: Vars): StepForm => ({ kind: 'step', actions, vars, orStutter: false });
export const stepOrStutter = (actions: ActionSpec, vars?: Vars): StepForm => ({ kind: 'step', actions, vars, orStutter: true });

/** An action instance as a name in `step('cpu')`, `enabled(s, 'cpu')` names it: by its action's name or its process's. */
export function isNamed(names: readonly string[], a: { name: string; process?: string }): boolean {
  return names.includes(a.name) || (a.process !== undefined && names.includes(a.process));
}

/** The first of `names` that names no action or process of the spec. */
export function unknownName(names: readonly string[], actions: readonly { name: string; process?: string }[]): string | undefined {
  return names.find((n) => !actions.some((a) => isNamed([n], a)));
}

/** `(actions: put, get)`: what a message about a name the spec does not have lists. */
export function actionList(actions: readonly { name: string }[]): string {
  return `(actions: ${[...new Set(actions.map((a) => a.name))].join(', ')})`;
}

/** Whether a step leaves v as it was: the variables named, or the value of v's function. */
function sameVars(vars: Vars, s: State, next: State): boolean {
  return typeof vars === 'function' ? equalValues(vars(s), vars(next)) : vars.every((v) => equalValues(s[v], next[v]));
}

export function eventually(p: Operand | TemporalFormula): TemporalFormula {
  if (isFormula(p)) {
    if (p.op === 'always-eventually' || p.op === 'eventually-always') return p; // <>[]<>P = []<>P, <><>[]P = <>[]P
    if (p.op === 'always') return { op: 'eventually-always', p: p.p };
    throw new SpecError(`eventually(${opName(p)}(...)) is not a supported temporal formula`);
  }
  return { op: 'eventually', p };
}

/**
 * always(eventually(P)) is []<>P, and always(implies(P, always(Q))) is [](P => []Q); always(P) of a
 * state predicate, as a property or a conjunct of one, is checked as an invariant, as TLC does.
 */
export function always(f: TemporalFormula | Operand): TemporalFormula {
  if (isFormula(f) && f.op === 'eventually') return { op: 'always-eventually', p: f.p };
  if (isFormula(f) && f.op === 'implies' && typeof f.hypothesis === 'function' && f.conclusion.op === 'always' && typeof f.conclusion.p === 'function') {
    return { op: 'always-after', p: f.hypothesis, q: f.conclusion.p };
  }
  // []<>P, <>[]P and [](...) are their own always: [][]F = []F.
  if (isFormula(f) && (f.op === 'always-eventually' || f.op === 'eventually-always' || f.op === 'always-of')) return f;
  if (!isFormula(f)) return { op: 'always', p: f };
  // Checked here where the parts are known; under exists() or forall() over the constants, when the spec is compiled.
  if (f.op === 'implies' || f.op === 'or' || f.op === 'exists' || f.op === 'forall' || f.op === 'and' || f.op === 'fair') {
    const g: TemporalFormula = { op: 'always-of', f };
    if (!defersIds(f)) alwaysOf(f);
    return g;
  }
  throw new SpecError(
    `always(${f.op}(...)) is not a supported temporal formula: always() takes a state predicate ([]P), eventually(...) ([]<>P), implies(P, always(Q)) ([](P => []Q)) or stepOrStutter(...) ([][A]_v); [](P => <>Q) is leadsTo(P, Q)`,
  );
}

/** Whether `f` holds an exists() or forall() whose ids come from the constants (expanded when the spec is compiled). */
function defersIds(f: TemporalFormula): boolean {
  switch (f.op) {
    case 'exists':
    case 'forall':
      return true;
    case 'and':
    case 'or':
      return f.parts.some(defersIds);
    case 'implies':
      return defersIds(f.conclusion) || (typeof f.hypothesis !== 'function' && defersIds(f.hypothesis));
    case 'always-of':
      return defersIds(f.f);
    default:
      return false;
  }
}

/** Formulas true at a state of a behaviour exactly when true at its first: <>[]Q, []<>Q, fairness, and their and() and or(). */
function isTail(f: TemporalFormula): boolean {
  if (f.op === 'eventually-always' || f.op === 'always-eventually' || f.op === 'fair') return true;
  return (f.op === 'and' || f.op === 'or') && f.parts.every(isTail);
}

/**
 * []F for F made of implications from state predicates to tail formulas (isTail), disjunctions of
 * them and of tail formulas, and conjunctions of such (foralls and exists already expanded):
 * [](~P1 \/ ... \/ T1 \/ ...) is [](~P1 \/ ...) \/ T1 \/ ..., since each T holds at every state or at none.
 */
function alwaysOf(f: TemporalFormula): TemporalFormula {
  if (f.op === 'and') return { ...f, parts: f.parts.map(alwaysOf) };
  // A conjunct [](P => []Q) (forall(ids, (t) => implies(P(t), always(Q(t))))), and [][]P, which is []P.
  if (f.op === 'implies' && typeof f.hypothesis === 'function' && f.conclusion.op === 'always' && typeof f.conclusion.p === 'function') {
    return { op: 'always-after', p: f.hypothesis, q: f.conclusion.p };
  }
  if (f.op === 'always' || f.op === 'always-after') return f;
  if (isTail(f)) return f;
  const unless: Pred[] = [];
  const tails: TemporalFormula[] = [];
  const take = (d: TemporalFormula): void => {
    if (d.op === 'or') return d.parts.forEach(take);
    if (isTail(d)) return void tails.push(d);
    if (d.op === 'implies' && typeof d.hypothesis === 'function' && isTail(d.conclusion)) {
      unless.push(d.hypothesis);
      return void tails.push(d.conclusion);
    }
    throw new SpecError(
      `always(${opName(f)}(...)): ${d.op === 'implies' ? 'implies(P, F) under always() takes a state predicate P and F made of eventuallyAlways(...), always(eventually(...)) or fairness' : `its part ${opName(d)}(...) is not supported there`}; ` +
        'always() of an implies(), or() or exists() takes implications from state predicates to those forms, and those forms themselves ([](P => <>[]Q), [](\\E s: P(s) => <>[]Q(s))); [](P => <>Q) is leadsTo(P, Q), [](P => []Q) is always(implies(P, always(Q)))',
    );
  };
  take(f);
  if (unless.length === 0) return { op: 'or', parts: tails };
  // [](~P1 \/ ~P2 \/ ...): in every state, some hypothesis is false.
  return { op: 'or', parts: [...tails, { op: 'always', p: (s, c) => unless.some((p) => !p(s, c)) }] };
}

export const alwaysEventually = (p: Operand): TemporalFormula => ({ op: 'always-eventually', p });
export const eventuallyAlways = (p: Operand): TemporalFormula => ({ op: 'eventually-always', p });
/** P ~> Q; leadsTo(P, always(Q)) is P ~> []Q. */
export function leadsTo(p: Pred, q: Pred | TemporalFormula): TemporalFormula {
  if (typeof q === 'function') return { op: 'leads-to', p, q };
  if (q.op === 'always' && typeof q.p === 'function') return { op: 'leads-to-always', p, q: q.p };
  throw new SpecError(`leadsTo(P, ${opName(q)}(...)): the second operand is a state predicate Q or always(Q)`);
}
export const and = (...parts: TemporalFormula[]): TemporalFormula => ({ op: 'and', parts });
/** F1 \/ F2 \/ ...: of conclusions, and of hypotheses ((H1 \/ H2) => F is checked as (H1 => F) /\ (H2 => F)). */
export const or = (...parts: TemporalFormula[]): TemporalFormula => ({ op: 'or', parts });
/** h => f; h may be a state predicate only inside always(): always(implies(P, always(Q))) is [](P => []Q). */
export const implies = (hypothesis: TemporalFormula | Pred, conclusion: TemporalFormula): TemporalFormula => ({ op: 'implies', hypothesis, conclusion });
export const weakFair = (target: Fairness['target'], opts: Omit<Fairness, 'kind' | 'target'> = {}): TemporalFormula => ({ op: 'fair', fairness: { kind: 'weak', target, ...opts } });
export const strongFair = (target: Fairness['target'], opts: Omit<Fairness, 'kind' | 'target'> = {}): TemporalFormula => ({ op: 'fair', fairness: { kind: 'strong', target, ...opts } });

/** What a forall ranges over: a finite type (its values) or an array of ids. */
export type Ids<Id> = FiniteSchema<Id> | readonly Id[];

/**
 * \A t \in ids: f(t), one conjunct per id, each named by its id in a violation. `ids` may be a
 * function of the constants, `(c) => int(1, c.N)`, as TLA+'s `\A p \in Proc` where Proc is 1..N.
 */
export function forall<Id>(ids: Ids<Id> | ((c: any) => Ids<Id>), f: (id: Id) => TemporalFormula): TemporalFormula {
  if (typeof ids === 'function') return { op: 'forall', ids, f: f as (id: unknown) => TemporalFormula };
  return conjunction(idList(ids), f);
}

/**
 * \E t \in ids: f(t), a disjunction of one part per id (or() over the ids): violated by a behaviour
 * that violates f(t) for every t. `ids` may be a function of the constants, as for forall().
 */
export function exists<Id>(ids: Ids<Id> | ((c: any) => Ids<Id>), f: (id: Id) => TemporalFormula): TemporalFormula {
  if (typeof ids === 'function') return { op: 'exists', ids, f: f as (id: unknown) => TemporalFormula };
  return disjunction(idList(ids), f);
}

function disjunction<Id>(ids: readonly Id[], f: (id: Id) => TemporalFormula): TemporalFormula {
  return { op: 'or', parts: ids.map((id) => f(id)) };
}

function conjunction<Id>(ids: readonly Id[], f: (id: Id) => TemporalFormula): TemporalFormula {
  // Each conjunct is named by its id as a trace shows values (a record as `{ k: 1 }`, not [object Object]).
  return { op: 'and', parts: ids.map((id) => f(id)), labels: ids.map((v) => (typeof v === 'string' ? v : show(v))) };
}

function idList<Id>(ids: Ids<Id>): readonly Id[] {
  if (Array.isArray(ids)) return ids;
  if (ids instanceof FiniteSchema) return ids.values;
  throw new SpecError(`forall(ids, ...): ids is a finite type, an array, or a function of the constants giving one; not ${show(ids)}`);
}

/** A formula with each forall over the constants expanded into its conjuncts. */
function expandForall(f: TemporalFormula, c: Constants): TemporalFormula {
  switch (f.op) {
    case 'forall':
      return expandForall(conjunction(idList(f.ids(c)), f.f), c);
    case 'exists':
      return expandForall(disjunction(idList(f.ids(c)), f.f), c);
    case 'and':
    case 'or':
      return { ...f, parts: f.parts.map((part) => expandForall(part, c)) };
    case 'implies':
      return { ...f, hypothesis: typeof f.hypothesis === 'function' ? f.hypothesis : expandForall(f.hypothesis, c), conclusion: expandForall(f.conclusion, c) };
    case 'always-of':
      return alwaysOf(expandForall(f.f, c));
    default:
      return f;
  }
}

/** The most cases a disjunctive hypothesis, or clauses a disjunction over conjunctions, may make. */
const MAX_CASES = 4096;

/** The hypothesis of a []P under implies(), as [](TRUE => []P): true in every state. */
const FROM_THE_START: Pred = () => true;

/** A formula's operator as the spec wrote it, for messages ('always-of' is how always() keeps a compound formula). */
function opName(f: TemporalFormula): string {
  return f.op === 'always-of' ? 'always' : f.op;
}

function isFormula(x: unknown): x is TemporalFormula {
  return typeof x === 'object' && x !== null && 'op' in x;
}

type EdgeAtom = (s: State, next: State, action: ActionInstance, c: Constants) => boolean;

export interface TemporalInput {
  specName: string;
  properties: Record<string, TemporalFormula>;
  fairness: TemporalFormula[];
  /** Check that every process id not done eventually takes a step. */
  starvation: boolean;
  actions: readonly ActionInstance[];
  /** The program-counter variable of a process step (for the starvation check). */
  pcOf: (action: ActionInstance) => string | undefined;
  constants: Constants;
}

/** Labels of the conjuncts of an and(): a forall's ids, else positions when there are several. */
function partLabels(f: { parts: TemporalFormula[]; labels?: string[] }): (string | undefined)[] {
  return f.parts.map((_, i) => (f.labels ? f.labels[i] : f.parts.length > 1 ? `conjunct ${i + 1}` : undefined));
}

/**
 * An action property taken out of a temporal property. `stepOf(names, s, next)` says whether one of
 * the named actions (or processes) can take the step from s to next: TLA+'s A(s, s'), whichever
 * action of the spec took it.
 */
export interface TakenActionProperty {
  name: string;
  holds: (s: State, next: State, c: Constants, stepOf: (names: readonly string[], s: State, next: State) => boolean) => unknown;
}

/**
 * TLC checks a property []P, P a state predicate, as an invariant, and [][A]_v as an action
 * property (so does a conjunct of one, as in a refinement's Init2 /\ [][Next2]_v2 /\ WF(...)): such
 * conjuncts are taken out of the temporal properties (foralls expanded) and each property's become
 * one invariant and one action property of its name, so that `expect`, `properties` and the symmetry
 * audit see the property as written; a violated invariant names the failing conjunct's label
 * (`'NoLeak' (t1)`), as a temporal one does. What is left of a property stays temporal, its
 * conjuncts labelled as before.
 */
export function safetyParts(
  properties: Record<string, TemporalFormula>,
  c: Constants,
  /** The spec's name, action instances and variables, which a [A]_v must name from. */
  spec: { name: string; actions: readonly { name: string; process?: string }[]; variables: readonly string[] } = { name: '', actions: [], variables: [] },
): { invariants: { name: string; holds: Pred; which: (s: unknown, c: Constants) => string | undefined }[]; actionProperties: TakenActionProperty[]; temporal: Record<string, TemporalFormula> } {
  const invariants: { name: string; holds: Pred; which: (s: unknown, c: Constants) => string | undefined }[] = [];
  const actionProperties: TakenActionProperty[] = [];
  const temporal: Record<string, TemporalFormula> = {};
  for (const [name, formula] of Object.entries(properties)) {
    const parts: { label: string; p: Pred }[] = [];
    const steps: StepForm[] = [];
    const take = (f: TemporalFormula, label: string): TemporalFormula | undefined => {
      if (f.op === 'always' && typeof f.p === 'function') {
        parts.push({ label, p: f.p });
        return undefined;
      }
      if (f.op === 'always' && typeof f.p !== 'function' && f.p.orStutter) {
        steps.push(f.p);
        return undefined;
      }
      if (f.op !== 'and') return f;
      const own = partLabels(f);
      const kept = f.parts.map((part, i) => ({ part: take(part, [label, own[i]].filter(Boolean).join(', ')), was: part, label: own[i] })).filter((k) => k.part);
      // Unchanged only if no part changed at any depth.
      if (kept.length === f.parts.length && kept.every((k) => k.part === k.was)) return f;
      if (kept.length === 0) return undefined;
      return { op: 'and', parts: kept.map((k) => k.part!), labels: kept.map((k) => k.label ?? '') };
    };
    let expanded: TemporalFormula;
    try {
      expanded = expandForall(formula, c);
    } catch (e) {
      // An always() over ids from the constants is checked only now: the message names the property.
      if (e instanceof SpecError && spec.name) throw new SpecError(`spec '${spec.name}', property '${name}': ${e.message}`);
      throw e;
    }
    const rest = take(expanded, '');
    if (rest) temporal[name] = rest;
    if (steps.length > 0) {
      const allowed = steps.map((f) => stepAllowed(f, spec));
      actionProperties.push({
        name,
        // The first answer that is not true, as the step judges an action property's (a non-boolean is named).
        holds: (s, next, k, stepOf) => {
          for (const ok of allowed) {
            const v = ok(s, next, k, stepOf);
            if (v !== true) return v;
          }
          return true;
        },
      });
    }
    if (parts.length === 0) continue;
    // The first part's value that is not true, as an invariant's own (a non-boolean is then reported as one).
    const holds = (s: unknown, k: Constants) => {
      for (const part of parts) {
        const v = part.p(s, k);
        if (v !== true) return v;
      }
      return true;
    };
    invariants.push({ name, holds, which: (s, k) => parts.find((part) => part.p(s, k) !== true)?.label || undefined });
  }
  return { invariants, actionProperties, temporal };
}

/** [A]_v as a test of one step: a step of A (an action or process named, or A's predicate), or one that leaves v unchanged. */
function stepAllowed(f: StepForm, spec: { name: string; actions: readonly { name: string; process?: string }[]; variables: readonly string[] }): TakenActionProperty['holds'] {
  const { name: specName, actions } = spec;
  const vars = f.vars;
  const notVariable = Array.isArray(vars) ? vars.find((v) => !spec.variables.includes(v)) : undefined;
  if (notVariable !== undefined) throw new SpecError(`spec '${specName}': stepOrStutter(..., [${(vars as string[]).map((v) => `'${v}'`).join(', ')}]) names '${notVariable}', which is not a state variable (variables: ${spec.variables.join(', ')})`);
  // A step that changes no variable at all is not judged (the step skips action properties then).
  const unchanged = (s: State, next: State) => vars !== undefined && sameVars(vars, s, next);
  const a = f.actions;
  if (typeof a === 'function') {
    return (s, next, c) => {
      const v = a(s, next, c);
      return v === true || unchanged(s, next) ? true : v;
    };
  }
  const names = Array.isArray(a) ? a : [a];
  const unknown = unknownName(names, actions);
  if (unknown !== undefined) throw new SpecError(`spec '${specName}': stepOrStutter('${unknown}') names no action or process ${actionList(actions)}`);
  return (s, next, _c, stepOf) => unchanged(s, next) || stepOf(names, s, next);
}

/** The temporal side of the transition system, with the constants bound. */
export function compileTemporal(input: TemporalInput): LivenessSystem {
  const { actions, specName } = input;
  const stateAtoms: Pred[] = [];
  const edgeAtoms: EdgeAtom[] = [];
  const unitDefs: { def: Omit<FairnessUnit, 'enabledBit'>; key: string }[] = [];
  const stateBit = (p: Pred) => {
    const i = stateAtoms.indexOf(p);
    return i >= 0 ? i : stateAtoms.push(p) - 1;
  };
  const matcher = (a: ActionSpec): EdgeAtom => {
    if (typeof a === 'function') return (s, t, _x, c) => a(s, t, c) === true;
    const names = Array.isArray(a) ? a : [a];
    const unknown = unknownName(names, actions);
    if (unknown !== undefined) throw new SpecError(`spec '${specName}': step('${unknown}') names no action or process ${actionList(actions)}`);
    return (_s, _t, x) => isNamed(names, x);
  };
  const edgeLit = (f: StepForm): Lit => {
    // <<A>>_v is an edge bit; [A]_v = ~<<~A>>_v.
    const m = matcher(f.actions);
    const vars = f.vars;
    const changes = vars ? (s: State, t: State) => !sameVars(vars, s, t) : () => true;
    const atom = f.orStutter ? (s: State, t: State, x: ActionInstance, c: Constants) => !m(s, t, x, c) && changes(s, t) : (s: State, t: State, x: ActionInstance, c: Constants) => m(s, t, x, c) && changes(s, t);
    const bit = edgeAtoms.push(atom) - 1;
    return { kind: 'edge', bit, negated: f.orStutter };
  };
  const lit = (p: Operand): Lit => (typeof p === 'function' ? { kind: 'state', bit: stateBit(p) } : edgeLit(p));
  const stateLit = (p: Operand, where: string): Lit => {
    if (typeof p !== 'function') throw new SpecError(`spec '${specName}': ${where} takes a state predicate, not a step`);
    return lit(p);
  };
  const unitsOf = (f: Fairness): Omit<FairnessUnit, 'enabledBit'>[] => {
    const kindName = f.kind === 'weak' ? 'WF' : 'SF';
    if (typeof f.target === 'object' && !Array.isArray(f.target)) {
      const proc = f.target.process;
      const steps = actions.filter((a) => a.process === proc);
      if (!steps.length) throw new SpecError(`spec '${specName}': fairness names process '${proc}', which has no steps`);
      const ids = [...new Set(steps.map((a) => String(a.params.self)))];
      return ids.map((id) => ({ name: `${kindName}(${proc} ${id})`, kind: f.kind, actions: steps.filter((a) => String(a.params.self) === id).map((a) => a.id) }));
    }
    const names = Array.isArray(f.target) ? f.target : [f.target];
    const name = names.join(' \\/ ');
    for (const n of names) {
      if (!actions.some((a) => a.name === n)) throw new SpecError(`spec '${specName}': fairness names action '${n}', which the spec does not have`);
    }
    let inst = actions.filter((a) => names.includes(a.name));
    if (f.params) inst = inst.filter((a) => Object.entries(f.params!).every(([k, v]) => a.params[k] === v));
    if (f.where) inst = inst.filter((a) => f.where!(a.params) === true);
    if (!inst.length) throw new SpecError(`spec '${specName}': fairness of '${name}' ${f.params ? `with ${show(f.params)} ` : 'with `where` '}matches no instance`);
    // The instances picked are one unit, as the action or actions named are (WF_v(A(p) \/ B(p))),
    // unless `each` asks for one per instance.
    // Picked by `where`, the unit is named by the parameters its instances share (WF(Return(c=c1))),
    // so that the units of a forall over ids read apart.
    const picked = f.params
      ? `${kindName}(${inst.map((a) => a.label).join(' \\/ ')})`
      : f.where
        ? `${kindName}(${names.filter((n) => inst.some((a) => a.name === n)).map((n) => sharedParams(n, inst.filter((a) => a.name === n))).join(' \\/ ')})`
        : `${kindName}(${name})`;
    const units: Omit<FairnessUnit, 'enabledBit'>[] = f.each
      ? inst.map((a) => ({ name: `${kindName}(${a.label})`, kind: f.kind, actions: [a.id] }))
      : [{ name: f.name ?? picked, kind: f.kind, actions: inst.map((a) => a.id) }];
    return f.when ? units.map((u) => stateDependent(f.name ? u : { ...u, name: `${u.name} when ...` }, f.when!)) : units;
  };
  // A unit whose steps depend on the state: admitted steps set its enabled bit, and an edge bit of
  // its own marks them (the recorder evaluates both on the state a step leaves).
  const whenIds = new Map<unknown, number>();
  const stateDependent = (u: Omit<FairnessUnit, 'enabledBit'>, when: NonNullable<Fairness['when']>): Omit<FairnessUnit, 'enabledBit'> & { when: number } => {
    const mine = new Set(u.actions);
    const admits = (pre: State, action: number) => mine.has(action) && truthOf(when(pre, actions[action].params, input.constants, actions[action].name), `the \`when\` of ${u.name}`);
    const takenBit = edgeAtoms.push((s, _t, x) => admits(s, x.id)) - 1;
    if (!whenIds.has(when)) whenIds.set(when, whenIds.size);
    return { ...u, admits, takenBit, when: whenIds.get(when)! };
  };
  const unitIndex = (u: Omit<FairnessUnit, 'enabledBit'> & { when?: number }): number => {
    const key = `${u.kind}:${u.actions.join(',')}${u.when === undefined ? '' : `:when ${u.when}`}`;
    const i = unitDefs.findIndex((d) => d.key === key);
    return i >= 0 ? i : unitDefs.push({ def: u, key }) - 1;
  };
  // `fairness` may list forall(ids, (t) => weakFair(...)) too: one unit per id.
  const fairLeaves = (f: TemporalFormula): TemporalFormula[] => (f.op === 'and' ? f.parts.flatMap(fairLeaves) : [f]);
  const specFair = input.fairness.flatMap((entry) =>
    fairLeaves(expandForall(entry, input.constants)).flatMap((f) => {
      if (f.op !== 'fair') throw new SpecError(`spec '${specName}': \`fairness\` lists weakFair(...) and strongFair(...) entries`);
      return unitsOf(f.fairness).map(unitIndex);
    }),
  );

  /** What a conclusion assumes: hypotheses, and fairness units (indices into unitDefs). */
  type Assumed = { hypotheses: Temporal[]; fair: number[] };
  type Pending = { name: string; conclusions: Temporal[]; labels: string[]; hypotheses: Temporal[]; fair: number[]; conditions?: Assumed[] };
  const pending: Pending[] = [];
  for (const [name, formula] of Object.entries(input.properties)) {
    const conditions: Assumed[] = [];
    // `fair`, the property's units, is every unit some conclusion assumes: filled in below.
    const p: Pending = { name, conclusions: [], labels: [], hypotheses: [], fair: [], conditions };
    // Each conclusion assumes the spec's fairness and the hypotheses of the implications it stands
    // under, not those of its sibling conjuncts: (H1 => F1) /\ (H2 => F2) is not (H1 /\ H2) => (F1 /\ F2).
    const conclude = (f: TemporalFormula, label: string, assumed: Assumed) => {
      switch (f.op) {
        case 'and':
          // A forall names its conjuncts by id; a plain and() of several names them by position,
          // so and(forall(...), forall(...)) says which forall an id belongs to.
          partLabels(f).forEach((own, i) => conclude(f.parts[i], [label, own].filter(Boolean).join(', '), assumed));
          return;
        case 'implies':
          // (H1 \/ H2) => F is (H1 => F) /\ (H2 => F): one set of assumptions per case of the hypothesis.
          for (const hypotheses of cases(f.hypothesis)) {
            const more: Assumed = { hypotheses: [...assumed.hypotheses], fair: [...assumed.fair] };
            for (const h of hypotheses) assume(h, more);
            conclude(f.conclusion, label, more);
          }
          return;
        case 'or':
        case 'fair':
          for (const { parts: clause, label: own } of clauses(f)) {
            if (clause.filter(needsTrigger).length > 1) {
              throw new SpecError(
                `spec '${specName}', property '${name}': or() of more than one leadsTo(), always(P) or always(implies(P, always(Q))) is not checked: each is violated from a state of its own, and the search follows one`,
              );
            }
            p.conclusions.push(clause.length === 1 ? clause[0] : { op: 'or', parts: clause });
            p.labels.push([label, own].filter(Boolean).join(', '));
            conditions.push(assumed);
          }
          return;
        default:
          p.conclusions.push(leaf(f));
      }
      p.labels.push(label);
      conditions.push(assumed);
    };
    /** A conclusion that is neither a conjunction, a disjunction, an implication nor fairness: a form the checker negates. */
    const leaf = (f: TemporalFormula): Temporal => {
      switch (f.op) {
        case 'always':
          // A []P left here stands under implies() or or() (the others are invariants): it is
          // [](TRUE => []P), violated by a behaviour that reaches a state without P.
          if (typeof f.p !== 'function') {
            throw new SpecError(
              `spec '${specName}', property '${name}': ${f.p.orStutter ? 'always(stepOrStutter(...)), [][A]_v, is checked as an action property when it is the property or one of its conjuncts, not under implies() or or()' : 'always(step(...)) would be []<<A>>_v, which is not a TLA+ formula: write always(stepOrStutter(...)), [][A]_v'}`,
            );
          }
          return { op: 'always-after', p: stateLit(FROM_THE_START, 'always()'), q: stateLit(f.p, 'always()') };
        case 'initially':
          return { op: 'initially', p: stateLit(f.p, 'initially()') };
        case 'eventually':
          // Of a step too: eventually(step(A)) is <><<A>>_v, some step of A.
          return { op: 'eventually', p: lit(f.p) };
        case 'always-eventually':
        case 'eventually-always':
          return { op: f.op, p: lit(f.p) };
        case 'leads-to':
        case 'leads-to-always':
          return { op: f.op, p: stateLit(f.p, 'leadsTo()'), q: stateLit(f.q, 'leadsTo()') };
        case 'always-after':
          return { op: f.op, p: stateLit(f.p, 'always(implies(P, always(Q)))'), q: stateLit(f.q, 'always(implies(P, always(Q)))') };
        case 'implies':
          throw new SpecError(`spec '${specName}', property '${name}': implies() inside or() is not checked; write the implication outside it, implies(H, or(F, G))`);
        default:
          throw new SpecError(`spec '${specName}', property '${name}': not a temporal formula (${show((f as { op: string }).op)})`);
      }
    };
    /**
     * A conclusion as conjuncts of disjunctions, each clause one conclusion: or() distributes over
     * and(), and fairness of several units (`each`, a process's ids) is their conjunction. A clause
     * is named by the ids, positions and units it was made from, as a conjunct of and() is.
     */
    type Clause = { parts: Temporal[]; label: string };
    const join = (...labels: (string | undefined)[]) => labels.filter(Boolean).join(', ');
    const clauses = (f: TemporalFormula): Clause[] => {
      let out: Clause[];
      if (f.op === 'and') out = partLabels(f).flatMap((own, i) => clauses(f.parts[i]).map((c) => ({ parts: c.parts, label: join(own, c.label) })));
      else if (f.op === 'fair') {
        const units = unitsOf(f.fairness);
        out = units.map((u) => ({ parts: [{ op: 'fair', unit: unitIndex(u) }], label: units.length > 1 ? u.name : '' }));
      } else if (f.op === 'or') {
        out = product(f.parts.map(clauses), (a, c) => ({ parts: [...a.parts, ...c.parts], label: join(a.label, c.label) }), { parts: [], label: '' }, CLAUSES);
      } else out = [{ parts: [leaf(f)], label: '' }];
      return bounded(out, CLAUSES);
    };
    /** A hypothesis as a disjunction of cases, each a list of hypotheses that hold together. */
    const cases = (h: TemporalFormula | Pred): (TemporalFormula | Pred)[][] => {
      if (typeof h === 'function') return [[h]];
      if (h.op === 'or') return bounded(h.parts.flatMap(cases), CASES);
      if (h.op === 'and') return product(h.parts.map(cases), (a, c) => [...a, ...c], [], CASES);
      return [[h]];
    };
    // Each case and clause is a search of its own over the graph: past a few thousand, a spec error rather than memory run out.
    const CLAUSES = 'or() over and(), forall() or fairness of several units';
    const CASES = 'a hypothesis with or() under and() or forall()';
    const bounded = <T,>(list: T[], what: string): T[] => {
      if (list.length <= MAX_CASES) return list;
      throw new SpecError(`spec '${specName}', property '${name}': ${what} makes more than ${MAX_CASES} cases, each checked on its own; write the property in fewer parts`);
    };
    /** Every way of taking one element of each list, each way merged into one: the distribution of and() over or(). */
    const product = <T,>(lists: T[][], merge: (a: T, b: T) => T, empty: T, what: string): T[] =>
      lists.reduce<T[]>((acc, list) => bounded(acc.flatMap((a) => list.map((b) => merge(a, b))), what), [empty]);
    const assume = (h: TemporalFormula | Pred, into: Assumed) => {
      if (typeof h === 'function') {
        throw new SpecError(`spec '${specName}', property '${name}': a hypothesis must be fairness, initially(...), always(P), always(stepOrStutter(...)), always(eventually(...)) or eventuallyAlways(...), not a state predicate (initially(P) is P of the first state; always(implies(P, always(Q))) is [](P => []Q))`);
      }
      if (h.op === 'fair') return void into.fair.push(...unitsOf(h.fairness).map(unitIndex));
      if (h.op === 'always-eventually' || h.op === 'eventually-always') return void into.hypotheses.push({ op: h.op, p: lit(h.p) });
      if (h.op === 'initially') return void into.hypotheses.push({ op: 'initially', p: stateLit(h.p, 'initially()') });
      // []P => F and [][A]_v => F: every state (every step) of the behaviours F is checked on.
      if (h.op === 'always' && (typeof h.p === 'function' || h.p.orStutter)) return void into.hypotheses.push({ op: 'always', p: lit(h.p) });
      throw new SpecError(`spec '${specName}', property '${name}': a hypothesis must be fairness, initially(...), always(P), always(stepOrStutter(...)), always(eventually(...)) or eventuallyAlways(...), not ${h.op === 'always' ? 'always(step(...))' : h.op}`);
    };
    conclude(expandForall(formula, input.constants), '', { hypotheses: [], fair: [...specFair] });
    // The property's units: every unit any of its conclusions assumes.
    p.fair = [...new Set(conditions.flatMap((c) => c.fair))];
    pending.push(p);
  }
  if (input.starvation) pending.push(starvation(input, actions, stateBit, edgeAtoms, unitIndex, specFair, unitDefs));

  const units: FairnessUnit[] = unitDefs.map((d, i) => ({ ...d.def, enabledBit: stateAtoms.length + i }));
  const properties = pending.map((p) => {
    // The units the conclusions assume, then those they conclude: a conclusion's unit is named by its place here.
    const pool = [...new Set([...p.fair, ...p.conclusions.flatMap(concludedUnits)])];
    return {
      name: p.name,
      conclusions: p.conclusions.map((t) => inPool(t, pool)),
      labels: p.labels,
      hypotheses: p.hypotheses,
      fairness: pool.map((i) => units[i]),
      ...(p.conditions ? { conditions: p.conditions.map((c) => ({ hypotheses: c.hypotheses, fair: [...new Set(c.fair)].map((i) => pool.indexOf(i)) })) } : {}),
    };
  });
  const c = input.constants;
  return {
    stateAtoms: stateAtoms.map((p) => (s: State) => p(s, c)),
    edgeAtoms: edgeAtoms.map((f) => (s: State, next: State, x: { id: number }) => f(s, next, actions[x.id], c)),
    units,
    properties,
  };
}

/** The fairness units a conclusion concludes (indices of the units of the whole system). */
function concludedUnits(t: Temporal): number[] {
  return t.op === 'fair' ? [t.unit] : t.op === 'or' ? t.parts.flatMap(concludedUnits) : [];
}

/** The conclusion with its units named by their place in the property's own list. */
function inPool(t: Temporal, pool: number[]): Temporal {
  if (t.op === 'fair') return { op: 'fair', unit: pool.indexOf(t.unit) };
  if (t.op === 'or') return { op: 'or', parts: t.parts.map((part) => inPool(part, pool)) };
  return t;
}

/** `Return(c=c1)`: an action named with the parameter values all of `instances` share; its bare name if none. */
function sharedParams(name: string, instances: readonly ActionInstance[]): string {
  const [first, ...rest] = instances;
  const shared = Object.entries(first?.params ?? {}).filter(([k, v]) => rest.every((a) => equalValues(a.params[k], v)));
  return shared.length ? `${name}(${shared.map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? show(v) : String(v)}`).join(', ')})` : name;
}

/** What a fairness `when` says: true or false, or a spec error. */
function truthOf(x: unknown, what: string): boolean {
  if (x === true || x === false) return x;
  throw new SpecError(`${what} returned ${show(x)}, not a boolean${x === undefined ? ' (a missing return?)' : ''}`);
}

/**
 * Every process id that is not done eventually takes a step: []<>(done(i) \/ <<step of i>>) for each
 * id, under the spec's fairness plus weak fairness of each process id the spec declares none for.
 */
function starvation(
  input: TemporalInput,
  actions: readonly ActionInstance[],
  stateBit: (p: Pred) => number,
  edgeAtoms: EdgeAtom[],
  unitIndex: (u: Omit<FairnessUnit, 'enabledBit'>) => number,
  specFair: number[],
  unitDefs: { def: Omit<FairnessUnit, 'enabledBit'> }[],
) {
  const procs = [...new Set(actions.filter((a) => a.process && input.pcOf(a)).map((a) => a.process!))];
  if (!procs.length) throw new SpecError(`spec '${input.specName}': \`starvation\` needs processes (process(...) steps); this spec has none`);
  const fair = [...specFair];
  const conclusions: Temporal[] = [];
  const labels: string[] = [];
  const covered = new Set(specFair.flatMap((i) => unitDefs[i].def.actions));
  for (const proc of procs) {
    const steps = actions.filter((a) => a.process === proc);
    const pc = input.pcOf(steps[0])!;
    const labelsOf = new Set(steps.map((a) => a.name.slice(proc.length + 1)));
    for (const id of [...new Set(steps.map((a) => String(a.params.self)))]) {
      const mine = steps.filter((a) => String(a.params.self) === id);
      const done = (s: State) => !labelsOf.has(String((s[pc] as Record<string, unknown>)[id]));
      const doneBit = stateBit(done);
      const ids = new Set(mine.map((a) => a.id));
      const stepBit = edgeAtoms.push((_s, _t, x) => ids.has(x.id)) - 1;
      conclusions.push({ op: 'always-eventually', p: { kind: 'state', bit: doneBit }, or: [{ kind: 'edge', bit: stepBit }] });
      labels.push(`${proc} ${id}`);
      if (!mine.some((a) => covered.has(a.id))) fair.push(unitIndex({ name: `WF(${proc} ${id})`, kind: 'weak', actions: mine.map((a) => a.id) }));
    }
  }
  return { name: STARVATION, conclusions, labels, hypotheses: [], fair };
}
