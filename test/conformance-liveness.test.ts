// TLC's verdicts on TLA+ Examples models with temporal properties: EWD840's Liveness holds under
// WF_vars(System) and fails without it; its AllNodesTerminateIfNoMessages fails under WF(System)
// and holds under WF(Next), as the module's comments say; the real-time hour clock's ErrorTemporal
// is a liveness failure (MCRealTimeHourClock.cfg).
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import ewd840 from '../specs/examples/ewd840.ts';
import hourClock from '../specs/examples/realtime-hourclock.ts';
import allocator from '../specs/examples/simple-allocator.ts';
import { always, alwaysEventually, and, defineSpec, eventually, eventuallyAlways, forall, implies, int, leadsTo, weakFair } from '../src/index.ts';
import type { Spec } from '../src/spec.ts';

const run = (spec: Spec, variant: string) => checkModel(compileModel(spec, variant), { symmetry: false });
const steps = (r: Awaited<ReturnType<typeof run>>) => r.trace?.map((s) => s.action?.label ?? 'init');

describe('conformance with TLC: temporal properties', () => {
  it('EWD840, N = 3: 302 distinct states, and Liveness holds under WF_vars(System)', async () => {
    const r = await run(ewd840, 'default');
    expect([r.outcome, r.stats.distinct, r.matchesExpectation]).toEqual(['ok', 302, true]);
    expect(r.liveness).toMatchObject({ properties: ['Liveness'], holds: ['Liveness'], states: 302 });
  });

  it('EWD840 without its fairness conjunct: Liveness fails, the token stops in an initial state', async () => {
    const r = await run(ewd840, 'unfair');
    expect([r.outcome, r.property, r.matchesExpectation]).toEqual(['temporal', 'Liveness', true]);
    expect(steps(r)).toEqual(['init']);
    expect(r.lasso).toMatchObject({ loop: 0, fairness: [] });
    // All nodes are passive, and termination is not (yet) detected.
    const s = r.trace![0].state as { active: Record<number, boolean>; tpos: number };
    expect(Object.values(s.active).some(Boolean)).toBe(false);
  });

  it('EWD840: AllNodesTerminateIfNoMessages fails under WF(System), holds under WF(Next)', async () => {
    const r = await run(ewd840, 'no-messages');
    expect([r.outcome, r.property]).toEqual(['temporal', 'AllNodesTerminateIfNoMessages']);
    expect(steps(r)).toEqual(['init', 'InitiateProbe']);
    expect(r.lasso).toMatchObject({ loop: 1, fairness: [{ unit: 'WF(System)', kind: 'weak', how: 'never enabled' }] });
    const fair = await run(ewd840, 'no-messages-WF-next');
    expect([fair.outcome, fair.matchesExpectation]).toEqual(['ok', true]);
  });

  it("SimpleAllocator: TLC's 400 states, 1633 generated, depth 6; its properties hold under WF_vars(Return(c, alloc[c])), and two fail under SimpleAllocator2", async () => {
    const r = await run(allocator, 'SimpleAllocator');
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 400, 1633, 6]);
    expect(r.liveness).toMatchObject({ holds: ['ClientsWillReturn', 'ClientsWillObtain', 'InfOftenSatisfied'], states: 400 });
    expect((await run(allocator, 'SimpleAllocator2/Return')).outcome).toBe('ok');
    for (const [variant, property] of [['SimpleAllocator2/Obtain', 'ClientsWillObtain'], ['SimpleAllocator2/InfOften', 'InfOftenSatisfied']]) {
      const bad = await run(allocator, variant);
      expect([variant, bad.outcome, bad.property, bad.matchesExpectation]).toEqual([variant, 'temporal', property, true]);
    }
  });

  it('the real-time hour clock: ErrorTemporal is a liveness failure (time advances to 4 and stops)', async () => {
    const r = await run(hourClock, 'default');
    expect([r.outcome, r.property, r.stats.distinct, r.matchesExpectation]).toEqual(['temporal', 'ErrorTemporal', 216, true]);
    expect(r.trace?.map((s) => s.state)).toEqual([
      { hr: 1, now: 1, t: 0 },
      { hr: 1, now: 4, t: 3 },
    ]);
    expect(steps(r)).toEqual(['init', 'NowNext(r=4)']);
    expect(r.lasso?.loop).toBe(1);
  });
});

/**
 * Conjuncts of different implications: each conjunct assumes its own hypotheses. TLC on
 * `(<>[](x = 0) => []<>(x = 1)) /\ (<>[](x = 1) => []<>(x = 0))` and on
 * `(WF_v(A) => <>(y = 1)) /\ (WF_v(B) => <>(x = 1))`: violated, by a behaviour that stutters where
 * the first conjunct's hypothesis holds and the second's does not.
 */
describe("conformance with TLC: a conjunction of implications is each implication's", () => {
  type XY = { x: number; y: number };
  const atX = (v: number) => (s: XY) => s.x === v;
  const firstOfTwo = implies(eventuallyAlways(atX(0)), alwaysEventually(atX(1)));
  const secondOfTwo = implies(eventuallyAlways(atX(1)), alwaysEventually(atX(0)));
  const upOnce = defineSpec({
    name: 'up-once',
    state: { x: int(0, 1), y: int(0, 1) },
    init: { x: 0, y: 0 },
    actions: { Up: { when: (s) => s.x === 0, do: (s) => { s.x = 1; } } },
    temporal: {
      Both: and(firstOfTwo, secondOfTwo),
      Forall: forall([0, 1], (v) => implies(eventuallyAlways(atX(v)), alwaysEventually(atX(1 - v)))),
      TautologyAndLeadsTo: and(implies(eventuallyAlways(atX(1)), alwaysEventually(atX(1))), leadsTo(atX(0), atX(1))),
    },
    deadlock: false,
    variants: {
      both: { properties: ['Both'], expect: { violates: 'Both' } },
      forall: { properties: ['Forall'], expect: { violates: 'Forall' } },
      'tautology-and-leads-to': { properties: ['TautologyAndLeadsTo'], expect: { violates: 'TautologyAndLeadsTo' } },
    },
  });
  const twoSwitches = defineSpec({
    name: 'two-switches',
    state: { x: int(0, 1), y: int(0, 1) },
    init: { x: 0, y: 0 },
    actions: {
      A: { when: (s) => s.x === 0, do: (s) => { s.x = 1; } },
      B: { when: (s) => s.y === 0, do: (s) => { s.y = 1; } },
    },
    temporal: { Both: and(implies(weakFair('A'), eventually((s: XY) => s.y === 1)), implies(weakFair('B'), eventually(atX(1)))) },
    deadlock: false,
    expect: { violates: 'Both' },
  });

  it('(H1 => F1) /\\ (H2 => F2) is violated by a behaviour where H1 holds and F1 fails, whatever H2', async () => {
    const both = await run(upOnce, 'both');
    expect([both.outcome, both.property, both.matchesExpectation]).toEqual(['temporal', 'Both', true]);
    // It stays at x = 0: <>[](x = 0) holds, []<>(x = 1) fails.
    expect(steps(both)).toEqual(['init']);
    const forall = await run(upOnce, 'forall');
    expect([forall.outcome, forall.property, forall.matchesExpectation]).toEqual(['temporal', 'Forall', true]);
  });

  it("a conjunct without hypotheses assumes none of its sibling's", async () => {
    const r = await run(upOnce, 'tautology-and-leads-to');
    expect([r.outcome, r.property, r.matchesExpectation]).toEqual(['temporal', 'TautologyAndLeadsTo', true]);
  });

  it("fairness in one conjunct's hypothesis is not assumed by the other", async () => {
    const r = await run(twoSwitches, 'default');
    expect([r.outcome, r.property, r.matchesExpectation]).toEqual(['temporal', 'Both', true]);
    // WF(A) holds on the behaviour that takes A and stutters; y stays 0.
    expect(steps(r)).toEqual(['init', 'A']);
    expect(r.lasso).toMatchObject({ fairness: [{ unit: 'WF(A)', how: 'never enabled' }] });
  });
});

/**
 * [](P => []Q), TLA+'s stability form: x counts 0..3 and falls back from 3 to 1, under WF_x(Next).
 * TLC: [](x = 2 => [](x >= 1)) holds; [](x = 2 => [](x >= 2)) is violated (0, 1, 2, 3, 1, then the
 * cycle 2, 3, 1).
 */
describe('conformance with TLC: [](P => []Q)', () => {
  type X = { x: number };
  const fallsBack = defineSpec({
    name: 'falls-back',
    state: { x: int(0, 3) },
    init: { x: 0 },
    actions: {
      up: { when: (s) => s.x < 3, do: (s) => { s.x += 1; } },
      back: { when: (s) => s.x === 3, do: (s) => { s.x = 1; } },
    },
    fairness: [weakFair(['up', 'back'])],
    temporal: {
      Holds: always(implies((s: X) => s.x === 2, always((s: X) => s.x >= 1))),
      Fails: always(implies((s: X) => s.x === 2, always((s: X) => s.x >= 2))),
    },
    variants: {
      holds: { properties: ['Holds'], expect: 'holds' },
      fails: { properties: ['Fails'], expect: { violates: 'Fails' } },
    },
  });

  it('holds where Q stays true from every P on, and is violated by a later state without Q', async () => {
    const holds = await run(fallsBack, 'holds');
    expect([holds.outcome, holds.matchesExpectation, holds.liveness?.holds]).toEqual(['ok', true, ['Holds']]);
    const fails = await run(fallsBack, 'fails');
    expect([fails.outcome, fails.property, fails.matchesExpectation]).toEqual(['temporal', 'Fails', true]);
    const xs = fails.trace!.map((t) => (t.state as X).x);
    // Up to 2 (P), then on to a state where x < 2.
    expect(xs.slice(0, 5)).toEqual([0, 1, 2, 3, 1]);
  });
});
