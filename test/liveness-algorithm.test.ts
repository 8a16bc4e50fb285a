// The liveness algorithm on hand-written graphs (no spec language), and against oracles on random
// small graphs: a brute force over every set of steps a cycle could repeat, and a direct reading of
// the formulas on every short lasso.
import { describe, expect, it } from 'vitest';
import { checkLiveness, findLasso, unitMasks } from '../checker/liveness/check.ts';
import { violationSearch, type FairnessUnit, type Lit, type LivenessProperty, type Temporal } from '../checker/liveness/formula.ts';
import { bruteForce, graph, lassos, rng, violates, withEnabled, type GraphSpec } from './liveness-graphs.ts';

const P: Lit = { kind: 'state', bit: 0 };
const Q: Lit = { kind: 'state', bit: 1 };
const not = (l: Lit): Lit => ({ ...l, negated: !l.negated });
/** Fairness units over single actions; unit i's enabled bit is 8 + i. */
const units = (...u: [kind: 'weak' | 'strong', action: number][]): FairnessUnit[] =>
  u.map(([kind, a], i) => ({ name: `${kind === 'weak' ? 'WF' : 'SF'}(a${a})`, kind, actions: [a], enabledBit: 8 + i }));
const prop = (conclusions: Temporal[], fairness: FairnessUnit[] = [], hypotheses?: Temporal[]): LivenessProperty => ({ name: 'Prop', conclusions, fairness, hypotheses });
const check = (spec: GraphSpec, p: LivenessProperty) => {
  const g = graph(withEnabled(spec, p.fairness.map((u) => ({ actions: u.actions, bit: u.enabledBit }))));
  const v = checkLiveness(g, p);
  if (v) expect(violates(g, p, v.lasso)).toBe(true);
  return v;
};

describe('liveness on hand-written graphs', () => {
  // 0 --a0--> 1, P in state 1.
  const step: GraphSpec = { states: 2, edges: [[0, 1, 0]], bits: { 0: [1] } };

  it('<>P without fairness: the behaviour may stutter in the initial state forever', () => {
    const v = check(step, prop([{ op: 'eventually', p: P }]));
    expect(v?.lasso).toEqual({ states: [0], steps: [], back: -1, loop: 0 });
  });

  it('<>P with weak fairness on the step that reaches P holds', () => {
    expect(check(step, prop([{ op: 'eventually', p: P }], units(['weak', 0])))).toBeUndefined();
  });

  it('<>P fails when P never holds on the path fairness forces (and says how the cycle meets fairness)', () => {
    const v = check({ ...step, bits: { 0: [] } }, prop([{ op: 'eventually', p: P }], units(['weak', 0])));
    expect(v?.lasso).toEqual({ states: [0, 1], steps: [0], back: -1, loop: 1 });
    expect(v?.fairness).toEqual([{ unit: 'WF(a0)', kind: 'weak', how: 'never enabled' }]);
  });

  // 0 <--> 1 (a0: 0 -> 1, a1: 1 -> 0); P in 1.
  const toggle: GraphSpec = { states: 2, edges: [[0, 1, 0], [1, 0, 1]], bits: { 0: [1] } };

  it('[]<>P holds when both steps are weakly fair, fails by stuttering when one is not', () => {
    expect(check(toggle, prop([{ op: 'always-eventually', p: P }], units(['weak', 0], ['weak', 1])))).toBeUndefined();
    // Only a1 fair: stuttering in 0, where a1 is disabled, is fair.
    expect(check(toggle, prop([{ op: 'always-eventually', p: P }], units(['weak', 1])))?.lasso).toEqual({ states: [0], steps: [], back: -1, loop: 0 });
    // Only a0 fair: in 1, a0 is disabled; the behaviour goes to 1... and P holds there, so it must come back to a state without P:
    // stuttering in 1 satisfies []<>P, so the property holds.
    expect(check(toggle, prop([{ op: 'always-eventually', p: P }], units(['weak', 0])))).toBeUndefined();
  });

  it('<>[]P fails on a fair cycle that leaves P: back to state 1', () => {
    const v = check({ ...toggle, bits: { 0: [0] } }, prop([{ op: 'eventually-always', p: P }], units(['weak', 0], ['weak', 1])));
    expect(v?.lasso).toEqual({ states: [0, 1], steps: [0], back: 1, loop: 0 });
    expect(v?.fairness.map((f) => f.how)).toEqual(['taken', 'taken']);
  });

  // 0 idle -a0-> 1 waiting (P) -a1-> 2 woken (Q) -a2-> 0
  const wait: GraphSpec = { states: 3, edges: [[0, 1, 0], [1, 2, 1], [2, 0, 2]], bits: { 0: [1], 1: [2] } };

  it('P ~> Q: holds under weak fairness of the wake-up; without it, the waiter stutters forever', () => {
    expect(check(wait, prop([{ op: 'leads-to', p: P, q: Q }], units(['weak', 1])))).toBeUndefined();
    const v = check(wait, prop([{ op: 'leads-to', p: P, q: Q }], units(['weak', 0], ['weak', 2])));
    expect(v?.lasso).toEqual({ states: [0, 1], steps: [0], back: -1, loop: 1 });
  });

  it('P ~> Q finds the trigger in the prefix and a cycle after it that avoids Q', () => {
    // 0 -a0-> 1 (P) -a1-> 2 -a2-> 3 -a3-> 2, Q nowhere after 1; all fair.
    const g: GraphSpec = { states: 4, edges: [[0, 1, 0], [1, 2, 1], [2, 3, 2], [3, 2, 3]], bits: { 0: [1], 1: [0] } };
    const v = check(g, prop([{ op: 'leads-to', p: P, q: Q }], units(['weak', 0], ['weak', 1], ['weak', 2], ['weak', 3])));
    expect(v?.lasso).toEqual({ states: [0, 1, 2, 3], steps: [0, 1, 2], back: 3, loop: 2 });
  });

  // Strong against weak fairness: 0 <-t-> 1 toggles; A (a2) is enabled only in 0 and leads to 2 (P).
  const flicker: GraphSpec = { states: 3, edges: [[0, 1, 0], [1, 0, 1], [0, 2, 2]], bits: { 0: [2] } };

  it('weak fairness on an action enabled only now and then does not force it; strong fairness does', () => {
    const weak = check(flicker, prop([{ op: 'eventually', p: P }], units(['weak', 0], ['weak', 1], ['weak', 2])));
    expect(weak?.lasso).toEqual({ states: [0, 1], steps: [0], back: 1, loop: 0 });
    expect(weak?.fairness.map((f) => f.how)).toEqual(['taken', 'taken', 'disabled']);
    expect(check(flicker, prop([{ op: 'eventually', p: P }], units(['weak', 0], ['weak', 1], ['strong', 2])))).toBeUndefined();
  });

  it('fairness as a conclusion: WF(A) holds on the toggling cycle, SF(A) does not', () => {
    // The moves a0, a1 are assumed weakly fair; A (a2) is concluded, not assumed.
    const concluded = (kind: 'weak' | 'strong'): LivenessProperty => ({
      ...prop([{ op: 'fair', unit: 2 }], units(['weak', 0], ['weak', 1], [kind, 2])),
      conditions: [{ hypotheses: [], fair: [0, 1] }],
    });
    expect(check(flicker, concluded('weak'))).toBeUndefined();
    const v = check(flicker, concluded('strong'));
    expect(v?.lasso).toEqual({ states: [0, 1], steps: [0], back: 1, loop: 0 });
    expect(v?.fairness.map((f) => f.unit)).toEqual(['WF(a0)', 'WF(a1)']);
  });

  it('a disjunction is violated by a behaviour that violates every part', () => {
    // No fairness: the behaviour that stutters in 0 violates <>P; it satisfies initially ~P, not initially P.
    expect(check(step, prop([{ op: 'or', parts: [{ op: 'eventually', p: P }, { op: 'initially', p: not(P) }] }]))).toBeUndefined();
    const v = check(step, prop([{ op: 'or', parts: [{ op: 'eventually', p: P }, { op: 'initially', p: P }] }]));
    expect(v?.lasso).toEqual({ states: [0], steps: [], back: -1, loop: 0 });
    // P ~> Q \/ []<>P on wait, without fairness: stuttering in 1 violates both.
    const w = check(wait, prop([{ op: 'or', parts: [{ op: 'leads-to', p: P, q: Q }, { op: 'always-eventually', p: not(P) }] }]));
    expect(w?.lasso).toEqual({ states: [0, 1], steps: [0], back: -1, loop: 1 });
  });

  it('a hypothesis []X: []~P => <>Q fails by stuttering in 0; []P => <>Q has no behaviour', () => {
    expect(check(wait, prop([{ op: 'eventually', p: Q }], [], [{ op: 'always', p: not(P) }]))?.lasso).toEqual({ states: [0], steps: [], back: -1, loop: 0 });
    expect(check(wait, prop([{ op: 'eventually', p: Q }], [], [{ op: 'always', p: P }]))).toBeUndefined();
  });

  it('strong fairness splits a component: a cycle that avoids the enabled states still violates', () => {
    // 0 <-> 1 <-> 2; A (a9) enabled only in 0 and goes to 3 (P). SF(A), and the moves are fair.
    const g: GraphSpec = { states: 4, edges: [[0, 1, 0], [1, 0, 1], [1, 2, 2], [2, 1, 3], [0, 3, 9]], bits: { 0: [3] } };
    const v = check(g, prop([{ op: 'eventually', p: P }], units(['strong', 9], ['weak', 0], ['weak', 2])));
    // The cycle 1 <-> 2 never meets A's enabled state 0; nor a0's; a2 is taken.
    expect(v?.lasso).toEqual({ states: [0, 1, 2], steps: [0, 2], back: 3, loop: 1 });
    expect(v?.fairness.map((f) => f.how)).toEqual(['never enabled', 'never enabled', 'taken']);
  });

  it('action forms: []<><<A>>_v and <>[][A]_v', () => {
    // 0 <-> 1 by a0 / a1; edge bit 0 marks the a1 step (<<A>>_v with A = a1).
    const A: Lit = { kind: 'edge', bit: 0 };
    const g: GraphSpec = { ...toggle, edgeBits: { 0: [1] } };
    expect(check(g, prop([{ op: 'always-eventually', p: A }], units(['weak', 0], ['weak', 1])))).toBeUndefined();
    // Without fairness the behaviour stutters, which is not an A step.
    expect(check(g, prop([{ op: 'always-eventually', p: A }]))?.lasso).toEqual({ states: [0], steps: [], back: -1, loop: 0 });
    // <>[][A]_v = <>[]~<<~A>>_v: edge bit 1 marks the steps that are not A (the a0 step).
    const notA: Lit = { kind: 'edge', bit: 1 };
    const g2: GraphSpec = { ...toggle, edgeBits: { 1: [0] } };
    expect(check(g2, prop([{ op: 'eventually-always', p: not(notA) }], units(['weak', 0], ['weak', 1])))?.lasso).toEqual({ states: [0, 1], steps: [0], back: 1, loop: 0 });
    // Without fairness a behaviour may still take a0 infinitely often: stuttering is allowed, not forced.
    expect(check(g2, prop([{ op: 'eventually-always', p: not(notA) }]))?.lasso.back).toBe(1);
  });

  it('a hypothesis narrows the behaviours: []<>P => []<>Q', () => {
    // 0 <-> 1 <-> 2 by a0..a3, P in 1, Q in 2; no fairness.
    const g: GraphSpec = { states: 3, edges: [[0, 1, 0], [1, 0, 1], [1, 2, 2], [2, 1, 3]], bits: { 0: [1], 1: [2] } };
    // Going between 0 and 1 forever meets P infinitely often but never Q.
    expect(check(g, prop([{ op: 'always-eventually', p: Q }], [], [{ op: 'always-eventually', p: P }]))?.lasso).toEqual({ states: [0, 1], steps: [0], back: 1, loop: 0 });
    // Assuming also that a1 (back to 0) is eventually never taken: then the cycle is 1 <-> 2, which meets Q.
    const noA1: Lit = { kind: 'taken', unit: 0, negated: true };
    const p = prop([{ op: 'always-eventually', p: Q }], units(['weak', 1]).map((u) => ({ ...u, kind: 'weak' as const })), [{ op: 'always-eventually', p: P }, { op: 'eventually-always', p: noA1 }]);
    p.fairness = [{ name: 'a1 steps', kind: 'weak', actions: [1], enabledBit: 8 }];
    // The weak fairness on a1 forces a1 (enabled in 1, which the cycle visits): no behaviour meets both.
    expect(check(g, p)).toBeUndefined();
  });

  it('a conjunction is violated by its first failing conjunct; the violation says which', () => {
    const v = check(wait, prop([{ op: 'eventually', p: P }, { op: 'leads-to', p: P, q: Q }], units(['weak', 0], ['weak', 2])));
    expect(v?.conclusion).toBe(1);
  });

  it('the prefix is a shortest path to the cycle, and the cycle is short', () => {
    // Two routes from 0 to the bad loop {4, 5}: 0-1-2-3-4 and 0-6-4. Another bad loop {7} further away.
    const edges: [number, number, number][] = [[0, 1, 0], [1, 2, 0], [2, 3, 0], [3, 4, 0], [0, 6, 0], [6, 4, 0], [4, 5, 1], [5, 4, 1], [3, 7, 0]];
    const v = check({ states: 8, edges, bits: { 0: [] } }, prop([{ op: 'eventually', p: P }], units(['weak', 0], ['weak', 1])));
    expect(v?.lasso).toEqual({ states: [0, 6, 4, 5], steps: [4, 5, 6], back: 7, loop: 2 });
  });

  it('with a hypothesis that forbids stuttering, a state with no way out is no behaviour', () => {
    // 0 -a0-> 1, nothing after 1. Assume an a0 step... <>[]<<a0>> cannot hold; there is no behaviour at all.
    const a0: Lit = { kind: 'taken', unit: 0 };
    const p = prop([{ op: 'eventually', p: P }], units(['weak', 0]), [{ op: 'eventually-always', p: a0 }]);
    expect(check({ ...step, bits: { 0: [] } }, p)).toBeUndefined();
    // With a loop of a0 steps there is one.
    const v = check({ states: 2, edges: [[0, 1, 0], [1, 0, 0]], bits: { 0: [] } }, p);
    expect(v?.lasso).toEqual({ states: [0, 1], steps: [0], back: 1, loop: 0 });
  });

  it('several initial states: the shortest prefix starts from the nearest', () => {
    const v = check({ states: 3, init: [0, 2], edges: [[0, 1, 0], [2, 2, 0]], bits: { 0: [1] } }, prop([{ op: 'eventually', p: P }], units(['weak', 0])));
    expect(v?.lasso).toEqual({ states: [2], steps: [], back: -1, loop: 0 });
  });
});

describe('liveness against oracles on random small graphs', () => {
  const ops = ['eventually', 'always-eventually', 'eventually-always', 'leads-to', 'leads-to-always', 'always-after'] as const;

  function randomCase(seed: number, twoConjuncts = false) {
    const r = rng(seed);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    const n = 2 + Math.floor(r() * 3);
    const m = Math.floor(r() * 6) + 1;
    const edges: [number, number, number][] = [];
    for (let i = 0; i < m; i++) edges.push([Math.floor(r() * n), Math.floor(r() * n), Math.floor(r() * 3)]);
    const bits: Record<number, number[]> = { 0: [], 1: [] };
    for (let s = 0; s < n; s++) for (const b of [0, 1]) if (r() < 0.4) bits[b].push(s);
    const edgeBits: Record<number, number[]> = { 0: [] };
    for (let e = 0; e < m; e++) if (r() < 0.5) edgeBits[0].push(e);
    const fairness: FairnessUnit[] = [];
    for (let a = 0; a < 3; a++) {
      const x = r();
      if (x < 0.35) fairness.push({ name: `WF(a${a})`, kind: 'weak', actions: [a], enabledBit: 8 + fairness.length });
      else if (x < 0.6) fairness.push({ name: `SF(a${a})`, kind: 'strong', actions: [a], enabledBit: 8 + fairness.length });
    }
    const lit = (edgeOk: boolean): Lit => {
      const k = edgeOk ? pick(['state', 'edge', 'taken'] as const) : 'state';
      const negated = r() < 0.4;
      if (k === 'state') return { kind: 'state', bit: pick([0, 1]), negated };
      if (k === 'edge' || fairness.length === 0) return { kind: 'edge', bit: 0, negated };
      return { kind: 'taken', unit: Math.floor(r() * fairness.length), negated };
    };
    const op = pick(ops);
    const conclusion: Temporal =
      op === 'leads-to' || op === 'leads-to-always' || op === 'always-after'
        ? { op, p: lit(false), q: lit(false) }
        : op === 'eventually'
          ? { op, p: lit(true) }
          : op === 'always-eventually' && r() < 0.3
            ? { op, p: lit(true), or: [lit(true)] }
            : { op, p: lit(true) };
    const hypotheses: Temporal[] = r() < 0.3 ? [{ op: pick(['always-eventually', 'eventually-always'] as const), p: lit(true) }] : [];
    const spec = withEnabled({ states: n, edges, bits, edgeBits }, fairness.map((u) => ({ actions: u.actions, bit: u.enabledBit })));
    const p: LivenessProperty = { name: 'Random', conclusions: [conclusion], fairness, hypotheses };
    if (!twoConjuncts) return { g: graph(spec), p };
    // A second conjunct of another implication: each assumes its own hypotheses and fairness units.
    const other: Temporal = { op: pick(['initially', 'eventually', 'always-eventually', 'eventually-always'] as const), p: lit(false) };
    const own = () => ({
      hypotheses: r() < 0.5 ? [{ op: pick(['initially', 'always-eventually', 'eventually-always'] as const), p: lit(false) }] : [],
      fair: fairness.map((_, i) => i).filter(() => r() < 0.5),
    });
    return { g: graph(spec), p: { name: 'Random', conclusions: [conclusion, other], fairness, conditions: [own(), own()] } };
  }

  it('finds a violation exactly when the brute force does, with the shortest prefix, on 600 graphs', () => {
    let found = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const { g, p } = randomCase(seed);
      const q = violationSearch(p, 0);
      const lasso = findLasso(g, q, unitMasks(g, p.fairness));
      const oracle = bruteForce(g, q, p.fairness);
      expect({ seed, prefix: lasso?.loop }).toEqual({ seed, prefix: oracle });
      if (lasso) {
        found++;
        expect({ seed, violates: violates(g, p, lasso) }).toEqual({ seed, violates: true });
      }
    }
    // Both outcomes are well represented.
    expect(found).toBeGreaterThan(150);
    expect(found).toBeLessThan(450);
  });

  it('when it finds none, no lasso of up to 6 states violates the formula read directly', () => {
    let holds = 0;
    for (let seed = 1001; seed <= 1300; seed++) {
      const { g, p } = randomCase(seed);
      if (checkLiveness(g, p)) continue;
      holds++;
      for (const l of lassos(g, 6)) if (violates(g, p, l)) throw new Error(`seed ${seed}: ${JSON.stringify(l)} violates, the checker found nothing`);
    }
    expect(holds).toBeGreaterThan(80);
  });

  it('with two conjuncts assuming different hypotheses and fairness, finds a violation exactly when a lasso of up to 6 states is one', () => {
    let found = 0;
    for (let seed = 2001; seed <= 2400; seed++) {
      const { g, p } = randomCase(seed, true);
      const v = checkLiveness(g, p);
      if (v) {
        found++;
        expect({ seed, violates: violates(g, p, v.lasso) }).toEqual({ seed, violates: true });
      } else {
        for (const l of lassos(g, 6)) if (violates(g, p, l)) throw new Error(`seed ${seed}: ${JSON.stringify(l)} violates, the checker found nothing`);
      }
    }
    expect(found).toBeGreaterThan(80);
    expect(found).toBeLessThan(320);
  });

  it('disjunctions, fairness as a conclusion and []X hypotheses, on 1,000 graphs: a violation exactly when a lasso of up to 6 states is one, and the brute force agrees', () => {
    let found = 0;
    const kinds = { or: 0, fair: 0, always: 0 };
    for (let seed = 3001; seed <= 4000; seed++) {
      const { g, p } = randomCase(seed);
      const r = rng(seed * 7 + 1);
      const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
      const state = (): Lit => ({ kind: 'state', bit: pick([0, 1]), negated: r() < 0.4 });
      const any = (): Lit => (r() < 0.6 ? state() : { kind: 'edge', bit: 0, negated: r() < 0.4 });
      // The random case's conclusion (perhaps one violated from a state of its own), or'ed with parts that are not.
      const parts: Temporal[] = [p.conclusions[0]];
      for (let k = 0, n = r() < 0.7 ? 1 : 2; k < n; k++) {
        const x = r();
        if (x < 0.3 && p.fairness.length > 0) parts.push({ op: 'fair', unit: Math.floor(r() * p.fairness.length) });
        else if (x < 0.5) parts.push({ op: 'initially', p: state() });
        else if (x < 0.7) parts.push({ op: 'eventually', p: any() });
        else parts.push({ op: pick(['always-eventually', 'eventually-always'] as const), p: any() });
      }
      const conclusion: Temporal = r() < 0.15 && parts[1].op === 'fair' ? parts[1] : { op: 'or', parts };
      const hypotheses: Temporal[] = [...((p as LivenessProperty).hypotheses ?? []), ...(r() < 0.4 ? [{ op: 'always' as const, p: any() }] : [])];
      const q: LivenessProperty = { ...p, conclusions: [conclusion], hypotheses };
      kinds.or += conclusion.op === 'or' ? 1 : 0;
      kinds.fair += parts.some((t) => t.op === 'fair') ? 1 : 0;
      kinds.always += hypotheses.some((h) => h.op === 'always') ? 1 : 0;
      const search = violationSearch(q, 0);
      const lasso = findLasso(g, search, unitMasks(g, q.fairness));
      expect({ seed, prefix: lasso?.loop }).toEqual({ seed, prefix: bruteForce(g, search, q.fairness) });
      if (lasso) {
        found++;
        expect({ seed, violates: violates(g, q, lasso) }).toEqual({ seed, violates: true });
      } else {
        for (const l of lassos(g, 6)) if (violates(g, q, l)) throw new Error(`seed ${seed}: ${JSON.stringify(l)} violates, the checker found nothing`);
      }
    }
    // A disjunction holds more often than its parts: violations are fewer, but well represented.
    expect(found).toBeGreaterThan(60);
    expect(found).toBeLessThan(500);
    expect(Math.min(kinds.or, kinds.fair, kinds.always)).toBeGreaterThan(150);
  });
});
