// Temporal properties over a LivenessGraph, and what a behaviour violating one looks like.
//
// A property is a conjunction of temporal formulas, each under its hypotheses (the fairness of the
// spec, and the fairness and []<>X or <>[]X that the implication it stands under assumes: in
// (H1 => F1) /\ (H2 => F2), F1's are H1's alone). A behaviour violates it when it satisfies the
// hypotheses of one formula and that formula's negation. Each negation is a fair-cycle condition:
//   ~P (initially) = the first state satisfies ~P (and a hypothesis P: the first state satisfies P)
//   ~<>P         = []~P                 every state (for <><<A>>, every step) of the behaviour satisfies ~P
//   ~[]<>X       = <>[]~X               the cycle only has ~X states (or ~X steps)
//   ~<>[]X       = []<>~X               the cycle has a ~X state (or step)
//   ~(P ~> Q)    = <>(P /\ []~Q)        some state has P /\ ~Q, and from there on every state ~Q
//   ~(P ~> []Q)  = <>(P /\ []<>~Q)      some state has P, and the cycle after it has a ~Q state
//   ~[](P => []Q) = <>(P /\ <>~Q)       some state has P, and it or a later one ~Q
//   WF(A)        = []<>~EN(A) \/ []<><<A>>   the cycle has a state where A is disabled, or an A step
//   SF(A)        = <>[]~EN(A) \/ []<><<A>>   the cycle has an A step, or no state where A is enabled
//   ~(F \/ G)    = ~F /\ ~G               both sets of conditions (one trigger state at most)
//   ~WF(A)       = <>[](EN(A) /\ ~<<A>>)   fairness as a conclusion: the cycle has A enabled, and no A step
//   ~SF(A)       = []<>EN(A) /\ <>[]~<<A>>
// so the search is for a reachable strongly connected set of states meeting these (Streett) conditions.
// A hypothesis []X adds "every state and step satisfies X" ([]P => <>Q, [][A]_v => F).

/** A literal: a state bit, an edge bit (an action form <<A>>_v, false on a stutter step), or "a step of fairness unit u". */
export type Lit =
  | { kind: 'state'; bit: number; negated?: boolean }
  | { kind: 'edge'; bit: number; negated?: boolean }
  | { kind: 'taken'; unit: number; negated?: boolean };

/** A temporal formula whose operands are literals (P, Q state literals; X a state or edge literal). */
export type Temporal =
  /** P of the first state (TLA+'s state predicate as a property, or as the left of P => F). */
  | { op: 'initially'; p: Lit }
  | { op: 'eventually'; p: Lit }
  /** []<>(p \/ or...): `or` lets a state and a step literal share one []<> (a process is done, or it steps). */
  | { op: 'always-eventually'; p: Lit; or?: Lit[] }
  | { op: 'eventually-always'; p: Lit }
  | { op: 'leads-to'; p: Lit; q: Lit }
  /** P ~> []Q: after each P, eventually Q forever. */
  | { op: 'leads-to-always'; p: Lit; q: Lit }
  /** [](P => []Q): from each P on (itself included), Q. */
  | { op: 'always-after'; p: Lit; q: Lit }
  /**
   * F1 \/ F2 \/ ...: violated by a behaviour that violates every part. At most one part may be
   * violated from a state of its own (leads-to, leads-to-always, always-after): the search follows
   * one such state.
   */
  | { op: 'or'; parts: Temporal[] }
  /** The fairness of unit `unit` (an index into the property's fairness) as a conclusion: WF_v(A) or SF_v(A). */
  | { op: 'fair'; unit: number }
  /** []X, as a hypothesis: every state and step of the behaviour satisfies X. */
  | { op: 'always'; p: Lit };

/** A fairness unit: a set of action instances, fair as one disjunction (WF_vars(A1 \/ A2 ...)). */
export interface FairnessUnit {
  name: string;
  kind: 'weak' | 'strong';
  /** Action instance ids whose steps are steps of this unit. */
  actions: number[];
  /** The state bit recording whether the unit has a step that changes the state. */
  enabledBit: number;
  /**
   * For a unit whose steps depend on the state they are taken from (TLA+'s WF_vars(A(c, f(s))),
   * the instances whose parameters agree with the state): whether a step of `action` from `pre` is
   * one of the unit's. The recorder sets the enabled bit by it, and `takenBit`, an edge bit, marks
   * the unit's steps; without it a step of any of `actions` is one.
   */
  admits?: (pre: Record<string, unknown>, action: number) => boolean;
  takenBit?: number;
}

export interface LivenessProperty {
  name: string;
  /** Conjuncts; a behaviour violating any one violates the property. */
  conclusions: Temporal[];
  /** What every conclusion assumes beyond fairness: []<>X or <>[]X. */
  hypotheses?: Temporal[];
  /** The fairness units the conclusions assume (all of them, unless `conditions` says which). */
  fairness: FairnessUnit[];
  /**
   * What each conclusion assumes on its own, when the conclusions differ (conjuncts of different
   * implications): further hypotheses, and which of `fairness` (indices) are its own.
   */
  conditions?: { hypotheses: Temporal[]; fair: number[] }[];
}

/** The fairness units conclusion `k` of a property assumes, as indices into its `fairness`. */
export function fairnessOf(property: LivenessProperty, k: number): number[] {
  return property.conditions?.[k].fair ?? property.fairness.map((_, i) => i);
}

/** The fair-cycle condition a violation of one conclusion must meet. */
export interface CycleSearch {
  /** The first state of the behaviour satisfies these. */
  initially?: Lit[];
  /** Every state and step of the whole behaviour satisfies these. */
  always: Lit[];
  /** The state from which `after` must hold (default: any state). */
  trigger: Lit[];
  /** Every state and step from the trigger on satisfies these. */
  after: Lit[];
  /** A state at or after the trigger satisfies these (before the cycle, or on it). */
  then?: Lit[];
  /** Every state and step of the cycle satisfies these. */
  cycle: Lit[];
  /** For each entry, the cycle has a state or step satisfying one of its literals. */
  infinitely: Lit[][];
  /** Strong fairness: the cycle has a step of the unit, or no state where it is enabled. */
  strong: { unit: number; enabledBit: number }[];
}

export function negate(l: Lit): Lit {
  return { ...l, negated: !l.negated };
}

/** The fair-cycle search for a violation of conclusion `k` of a property. */
export function violationSearch(property: LivenessProperty, k: number): CycleSearch {
  const s: CycleSearch = { always: [], trigger: [], after: [], cycle: [], infinitely: [], strong: [] };
  negationInto(s, property.conclusions[k], property);
  for (const h of [...(property.hypotheses ?? []), ...(property.conditions?.[k].hypotheses ?? [])]) {
    if (h.op === 'always-eventually') s.infinitely.push([h.p, ...(h.or ?? [])]);
    else if (h.op === 'eventually-always') s.cycle.push(h.p);
    else if (h.op === 'always') s.always.push(h.p);
    else if (h.op === 'initially') (s.initially ??= []).push(h.p);
    else throw new Error(`property '${property.name}': a hypothesis must be []<>X or <>[]X, not ${h.op}`);
  }
  for (const i of fairnessOf(property, k)) {
    const u = property.fairness[i];
    const taken: Lit = { kind: 'taken', unit: i };
    if (u.kind === 'weak') s.infinitely.push([{ kind: 'state', bit: u.enabledBit, negated: true }, taken]);
    else s.strong.push({ unit: i, enabledBit: u.enabledBit });
  }
  return s;
}

/** Whether a violation of `t` starts from a state of its own (the search's one trigger): at most one part of a disjunction may. */
export function needsTrigger(t: Temporal): boolean {
  return t.op === 'leads-to' || t.op === 'leads-to-always' || t.op === 'always-after';
}

/** Adds to `s` what a behaviour must meet to violate `f`: its negation, as fair-cycle conditions. */
function negationInto(s: CycleSearch, f: Temporal, property: LivenessProperty): void {
  // The search follows one state from which the rest must hold: a second would need its own.
  const trigger = (lits: Lit[]) => {
    if (s.trigger.length > 0) throw new Error(`property '${property.name}': a disjunction has more than one part violated from a state of its own`);
    s.trigger.push(...lits);
  };
  switch (f.op) {
    case 'initially':
      (s.initially ??= []).push(negate(f.p));
      break;
    case 'eventually':
      s.always.push(negate(f.p));
      break;
    case 'always-eventually':
      s.cycle.push(negate(f.p), ...(f.or ?? []).map(negate));
      break;
    case 'eventually-always':
      s.infinitely.push([negate(f.p)]);
      break;
    case 'leads-to':
      trigger([f.p, negate(f.q)]);
      s.after.push(negate(f.q));
      break;
    case 'leads-to-always':
      trigger([f.p]);
      s.infinitely.push([negate(f.q)]);
      break;
    case 'always-after':
      trigger([f.p]);
      (s.then ??= []).push(negate(f.q));
      break;
    case 'or':
      for (const part of f.parts) negationInto(s, part, property);
      break;
    case 'fair': {
      // ~WF(A) = <>[](ENABLED <<A>> /\ ~<<A>>); ~SF(A) = []<>ENABLED <<A>> /\ <>[]~<<A>>.
      const enabled: Lit = { kind: 'state', bit: property.fairness[f.unit].enabledBit };
      const notTaken: Lit = { kind: 'taken', unit: f.unit, negated: true };
      if (property.fairness[f.unit].kind === 'weak') s.cycle.push(enabled, notTaken);
      else {
        s.infinitely.push([enabled]);
        s.cycle.push(notTaken);
      }
      break;
    }
    case 'always':
      throw new Error(`property '${property.name}': []X is a hypothesis here, not a conclusion`);
  }
}

/**
 * The temporal side of a transition system: predicates that set the graph's bits (constants bound),
 * the fairness units, and the properties over those bits.
 */
export interface LivenessSystem {
  /** State bit i is stateAtoms[i]; each fairness unit's enabled bit follows them. */
  readonly stateAtoms: readonly ((s: Record<string, unknown>) => unknown)[];
  /** Edge bit i: edgeAtoms[i] on a step that changes the state (the action forms, <<A>>_v). */
  readonly edgeAtoms: readonly ((s: Record<string, unknown>, next: Record<string, unknown>, action: { readonly id: number; readonly name: string; readonly process?: string }) => unknown)[];
  /** Every fairness unit any property uses. */
  readonly units: readonly FairnessUnit[];
  /** Each with a label per conclusion (`t1` for the conjunct of id t1), for messages. */
  readonly properties: readonly (LivenessProperty & { labels: string[] })[];
}
