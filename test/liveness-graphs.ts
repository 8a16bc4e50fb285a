// Hand-written liveness graphs for the tests, and oracles that do not share the checker's algorithm:
// a lasso evaluator that reads the temporal formulas directly, a brute-force search over every set
// of steps a cycle could repeat, and an enumeration of short lassos.
import { GraphBuilder, stateBit, edgeBit, type LivenessGraph } from '../checker/liveness/graph.ts';
import type { Lasso } from '../checker/liveness/check.ts';
import { fairnessOf, type CycleSearch, type FairnessUnit, type Lit, type LivenessProperty, type Temporal } from '../checker/liveness/formula.ts';

export interface GraphSpec {
  states: number;
  init?: number[];
  /** [from, to, action] */
  edges: [number, number, number][];
  /** State bits: bit -> states where it holds. */
  bits?: Record<number, number[]>;
  /** Edge bits: bit -> edge indices (into `edges`) where it holds. */
  edgeBits?: Record<number, number[]>;
}

export function graph(spec: GraphSpec): LivenessGraph {
  const b = new GraphBuilder(1, 1);
  b.addState(spec.states - 1);
  for (const s of spec.init ?? [0]) b.markInitial(s);
  const index: number[] = [];
  for (const [f, t, a] of spec.edges) index.push(b.addEdge(f, t, a));
  for (const [bit, states] of Object.entries(spec.bits ?? {})) for (const s of states) b.setStateBit(s, Number(bit));
  for (const [bit, edges] of Object.entries(spec.edgeBits ?? {})) for (const e of edges) if (index[e] >= 0) b.setEdgeBit(index[e], Number(bit));
  return b.build();
}

/** Marks each state where some action of the unit has an edge (what the recorder computes from the spec). */
export function withEnabled(spec: GraphSpec, units: { actions: number[]; bit: number }[]): GraphSpec {
  const bits = { ...(spec.bits ?? {}) };
  for (const u of units) {
    bits[u.bit] = [...new Set(spec.edges.filter(([f, t, a]) => f !== t && u.actions.includes(a)).map(([f]) => f))];
  }
  return { ...spec, bits };
}

// ---- reading a lasso directly ----

/** Steps of a lasso as edge indices; position i's step leads from states[i] to states[i + 1] (the last one back to states[loop]). */
function lassoSteps(l: Lasso): number[] {
  return [...l.steps, l.back];
}

function litAtState(g: LivenessGraph, l: Lit, s: number): boolean {
  return l.kind === 'state' ? stateBit(g, s, l.bit) !== !!l.negated : true;
}

function litAtStep(g: LivenessGraph, units: FairnessUnit[], l: Lit, e: number): boolean {
  if (l.kind === 'state') return true;
  const v = e < 0 ? false : l.kind === 'edge' ? edgeBit(g, e, l.bit) : units[l.unit].actions.includes(g.action[e]);
  return v !== !!l.negated;
}

/** X at position i of the lasso: a state literal on states[i], a step literal on the step leaving it. */
function holdsAt(g: LivenessGraph, units: FairnessUnit[], l: Lasso, x: Lit, i: number): boolean {
  return x.kind === 'state' ? litAtState(g, x, l.states[i]) : litAtStep(g, units, x, lassoSteps(l)[i]);
}

export function satisfies(g: LivenessGraph, units: FairnessUnit[], l: Lasso, f: Temporal): boolean {
  const k = l.states.length;
  const positions = [...Array(k).keys()];
  const cycle = positions.filter((i) => i >= l.loop);
  const at = (x: Lit, i: number) => holdsAt(g, units, l, x, i);
  switch (f.op) {
    case 'initially':
      return at(f.p, 0);
    case 'eventually':
      return positions.some((i) => at(f.p, i));
    case 'always-eventually':
      return cycle.some((i) => [f.p, ...(f.or ?? [])].some((x) => at(x, i)));
    case 'eventually-always':
      return cycle.every((i) => at(f.p, i));
    case 'leads-to':
      // The future of position i: from i on, or, inside the cycle, the whole cycle.
      return positions.every((i) => !at(f.p, i) || positions.some((j) => j >= Math.min(i, l.loop) && at(f.q, j)));
    case 'leads-to-always':
      // <>[]Q from any position: the cycle, which every position's future ends in, is all Q.
      return !positions.some((i) => at(f.p, i)) || cycle.every((i) => at(f.q, i));
    case 'always-after':
      // []Q from each P position: its whole future (inside the cycle, the whole cycle).
      return positions.every((i) => !at(f.p, i) || positions.every((j) => j < Math.min(i, l.loop) || at(f.q, j)));
    case 'or':
      return f.parts.some((part) => satisfies(g, units, l, part));
    case 'fair':
      return fair(g, [units[f.unit]], l);
    case 'always':
      return positions.every((i) => at(f.p, i));
  }
}

export function fair(g: LivenessGraph, units: FairnessUnit[], l: Lasso): boolean {
  const k = l.states.length;
  const cycle = [...Array(k).keys()].filter((i) => i >= l.loop);
  const steps = lassoSteps(l);
  return units.every((u) => {
    const taken = cycle.some((i) => steps[i] >= 0 && u.actions.includes(g.action[steps[i]]));
    const enabled = cycle.map((i) => stateBit(g, l.states[i], u.enabledBit));
    return taken || (u.kind === 'weak' ? enabled.some((e) => !e) : enabled.every((e) => !e));
  });
}

/** Whether the lasso is a behaviour of the graph: starts in an initial state, follows edges (or stutters). */
export function isBehaviour(g: LivenessGraph, l: Lasso): boolean {
  if (![...g.initial].includes(l.states[0])) return false;
  const steps = lassoSteps(l);
  return l.states.every((s, i) => {
    const to = i + 1 < l.states.length ? l.states[i + 1] : l.states[l.loop];
    const e = steps[i];
    return e < 0 ? to === s : g.from[e] === s && g.to[e] === to;
  });
}

/** A behaviour violating the property: for some conclusion, fair and meeting the hypotheses it assumes, and failing it. */
export function violates(g: LivenessGraph, p: LivenessProperty, l: Lasso): boolean {
  return (
    isBehaviour(g, l) &&
    p.conclusions.some(
      (c, k) =>
        fair(g, fairnessOf(p, k).map((i) => p.fairness[i]), l) &&
        [...(p.hypotheses ?? []), ...(p.conditions?.[k].hypotheses ?? [])].every((h) => satisfies(g, p.fairness, l, h)) &&
        !satisfies(g, p.fairness, l, c),
    )
  );
}

/** Every lasso whose states list has at most `maxLen` states (stutter steps included), in order of length. */
export function* lassos(g: LivenessGraph, maxLen: number): Generator<Lasso> {
  const out = (s: number) => {
    const r: number[] = [-1];
    for (let i = g.outStart[s]; i < g.outStart[s + 1]; i++) r.push(g.out[i]);
    return r;
  };
  const target = (s: number, e: number) => (e < 0 ? s : g.to[e]);
  function* walk(states: number[], steps: number[]): Generator<Lasso> {
    const last = states[states.length - 1];
    for (const e of out(last)) {
      const t = target(last, e);
      for (let loop = 0; loop < states.length; loop++) if (states[loop] === t) yield { states: [...states], steps: [...steps], back: e, loop };
    }
    if (states.length >= maxLen) return;
    for (const e of out(last)) yield* walk([...states, target(last, e)], [...steps, e]);
  }
  for (const s of g.initial) yield* walk([s], []);
}

// ---- brute force over cycle step sets ----

/**
 * Whether some set of steps (edges and stutter loops) that a behaviour could repeat forever meets
 * the cycle search, and the length of the shortest prefix to it; found by trying every set.
 */
export function bruteForce(g: LivenessGraph, q: CycleSearch, units: FairnessUnit[]): number | undefined {
  const n = g.stateCount;
  const stepsAll: number[] = [...Array(g.edgeCount).keys(), ...[...Array(n).keys()].map((s) => -1 - s)];
  const fromOf = (x: number) => (x >= 0 ? g.from[x] : -1 - x);
  const toOf = (x: number) => (x >= 0 ? g.to[x] : -1 - x);
  const edgeOf = (x: number) => (x >= 0 ? x : -1);
  const stOk = (ls: Lit[], s: number) => ls.every((l) => litAtState(g, l, s));
  const edOk = (ls: Lit[], x: number) => ls.every((l) => litAtStep(g, units, l, edgeOf(x)));
  const cyc = [...q.always, ...q.after, ...q.cycle];
  // Distances over (state, phase), by repeated relaxation.
  const INF = 1e9;
  // Phase 2: at or after a state meeting `then`, itself at or after the trigger.
  const last = q.then ? 2 : 1;
  const phases = q.then ? [0, 1, 2] : [0, 1];
  const dist = phases.map(() => new Array(n).fill(INF));
  const ok = (s: number, ph: number) => stOk(q.always, s) && (ph === 0 || stOk(q.after, s));
  for (const s of g.initial) if (ok(s, 0) && stOk(q.initially ?? [], s)) dist[0][s] = 0;
  for (let round = 0; round < 6 * n + 6; round++) {
    for (let s = 0; s < n; s++) {
      if (dist[0][s] < dist[1][s] && stOk(q.trigger, s) && ok(s, 1)) dist[1][s] = dist[0][s];
      if (q.then && dist[1][s] < dist[2][s] && stOk(q.then, s) && ok(s, 2)) dist[2][s] = dist[1][s];
    }
    for (let e = 0; e < g.edgeCount; e++) {
      for (const ph of phases) {
        const s = g.from[e];
        const t = g.to[e];
        if (dist[ph][s] + 1 < dist[ph][t] && edOk(q.always, e) && (ph === 0 || edOk(q.after, e)) && ok(t, ph)) dist[ph][t] = dist[ph][s] + 1;
      }
    }
  }
  let best: number | undefined;
  const m = stepsAll.length;
  for (let mask = 1; mask < 1 << m; mask++) {
    const F = stepsAll.filter((_, i) => mask & (1 << i));
    const S = [...new Set(F.flatMap((x) => [fromOf(x), toOf(x)]))];
    if (!S.every((s) => stOk(cyc, s)) || !F.every((x) => edOk(cyc, x))) continue;
    // Strongly connected over F.
    const reach = (from: number) => {
      const seen = new Set([from]);
      const list = [from];
      for (let i = 0; i < list.length; i++) for (const x of F) if (fromOf(x) === list[i] && !seen.has(toOf(x))) (seen.add(toOf(x)), list.push(toOf(x)));
      return seen;
    };
    if (!S.every((s) => reach(S[0]).has(s) && reach(s).has(S[0]))) continue;
    const meets = (any: Lit[]) => S.some((s) => any.some((l) => l.kind === 'state' && litAtState(g, l, s))) || F.some((x) => any.some((l) => l.kind !== 'state' && litAtStep(g, units, l, edgeOf(x))));
    if (!q.infinitely.every(meets)) continue;
    if (!q.strong.every((sf) => F.some((x) => x >= 0 && units[sf.unit].actions.includes(g.action[x])) || S.every((s) => !stateBit(g, s, sf.enabledBit)))) continue;
    for (const s of S) if (dist[last][s] < INF && (best === undefined || dist[last][s] < best)) best = dist[last][s];
  }
  return best;
}

/** A deterministic pseudo-random generator for the random-graph tests. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}
