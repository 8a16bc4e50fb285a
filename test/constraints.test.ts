// TLC's constraint semantics: a successor the state constraint prunes is not stored, but its
// invariants are checked, and it need not fit its type; so are those of initial states the
// constraint rejects. Only stored states must fit the schema.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { simulate } from '../src/compile/simulate.ts';
import { loadSpec } from '../src/load.ts';
import { scratch, writeSpec } from './helpers.ts';

const dir = scratch();
async function model(name: string, source: string) {
  const file = writeSpec(dir, name, source);
  return compileModel((await loadSpec(file)).spec, 'default', file);
}

describe("TLC's constraint semantics", () => {
  it('a queue declared seqOf(Msg, 2) under the constraint q.length <= 2 holds with 3 states (the pruned successor of length 3 need not fit)', async () => {
    const m = await model('queue.ts', `
      import { defineSpec, enumOf, seqOf } from 'interleave';
      const Msg = enumOf('m');
      export default defineSpec({
        name: 'queue',
        state: { q: seqOf(Msg, 2) },
        init: { q: [] },
        actions: { send: { do: (s) => { s.q.push('m'); } } },
        constraint: (s) => s.q.length <= 2,
        invariants: { Short: (s) => s.q.length <= 3 },
      });`);
    for (const workers of [1, 2, 3]) {
      const r = await checkModel(m, { workers });
      // TLC: 3 distinct states, 4 generated (the initial state and three sends, the last one pruned).
      expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 3, 4, 3]);
    }
  });

  it('an invariant broken only by a pruned successor fails, with a 3-state trace ending in it', async () => {
    const m = await model('x.ts', `
      import { defineSpec, int } from 'interleave';
      export default defineSpec({
        name: 'x',
        state: { x: int(0, 3) },
        init: { x: 0 },
        actions: { inc: { when: (s) => s.x < 3, do: (s) => { s.x += 1; } } },
        constraint: (s) => s.x <= 1,
        invariants: { NotTwo: (s) => s.x !== 2 },
      });`);
    for (const workers of [1, 2, 3]) {
      const r = await checkModel(m, { workers });
      expect([r.outcome, r.property, r.message, r.trace?.map((t) => t.state.x)]).toEqual(['invariant', 'NotTwo', "invariant 'NotTwo' is violated", [0, 1, 2]]);
      expect(r.trace!.at(-1)!.action?.label).toBe('inc');
    }
    const walk = simulate(m, { seed: 1, runs: 1, steps: 10 });
    expect([walk.outcome, walk.property, walk.trace?.length]).toEqual(['invariant', 'NotTwo', 3]);
  });

  it("counts the depth as TLC does when the bad successor is outside a constraint: it is not stored, so it adds no level", async () => {
    // TLC on the same module: x' = x + 1 while x < 5, CONSTRAINT x <= 2, INVARIANT x # 3: a 4-state
    // trace, 4 states generated, 3 distinct, depth 3; with ACTION_CONSTRAINT x' # 2 and INVARIANT
    // x # 2: a 3-state trace, 3 generated, 2 distinct, depth 2.
    const byState = await model('by-state.ts', `
      import { defineSpec, int } from 'interleave';
      export default defineSpec({
        name: 'by-state',
        state: { x: int(0, 5) },
        init: { x: 0 },
        actions: { inc: { when: (s) => s.x < 5, do: (s) => { s.x += 1; } } },
        constraint: (s) => s.x <= 2,
        invariants: { NotThree: (s) => s.x !== 3 },
      });`);
    const byStep = await model('by-step.ts', `
      import { defineSpec, int } from 'interleave';
      export default defineSpec({
        name: 'by-step',
        state: { x: int(0, 5) },
        init: { x: 0 },
        actions: { inc: { when: (s) => s.x < 5, do: (s) => { s.x += 1; } } },
        actionConstraint: (s, t) => t.x !== 2,
        invariants: { NotTwo: (s) => s.x !== 2 },
      });`);
    for (const workers of [1, 2]) {
      const a = await checkModel(byState, { workers });
      expect([a.property, a.trace?.length, a.stats.generated, a.stats.distinct, a.stats.depth]).toEqual(['NotThree', 4, 4, 3, 3]);
      const b = await checkModel(byStep, { workers });
      expect([b.property, b.trace?.length, b.stats.generated, b.stats.distinct, b.stats.depth]).toEqual(['NotTwo', 3, 3, 2, 2]);
    }
  });

  it('an initial state the constraint rejects still has its invariants checked', async () => {
    const m = await model('init.ts', `
      import { defineSpec, int } from 'interleave';
      export default defineSpec({
        name: 'init',
        state: { x: int(0, 3) },
        init: [{ x: 0 }, { x: 3 }],
        actions: { stay: { do: () => {} } },
        constraint: (s) => s.x < 3,
        invariants: { Small: (s) => s.x < 3 },
      });`);
    const r = await checkModel(m);
    expect([r.outcome, r.property, r.trace?.map((t) => t.state.x), r.stats.distinct]).toEqual(['invariant', 'Small', [3], 1]);
  });
});
