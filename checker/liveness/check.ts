// Finds a behaviour that violates a liveness property: a lasso, a shortest path from an initial
// state to a state of a fair cycle, and a short cycle through it. Exact: strongly connected
// components of the states the cycle may use, then the Streett decomposition for strong fairness
// (a component with states where a strongly fair unit is enabled but no step of it loses those
// states and is split again), as in Emerson and Lei's algorithm.
import { edgeBit, stateBit, type LivenessGraph } from './graph.ts';
import { fairnessOf, violationSearch, type CycleSearch, type FairnessUnit, type Lit, type LivenessProperty } from './formula.ts';
import { Scc } from './scc.ts';

/** A violating behaviour: `states[0..]` then back from the last state to `states[loop]`, forever. */
export interface Lasso {
  states: number[];
  /** steps[i] is the edge from states[i] to states[i + 1], or -1 for a stutter step. */
  steps: number[];
  /** The edge from the last state back to states[loop], or -1: the last state stutters forever. */
  back: number;
  loop: number;
}

export interface LivenessViolation {
  property: string;
  /** Which conjunct of the property the lasso violates. */
  conclusion: number;
  lasso: Lasso;
  /** How the cycle meets each fairness unit (for the report). */
  fairness: { unit: string; kind: FairnessUnit['kind']; how: 'taken' | 'disabled' | 'never enabled' }[];
}

export function checkLiveness(g: LivenessGraph, property: LivenessProperty): LivenessViolation | undefined {
  for (let k = 0; k < property.conclusions.length; k++) {
    const search = violationSearch(property, k);
    const lasso = findLasso(g, search, unitMasks(g, property.fairness));
    if (lasso) return { property: property.name, conclusion: k, lasso, fairness: describeFairness(g, property.fairness, lasso, fairnessOf(property, k)) };
  }
  return undefined;
}

/**
 * For each fairness unit, which steps are its own: by action id (a lookup), or, for a unit whose
 * steps depend on the state they leave, by the edge bit the recorder set.
 */
export interface UnitSteps {
  mask: Uint8Array;
  bit?: number;
}

export function unitMasks(g: LivenessGraph, units: FairnessUnit[]): UnitSteps[] {
  let maxAction = -1;
  for (let e = 0; e < g.edgeCount; e++) if (g.action[e] > maxAction) maxAction = g.action[e];
  for (const u of units) for (const a of u.actions) if (a > maxAction) maxAction = a;
  return units.map((u) => {
    const m = new Uint8Array(maxAction + 1);
    for (const a of u.actions) m[a] = 1;
    return { mask: m, bit: u.takenBit };
  });
}

/** Literal evaluation on states, edges and the stutter step (edge -1). */
export class Lits {
  constructor(
    private readonly g: LivenessGraph,
    private readonly units: UnitSteps[],
  ) {}
  onState(l: Lit, s: number): boolean {
    return l.kind === 'state' ? stateBit(this.g, s, l.bit) !== !!l.negated : true;
  }
  onEdge(l: Lit, e: number): boolean {
    if (l.kind === 'state') return true;
    const v = e < 0 ? false : l.kind === 'edge' ? edgeBit(this.g, e, l.bit) : this.takes(l.unit, e);
    return v !== !!l.negated;
  }
  /** Whether step e is a step of fairness unit u. */
  takes(u: number, e: number): boolean {
    const unit = this.units[u];
    return unit.bit !== undefined ? edgeBit(this.g, e, unit.bit) : unit.mask[this.g.action[e]] === 1;
  }
  statesOk(ls: Lit[], s: number): boolean {
    for (const l of ls) if (!this.onState(l, s)) return false;
    return true;
  }
  edgeOk(ls: Lit[], e: number): boolean {
    for (const l of ls) if (!this.onEdge(l, e)) return false;
    return true;
  }
  /** Whether a state or a step satisfies some literal of a disjunction (states for state literals, steps for the rest). */
  // Plain loops: these run per state and per edge, where a closure per call would cost more.
  stateMeets(any: Lit[], s: number): boolean {
    for (let i = 0; i < any.length; i++) if (any[i].kind === 'state' && this.onState(any[i], s)) return true;
    return false;
  }
  edgeMeets(any: Lit[], e: number): boolean {
    for (let i = 0; i < any.length; i++) if (any[i].kind !== 'state' && this.onEdge(any[i], e)) return true;
    return false;
  }
}

export function findLasso(g: LivenessGraph, q: CycleSearch, units: UnitSteps[]): Lasso | undefined {
  const n = g.stateCount;
  const L = new Lits(g, units);
  const cycleLits = [...q.always, ...q.after, ...q.cycle];
  const stutterOk = L.edgeOk(cycleLits, -1);
  // The states and steps a cycle may use.
  const inCycle = new Uint8Array(n);
  for (let s = 0; s < n; s++) if (L.statesOk(cycleLits, s)) inCycle[s] = 1;
  const edgeOk = new Uint8Array(g.edgeCount);
  for (let e = 0; e < g.edgeCount; e++) if (inCycle[g.from[e]] && inCycle[g.to[e]] && L.edgeOk(cycleLits, e)) edgeOk[e] = 1;

  const accepted = new Int32Array(n).fill(-1);
  let components = 0;
  // region[s]: the part of the graph s is being decomposed in; sccOf[s]: its component in that part.
  const region = new Int32Array(n).fill(-1);
  const sccOf = new Int32Array(n).fill(-1);
  let regions = 0;
  let sccs = 0;
  const scc = new Scc(g);
  const pending: number[][] = [];
  {
    const all: number[] = [];
    for (let s = 0; s < n; s++) if (inCycle[s]) all.push(s);
    pending.push(all);
  }
  while (pending.length) {
    const nodes = pending.pop()!;
    const id = regions++;
    for (const s of nodes) region[s] = id;
    for (const c of scc.components(nodes, (e) => edgeOk[e] === 1 && region[g.to[e]] === id)) {
      if (c.length === 1 && !stutterOk) continue;
      const cid = sccs++;
      for (const s of c) sccOf[s] = cid;
      const internal = (e: number) => edgeOk[e] === 1 && sccOf[g.to[e]] === cid && region[g.to[e]] === id;
      if (!q.infinitely.every((any) => meets(g, L, any, c, internal, stutterOk))) continue;
      // Strong fairness: a unit enabled somewhere in the component but never taken in it cannot be
      // enabled infinitely often; the cycle must avoid the states where it is enabled.
      let dropped: Set<number> | undefined;
      for (const sf of q.strong) {
        if (meets(g, L, [{ kind: 'taken', unit: sf.unit }], c, internal, false)) continue;
        for (const s of c) if (stateBit(g, s, sf.enabledBit)) (dropped ??= new Set()).add(s);
      }
      if (!dropped) {
        for (const s of c) accepted[s] = components;
        components++;
      } else {
        const rest = c.filter((s) => !dropped!.has(s));
        if (rest.length) pending.push(rest);
      }
    }
  }
  if (components === 0) return undefined;

  const prefix = shortestPrefix(g, q, L, accepted);
  if (!prefix) return undefined;
  const entry = prefix.states[prefix.states.length - 1];
  const comp = accepted[entry];
  const inK = (s: number) => accepted[s] === comp;
  const cycle = shortCycle(g, q, L, entry, inK, (e) => edgeOk[e] === 1 && inK(g.to[e]), stutterOk);
  const states = [...prefix.states, ...cycle.states];
  return { states, steps: [...prefix.steps, ...cycle.steps], back: cycle.back, loop: prefix.states.length - 1 };
}

function meets(g: LivenessGraph, L: Lits, any: Lit[], scc: number[], internal: (e: number) => boolean, stutter: boolean): boolean {
  if (stutter && L.edgeMeets(any, -1)) return true;
  for (const s of scc) {
    if (L.stateMeets(any, s)) return true;
    for (let i = g.outStart[s]; i < g.outStart[s + 1]; i++) {
      const e = g.out[i];
      if (internal(e) && L.edgeMeets(any, e)) return true;
    }
  }
  return false;
}

/**
 * Breadth-first from the initial states over (state, phase): phase 0 before the trigger, phase 1
 * from it on, and, when the search asks for a `then` state after the trigger, phase 2 from that
 * state on. The first state of the last phase in an accepted component ends a shortest prefix.
 */
function shortestPrefix(g: LivenessGraph, q: CycleSearch, L: Lits, accepted: Int32Array): { states: number[]; steps: number[] } | undefined {
  const n = g.stateCount;
  const last = q.then ? 2 : 1;
  // parent[phase * n + s]: the node it was reached from (-1: initial; the same state in the phase
  // before when it entered this phase there).
  const parent = new Int32Array((last + 1) * n).fill(-3);
  const via = new Int32Array((last + 1) * n).fill(-1);
  const okIn = (s: number, phase: number) => L.statesOk(q.always, s) && (phase === 0 || L.statesOk(q.after, s));
  const enters = (s: number, phase: number) =>
    phase === 1 ? L.statesOk(q.trigger, s) && L.statesOk(q.after, s) : phase === 2 && L.statesOk(q.then!, s);
  let level: number[] = [];
  const visit = (node: number, from: number, edge: number, into: number[]) => {
    if (parent[node] !== -3) return;
    parent[node] = from;
    via[node] = edge;
    into.push(node);
    // The next phase may begin at this very state (entering a phase is not a step).
    const phase = Math.floor(node / n);
    const s = node - phase * n;
    if (phase < last && enters(s, phase + 1)) visit((phase + 1) * n + s, node, -1, into);
  };
  for (const s of g.initial) if (okIn(s, 0) && L.statesOk(q.initially ?? [], s)) visit(s, -1, -1, level);
  while (level.length) {
    let found = -1;
    for (const node of level) if (node >= last * n && accepted[node - last * n] >= 0 && (found < 0 || node < found)) found = node;
    if (found >= 0) return unwind(n, parent, via, found);
    const next: number[] = [];
    for (const node of level) {
      const phase = Math.floor(node / n);
      const s = node - phase * n;
      for (let i = g.outStart[s]; i < g.outStart[s + 1]; i++) {
        const e = g.out[i];
        const t = g.to[e];
        if (!L.edgeOk(q.always, e) || (phase >= 1 && !L.edgeOk(q.after, e)) || !okIn(t, phase)) continue;
        visit(phase * n + t, node, e, next);
      }
    }
    level = next;
  }
  return undefined;
}

function unwind(n: number, parent: Int32Array, via: Int32Array, node: number): { states: number[]; steps: number[] } {
  const states: number[] = [];
  const steps: number[] = [];
  for (let x = node; x >= 0; ) {
    const p = parent[x];
    if (p >= 0 && p % n === x % n && via[x] === -1) {
      x = p; // entering phase 1 is not a step
      continue;
    }
    states.push(x % n);
    if (p >= 0) steps.push(via[x]);
    x = p;
  }
  return { states: states.reverse(), steps: steps.reverse() };
}

/**
 * A cycle from `entry` through the component: it visits, one after another, the nearest state or
 * step meeting each condition the cycle does not meet yet, then returns to `entry`. When `entry`
 * alone meets everything, the behaviour stutters there forever.
 */
function shortCycle(
  g: LivenessGraph,
  q: CycleSearch,
  L: Lits,
  entry: number,
  inK: (s: number) => boolean,
  internal: (e: number) => boolean,
  stutterOk: boolean,
): { states: number[]; steps: number[]; back: number } {
  const wanted: Lit[][] = [...q.infinitely];
  // Strong fairness in a component with enabled states is met by a step of the unit.
  for (const sf of q.strong) {
    const enabledSomewhere = componentStates(g, entry, inK, internal).some((s) => stateBit(g, s, sf.enabledBit));
    if (enabledSomewhere) wanted.push([{ kind: 'taken', unit: sf.unit }]);
  }
  const walkStates = [entry];
  const walkSteps: number[] = [];
  let stutterNeeded = false;
  const met = (any: Lit[]) =>
    walkStates.some((s) => L.stateMeets(any, s)) || walkSteps.some((e) => e >= 0 && L.edgeMeets(any, e)) || (stutterNeeded && L.edgeMeets(any, -1));
  for (const any of wanted) {
    if (met(any)) continue;
    const here = walkStates[walkStates.length - 1];
    const path = bfsWithin(g, here, inK, internal, (s) => L.stateMeets(any, s), (e) => L.edgeMeets(any, e));
    if (path) {
      for (let i = 0; i < path.steps.length; i++) {
        walkSteps.push(path.steps[i]);
        walkStates.push(path.states[i + 1]);
      }
    } else if (stutterOk && L.edgeMeets(any, -1)) {
      stutterNeeded = true;
    }
  }
  const last = walkStates[walkStates.length - 1];
  if (walkSteps.length === 0 && last === entry) {
    // Nothing but the entry state: it stutters forever (allowed, or the component would be a real cycle).
    if (stutterOk) return { states: [], steps: [], back: -1 };
    const round = bfsWithin(g, entry, inK, internal, () => false, (e) => g.to[e] === entry, true)!;
    walkSteps.push(...round.steps);
    walkStates.push(...round.states.slice(1));
  } else if (last !== entry) {
    const home = bfsWithin(g, last, inK, internal, (s) => s === entry)!;
    walkSteps.push(...home.steps);
    walkStates.push(...home.states.slice(1));
  }
  if (stutterNeeded) {
    // A stutter step inside the cycle: the entry state repeated.
    walkSteps.unshift(-1);
    walkStates.unshift(entry);
  }
  // walkStates ends with entry again: the last step is the step back.
  const back = walkSteps.pop()!;
  walkStates.pop();
  return { states: walkStates.slice(1), steps: walkSteps, back };
}

function componentStates(g: LivenessGraph, start: number, inK: (s: number) => boolean, internal: (e: number) => boolean): number[] {
  const seen = new Set([start]);
  const list = [start];
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    for (let j = g.outStart[s]; j < g.outStart[s + 1]; j++) {
      const e = g.out[j];
      if (internal(e) && inK(g.to[e]) && !seen.has(g.to[e])) {
        seen.add(g.to[e]);
        list.push(g.to[e]);
      }
    }
  }
  return list;
}

/**
 * Shortest path inside the component from `start` to a state meeting `stateGoal`, or through an
 * edge meeting `edgeGoal` (the path then ends at that edge's target). `start` itself counts unless
 * `leave` asks for at least one step.
 */
function bfsWithin(
  g: LivenessGraph,
  start: number,
  inK: (s: number) => boolean,
  internal: (e: number) => boolean,
  stateGoal: (s: number) => boolean,
  edgeGoal: (e: number) => boolean = () => false,
  leave = false,
): { states: number[]; steps: number[] } | undefined {
  if (!leave && stateGoal(start)) return { states: [start], steps: [] };
  const parentEdge = new Map<number, number>([[start, -1]]);
  const path = (endEdge: number) => {
    const steps = [endEdge];
    for (let s = g.from[endEdge]; s !== start; s = g.from[parentEdge.get(s)!]) steps.push(parentEdge.get(s)!);
    steps.reverse();
    return { states: [start, ...steps.map((e) => g.to[e])], steps };
  };
  let level = [start];
  while (level.length) {
    const next: number[] = [];
    for (const s of level) {
      for (let i = g.outStart[s]; i < g.outStart[s + 1]; i++) {
        const e = g.out[i];
        const t = g.to[e];
        if (!internal(e) || !inK(t)) continue;
        if (edgeGoal(e) || stateGoal(t)) return path(e);
        if (parentEdge.has(t)) continue;
        parentEdge.set(t, e);
        next.push(t);
      }
    }
    level = next;
  }
  return undefined;
}

/** How the cycle meets each of the units `own` (indices into `units`): the fairness its conclusion assumes. */
function describeFairness(g: LivenessGraph, units: FairnessUnit[], lasso: Lasso, own: number[]): LivenessViolation['fairness'] {
  const L = new Lits(g, unitMasks(g, units));
  const cycleStates = lasso.states.slice(lasso.loop);
  const cycleSteps = [...lasso.steps.slice(lasso.loop), lasso.back].filter((e) => e >= 0);
  return own.map((i) => {
    const u = units[i];
    const taken = cycleSteps.some((e) => L.takes(i, e));
    const enabledAny = cycleStates.some((s) => stateBit(g, s, u.enabledBit));
    return { unit: u.name, kind: u.kind, how: taken ? 'taken' : enabledAny ? 'disabled' : 'never enabled' };
  });
}
