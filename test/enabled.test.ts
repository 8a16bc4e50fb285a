// TLA+'s ENABLED as enabled(s, action?, params?): what it answers (guards, choice paths, parameters,
// processes), where it may be asked (invariants with and without views over the encoding, guards,
// liveness), and what a spec that asks it wrongly is told.
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { checkModel } from '../src/compile/check.ts';
import { formatTrace } from '../src/report/console.ts';
import { toITF } from '../src/report/itf.ts';
import { compileModel } from '../src/compile/model.ts';
import { always, choose, defineSpec, either, enabled, enumOf, eventually, int, mapOf, when, weakFair } from '../src/index.ts';
import { process } from '../src/process.ts';
import { recordBySearch } from '../checker/liveness/run.ts';

type S = { x: number; y: number };

/** x counts up to 3; Pick(k) moves y up by k + 1 while that stays at most 2, through an either whose other branch never yields. */
const counter = (invariants: Record<string, (s: S) => boolean>, extra: Record<string, unknown> = {}, incWhen = (s: S) => s.x < 3) =>
  defineSpec({
    name: 'counter',
    state: { x: int(0, 3), y: int(0, 3) },
    init: { x: 0, y: 0 },
    actions: {
      Inc: { when: (s) => incWhen(s), do: (s) => void s.x++ },
      Pick: {
        params: { k: int(0, 1) },
        do: (s, { k }) =>
          either(
            () => {
              when(s.y + k + 1 <= 2);
              s.y += k + 1;
            },
            () => when(false),
          ),
      },
    },
    invariants,
    deadlock: false,
    ...extra,
  });

const run = async (spec: ReturnType<typeof counter>) => {
  const r = await checkModel(compileModel(spec, 'default'));
  return [r.outcome, r.property, r.stats.distinct, r.trace?.length];
};

describe('enabled()', () => {
  it('outside a checked spec, says where it may be asked', () => {
    // This file compiles no spec before this test: nothing has made a spec the one asked.
    expect(() => enabled({ x: 0 })).toThrow("enabled() asks the spec being checked: it is only allowed inside a spec's invariants, properties, constraints, guards, recipes and init");
  });

  it('is false where the guard holds but no choice path yields, true where one does (Pick(k) only while y + k + 1 <= 2)', async () => {
    // 4 x-values and y in {0, 1, 2}: 12 states. Pick is enabled exactly where y <= 1 (Pick(0)).
    expect(await run(counter({ PickIffRoom: (s) => enabled(s, 'Pick') === s.y <= 1 }))).toEqual(['ok', undefined, 12, undefined]);
    // Pick(1) only where y = 0: it fails after one Pick(0) step (a trace of 2), once the search has found the 4 states within depth 2.
    expect(await run(counter({ Pick1: (s) => enabled(s, 'Pick', { k: 1 }) }))).toEqual(['invariant', 'Pick1', 4, 2]);
  });

  it('with no action named is ENABLED Next: false only where nothing can step', async () => {
    // x = 3 and y = 2 is the one state without a successor: one Pick(1) and 3 Inc steps reach it.
    expect(await run(counter({ Live: (s) => enabled(s) }))).toEqual(['invariant', 'Live', 12, 5]);
    expect(await run(counter({ Same: (s) => enabled(s) === (s.x < 3 || s.y < 2) }))).toEqual(['ok', undefined, 12, undefined]);
    expect(await run(counter({ Both: (s) => enabled(s, ['Inc', 'Pick']) === (s.x < 3 || s.y < 2) }))).toEqual(['ok', undefined, 12, undefined]);
  });

  it('runs recipes on copies: the state a predicate reads is not changed', async () => {
    // With one variable predicates read plain states; with two, views over the encoding.
    const one = defineSpec({
      name: 'one',
      state: { x: int(0, 2) },
      init: { x: 0 },
      actions: { Inc: { when: (s) => s.x < 2, do: (s) => void s.x++ } },
      invariants: { Unchanged: (s) => (enabled(s), s.x <= 2) },
      deadlock: false,
    });
    const r = await checkModel(compileModel(one, 'default'));
    expect([r.outcome, r.stats.distinct]).toEqual(['ok', 3]);
    expect(await run(counter({ Unchanged: (s) => enabled(s, 'Inc') === s.x < 3 && enabled(s, 'Pick') === s.y <= 1 }))).toEqual(['ok', undefined, 12, undefined]);
  });

  it('may be asked in a guard: Inc only while Pick cannot step', async () => {
    const priority = counter({}, {}, (s) => s.x < 3 && !enabled(s, 'Pick'));
    // y goes 0 -> 1 or 2 first (Pick(0) twice or Pick(1) once), then x counts: (0,0) (0,1) and 4 x-values at y = 2.
    const r = await checkModel(compileModel(priority, 'default'));
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 6, 7, 5]);
  });

  it('under fairness in a liveness property: <>(~ENABLED Next) holds with WF, fails without', async () => {
    const spec = counter({}, { temporal: { Ends: eventually((s: S) => !enabled(s)) }, fairness: [weakFair('Inc'), weakFair('Pick')] });
    const fair = await checkModel(compileModel(spec, 'default'));
    expect([fair.outcome, fair.liveness?.holds]).toEqual(['ok', ['Ends']]);
    const unfair = await checkModel(compileModel(defineSpec({ ...spec.def, fairness: [] }), 'default'));
    expect([unfair.outcome, unfair.property]).toEqual(['temporal', 'Ends']);
  });

  it('as []P with ENABLED, an invariant with the property\'s name', async () => {
    const spec = counter({}, { temporal: { Done: always((s: S) => enabled(s) || (s.x === 3 && s.y === 3)) } });
    const r = await checkModel(compileModel(spec, 'default'));
    expect([r.outcome, r.property, r.message, r.trace?.length]).toEqual(['invariant', 'Done', "invariant 'Done' is violated", 5]);
  });

  it('names what a spec asks wrongly: an action it lacks, a parameter no instance has, a loop of actions asking about each other', async () => {
    const nope = await checkModel(compileModel(counter({ Nope: (s) => enabled(s, 'Nope') }), 'default'));
    expect([nope.outcome, nope.message]).toEqual(['error', "invariant 'Nope' threw: enabled(s, 'Nope'): spec 'counter' has no action or process 'Nope' (actions: Inc, Pick)"]);
    const param = await checkModel(compileModel(counter({ P: (s) => enabled(s, 'Inc', { k: 0 }) }), 'default'));
    expect([param.outcome, param.message]).toEqual(['error', "invariant 'P' threw: enabled(): 'Inc' has no parameter 'k' (it has no parameters)"]);
    const anyParam = await checkModel(compileModel(counter({ P: (s) => enabled(s, undefined, { j: 0 }) }), 'default'));
    expect([anyParam.outcome, anyParam.message]).toEqual(['error', "invariant 'P' threw: enabled(): no action has a parameter 'j' (parameters: k)"]);
    // Pick's k is 0 or 1: asking about k = 7 is a mistake, not a false.
    const value = await checkModel(compileModel(counter({ P: (s) => enabled(s, 'Pick', { k: 7 }) }), 'default'));
    expect([value.outcome, value.message]).toEqual(['error', "invariant 'P' threw: enabled(s, 'Pick', { k: 7 }): no instance has these parameter values"]);
    const loop = counter({}, {}, (s) => enabled(s, 'Inc'));
    const r = await checkModel(compileModel(loop, 'default'));
    expect([r.outcome, r.message]).toEqual(['error', 'the guard of Inc threw: enabled() would never end: Inc -> Inc (the guard or recipe of each asks whether the next is enabled)']);
    // Inc asks about Pick, whose recipe asks about Inc.
    const mutual = defineSpec({
      name: 'mutual',
      state: { x: int(0, 1), y: int(0, 1) },
      init: { x: 0, y: 0 },
      actions: {
        Inc: { when: (s) => enabled(s, 'Pick'), do: (s) => void (s.x = 1) },
        Pick: { do: (s) => void (s.y = enabled(s, 'Inc') ? 1 : 0) },
      },
    });
    const m = await checkModel(compileModel(mutual, 'default'));
    expect([m.outcome, m.message]).toEqual(['error', 'the guard of Inc threw: enabled() would never end: Pick -> Inc -> Pick (the guard or recipe of each asks whether the next is enabled)']);
  });

  it('of a process names all its steps, and `self` picks one thread\'s', async () => {
    type P = { pc: Record<number, 'lock' | 'work' | 'Done'>; held: number };
    const Id = int(1, 2);
    const spec = defineSpec({
      name: 'threads',
      state: { pc: mapOf(Id, enumOf('lock', 'work', 'Done')), held: int(0, 2) },
      init: { pc: { 1: 'lock', 2: 'lock' }, held: 0 },
      actions: process<P>()('thread', Id, {
        pc: 'pc',
        steps: {
          lock: { when: (s) => s.held === 0, do: (s, self) => void (s.held = self) },
          work: { do: (s) => void (s.held = 0) },
        },
      }),
      invariants: {
        // A thread can step unless it is done or waits for the lock the other holds.
        Waits: (s: P) => [1, 2].every((t) => enabled(s, 'thread', { self: t }) === (s.pc[t] === 'work' || (s.pc[t] === 'lock' && s.held === 0))),
        OneStep: (s: P) => enabled(s, 'thread.work') === Object.values(s.pc).includes('work'),
      },
      deadlock: false,
    });
    // Both at lock; one working, the other at lock; one done, the other at lock, working or done: 8 states.
    const r = await checkModel(compileModel(spec, 'default'));
    expect([r.outcome, r.stats.distinct]).toEqual(['ok', 8]);
  });

  it('misnamed in a temporal property, ends the search at once with the error, not after the whole search', async () => {
    // 500 x 500 states: a search long enough to be stopped (it looks for a reason to stop every few hundredths of a second).
    const big = defineSpec({
      name: 'big',
      state: { x: int(0, 499), y: int(0, 499) },
      init: { x: 0, y: 0 },
      actions: { Inc: { when: (s) => s.x < 499, do: (s) => void s.x++ }, Up: { when: (s) => s.y < 499, do: (s) => void s.y++ } },
      temporal: { Typo: eventually((s: { x: number }) => !enabled(s, 'Incc')) },
      deadlock: false,
    });
    const r = await checkModel(compileModel(big, 'default'));
    expect([r.outcome, r.message, r.stopped]).toEqual([
      'error',
      "a temporal property's predicate threw while the liveness graph was recorded: enabled(s, 'Incc'): spec 'big' has no action or process 'Incc' (actions: Inc, Up); the search stopped there",
      undefined,
    ]);
    // Found at the first state: the search stopped long before the 250,000.
    expect(r.stats.distinct).toBeLessThan(250_000);
  });

  it('asks the spec whose code runs, not the one compiled last: a trace names the choices of a recipe that asks it', () => {
    const a = defineSpec({
      name: 'a',
      state: { x: int(0, 3), y: int(0, 1) },
      init: { x: 0, y: 0 },
      actions: {
        Go: { when: (s) => s.x === 0, do: (s) => void (s.x = choose([1, 2], 'v') + (enabled(s, 'Stop') ? 0 : 1)) },
        Stop: { when: (s) => s.y === 0, do: (s) => void (s.y = 1) },
      },
    });
    const b = defineSpec({ name: 'b', state: { z: int(0, 1) }, init: { z: 0 }, actions: { Flip: { do: (s) => void (s.z = 1 - s.z) } } });
    const model = compileModel(a, 'default');
    compileModel(b, 'default');
    const go = model.actions.find((x) => x.name === 'Go') as unknown as { explain: (pre: S, choice: number[]) => string[] };
    expect(go.explain({ x: 0, y: 0 }, [1])).toEqual(['v = 2']);
  });

  it('wherever spec code runs first, asks its own spec, not the one compiled after it', async () => {
    type XY = { x: number; y: number };
    // Each asks whether Stop can step, an action spec 'other' does not have: asking 'other' would throw.
    const stop = { when: (s: XY) => s.y === 0, do: (s: XY) => void (s.y = 1) };
    const parts: Record<string, Record<string, unknown>> = {
      invariant: { invariants: { I: (s: XY) => enabled(s, 'Stop') || s.y === 1 } },
      constraint: { constraint: (s: XY) => enabled(s, 'Stop') || s.y === 1 },
      guard: { actions: { Go: { when: (s: XY) => s.x === 0 && (enabled(s, 'Stop') || s.y === 1), do: (s: XY) => void (s.x = 1) }, Stop: stop } },
      recipe: { actions: { Go: { do: (s: XY) => void (s.x = enabled(s, 'Stop') ? 1 : 0) }, Stop: stop } },
      terminal: { actions: { Stop: { when: () => false, do: (s: XY) => void (s.y = 1) } }, terminal: (s: XY) => !enabled(s, 'Stop') },
      temporal: { temporal: { T: eventually((s: XY) => enabled(s, 'Stop')) } },
    };
    const other = defineSpec({ name: 'other', state: { z: int(0, 1) }, init: { z: 0 }, actions: { Flip: { do: (s) => void (s.z = 1 - s.z) } } });
    for (const [where, part] of Object.entries(parts)) {
      const spec = defineSpec({
        name: 'asks',
        state: { x: int(0, 1), y: int(0, 1) },
        init: { x: 0, y: 0 },
        actions: { Go: { when: (s: XY) => s.x === 0, do: (s: XY) => void (s.x = 1) }, Stop: stop },
        deadlock: false,
        ...part,
      } as never);
      const model = compileModel(spec, 'default');
      compileModel(other, 'default');
      const r = await checkModel(model);
      expect([where, r.outcome, r.message]).toEqual([where, 'ok', undefined]);
    }
    // `init` may keep the candidate states from which a step can be taken: Stop is enabled where y = 0.
    const candidates = [0, 1].flatMap((x) => [0, 1].map((y) => ({ x, y })));
    for (const init of [() => candidates.filter((s) => enabled(s, 'Stop')), function* () { for (const s of candidates) if (enabled(s, 'Stop')) yield s; }]) {
      const spec = defineSpec({ name: 'asks', state: { x: int(0, 1), y: int(0, 1) }, init, actions: { Stop: stop }, deadlock: false } as never);
      compileModel(other, 'default');
      const model = compileModel(spec, 'default');
      compileModel(other, 'default');
      const r = await checkModel(model);
      // Two initial states (y = 0), each with one successor (y = 1).
      expect([r.outcome, r.stats.distinct, r.stats.generated]).toEqual(['ok', 4, 4]);
    }
    // A report's trace expressions run after the search, maybe after another spec was compiled.
    const shown = defineSpec({
      name: 'shown',
      state: { x: int(0, 1), y: int(0, 1) },
      init: { x: 0, y: 0 },
      actions: { Go: { when: (s) => s.x === 0, do: (s) => void (s.x = 1) }, Stop: stop },
      invariants: { NoGo: (s) => s.x === 0 },
      trace: { show: { canStop: (s: XY) => enabled(s, 'Stop') } },
    });
    const r = await checkModel(compileModel(shown, 'default'));
    compileModel(other, 'default');
    expect(formatTrace(r, new Chalk({ level: 0 }))).toContain('canStop = true');
    expect(toITF(r).states.map((st) => (st['#meta'] as { derived?: Record<string, string> }).derived)).toEqual([{ canStop: 'true' }, { canStop: 'true' }]);
  });

  it('recorded by a search of its own (symmetry, worker threads), a temporal predicate that throws ends that search too', async () => {
    let guards = 0;
    const big = defineSpec({
      name: 'big',
      state: { x: int(0, 499), y: int(0, 499) },
      init: { x: 0, y: 0 },
      actions: { Inc: { when: (s) => (guards++, s.x < 499), do: (s) => void s.x++ }, Up: { when: (s) => s.y < 499, do: (s) => void s.y++ } },
      temporal: { Typo: eventually((s: { x: number }) => !enabled(s, 'Incc')) },
      deadlock: false,
    });
    const model = compileModel(big, 'default');
    await expect(recordBySearch(model, model.liveness!, {})).rejects.toThrow("enabled(s, 'Incc'): spec 'big' has no action or process 'Incc' (actions: Inc, Up)");
    // Each state expanded asks Inc's guard once: the search stopped long before the 250,000.
    expect(guards).toBeLessThan(250_000);
  });

  it('counts a choose over an empty set as no step, as \\E x \\in {} is false', async () => {
    const spec = defineSpec({
      name: 'empty-choice',
      state: { x: int(0, 3), seen: int(0, 1) },
      init: { x: 0, seen: 0 },
      actions: {
        Take: { do: (s) => void (s.x = choose([1, 2, 3].filter((v) => v > s.x + 1), 'v')) },
        Mark: { when: (s) => s.seen === 0, do: (s) => void (s.seen = 1) },
      },
      // Take can step only while some v > x + 1 exists: x <= 1.
      invariants: { TakeIffSmall: (s) => enabled(s, 'Take') === s.x <= 1 },
      deadlock: false,
    });
    const r = await checkModel(compileModel(spec, 'default'));
    expect([r.outcome, r.stats.distinct]).toEqual(['ok', 6]);
  });
});
