// Corners of the engine's semantics: stuttering steps, predicates that are not booleans, recipes
// that return the wrong thing, and violations met in a symmetry representative but reported on
// the concrete trace.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { defineSpec, int, mapOf, scalarset, seqOf, type Spec } from '../src/index.ts';
import stuttering from './fixtures/stuttering.ts';

const T = scalarset('t', 3);
type C = { c: Record<string, number> };
const threads = ({ unguarded, ...extra }: Record<string, unknown>) =>
  defineSpec({
    name: 'threads',
    state: { c: mapOf(T, int(0, 2)) },
    init: { c: { t1: 0, t2: 0, t3: 0 } },
    actions: {
      inc: {
        params: { t: T },
        when: (s: C, { t }: { t: string }) => s.c[t] < 2 || unguarded === true,
        do: (s: C, { t }: { t: string }) => { s.c[t]++; },
      },
    },
    deadlock: false,
    ...extra,
  } as never) as Spec;

const run = (spec: Spec, symmetry = true) => checkModel(compileModel(spec, 'default'), { symmetry });

describe('violations under symmetry are stated for the concrete trace', () => {
  it('a TypeOK step names the action and the path that the trace shows', async () => {
    const r = await run(threads({ unguarded: true }));
    const last = r.trace!.at(-1)!;
    const t = last.action!.params.t as string;
    expect(r.message).toBe(`inc(t=${t}) leaves the type: c[${t}] = 3 is outside int(0, 2)`);
    expect((last.state.c as Record<string, number>)[t]).toBe(3);
    expect(r.trace).toHaveLength(4);
    expect(r.stats.depth).toBe(4);
  });

  it('an exception names the action that throws from the trace\'s last state', async () => {
    const spec = threads({
      actions: {
        inc: { params: { t: T }, do: (s: { c: Record<string, number> }, { t }: { t: string }) => { if (s.c[t] === 2) throw new Error(`boom at ${t}`); s.c[t]++; } },
      },
    });
    const r = await run(spec);
    const last = r.trace!.at(-1)!.state.c as Record<string, number>;
    const t = r.violation!.step!.action!.params.t as string;
    expect(r.outcome).toBe('error');
    expect(last[t]).toBe(2);
    expect(r.message).toBe(`the recipe of inc(t=${t}) threw: boom at ${t}`);
  });

  it('an action property names the action of the trace\'s last step', async () => {
    const r = await run(threads({ actionProperties: { StaysBelow2: (_s: unknown, n: { c: Record<string, number> }) => Object.values(n.c).every((v) => v < 2) } }));
    const last = r.trace!.at(-1)!;
    expect(r.message).toBe(`action property 'StaysBelow2' is violated by ${last.action!.label}`);
    expect((last.state.c as Record<string, number>)[last.action!.params.t as string]).toBe(2);
  });
});

describe('engine semantics', () => {
  it('a step that changes nothing satisfies every action property ([][P]_vars)', async () => {
    const r = await run(stuttering);
    expect([r.outcome, r.stats.distinct, r.stats.generated]).toEqual(['ok', 3, 6]);
  });

  it('an invariant or guard that does not return a boolean is an error in the spec (exit 75 class)', async () => {
    const inv = await run(threads({ invariants: { Small: (s: { c: Record<string, number> }) => { s.c.t1 < 3; } } }));
    expect([inv.outcome, inv.message]).toEqual(['error', "invariant 'Small' threw: TypeError: it returned undefined, not a boolean (a missing return?)"]);
    const guard = await run(threads({ actions: { inc: { params: { t: T }, when: () => 1, do: () => {} } } }));
    expect([guard.outcome, guard.message]).toEqual(['error', 'the guard of inc(t=t1) threw: TypeError: it returned 1, not a boolean']);
  });

  it('a recipe that returns a value other than a state is an error naming the likely slip', async () => {
    const spec = defineSpec({ name: 'expr', state: { x: int(0, 2) }, init: { x: 0 }, actions: { bump: { do: (s) => (s.x = s.x + 1) as never } } });
    const r = await run(spec);
    expect(r.outcome).toBe('error');
    expect(r.message).toContain('the recipe of bump is wrong: it returned 1; a recipe mutates its draft and returns nothing');
  });

  it('an exception in an action property shows the step it judged', async () => {
    const spec = defineSpec({
      name: 'judge',
      state: { x: int(0, 2) },
      init: { x: 0 },
      actions: { grow: { when: (s) => s.x < 2, do: (s) => { s.x++; } } },
      actionProperties: { Odd: (_s, t) => { if (t.x === 2) throw new Error('cannot judge'); return true; } },
      deadlock: false,
    });
    const r = await run(spec);
    expect(r.message).toBe("action property 'Odd' after grow threw: cannot judge");
    expect(r.trace!.map((s) => s.state.x)).toEqual([0, 1, 2]);
  });

  it('states left on the queue do not count the state being expanded', async () => {
    const spec = defineSpec({ name: 'stuck', state: { x: int(0, 1) }, init: { x: 0 }, actions: { go: { when: (s) => s.x < 1, do: (s) => { s.x++; } } } });
    const r = await run(spec);
    expect([r.outcome, r.stats.queue, r.stats.depth, r.trace?.length]).toEqual(['deadlock', 0, 2, 2]);
  });
});

describe('a guard that reads no parameter', () => {
  // A queue of at most 3 values from 0..2: put(v) for each v, with the guard given.
  const calls = { n: 0 };
  const queue = (when: (...args: any[]) => unknown) =>
    defineSpec({
      name: 'queue',
      state: { q: seqOf(int(0, 2), 3) },
      init: { q: [] as number[] },
      actions: {
        put: { params: { v: int(0, 2) }, when: when as (s: { q: number[] }) => boolean, do: (s: { q: number[] }, { v }: { v: number }) => { s.q.push(v); } },
        get: { when: (s: { q: number[] }) => s.q.length > 0, do: (s: { q: number[] }) => { s.q.shift(); } },
      },
      deadlock: false,
    });
  const asked = async (when: (...args: any[]) => unknown) => {
    const model = compileModel(queue(when), 'default');
    calls.n = 0;
    const r = await checkModel(model, { workers: 1 });
    // 1 + 3 + 9 + 27 queues, each expanded once: the guard is asked there once, or once per instance.
    expect([r.outcome, r.stats.distinct, r.stats.generated]).toEqual(['ok', 40, 79]);
    return calls.n;
  };

  it('is asked once per state for all the instances of its action', async () => {
    expect(await asked((s: { q: number[] }) => (calls.n++, s.q.length < 3))).toBe(40);
    expect(await asked(function (s: { q: number[] }) { calls.n++; return s.q.length < 3; })).toBe(40);
  });

  it('is asked for each instance when it may read them: a second parameter, a default, a rest, `arguments`', async () => {
    expect(await asked((s: { q: number[] }, p: { v: number }) => (calls.n++, s.q.length < 3 && p.v >= 0))).toBe(120);
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    expect(await asked((s: { q: number[] }, p = { v: 0 }) => (calls.n++, s.q.length < 3))).toBe(120);
    expect(await asked((...a: any[]) => (calls.n++, a[0].q.length < 3))).toBe(120);
    expect(await asked(function (s: { q: number[] }) { calls.n++; return s.q.length < 3 && arguments.length === 3; })).toBe(120);
  });
});
