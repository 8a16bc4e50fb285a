// Symmetry on whole specs: the distinct count with symmetry is the number of orbits of the full
// state space (counted by brute force without symmetry), and counterexamples found with symmetry
// are real executions of the spec, as short as without it.
import { describe, expect, it } from 'vitest';
import { checkModel, type CheckResult } from '../src/compile/check.ts';
import { compileModel, type Model } from '../src/compile/model.ts';
import { replayTrace } from '../checker/trace/replay.ts';
import { reachable, successors } from '../checker/symmetry/audit.ts';
import { bruteForceCanonicaliser } from '../checker/symmetry/canonicalise.ts';
import type { Spec } from '../src/spec.ts';
import type { ValueSet } from '../src/schema/index.ts';
import queuedLock from '../specs/examples/queued-lock.ts';
import refcountRace from '../specs/examples/refcount-race.ts';
import tcommit from '../specs/examples/tcommit.ts';
import twoPhase from '../specs/examples/two-phase.ts';
import voting from '../specs/examples/voting.ts';

/** The whole reachable space, without invariants to stop at. */
function everything(spec: Spec, variant: string): Model {
  return { ...compileModel(spec, variant), invariants: [] };
}

function orbits(model: Model): { states: number; orbits: number } {
  const { pool, complete } = reachable(model, 1_000_000);
  expect(complete).toBe(true);
  const canon = bruteForceCanonicaliser(model);
  const forms = new Set<string>();
  const c = new Int32Array(model.width);
  for (const v of pool) {
    canon(v, c);
    forms.add(c.join(','));
  }
  return { states: pool.length, orbits: forms.size };
}

describe('distinct states with symmetry = orbits of the full state space', () => {
  const cases: [string, Spec, string, number, number][] = [
    // spec, variant, reachable states, orbits
    ['tcommit', tcommit, 'default', 34, 13],
    ['two-phase', twoPhase, 'default', 288, 80],
    ['refcount-race atomic', refcountRace, 'atomic', 7, 4],
    ['refcount-race racy', refcountRace, 'racy', 15, 9],
    ['queued-lock hand-off', queuedLock, 'hand-off', 65, 5],
    ['queued-lock lost-wakeup', queuedLock, 'lost-wakeup', 215, 17],
    ['voting, ballots 0..1 (two scalarsets)', voting, 'ballots-0-1', 599, 77],
    ['voting, ballots 0..2', voting, 'ballots-0-2', 6752, 686],
  ];
  for (const [title, spec, variant, states, orbitCount] of cases) {
    it(`${title}: ${states} states, ${orbitCount} orbits`, async () => {
      const model = everything(spec, variant);
      expect(orbits(model)).toEqual({ states, orbits: orbitCount });
      const off = await checkModel(model, { symmetry: false, deadlock: false });
      const on = await checkModel(model, { symmetry: true, deadlock: false });
      expect([off.outcome, off.stats.distinct, off.stats.complete]).toEqual(['ok', states, true]);
      expect([on.outcome, on.stats.distinct, on.stats.complete]).toEqual(['ok', orbitCount, true]);
      // Symmetry never changes how deep the space goes.
      expect(on.stats.depth).toBe(off.stats.depth);
    });
  }
});

describe('Voting against TLC (TLA+ Examples)', () => {
  it('ballots 0..1 with symmetry over acceptors and values: TLC\'s 77 distinct states, depth 11', async () => {
    const r = await checkModel(compileModel(voting, 'ballots-0-1'));
    expect([r.outcome, r.stats.distinct, r.stats.depth, r.symmetryReduced]).toEqual(['ok', 77, 11, ['a', 'v']]);
  });

  it('ballots 0..2 without symmetry: TLC\'s 6752 distinct states, depth 16', async () => {
    const r = await checkModel(compileModel(voting, 'ballots-0-2'), { symmetry: false });
    expect([r.outcome, r.stats.distinct, r.stats.depth]).toEqual(['ok', 6752, 16]);
  });
});

/** Every step of the trace is a concrete successor of the step before, by the action it names. */
function expectRealExecution(model: Model, r: CheckResult): void {
  const trace = r.trace!;
  const encode = (s: object) => {
    const v = new Int32Array(model.width);
    model.codec.encode(s, v, 0, '');
    return v;
  };
  const initKeys = model.initial.map((s) => encode(s as object).join(','));
  expect(initKeys).toContain(encode(trace[0].state).join(','));
  for (let i = 1; i < trace.length; i++) {
    const from = encode(trace[i - 1].state);
    const to = encode(trace[i].state).join(',');
    const step = successors(model, from).find((st) => st.action === trace[i].action);
    expect(step?.next?.join(','), `step ${i + 1} (${trace[i].action?.label})`).toBe(to);
  }
}

describe('counterexamples under symmetry', () => {
  const cases: [string, () => Model, string, number][] = [
    ['refcount-race racy', () => compileModel(refcountRace, 'racy'), 'NoLeak', 5],
    ['queued-lock lost-wakeup', () => compileModel(queuedLock, 'lost-wakeup'), 'SleepersQueued', 4],
    [
      'two-phase, "no manager commits"',
      () => ({ ...compileModel(twoPhase, 'default'), invariants: [{ name: 'NoCommit', holds: (s) => Object.values(s.rmState as object).every((x) => x !== 'committed') }] }),
      'NoCommit',
      9,
    ],
    [
      'voting, "no value is ever chosen" (both scalarsets)',
      () => ({
        ...compileModel(voting, 'ballots-0-1'),
        invariants: [
          {
            name: 'NothingChosen',
            holds: (s) => {
              const votes = s.votes as Record<string, ValueSet<[number, string]>>;
              return ![0, 1].some((b) => ['v1', 'v2'].some((v) => Object.values(votes).filter((a) => a.has([b, v])).length >= 2));
            },
          },
        ],
      }),
      // Two acceptors raise maxBal to 0, then both vote for one value.
      'NothingChosen',
      5,
    ],
  ];
  for (const [title, make, property, length] of cases) {
    it(`${title}: ${length} states with symmetry on and off, each step a real successor`, async () => {
      const model = make();
      const on = await checkModel(model, { symmetry: true });
      const off = await checkModel(model, { symmetry: false });
      for (const r of [on, off]) {
        expect([r.outcome, r.property, r.trace?.length]).toEqual(['invariant', property, length]);
        expectRealExecution(model, r);
        // The trace validator (`interleave trace`) accepts it too.
        const replayed = replayTrace(model, r.trace!.map((st) => ({ state: st.state, action: st.action && { name: st.action.name, params: st.action.params } })));
        expect(replayed.ok).toBe(true);
        const inv = model.invariants.find((p) => p.name === property)!;
        expect(inv.holds(r.trace!.at(-1)!.state)).toBe(false);
      }
    });
  }
});
