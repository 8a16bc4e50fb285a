// The spec language's semantics, each pinned by an exact count or trace.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { bool, defineSpec, enumOf, type InferShape, int, mapOf, process, scalarset, type Spec } from '../src/index.ts';
import refcountRace from '../specs/examples/refcount-race.ts';

const counter = (extra: object = {}) =>
  defineSpec({
    name: 'counter',
    constants: { step: 1 },
    state: { n: int(0, 9) },
    init: [{ n: 0 }, { n: 5 }],
    actions: { inc: { when: (s) => s.n < 9, do: (s, _p, c) => { s.n = Math.min(9, s.n + c.step); } } },
    deadlock: false,
    ...extra,
  });

const run = (spec: Spec, variant = 'default') => checkModel(compileModel(spec, variant));

/** The message of what `f` throws, or 'no error'. */
function thrownBy(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('spec language', () => {
  it('a key the language does not know, in the spec, an action or a variant, is a spec error naming it', () => {
    const known = (what: string) => expect(what).toMatch(/ \(known: [a-z, A-Z]+\)$/);
    const spec = thrownBy(() => counter({ invariant: { Small: () => true } } as object));
    expect(spec.split(' (known')[0]).toBe("spec 'counter' has a key Interleave does not know: 'invariant'");
    known(spec);
    const action = thrownBy(() =>
      defineSpec({ name: 'a', state: { n: int(0, 1) }, init: { n: 0 }, actions: { inc: { guard: () => false, do: (s: { n: number }) => { s.n = 1; } } as never } }),
    );
    expect(action).toBe("spec 'a': action 'inc' has a key Interleave does not know: 'guard' (known: params, when, do, process, actor, step, pc, fair)");
    const variant = thrownBy(() => counter({ variants: { small: { constraint: () => true, expect: 'holds' } as never } }));
    expect(variant).toBe(
      "spec 'counter': variant 'small' has a key Interleave does not know: 'constraint' (known: description, constants, expect, deadlock, properties, fairness, starvation, finding, bounds)",
    );
  });

  it('an expectation the variant can never meet is a spec error saying why', () => {
    const withVariant = (v: object) => thrownBy(() => counter({ invariants: { Small: () => true, Tiny: () => true }, variants: { v } } as object));
    expect(withVariant({ deadlock: false, expect: { violates: 'deadlock' } })).toBe("spec 'counter', variant 'v': expects a deadlock, but does not check for one (deadlock: false)");
    expect(withVariant({ properties: ['Small'], expect: { violates: 'Tiny' } })).toBe("spec 'counter', variant 'v': expects a violation of 'Tiny', which it does not check (it checks Small)");
    expect(withVariant({ expect: { violates: [] } })).toBe("spec 'counter', variant 'v': expects a violation of no property (name one, or expect 'holds')");
    expect(withVariant({ properties: ['Small'], expect: { violates: 'TypeOK' } })).toBe('no error');
  });

  it('explores from every initial state', async () => {
    const r = await run(counter());
    expect([r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual([10, 11, 5]);
  });

  it('a constraint keeps states outside it from being counted or explored, as TLC does', async () => {
    const r = await run(counter({ constraint: (s: { n: number }) => s.n <= 6 }));
    expect([r.stats.distinct, r.stats.generated]).toEqual([7, 9]);
  });

  it('variants change constants; each has its own expectation', async () => {
    const spec = defineSpec({
      name: 'steps',
      constants: { step: 1 },
      state: { n: int(0, 4) },
      init: { n: 0 },
      actions: { inc: { when: (s) => s.n < 4, do: (s, _p, c) => { s.n += c.step; } } },
      deadlock: false,
      variants: { one: { expect: 'holds' }, three: { constants: { step: 3 }, expect: { violates: 'TypeOK' } } },
    });
    expect(spec.variantNames).toEqual(['one', 'three']);
    const one = await run(spec, 'one');
    expect([one.outcome, one.stats.distinct, one.matchesExpectation]).toEqual(['ok', 5, true]);
    const three = await run(spec, 'three');
    expect([three.outcome, three.property, three.trace?.length, three.matchesExpectation]).toEqual(['invariant', 'TypeOK', 3, true]);
    expect(three.message).toBe('inc leaves the type: n = 6 is outside int(0, 4)');
  });

  it('a recipe may return the next state instead of mutating the draft', async () => {
    const spec = defineSpec({
      name: 'swap',
      state: { a: bool(), b: bool() },
      init: { a: true, b: false },
      actions: { swap: { do: (s) => ({ a: s.b, b: s.a }) } },
    });
    const r = await run(spec);
    expect([r.outcome, r.stats.distinct, r.stats.generated]).toEqual(['ok', 2, 3]);
  });

  it('terminal states are not deadlocks; other stuck states are', async () => {
    const spec = (terminal?: (s: { n: number }) => boolean) =>
      defineSpec({ name: 'stop', state: { n: int(0, 2) }, init: { n: 0 }, actions: { inc: { when: (s) => s.n < 2, do: (s) => { s.n++; } } }, terminal });
    expect((await run(spec((s) => s.n === 2))).outcome).toBe('ok');
    const stuck = await run(spec((s) => s.n === 1));
    expect([stuck.outcome, stuck.trace?.length]).toEqual(['deadlock', 3]);
  });

  it('processes: one action per (step, id), enabled at its label, with goto and fall-through', async () => {
    const T = scalarset('t', 2);
    const state = { pc: mapOf(T, enumOf('a', 'b', 'c', 'Done')), hits: int(0, 4) };
    type S = InferShape<typeof state>;
    const worker = process<S>()('worker', T, {
      pc: 'pc',
      steps: {
        a: { do: (s) => { s.hits++; } },
        b: { when: (s) => s.hits >= 2, do: (s) => (s.hits < 4 ? 'c' : 'Done') },
        c: { do: (s) => { s.hits++; }, next: 'Done' },
      },
    });
    expect(Object.keys(worker)).toEqual(['worker.a', 'worker.b', 'worker.c']);
    const spec = defineSpec({
      name: 'procs',
      state,
      init: { pc: { t1: 'a', t2: 'a' }, hits: 0 },
      actions: worker,
      terminal: (s) => T.values.every((t) => s.pc[t] === 'Done'),
      symmetry: false,
    });
    const model = compileModel(spec, 'default');
    expect(model.actions.map((a) => a.label)).toEqual([
      'worker.a(self=t1)', 'worker.a(self=t2)', 'worker.b(self=t1)', 'worker.b(self=t2)', 'worker.c(self=t1)', 'worker.c(self=t2)',
    ]);
    expect(model.actions.every((a) => a.process === 'worker')).toBe(true);
    const r = await checkModel(model);
    expect([r.outcome, r.stats.distinct]).toEqual(['ok', 12]);
  });

  it('symmetry reduces interchangeable threads and traces stay the same length', async () => {
    const on = await checkModel(compileModel(refcountRace, 'racy'), { symmetry: true });
    const off = await checkModel(compileModel(refcountRace, 'racy'), { symmetry: false });
    expect(on.symmetryReduced).toEqual(['t']);
    expect(off.symmetryReduced).toEqual([]);
    expect([on.stats.distinct, off.stats.distinct]).toEqual([8, 13]);
    expect(on.trace?.length).toBe(off.trace?.length);
  });
});
