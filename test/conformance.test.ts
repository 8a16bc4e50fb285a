// Classic models from the TLA+ Examples repository, re-expressed: TLC's exact numbers.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import dieHard from '../specs/examples/die-hard.ts';
import peterson from '../specs/examples/peterson.ts';
import tcommit from '../specs/examples/tcommit.ts';
import twoPhase from '../specs/examples/two-phase.ts';

describe('conformance with TLC', () => {
  it('DieHard: big /= 4 is violated with a 7-state trace', async () => {
    const r = await checkModel(compileModel(dieHard, 'default'));
    expect(r.outcome).toBe('invariant');
    expect(r.property).toBe('NotSolved');
    expect(r.trace).toHaveLength(7);
    expect(r.trace!.at(-1)!.state).toEqual({ small: 3, big: 4 });
    expect(r.trace!.map((s) => s.action?.name ?? 'init')).toEqual([
      'init', 'FillBig', 'BigToSmall', 'EmptySmall', 'BigToSmall', 'FillBig', 'BigToSmall',
    ]);
  });

  it('DieHard without the invariant: 16 distinct states', async () => {
    const model = { ...compileModel(dieHard, 'default'), invariants: [] };
    const r = await checkModel(model);
    expect(r.outcome).toBe('ok');
    expect(r.stats.distinct).toBe(16);
    expect(r.stats.complete).toBe(true);
  });

  it('TCommit, RM = 3: 34 distinct, 94 generated, depth 7', async () => {
    const r = await checkModel(compileModel(tcommit, 'default'), { symmetry: false });
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 34, 94, 7]);
  });

  it('TwoPhase, RM = 3: 288 distinct, 1146 generated, depth 11', async () => {
    const r = await checkModel(compileModel(twoPhase, 'default'), { symmetry: false });
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 288, 1146, 11]);
  });

  it('Peterson: 42 distinct, 77 generated, depth 11', async () => {
    const r = await checkModel(compileModel(peterson, 'default'));
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 42, 77, 11]);
  });

  it('reports TLC-style statistics: nothing left on the queue and a collision estimate', async () => {
    const r = await checkModel(compileModel(peterson, 'default'));
    expect(r.stats.queue).toBe(0);
    expect(r.stats.collisionProbability).toBeCloseTo((42 * (77 - 42)) / 2 ** 64, 30);
  });
});
