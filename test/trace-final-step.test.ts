// Under symmetry the search takes a trace's unstored last step (a type or action-property violation)
// from a representative state; the rebuilt trace must still end with a real step of the concrete run.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { replayTrace } from '../checker/trace/replay.ts';
import { defineSpec, int, mapOf, scalarset } from '../src/index.ts';

const T = scalarset('t', 2);
const twin = (hi: number, props: boolean) =>
  defineSpec({
    name: 'twin',
    state: { n: mapOf(T, int(0, hi)) },
    init: { n: { t1: 0, t2: 0 } },
    actions: { inc: { params: { t: T }, do: (s, { t }) => { s.n[t] += 1; } } },
    actionProperties: props ? { NoSecondStep: (_s, next) => !T.values.some((t) => next.n[t] === 2) } : {},
    deadlock: false,
  });

describe('the last step of a trace under symmetry', () => {
  it('an action-property violation ends with the step the concrete state takes', async () => {
    const model = compileModel(twin(2, true), 'default');
    const r = await checkModel(model, { symmetry: true });
    expect(r.trace!.map((s) => s.action?.label ?? 'init')).toEqual(['init', 'inc(t=t1)', 'inc(t=t1)']);
    expect(r.trace!.at(-1)!.state).toEqual({ n: { t1: 2, t2: 0 } });
    expect(replayTrace(model, r.trace!.map((s) => ({ state: s.state, action: s.action }))).ok).toBe(true);
  });

  it('a type violation likewise', async () => {
    const model = compileModel(twin(1, false), 'default');
    const r = await checkModel(model, { symmetry: true });
    expect(r.property).toBe('TypeOK');
    expect(r.trace!.map((s) => s.action?.label ?? 'init')).toEqual(['init', 'inc(t=t1)', 'inc(t=t1)']);
    expect(r.trace!.at(-1)!.state).toEqual({ n: { t1: 2, t2: 0 } });
  });
});
