// Temporal properties and fairness as a spec writes them, checked end to end through checkModel.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { checkSystem } from '../checker/check.ts';
import { FingerprintStore } from '../checker/store/memory.ts';
import { checkLiveness } from '../checker/liveness/check.ts';
import type { LivenessGraph } from '../checker/liveness/graph.ts';
import { compileModel, type State } from '../src/compile/model.ts';
import { canonicaliser } from '../checker/symmetry/canonicalise.ts';
import { fingerprint } from '../checker/store/fingerprint.ts';
import {
  always,
  alwaysEventually,
  and,
  bool,
  defineSpec,
  enumOf,
  eventually,
  eventuallyAlways,
  exists,
  forall,
  implies,
  initially,
  int,
  leadsTo,
  mapOf,
  or,
  scalarset,
  step,
  stepOrStutter,
  strongFair,
  weakFair,
} from '../src/index.ts';
import { process } from '../src/process.ts';
import { formatStats } from '../src/report/console.ts';
import type { TemporalFormula } from '../src/temporal.ts';

const T = scalarset('t', 2);

/** Threads wait, and a waker wakes each waiting thread; whether it must is a matter of fairness. */
const waiters = defineSpec({
  name: 'waiters',
  state: { waiting: mapOf(T, bool()), woken: mapOf(T, bool()) },
  init: { waiting: { t1: false, t2: false }, woken: { t1: false, t2: false } },
  actions: {
    wait: { params: { t: T }, when: (s, { t }) => !s.waiting[t] && !s.woken[t], do: (s, { t }) => { s.waiting[t] = true; } },
    wake: { params: { t: T }, when: (s, { t }) => s.waiting[t], do: (s, { t }) => { s.waiting[t] = false; s.woken[t] = true; } },
  },
  deadlock: false,
  temporal: {
    WaiterWoken: forall(T, (t) => leadsTo((s) => s.waiting[t], (s) => s.woken[t])),
    AllWoken: eventually((s) => T.values.every((t) => s.woken[t])),
  },
  fairness: [weakFair('wake', { each: true })],
  variants: {
    fair: { properties: ['WaiterWoken'], expect: 'holds' },
    'fair-all': { properties: ['AllWoken'], expect: { violates: 'AllWoken' } },
    unfair: { fairness: [], properties: ['WaiterWoken'], expect: { violates: 'WaiterWoken' } },
    'one-waker': { fairness: [weakFair('wake', { params: { t: 't1' } })], properties: ['WaiterWoken'], expect: { violates: 'WaiterWoken' } },
  },
});

const check = (spec: Parameters<typeof compileModel>[0], variant: string) => checkModel(compileModel(spec, variant), { symmetry: false });
const labels = (r: Awaited<ReturnType<typeof check>>) => r.trace?.map((s) => s.action?.label ?? (s.stutter ? 'stutter' : 'init'));

describe('temporal properties in specs', () => {
  it('a waiter is eventually woken under weak fairness of each wake', async () => {
    const r = await check(waiters, 'fair');
    expect(r.outcome).toBe('ok');
    expect(r.matchesExpectation).toBe(true);
    expect(r.liveness).toMatchObject({ properties: ['WaiterWoken'], states: 9, edges: 12 });
  });

  it('without fairness the waiter may be left waiting forever: a lasso that stutters', async () => {
    const r = await check(waiters, 'unfair');
    expect(r.outcome).toBe('temporal');
    expect(r.property).toBe('WaiterWoken');
    expect(r.message).toBe("temporal property 'WaiterWoken' (t1) is violated");
    expect(labels(r)).toEqual(['init', 'wait(t=t1)']);
    expect(r.lasso).toMatchObject({ loop: 1, label: 't1', fairness: [] });
    expect(r.matchesExpectation).toBe(true);
  });

  it('forall over ids made from the constants (\\A p \\in 1..N), in a property and in fairness', async () => {
    type C = { N: number };
    const Proc = (c: C) => int(1, c.N);
    const waiting = defineSpec({
      name: 'n-waiters',
      constants: { N: 2 } as C,
      state: (c: C) => ({ waiting: mapOf(Proc(c), bool()), woken: mapOf(Proc(c), bool()) }),
      init: (c: C) => ({ waiting: Proc(c).mapTo(() => false), woken: Proc(c).mapTo(() => false) }),
      actions: {
        wait: { params: (c: C) => ({ p: Proc(c) }), when: (s, { p }) => !s.waiting[p] && !s.woken[p], do: (s, { p }) => { s.waiting[p] = true; } },
        wake: { params: (c: C) => ({ p: Proc(c) }), when: (s, { p }) => s.waiting[p], do: (s, { p }) => { s.waiting[p] = false; s.woken[p] = true; } },
      },
      deadlock: false,
      temporal: { Woken: forall((c: C) => Proc(c), (p) => leadsTo((s) => s.waiting[p], (s) => s.woken[p])) },
      // Fair to every process but the last: \A p \in 1..N-1: WF(wake(p)).
      fairness: [forall((c: C) => Proc(c).values.slice(0, -1), (p) => weakFair('wake', { params: { p } }))],
      variants: { fair: { fairness: [weakFair('wake', { each: true })] }, 'last-unfair': {} },
    });
    for (const N of [2, 3]) {
      const fair = await checkModel(compileModel(waiting, 'fair', undefined, { constants: { N } }), { symmetry: false });
      expect([N, fair.outcome, fair.liveness?.states]).toEqual([N, 'ok', 3 ** N]);
      const unfair = await checkModel(compileModel(waiting, 'last-unfair', undefined, { constants: { N } }), { symmetry: false });
      expect([N, unfair.message, labels(unfair)]).toEqual([N, `temporal property 'Woken' (${N}) is violated`, ['init', `wait(p=${N})`]]);
    }
  });

  it('a conjunct of a forall over records is named by the record, as a trace shows it', async () => {
    const spec = defineSpec({
      name: 'records',
      state: { x: int(0, 1) },
      init: { x: 0 },
      actions: { inc: { when: (s) => s.x === 0, do: (s) => { s.x = 1; } } },
      temporal: { P: forall([{ k: 1 }], (id) => eventually((s: { x: number }) => s.x === id.k)) },
      deadlock: false,
    });
    const r = await checkModel(compileModel(spec, 'default'));
    expect(r.message).toBe("temporal property 'P' ({ k: 1 }) is violated");
  });

  it('the conjuncts of a plain and() are named by position, so an id says which forall it belongs to', async () => {
    const spec = defineSpec({
      name: 'two-foralls',
      state: { x: int(0, 1) },
      init: { x: 0 },
      actions: { inc: { when: (s) => s.x === 0, do: (s) => { s.x = 1; } } },
      temporal: {
        P: and(
          forall([1, 2], () => eventually((s: { x: number }) => s.x === 1)),
          forall([1, 2], (id) => eventually((s: { x: number }) => s.x === id)),
        ),
      },
      fairness: [weakFair('inc')],
      deadlock: false,
    });
    const r = await checkModel(compileModel(spec, 'default'));
    expect(r.message).toBe("temporal property 'P' (conjunct 2, 2) is violated");
  });

  it("fairness of the steps that agree with the state they leave (WF_vars(Set(s.t))): when", async () => {
    // x moves to any other value; t, fixed from the start, is where it should end up.
    const target = defineSpec({
      name: 'target',
      state: { x: int(0, 2), t: int(1, 2) },
      init: [{ x: 0, t: 1 }, { x: 0, t: 2 }],
      actions: { set: { params: { v: int(0, 2) }, when: (s, { v }) => s.x !== v, do: (s, { v }) => { s.x = v; } } },
      deadlock: false,
      temporal: { Reaches: eventually((s) => s.x === s.t) },
      variants: {
        // Any set step, again and again, may be the wrong one: 0 -> 2 -> 0 -> ... never reaches t = 1.
        any: { fairness: [weakFair('set')] },
        // The step to t, whenever it can be taken, eventually is.
        right: { fairness: [weakFair('set', { when: (s, p) => p.v === s.t })] },
        'right-strong': { fairness: [strongFair('set', { each: true, when: (s, p) => p.v === s.t })] },
      },
    });
    const any = await check(target, 'any');
    expect([any.outcome, any.property, any.trace?.map((t) => t.state.t)[0]]).toEqual(['temporal', 'Reaches', 1]);
    expect(any.lasso?.fairness).toEqual([{ unit: 'WF(set)', kind: 'weak', how: 'taken' }]);
    for (const variant of ['right', 'right-strong']) {
      const r = await check(target, variant);
      expect([variant, r.outcome, r.liveness?.states]).toEqual([variant, 'ok', 6]);
    }
  });

  it('a search into a store of its own (disk-backed, distributed) is refused: the graph must be in memory', async () => {
    await expect(checkSystem(compileModel(waiters, 'fair'), { symmetry: false, store: new FingerprintStore(1) })).rejects.toThrow(
      'temporal properties are checked on the state graph in memory, on one machine: check them without a disk-backed or distributed store',
    );
  });

  it('fairness of one instance only: the other waiter starves', async () => {
    const r = await check(waiters, 'one-waker');
    expect(r.message).toBe("temporal property 'WaiterWoken' (t2) is violated");
    expect(labels(r)).toEqual(['init', 'wait(t=t2)']);
    expect(r.lasso?.fairness).toEqual([{ unit: 'WF(wake(t=t1))', kind: 'weak', how: 'never enabled' }]);
  });

  it('<>P fails when a behaviour may never start waiting: fairness of wake does not make anyone wait', async () => {
    const r = await check(waiters, 'fair-all');
    expect(r.outcome).toBe('temporal');
    expect(labels(r)).toEqual(['init']);
    expect(r.lasso?.loop).toBe(0);
  });

  // x flickers between 0 and 1; `grab` is enabled only when x is 0.
  const flicker = (fairness: ReturnType<typeof weakFair>[]) =>
    defineSpec({
      name: 'flicker',
      state: { x: int(0, 1), got: bool() },
      init: { x: 0, got: false },
      actions: {
        tick: { when: (s) => !s.got, do: (s) => { s.x = 1 - s.x; } },
        grab: { when: (s) => s.x === 0 && !s.got, do: (s) => { s.got = true; } },
      },
      deadlock: false,
      temporal: { Grabbed: eventually((s) => s.got) },
      fairness,
    });

  it('weak fairness does not force an action that is enabled only now and then; strong fairness does', async () => {
    const weak = await check(flicker([weakFair('tick'), weakFair('grab')]), 'default');
    expect(weak.outcome).toBe('temporal');
    expect(labels(weak)).toEqual(['init', 'tick']);
    expect(weak.lasso).toMatchObject({ loop: 0, back: { label: 'tick' } });
    expect(weak.lasso?.fairness).toEqual([
      { unit: 'WF(tick)', kind: 'weak', how: 'taken' },
      { unit: 'WF(grab)', kind: 'weak', how: 'disabled' },
    ]);
    expect((await check(flicker([weakFair('tick'), strongFair('grab')]), 'default')).outcome).toBe('ok');
  });

  it('action forms: []<><<tick>>_x, <>[][grab]_vars, and fairness as a hypothesis', async () => {
    const spec = defineSpec({
      name: 'forms',
      state: { x: int(0, 1), got: bool() },
      init: { x: 0, got: false },
      actions: {
        tick: { when: (s) => !s.got, do: (s) => { s.x = 1 - s.x; } },
        grab: { when: (s) => s.x === 0 && !s.got, do: (s) => { s.got = true; } },
      },
      deadlock: false,
      temporal: {
        Ticks: always(eventually(step('tick', ['x']))),
        Settles: eventually(always(stepOrStutter('grab'))),
        FairTicks: implies(weakFair('tick'), always(eventually(step('tick')))),
        QuietAfterGrab: implies(strongFair('grab'), eventuallyAlways((s) => s.got)),
      },
      variants: {
        Ticks: { properties: ['Ticks'], expect: { violates: 'Ticks' } },
        Settles: { properties: ['Settles'], expect: { violates: 'Settles' } },
        FairTicks: { properties: ['FairTicks'], expect: { violates: 'FairTicks' } },
        QuietAfterGrab: { properties: ['QuietAfterGrab'], expect: { violates: 'QuietAfterGrab' } },
      },
    });
    // Stuttering at the start never ticks.
    const ticks = await check(spec, 'Ticks');
    expect([labels(ticks), ticks.lasso?.loop]).toEqual([['init'], 0]);
    // Ticking forever is not settling into grab-or-stutter steps.
    const settles = await check(spec, 'Settles');
    expect([labels(settles), settles.lasso?.loop, settles.lasso?.back?.label]).toEqual([['init', 'tick'], 0, 'tick']);
    // With tick weakly fair, a grab ends the ticking: after it tick is disabled, and the behaviour stutters.
    const fairTicks = await check(spec, 'FairTicks');
    expect([labels(fairTicks), fairTicks.lasso?.loop]).toEqual([['init', 'grab'], 1]);
    // Strong fairness of grab forbids stuttering where grab is enabled, not a tick to x = 1 and stuttering there.
    const quiet = await check(spec, 'QuietAfterGrab');
    expect([labels(quiet), quiet.lasso?.loop]).toEqual([['init', 'tick'], 1]);
  });
});

// A spinlock taken in a loop: each cpu acquires when the lock is free and releases, forever.
const spin = (fair?: 'weak' | 'strong') =>
  defineSpec({
    name: 'spinlock',
    state: { held: bool(), pc: mapOf(T, enumOf('acquire', 'release')) },
    init: { held: false, pc: { t1: 'acquire', t2: 'acquire' } },
    actions: process<{ held: boolean; pc: Record<string, 'acquire' | 'release'> }>()('cpu', T, {
      pc: 'pc',
      fair,
      steps: {
        acquire: { when: (s) => !s.held, do: (s) => { s.held = true; } },
        release: { do: (s) => { s.held = false; return 'acquire'; } },
      },
    }),
    starvation: true,
  });

describe('starvation', () => {
  it('a cpu can starve on a spinlock under weak fairness: the other takes it again and again', async () => {
    const r = await check(spin(), 'default');
    expect(r.outcome).toBe('temporal');
    expect(r.property).toBe('Starvation');
    expect(r.message).toBe("temporal property 'Starvation' (cpu t1) is violated");
    expect(labels(r)).toEqual(['init', 'cpu.acquire(self=t2)']);
    expect(r.lasso).toMatchObject({ loop: 0, back: { label: 'cpu.release(self=t2)' } });
    expect(r.lasso?.fairness.map((f) => `${f.unit}: ${f.how}`)).toEqual(['WF(cpu t1): disabled', 'WF(cpu t2): taken']);
  });

  it('with strong fairness per process (fair+) no cpu starves', async () => {
    const r = await check(spin('strong'), 'default');
    expect(r.outcome).toBe('ok');
    expect(r.liveness?.properties).toEqual(['Starvation']);
  });

  it('a thread blocked forever while another still moves is found (no global deadlock)', async () => {
    const stuck = defineSpec({
      name: 'stuck',
      state: { n: int(0, 1), pc: mapOf(T, enumOf('go', 'Done')) },
      init: { n: 0, pc: { t1: 'go', t2: 'go' } },
      actions: {
        ...process<{ n: number; pc: Record<string, 'go' | 'Done'> }>()('w', T, {
          pc: 'pc',
          // t2 waits for a flag nobody sets; t1 finishes.
          steps: { go: { when: (_s, self) => self === 't1', do: () => {} } },
        }),
        spin: { do: (s) => { s.n = 1 - s.n; } },
      },
      starvation: true,
      symmetry: false,
    });
    const r = await check(stuck, 'default');
    expect(r.outcome).toBe('temporal');
    expect(r.message).toBe("temporal property 'Starvation' (w t2) is violated");
  });
});

describe('symmetry and liveness', () => {
  // A token passes between two threads. Symmetric, but the property names t2.
  const token = defineSpec({
    name: 'token',
    state: { turn: T },
    init: { turn: 't1' },
    actions: { pass: { do: (s) => { s.turn = s.turn === 't1' ? 't2' : 't1'; } } },
    temporal: { T2Turns: always(eventually((s) => s.turn === 't2')) },
    fairness: [weakFair('pass')],
  });

  it('the check records every concrete state: symmetry is off for temporal properties, and the property holds', async () => {
    const r = await checkModel(compileModel(token, 'default'));
    expect(r.symmetryReduced).toEqual(['t']);
    expect(r.stats.distinct).toBe(1);
    expect(r.liveness).toMatchObject({ states: 2, edges: 2, symmetryOff: true });
    expect(r.outcome).toBe('ok');
  });

  it('the search that records the concrete graph does not judge the states again: the invariants ran in the search under symmetry', async () => {
    let judged = 0;
    const counters = (temporal: boolean) =>
      defineSpec({
        name: 'counters',
        state: { n: mapOf(T, int(0, 2)) },
        init: { n: { t1: 0, t2: 0 } },
        actions: { inc: { params: { t: T }, when: (s, { t }) => s.n[t] < 2, do: (s, { t }) => { s.n[t]++; } } },
        invariants: { Counted: (s) => (judged++, s.n.t1 + s.n.t2 <= 4) },
        deadlock: false,
        ...(temporal ? { temporal: { AllTwo: eventually((s) => s.n.t1 === 2 && s.n.t2 === 2) }, fairness: [weakFair('inc')] } : {}),
      });
    const runs = [];
    for (const temporal of [false, true]) {
      judged = 0;
      const r = await checkModel(compileModel(counters(temporal), 'default'));
      runs.push([r.outcome, r.stats.distinct, r.liveness?.states, judged]);
    }
    // 6 orbits of the 9 states; the same judging with the graph of all 9 recorded as without it.
    expect(runs[1]).toEqual(['ok', 6, 9, runs[0][3]]);
    expect(runs[0].slice(0, 3)).toEqual(['ok', 6, undefined]);
  });

  it('a naive check on the quotient graph would report a false violation', () => {
    const model = compileModel(token, 'default');
    const canon = canonicaliser(model);
    // The quotient: one state per orbit (turn = t1 stands for both), the predicate read on the
    // representative, a step to a state of the same orbit kept as a step (it is one).
    const bits: number[] = [];
    const from: number[] = [];
    const to: number[] = [];
    const index = new Map<string, number>();
    const v = new Int32Array(model.width);
    const out = new Int32Array(model.width);
    const fp = new Int32Array(2);
    const queue: State[] = [];
    const add = (s: State) => {
      model.encode(s, v, 0);
      canon(v, out);
      fingerprint(out, model.width, fp);
      const key = `${fp[0]},${fp[1]}`;
      if (index.has(key)) return index.get(key)!;
      index.set(key, index.size);
      const rep = model.decode(out, 0);
      bits.push((rep.turn === 't2' ? 1 : 0) | 2); // bit 0: the predicate; bit 1: pass is enabled
      queue.push(rep);
      return index.size - 1;
    };
    add(model.initial[0] as State);
    for (let q = 0; q < queue.length; q++) {
      model.actions[0].successors({ pre: queue[q], draft: () => structuredClone(queue[q]) }, (next) => {
        from.push(q);
        to.push(add(next as State));
      });
    }
    expect([queue.length, from, to]).toEqual([1, [0], [0]]);
    const g: LivenessGraph = {
      stateCount: 1,
      initial: Int32Array.of(0),
      edgeCount: 1,
      from: Int32Array.from(from),
      to: Int32Array.from(to),
      action: Int32Array.of(0),
      stateBits: Uint32Array.from(bits),
      stateWords: 1,
      edgeBits: new Uint32Array(1),
      edgeWords: 1,
      outStart: Int32Array.of(0, 1),
      out: Int32Array.of(0),
    };
    const naive = checkLiveness(g, model.liveness!.properties[0]);
    expect(naive?.lasso).toEqual({ states: [0], steps: [], back: 0, loop: 0 });
  });
});

describe('temporal properties: errors', () => {
  const base = {
    name: 'e',
    state: { x: int(0, 1) },
    init: { x: 0 },
    actions: { flip: { do: (s: { x: number }) => { s.x = 1 - s.x; } } },
  };

  it('a predicate that throws is an error naming where, not a crash', async () => {
    const spec = defineSpec({
      ...base,
      temporal: { Bad: eventually((s) => { if (s.x === 1) throw new Error('boom'); return false; }) },
    });
    const r = await check(spec, 'default');
    expect([r.outcome, r.message]).toEqual(['error', "a temporal property's predicate threw while the liveness graph was recorded: boom"]);
  });

  it('a property []P, or a conjunct []P of one, is checked as an invariant, as TLC does (exit 12, a finite trace)', async () => {
    const spec = defineSpec({
      ...base,
      state: { x: int(0, 3) },
      actions: { inc: { when: (s: { x: number }) => s.x < 3, do: (s: { x: number }) => { s.x += 1; } } },
      temporal: {
        Small: always((s: { x: number }) => s.x < 2),
        Mixed: and(eventually((s: { x: number }) => s.x === 3), forall([2, 3], (k) => always((s: { x: number }) => s.x < k + 1))),
      },
      fairness: [weakFair('inc')],
      deadlock: false,
      variants: { small: { properties: ['Small'] }, mixed: { properties: ['Mixed'] } },
    });
    const small = await check(spec, 'small');
    expect([small.outcome, small.message, small.trace?.length, small.lasso]).toEqual(['invariant', "invariant 'Small' is violated", 3, undefined]);
    expect(compileModel(spec, 'small').liveness).toBeUndefined();
    // The []P conjuncts are invariants named by their labels; <>(x = 3) stays temporal, and holds.
    // They are one invariant of the property's name; the message names the conjunct that fails.
    const mixed = await check(spec, 'mixed');
    expect([mixed.outcome, mixed.property, mixed.message, mixed.trace?.length]).toEqual(['invariant', 'Mixed', "invariant 'Mixed' (conjunct 2, 2) is violated", 4]);
    expect(compileModel(spec, 'mixed').invariants.map((i) => i.name)).toEqual(['Mixed']);
    expect(compileModel(spec, 'mixed').liveness?.properties.map((p) => [p.name, p.labels])).toEqual([['Mixed', ['conjunct 1']]]);
  });

  it('h => []P under implies(): temporal, violated by a behaviour that satisfies h and reaches a state without P', async () => {
    type X = { x: number };
    const spec = defineSpec({
      name: 'climb',
      state: { x: int(0, 3) },
      init: [{ x: 0 }, { x: 1 }],
      actions: { up: { when: (s) => s.x < 3, do: (s) => { s.x += 1; } } },
      temporal: {
        // Init => []P: from x = 1 on, x never falls below 1.
        FromOne: implies(initially((s: X) => s.x === 1), always((s: X) => s.x >= 1)),
        // From x = 0, x = 2 is reached: 0, 1, 2, then it may stop there.
        FromZero: implies(initially((s: X) => s.x === 0), always((s: X) => s.x < 2)),
        // Under fairness as under none: 1, 2, 3, the shortest from either initial state.
        Fair: implies(weakFair('up'), always((s: X) => s.x < 3)),
      },
      deadlock: false,
      variants: {
        one: { properties: ['FromOne'], expect: 'holds' },
        zero: { properties: ['FromZero'], expect: { violates: 'FromZero' } },
        fair: { properties: ['Fair'], expect: { violates: 'Fair' } },
      },
    });
    expect(compileModel(spec, 'zero').invariants).toEqual([]);
    const one = await checkModel(compileModel(spec, 'one'));
    expect([one.outcome, one.liveness?.holds]).toEqual(['ok', ['FromOne']]);
    const zero = await checkModel(compileModel(spec, 'zero'));
    expect([zero.outcome, zero.property, zero.trace?.map((t) => t.state.x), zero.matchesExpectation]).toEqual(['temporal', 'FromZero', [0, 1, 2], true]);
    const fair = await checkModel(compileModel(spec, 'fair'));
    expect([fair.outcome, fair.property, fair.trace?.map((t) => t.state.x), fair.matchesExpectation]).toEqual(['temporal', 'Fair', [1, 2, 3], true]);
  });

  it('[][A]_v in a property, as a refinement writes Spec2 == Init2 /\\ [][Next2]_v /\\ ...: an action property of its name', async () => {
    type C = { broken: boolean };
    type S = { x: number; y: number };
    const spec = defineSpec({
      name: 'refines',
      constants: { broken: false } as C,
      state: { x: int(0, 3), y: int(0, 1) },
      init: { x: 0, y: 0 },
      actions: {
        Inc: { when: (s) => s.x < 3, do: (s) => { s.x += 1; } },
        Reset: { when: (s) => s.x === 3, do: (s) => { s.x = 0; } },
        Noise: { do: (s) => { s.y = 1 - s.y; } },
        Jump: { when: (s, _p, c) => c.broken && s.x === 0, do: (s) => { s.x = 2; } },
      },
      temporal: {
        // Only Inc and Reset change x; Noise leaves it alone.
        ByName: and(initially((s: S) => s.x === 0), always(stepOrStutter(['Inc', 'Reset'], ['x'])), alwaysEventually((s: S) => s.x === 0)),
        // The same next-state relation, as a predicate on the step.
        ByStep: always(stepOrStutter((s: S, t: S) => t.x === s.x + 1 || (s.x === 3 && t.x === 0), ['x'])),
      },
      fairness: [weakFair('Inc'), weakFair('Reset')],
      variants: {
        default: { expect: 'holds' },
        broken: { constants: { broken: true }, properties: ['ByName'], expect: { violates: 'ByName' } },
        'broken-step': { constants: { broken: true }, properties: ['ByStep'], expect: { violates: 'ByStep' } },
      },
    });
    const model = compileModel(spec, 'default');
    expect([model.actionProperties.map((p) => p.name), model.invariants, model.liveness?.properties.map((p) => p.name)]).toEqual([['ByName', 'ByStep'], [], ['ByName']]);
    const ok = await checkModel(model);
    expect([ok.outcome, ok.liveness?.holds]).toEqual(['ok', ['ByName']]);
    for (const [variant, property] of [['broken', 'ByName'], ['broken-step', 'ByStep']]) {
      const r = await checkModel(compileModel(spec, variant));
      expect([r.outcome, r.property, r.message, r.trace?.map((t) => t.state.x), r.matchesExpectation]).toEqual(['action-property', property, `action property '${property}' is violated by Jump`, [0, 2], true]);
    }
  });

  it('[][A]_v by name is A(s, s\'), whichever action took the step; a predicate that does not answer true or false is named', async () => {
    type X = { x: number };
    const twin = (other: (s: X) => void) =>
      defineSpec({
        name: 'twin',
        state: { x: int(0, 3) },
        init: { x: 0 },
        actions: {
          Inc: { when: (s) => s.x < 3, do: (s) => { s.x += 1; } },
          Other: { when: (s) => s.x < 3, do: other },
        },
        temporal: { OnlyInc: always(stepOrStutter('Inc', ['x'])) },
        deadlock: false,
      });
    // Other's steps are Inc's: [Inc]_x holds, as TLC says.
    const same = await checkModel(compileModel(twin((s) => { s.x += 1; }), 'default'));
    expect(same.outcome).toBe('ok');
    // A jump of two is no step of Inc.
    const jump = await checkModel(compileModel(twin((s) => { s.x = Math.min(3, s.x + 2); }), 'default'));
    expect([jump.outcome, jump.message, jump.trace?.map((t) => t.state.x)]).toEqual(['action-property', "action property 'OnlyInc' is violated by Other", [0, 2]]);
    const silent = defineSpec({
      name: 'silent',
      state: { x: int(0, 3) },
      init: { x: 0 },
      actions: { Inc: { when: (s) => s.x < 3, do: (s) => { s.x += 1; } } },
      // A missing return: undefined, not false.
      temporal: { Up: always(stepOrStutter(((s: X, t: X) => { void (t.x > s.x); }) as never, ['x'])) },
      deadlock: false,
    });
    const r = await checkModel(compileModel(silent, 'default'));
    expect([r.outcome, r.message]).toEqual(['error', "action property 'Up' after Inc threw: TypeError: it returned undefined, not a boolean (a missing return?)"]);
  });

  it('v may be a function of the state, as a refinement maps its variables: [][total\' = total + 1]_total with total = x + y', async () => {
    type XY = { x: number; y: number };
    const total = (s: XY) => s.x + s.y;
    const spec = defineSpec({
      name: 'mapped',
      constants: { jump: false },
      state: { x: int(0, 3), y: int(0, 3) },
      init: { x: 0, y: 0 },
      actions: {
        IncX: { when: (s) => s.x < 2, do: (s) => { s.x += 1; } },
        // Swapping leaves the total as it was: a stutter of the mapped variable, allowed.
        Swap: { do: (s) => { [s.x, s.y] = [s.y, s.x]; } },
        Jump: { when: (s, _p, c) => c.jump && s.y === 0, do: (s) => { s.y = 2; } },
      },
      temporal: {
        Counts: always(stepOrStutter((s: XY, t: XY) => total(t) === total(s) + 1, total)),
        Moves: eventually(step('IncX', total)),
      },
      fairness: [weakFair('IncX')],
      deadlock: false,
      variants: { default: { expect: 'holds' }, jump: { constants: { jump: true }, expect: { violates: 'Counts' } } },
    });
    const ok = await checkModel(compileModel(spec, 'default'));
    expect([ok.outcome, ok.liveness?.holds]).toEqual(['ok', ['Moves']]);
    const jump = await checkModel(compileModel(spec, 'jump'));
    expect([jump.outcome, jump.message, jump.trace?.map((t) => [t.state.x, t.state.y])]).toEqual(['action-property', "action property 'Counts' is violated by Jump", [[0, 0], [0, 2]]]);
  });

  it('[]P under a forall over a scalarset, nested in and(): one symmetric invariant, checked with symmetry, and expected by its name', async () => {
    const Reader = scalarset('r', 2);
    const spec = defineSpec({
      name: 'readers',
      state: { n: mapOf(Reader, int(0, 2)) },
      init: { n: { r1: 0, r2: 0 } },
      actions: { read: { params: { r: Reader }, when: (s, { r }) => s.n[r] < 2, do: (s, { r }) => { s.n[r] += 1; } } },
      temporal: { Bounded: forall(Reader, (r) => and(always((s: { n: Record<string, number> }) => s.n[r] < 2), eventually((s: { n: Record<string, number> }) => s.n[r] > 0))) },
      fairness: [weakFair('read', { each: true })],
      deadlock: false,
      expect: { violates: 'Bounded' },
    });
    const model = compileModel(spec, 'default');
    expect(model.invariants.map((i) => i.name)).toEqual(['Bounded']);
    expect(model.liveness?.properties.map((p) => [p.name, p.labels])).toEqual([['Bounded', ['r1, conjunct 2', 'r2, conjunct 2']]]);
    const r = await checkModel(model);
    expect([r.outcome, r.property, r.message, r.trace?.length, r.matchesExpectation]).toEqual(['invariant', 'Bounded', "invariant 'Bounded' (r1, conjunct 1) is violated", 3, true]);
    // The part named is the trace's, not that of the representative the search judged.
    expect(r.trace?.at(-1)?.state).toEqual({ n: { r1: 2, r2: 0 } });
  });

  it('formulas and fairness that name what the spec does not have are spec errors', () => {
    const compile = (extra: object) => () => compileModel(defineSpec({ ...base, ...extra } as never), 'default');
    expect(compile({ temporal: { P: always(eventually(step('nope'))) } })).toThrow("spec 'e': step('nope') names no action or process (actions: flip)");
    expect(compile({ temporal: { P: eventually((s: { x: number }) => s.x === 1) }, fairness: [weakFair('nope')] })).toThrow(
      "spec 'e': fairness names action 'nope', which the spec does not have",
    );
    expect(compile({ temporal: { P: implies(weakFair('flip'), always(stepOrStutter('flip'))) } })).toThrow(
      "spec 'e', property 'P': always(stepOrStutter(...)), [][A]_v, is checked as an action property when it is the property or one of its conjuncts, not under implies() or or()",
    );
    expect(compile({ temporal: { P: always(step('flip')) } })).toThrow(
      "spec 'e', property 'P': always(step(...)) would be []<<A>>_v, which is not a TLA+ formula: write always(stepOrStutter(...)), [][A]_v",
    );
    expect(compile({ temporal: { P: always(stepOrStutter('flop')) } })).toThrow("spec 'e': stepOrStutter('flop') names no action or process (actions: flip)");
    expect(compile({ temporal: { P: always(stepOrStutter('flip', ['y'])) } })).toThrow(
      "spec 'e': stepOrStutter(..., ['y']) names 'y', which is not a state variable (variables: x)",
    );
    expect(compile({ temporal: { P: implies(eventually((s: { x: number }) => s.x === 1), eventually((s: { x: number }) => s.x === 0)) } })).toThrow(
      "spec 'e', property 'P': a hypothesis must be fairness, initially(...), always(P), always(stepOrStutter(...)), always(eventually(...)) or eventuallyAlways(...), not eventually",
    );
    expect(compile({ temporal: { P: implies(((s: { x: number }) => s.x === 1) as never, eventually((s: { x: number }) => s.x === 0)) } })).toThrow(
      "spec 'e', property 'P': a hypothesis must be fairness, initially(...), always(P), always(stepOrStutter(...)), always(eventually(...)) or eventuallyAlways(...), not a state predicate (initially(P) is P of the first state; always(implies(P, always(Q))) is [](P => []Q))",
    );
    expect(() => leadsTo((s: { x: number }) => s.x === 1, eventually((s: { x: number }) => s.x === 0))).toThrow(
      'leadsTo(P, eventually(...)): the second operand is a state predicate Q or always(Q)',
    );
    expect(compile({ temporal: { P: eventually((s: { x: number }) => s.x === 1) }, starvation: true })).toThrow(
      "spec 'e': `starvation` needs processes (process(...) steps); this spec has none",
    );
  });

  it('a temporal property is not checked after a search that stopped early, and the report says so', async () => {
    const spec = defineSpec({ ...base, temporal: { P: eventually((s) => s.x === 1) } });
    const r = await checkModel(compileModel(spec, 'default'), { maxStates: 1 });
    expect([r.outcome, r.liveness]).toEqual(['ok', undefined]);
    expect(formatStats(r)).toContain('Temporal properties P not checked: they are checked after a complete search that finds no other violation.');
  });

  it('nor when the search that records the graph stops early: under symmetry the first search may end within a bound the second does not', async () => {
    // 20 orbits, 64 concrete states; <>[]P fails only in the last state (every counter at 3).
    const T3 = scalarset('t', 3);
    type C3 = { c: Record<string, number> };
    const spec = defineSpec({
      name: 'sym',
      state: { c: mapOf(T3, int(0, 3)) },
      init: { c: { t1: 0, t2: 0, t3: 0 } },
      actions: { Inc: { params: { t: T3 }, when: (s, { t }) => s.c[t] < 3, do: (s, { t }) => { s.c[t]++; } } },
      deadlock: false,
      fairness: [weakFair('Inc')],
      temporal: { Live: eventuallyAlways((s: C3) => !Object.values(s.c).every((v) => v === 3)) },
    });
    const whole = await checkModel(compileModel(spec, 'default'), { symmetry: true });
    expect([whole.outcome, whole.stats.distinct, whole.liveness?.states]).toEqual(['temporal', 20, 64]);
    const r = await checkModel(compileModel(spec, 'default'), { symmetry: true, maxStates: 30 });
    expect([r.outcome, r.liveness, r.stopped, r.stats.complete]).toEqual(['ok', undefined, 'max-states', false]);
  });
});

describe('fairness: which instances are one unit, and what a variant replaces', () => {
  const P = scalarset('p', 1, { symmetric: false });
  // A toggles x while B could finish: WF_vars(A(p) \/ B(p)) is met by taking A for ever, so <>done
  // fails (TLC); WF(A(p)) /\ WF(B(p)) would force B and make it hold.
  const toggles = defineSpec({
    name: 'toggles',
    state: { x: int(0, 1), done: bool() },
    init: { x: 0, done: false },
    actions: {
      A: { params: { p: P }, when: (s) => !s.done, do: (s) => { s.x = 1 - s.x; } },
      B: { params: { p: P }, when: (s) => !s.done, do: (s) => { s.done = true; } },
    },
    temporal: { Done: eventually((s: { done: boolean }) => s.done) },
    deadlock: false,
    variants: {
      params: { fairness: [forall(P, (p) => weakFair(['A', 'B'], { params: { p } }))], expect: { violates: 'Done' } },
      where: { fairness: [forall(P, (p) => weakFair(['A', 'B'], { where: (q: { p: string }) => q.p === p }))], expect: { violates: 'Done' } },
      each: { fairness: [forall(P, (p) => weakFair(['A', 'B'], { params: { p }, each: true }))], expect: 'holds' },
      // WF_vars((FALSE /\ A) \/ B): `when` sees the action's name; the unit is B's steps alone, which A for ever does not meet.
      'when-action': { fairness: [weakFair(['A', 'B'], { when: (_s: unknown, _p: unknown, _c: unknown, action: string) => action === 'B' })], expect: 'holds' },
      'when-any': { fairness: [weakFair(['A', 'B'], { when: () => true })], expect: { violates: 'Done' } },
    },
  });

  it("weakFair(['A', 'B'], { params: { p } }) is WF(A(p) \\/ B(p)), one unit, as with `where` (named by the parameters its instances share); `each` makes one per instance", async () => {
    for (const variant of ['params', 'where']) {
      const r = await checkModel(compileModel(toggles, variant));
      expect([variant, r.outcome, r.property, r.matchesExpectation]).toEqual([variant, 'temporal', 'Done', true]);
      // Picked by `where`, a unit is named by the parameters its instances share.
      expect(r.lasso?.fairness.map((f) => f.unit)).toEqual(['WF(A(p=p1) \\/ B(p=p1))']);
    }
    const K = scalarset('k', 2, { symmetric: false });
    const two = defineSpec({
      name: 'two',
      state: { x: int(0, 1) },
      init: { x: 0 },
      actions: { C: { params: { k: K, d: int(0, 1) }, do: (s, { d }) => { s.x = d; } }, D: { do: (s) => { s.x = 0; } } },
      temporal: { X: eventually((s: { x: number }) => s.x === 1) },
      // The last picks no instance of D: its name leaves D out.
      fairness: [forall(K, (k) => weakFair('C', { where: (q: { k: string }) => q.k === k, when: () => true })), weakFair(['C', 'D'], { where: (q: { k?: string }) => q.k === 'k1' })],
    });
    expect(compileModel(two, 'default').liveness?.units.map((u) => u.name)).toEqual(['WF(C(k=k1)) when ...', 'WF(C(k=k2)) when ...', 'WF(C(k=k1))']);
    const each = await checkModel(compileModel(toggles, 'each'));
    expect([each.outcome, each.matchesExpectation]).toEqual(['ok', true]);
    const byAction = await checkModel(compileModel(toggles, 'when-action'));
    expect([byAction.outcome, byAction.matchesExpectation]).toEqual(['ok', true]);
    const any = await checkModel(compileModel(toggles, 'when-any'));
    expect([any.outcome, any.property, any.matchesExpectation]).toEqual(['temporal', 'Done', true]);
  });

  it("a variant's fairness replaces the spec's, a process's `fair` included", async () => {
    const T = scalarset('t', 1);
    type S = { pc: Record<string, 'go' | 'Done'>; done: boolean };
    const p = process<S>()('p', T, { pc: 'pc', fair: 'weak', steps: { go: { do: (s) => { s.done = true; } } } });
    const spec = defineSpec({
      name: 'fair-process',
      state: { pc: mapOf(T, enumOf('go', 'Done')), done: bool() },
      init: { pc: { t1: 'go' }, done: false },
      actions: p,
      temporal: { Done: eventually((s: S) => s.done) },
      deadlock: false,
      variants: { fair: { expect: 'holds' }, unfair: { fairness: [], expect: { violates: 'Done' } } },
    });
    const fair = await checkModel(compileModel(spec, 'fair'));
    expect([fair.outcome, fair.matchesExpectation]).toEqual(['ok', true]);
    const unfair = await checkModel(compileModel(spec, 'unfair'));
    expect([unfair.outcome, unfair.property, unfair.matchesExpectation]).toEqual(['temporal', 'Done', true]);
  });
});

describe('initially(P): the first state', () => {
  type F = { flag: boolean; x: number };
  // Two initial states; x goes from 0 to 1 only where flag is set, and that step is weakly fair.
  const flags = defineSpec({
    name: 'flags',
    state: { flag: bool(), x: int(0, 1) },
    init: [{ flag: true, x: 0 }, { flag: false, x: 0 }],
    actions: { inc: { when: (s) => s.flag && s.x === 0, do: (s) => { s.x = 1; } } },
    fairness: [weakFair('inc')],
    temporal: {
      StartsAtZero: initially((s: F) => s.x === 0),
      StartsFlagged: initially((s: F) => s.flag),
      FlaggedReachesOne: implies(initially((s: F) => s.flag), eventually((s: F) => s.x === 1)),
      ReachesOne: eventually((s: F) => s.x === 1),
    },
    deadlock: false,
    variants: {
      zero: { properties: ['StartsAtZero'], expect: 'holds' },
      flagged: { properties: ['StartsFlagged'], expect: { violates: 'StartsFlagged' } },
      'flagged-reaches-one': { properties: ['FlaggedReachesOne'], expect: 'holds' },
      'reaches-one': { properties: ['ReachesOne'], expect: { violates: 'ReachesOne' } },
    },
  });
  const run = (variant: string) => checkModel(compileModel(flags, variant));

  it('as a property, is P of every initial state (TLA+: a state predicate listed as a PROPERTY)', async () => {
    const zero = await run('zero');
    expect([zero.outcome, zero.matchesExpectation]).toEqual(['ok', true]);
    const flagged = await run('flagged');
    expect([flagged.outcome, flagged.property, flagged.matchesExpectation]).toEqual(['temporal', 'StartsFlagged', true]);
    expect(flagged.trace?.map((t) => t.state)).toEqual([{ flag: false, x: 0 }]);
  });

  it('as a hypothesis, reads P on the first state: implies(initially(P), eventually(Q)) is P => <>Q', async () => {
    const r = await run('flagged-reaches-one');
    expect([r.outcome, r.matchesExpectation]).toEqual(['ok', true]);
    // Without it, the behaviour from the unflagged initial state never reaches x = 1.
    const all = await run('reaches-one');
    expect([all.outcome, all.property, all.matchesExpectation]).toEqual(['temporal', 'ReachesOne', true]);
    expect(all.trace?.[0].state).toEqual({ flag: false, x: 0 });
  });
});

describe('eventually(step(A)): <><<A>>_v, some step of A', () => {
  // TLC refuses a temporal formula with an action outside []<> and <>[]; the meaning is plain LTL.
  type XY = { x: number; y: number };
  const steps = defineSpec({
    name: 'steps',
    state: { x: int(0, 1), y: int(0, 2) },
    init: { x: 0, y: 0 },
    actions: {
      A: { do: (s) => { s.x = 1 - s.x; } },
      B: { when: (s) => s.y < 2, do: (s) => { s.y += 1; } },
    },
    temporal: { SomeA: eventually(step('A')) },
    deadlock: false,
    variants: {
      'fair-a': { fairness: [weakFair('A')], expect: 'holds' },
      'fair-b': { fairness: [weakFair('B')], expect: { violates: 'SomeA' } },
    },
  });

  it('holds when A is fair, and is violated by a fair behaviour without an A step', async () => {
    const fairA = await checkModel(compileModel(steps, 'fair-a'));
    expect([fairA.outcome, fairA.matchesExpectation]).toEqual(['ok', true]);
    const fairB = await checkModel(compileModel(steps, 'fair-b'));
    expect([fairB.outcome, fairB.property, fairB.matchesExpectation]).toEqual(['temporal', 'SomeA', true]);
    // B until it is disabled (its weak fairness asks that much), then the behaviour stutters.
    expect(fairB.trace?.map((t) => [t.action?.name ?? 'init', (t.state as XY).y])).toEqual([['init', 0], ['B', 1], ['B', 2]]);
  });
});

describe('or(), fairness as a conclusion, and always(P) as a hypothesis', () => {
  // TLC 2026.04.29 on the same module (Tick == ~got /\ x' = 1 - x; Grab == x = 0 /\ ~got /\ got' = TRUE;
  // Spec == Init /\ [][Next]_vars /\ WF_vars(Tick), or without the WF) gives every verdict below.
  type G = { x: number; got: boolean };
  const flicker = {
    name: 'flicker',
    state: { x: int(0, 1), got: bool() },
    init: { x: 0, got: false },
    actions: {
      Tick: { when: (s: G) => !s.got, do: (s: G) => { s.x = 1 - s.x; } },
      Grab: { when: (s: G) => s.x === 0 && !s.got, do: (s: G) => { s.got = true; } },
    },
    deadlock: false,
    fairness: [weakFair('Tick')],
    temporal: {
      GrabWF: weakFair('Grab'),
      GrabSF: strongFair('Grab'),
      EitherOr: or(eventually((s: G) => s.got), always(eventually((s: G) => s.x === 1))),
      EitherOr2: or(eventually((s: G) => s.got), eventually(always((s: G) => s.x === 0))),
      Hyp: implies(always((s: G) => s.x === 0), eventually((s: G) => s.got)),
      Hyp2: implies(always((s: G) => !s.got), eventually((s: G) => s.x === 1 && s.got)),
      OrHyp: implies(or(eventuallyAlways((s: G) => s.x === 0), always(eventually((s: G) => s.got))), eventually((s: G) => s.got)),
    },
  };
  /** The spec with one variant, v, that checks `property`, with WF(Tick) or without fairness. */
  const only = (property: string, fair = true) => compileModel(defineSpec({ ...flicker, variants: { v: { properties: [property], ...(fair ? {} : { fairness: [] }) } } } as never), 'v');
  const verdict = async (property: string, fair = true) => {
    const r = await checkModel(only(property, fair), { symmetry: false });
    return [r.outcome, labels(r), r.lasso?.loop, r.lasso?.back?.label ?? (r.lasso ? 'stutter' : undefined)];
  };

  it('under WF(Tick): WF(Grab) holds and SF(Grab) does not (Grab is enabled at every other state of the ticking)', async () => {
    expect(await verdict('GrabWF')).toEqual(['ok', undefined, undefined, undefined]);
    expect(await verdict('GrabSF')).toEqual(['temporal', ['init', 'Tick'], 0, 'Tick']);
    const sf = await checkModel(only('GrabSF'), { symmetry: false });
    expect(sf.message).toBe("temporal property 'GrabSF' is violated");
    // The cycle is fair to what is assumed (WF(Tick)); the unit concluded is not listed as assumed.
    expect(sf.lasso?.fairness).toEqual([{ unit: 'WF(Tick)', kind: 'weak', how: 'taken' }]);
    // Without fairness, stuttering where Grab is enabled violates WF(Grab).
    expect(await verdict('GrabWF', false)).toEqual(['temporal', ['init'], 0, 'stutter']);
  });

  it('a disjunction is violated only by a behaviour violating every part', async () => {
    expect(await verdict('EitherOr')).toEqual(['ok', undefined, undefined, undefined]);
    expect(await verdict('EitherOr2')).toEqual(['temporal', ['init', 'Tick'], 0, 'Tick']);
    expect(await verdict('EitherOr', false)).toEqual(['temporal', ['init'], 0, 'stutter']);
  });

  it('[]P => F: only behaviours where P always holds count; (H1 \\/ H2) => F is checked for each', async () => {
    expect(await verdict('Hyp')).toEqual(['ok', undefined, undefined, undefined]);
    expect(await verdict('Hyp', false)).toEqual(['temporal', ['init'], 0, 'stutter']);
    expect(await verdict('Hyp2')).toEqual(['temporal', ['init', 'Tick'], 0, 'Tick']);
    expect(await verdict('OrHyp')).toEqual(['ok', undefined, undefined, undefined]);
    expect(await verdict('OrHyp', false)).toEqual(['temporal', ['init'], 0, 'stutter']);
  });

  it('exists(ids, f) is the disjunction over the ids, also over ids made from the constants', async () => {
    // <>[](x = 0) \/ <>[](x = 1): the ticking cycle meets neither; a grab ends with x = 0 for ever.
    const settles = async (P: TemporalFormula) => {
      const r = await checkModel(compileModel(defineSpec({ ...flicker, constants: { X: 1 }, temporal: { P } } as never), 'default'), { symmetry: false });
      return [r.outcome, labels(r), r.lasso?.back?.label];
    };
    expect(await settles(exists([0, 1], (v) => eventuallyAlways((s: G) => s.x === v)))).toEqual(['temporal', ['init', 'Tick'], 'Tick']);
    expect(await settles(exists((c: { X: number }) => int(0, c.X), (v) => eventuallyAlways((s: G) => s.x === v)))).toEqual(['temporal', ['init', 'Tick'], 'Tick']);
    // Or'ed with what the ticking meets, it holds.
    expect(await settles(or(exists([0, 1], (v) => eventuallyAlways((s: G) => s.x === v)), alwaysEventually((s: G) => s.x === 1)))).toEqual(['ok', undefined, undefined]);
  });

  it('always() of implications to <>[]Q, []<>Q or fairness, their or() and exists(): [](P => <>[]Q) is [](~P) \\/ <>[]Q', async () => {
    // The verdicts are TLC's on the same module (with -deadlock), property by property.
    const verdict = async (P: TemporalFormula) => {
      const r = await checkModel(compileModel(defineSpec({ ...flicker, constants: { X: 1 }, temporal: { P } } as never), 'default'), { symmetry: false });
      return r.outcome;
    };
    const stays = (v: number) => eventuallyAlways((s: G) => s.x === v);
    // [](x = 0 => <>[](x = 0)): the ticking meets x = 0 and never settles.
    expect(await verdict(always(implies((s: G) => s.x === 0, stays(0))))).toBe('temporal');
    // [](got => <>[]got)
    expect(await verdict(always(implies((s: G) => s.got, eventuallyAlways((s: G) => s.got))))).toBe('ok');
    // [](\E v \in {0}: x = v => <>[](x = v)), and \A v \in {0, 1}
    expect(await verdict(always(exists([0], (v) => implies((s: G) => s.x === v, stays(v)))))).toBe('temporal');
    expect(await verdict(always(forall([0, 1], (v) => implies((s: G) => s.x === v, stays(v)))))).toBe('temporal');
    // [](x = 0 => (<>[](x = 0) \/ []<>(x = 1))): ticking meets x = 1 again and again, grabbing stays at 0.
    expect(await verdict(always(implies((s: G) => s.x === 0, or(stays(0), alwaysEventually((s: G) => s.x === 1)))))).toBe('ok');
    // [](~got => []<>(x = 1)): a grab ends with x = 0 for ever.
    expect(await verdict(always(implies((s: G) => !s.got, alwaysEventually((s: G) => s.x === 1))))).toBe('temporal');
    // [](\A v \in {0, 1}: (x = v /\ got) => []got), and [](\A v \in {0, 1}: x = v => [](x = v)): one [](P => []Q) per id.
    expect(await verdict(always(forall([0, 1], (v) => implies((s: G) => s.x === v && s.got, always((s: G) => s.got)))))).toBe('ok');
    expect(await verdict(always(forall([0, 1], (v) => implies((s: G) => s.x === v, always((s: G) => s.x === v)))))).toBe('temporal');
    // [](\E v \in 0..X: x = v => <>[](x = v)), the ids made from the constants: some v is not x.
    expect(await verdict(always(exists((c: { X: number }) => int(0, c.X), (v) => implies((s: G) => s.x === v, stays(v)))))).toBe('ok');
    expect(() => always(or(eventually((s: G) => s.got)))).toThrow(
      'always(or(...)): its part eventually(...) is not supported there; always() of an implies(), or() or exists() takes implications from state predicates to those forms, and those forms themselves ([](P => <>[]Q), [](\\E s: P(s) => <>[]Q(s))); [](P => <>Q) is leadsTo(P, Q), [](P => []Q) is always(implies(P, always(Q)))',
    );
    expect(() => always(implies((s: G) => s.got, eventually((s: G) => s.got)))).toThrow(/^always\(implies\(\.\.\.\)\): implies\(P, F\) under always\(\) takes a state predicate P and F made of eventuallyAlways/);
    // [][]F is []F; <>[] of a compound formula is refused by the name the spec wrote.
    const settles = always(implies((s: G) => s.got, eventuallyAlways((s: G) => s.got)));
    expect(always(settles)).toBe(settles);
    expect(await verdict(always(settles))).toBe('ok');
    expect(await verdict(always(always(implies((s: G) => s.x === 0, stays(0)))))).toBe('temporal');
    expect(() => eventually(settles)).toThrow('eventually(always(...)) is not a supported temporal formula');
    // Over ids made from the constants, the parts are known when the spec is compiled: the message names the property.
    const later = always(exists((c: { X: number }) => int(0, c.X), (v) => implies((s: G) => s.x === v, eventually((s: G) => s.x === v))));
    expect(() => compileModel(defineSpec({ ...flicker, constants: { X: 1 }, temporal: { P: later } } as never), 'default')).toThrow(
      /^spec 'flicker', property 'P': always\(or\(\.\.\.\)\): implies\(P, F\) under always\(\) takes a state predicate P/,
    );
  });

  it('a violation names the part that failed: the unit of a fairness of several, the id of a forall inside or()', async () => {
    type W = { waiting: Record<string, boolean>; woken: Record<string, boolean> };
    const named = async (P: TemporalFormula) => {
      const spec = defineSpec({ name: 'w', state: { waiting: mapOf(T, bool()), woken: mapOf(T, bool()) }, init: { waiting: { t1: false, t2: false }, woken: { t1: false, t2: false } },
        actions: {
          wait: { params: { t: T }, when: (s, { t }) => !s.waiting[t] && !s.woken[t], do: (s, { t }) => { s.waiting[t] = true; } },
          wake: { params: { t: T }, when: (s, { t }) => s.waiting[t], do: (s, { t }) => { s.waiting[t] = false; s.woken[t] = true; } },
        },
        deadlock: false, temporal: { P } });
      return (await checkModel(compileModel(spec, 'default'), { symmetry: false })).message;
    };
    // t1 waits, and the behaviour stutters: wake(t1) is enabled for ever and never taken.
    expect(await named(weakFair('wake', { each: true }))).toBe("temporal property 'P' (WF(wake(t=t1))) is violated");
    expect(await named(or(forall(T, (t) => eventually((s: W) => s.woken[t])), initially((s: W) => s.woken.t1)))).toBe("temporal property 'P' (t1) is violated");
  });

  it('what or() cannot check, and implies() inside it, are spec errors', () => {
    const compile = (P: ReturnType<typeof or>) => () => compileModel(defineSpec({ ...flicker, temporal: { P } } as never), 'default');
    expect(compile(or(leadsTo((s: G) => s.x === 1, (s: G) => s.got), always((s: G) => s.x === 0)))).toThrow(
      "spec 'flicker', property 'P': or() of more than one leadsTo(), always(P) or always(implies(P, always(Q))) is not checked: each is violated from a state of its own, and the search follows one",
    );
    expect(compile(or(implies(weakFair('Grab'), eventually((s: G) => s.got)), eventually((s: G) => s.x === 1)))).toThrow(
      "spec 'flicker', property 'P': implies() inside or() is not checked; write the implication outside it, implies(H, or(F, G))",
    );
    // Each case of a hypothesis is a search of its own: 2^13 of them is too many.
    const ids = Array.from({ length: 13 }, (_, i) => i);
    expect(compile(implies(forall(ids, () => or(alwaysEventually((s: G) => s.got), eventuallyAlways((s: G) => s.x === 0))), eventually((s: G) => s.got)))).toThrow(
      "spec 'flicker', property 'P': a hypothesis with or() under and() or forall() makes more than 4096 cases, each checked on its own; write the property in fewer parts",
    );
    expect(compile(implies(always(step('Tick')), eventually((s: G) => s.got)))).toThrow(
      "spec 'flicker', property 'P': a hypothesis must be fairness, initially(...), always(P), always(stepOrStutter(...)), always(eventually(...)) or eventuallyAlways(...), not always(step(...))",
    );
  });
});
