// More models of the TLA+ Examples, re-expressed: TLC's distinct, generated and depth, with and
// without symmetry, TLC's verdicts on their temporal properties, and the shortest trace of a broken
// variant. Paxos keeps its messages as a set of records of four kinds; EWD687a lists PROPERTIES []P,
// which TLC checks as invariants; Chang-Roberts and ReadersWriters have liveness under fairness;
// SpanTree's and CoffeeCan's properties ask ENABLED; CoffeeCan's [][A]_can are action properties;
// MCLiveWriteThroughCache's are the internal memory's spec and fairness under a refinement mapping;
// bcastFolklore chooses a subset of a set of tuples in every step, and its ReliableChan is an `or`
// of <>[] properties and an always. EWD998 checks a refinement (TDSpec) with its fairness written
// out; KVsnap keeps sequences of records of transaction ids under symmetry; DiningPhilosophers and
// dijkstra-mutex are PlusCal processes with fairness per process.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import paxos, { make } from './fixtures/tla-examples/paxos.ts';
import ewd687a from './fixtures/tla-examples/ewd687a.ts';
import changRoberts from './fixtures/tla-examples/chang-roberts.ts';
import readersWriters from './fixtures/tla-examples/readers-writers.ts';
import spanningTree from './fixtures/tla-examples/spanning-tree.ts';
import coffeeCan from './fixtures/tla-examples/coffee-can.ts';
import liveWriteThroughCache from './fixtures/tla-examples/live-write-through-cache.ts';
import bcastFolklore from './fixtures/tla-examples/bcast-folklore.ts';
import ewd998 from './fixtures/tla-examples/ewd998.ts';
import cigaretteSmokers from './fixtures/tla-examples/cigarette-smokers.ts';
import prisoners from './fixtures/tla-examples/prisoners.ts';
import diningPhilosophers from './fixtures/tla-examples/dining-philosophers.ts';
import dijkstraMutex from './fixtures/tla-examples/dijkstra-mutex.ts';
import kvsnap from './fixtures/tla-examples/kvsnap.ts';
import { exitCodeOf } from '../src/cli/exit-codes.ts';

const counts = (r: Awaited<ReturnType<typeof checkModel>>) => [r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth];

describe('conformance with TLC: Paxos (3 acceptors, 2 values, ballots 0..1)', () => {
  it('without symmetry: 3,921 distinct, 23,563 generated, depth 17', async () => {
    expect(counts(await checkModel(compileModel(paxos, 'ok_b1'), { symmetry: false }))).toEqual(['ok', 3921, 23563, 17]);
  });

  it('symmetric acceptors (SYMMETRY Permutations(Acceptor)): 857 distinct, 5,190 generated, depth 17', async () => {
    expect(counts(await checkModel(compileModel(paxos, 'ok_b1')))).toEqual(['ok', 857, 5190, 17]);
  });

  it('symmetric acceptors and values: 443 distinct, 2,697 generated, depth 17', async () => {
    expect(counts(await checkModel(compileModel(make('paxos-av', true), 'ok_b1')))).toEqual(['ok', 443, 2697, 17]);
  });

  it('Phase2a ignoring the votes reported: Consistency is violated at depth 13, a 13-state trace, with and without symmetry', async () => {
    for (const symmetry of [false, true]) {
      const r = await checkModel(compileModel(paxos, 'any_b1'), { symmetry });
      expect([symmetry, r.outcome, r.property, r.stats.depth, r.trace?.length]).toEqual([symmetry, 'invariant', 'Consistency', 13, 13]);
    }
  });
});

describe('conformance with TLC: EWD687a (MCEWD687a: four processes, four edges, counters below 3)', () => {
  it('18,028 distinct, 177,171 generated, depth 27; DT2 holds, and the PROPERTIES []P are checked as invariants', async () => {
    const model = compileModel(ewd687a, 'default');
    expect(model.invariants.map((i) => i.name)).toEqual(['TypeOKRest', 'DT1Inv', 'CountersConsistent', 'TreeWithRoot']);
    expect(model.liveness?.properties.map((p) => p.name)).toEqual(['DT2']);
    const r = await checkModel(model);
    expect(counts(r)).toEqual(['ok', 18028, 177171, 27]);
    expect(r.liveness?.holds).toEqual(['DT2']);
  });

  it('without the restriction on acknowledging the parent edge, DT1Inv is violated with a 6-state trace', async () => {
    const r = await checkModel(compileModel(ewd687a, 'broken'));
    expect([r.outcome, r.property, r.trace?.length]).toEqual(['invariant', 'DT1Inv', 6]);
  });
});

describe('conformance with TLC: liveness under fairness', () => {
  it('Chang-Roberts (MCChangRoberts, N = 3): 137 distinct, 227 generated, depth 10; Liveness holds, and fails without fairness', async () => {
    const r = await checkModel(compileModel(changRoberts, 'default'));
    expect([...counts(r), r.liveness?.holds]).toEqual(['ok', 137, 227, 10, ['Liveness']]);
    const unfair = await checkModel(compileModel(changRoberts, 'unfair'));
    expect([unfair.outcome, unfair.property]).toEqual(['temporal', 'Liveness']);
    const broken = await checkModel(compileModel(changRoberts, 'broken'));
    expect([broken.outcome, broken.property, broken.trace?.length]).toEqual(['invariant', 'Correctness', 7]);
  });

  it('ReadersWriters (MC, three actors): 21,527 distinct, 59,674 generated, depth 13; Liveness holds, and fails without WF(Stop)', async () => {
    const r = await checkModel(compileModel(readersWriters, 'default'));
    expect([...counts(r), r.liveness?.holds]).toEqual(['ok', 21527, 59674, 13, ['Liveness']]);
    const unfair = await checkModel(compileModel(readersWriters, 'no-wf-stop'));
    expect([unfair.outcome, unfair.property]).toEqual(['temporal', 'Liveness']);
    const broken = await checkModel(compileModel(readersWriters, 'broken'));
    expect([broken.outcome, broken.property, broken.trace?.length]).toEqual(['invariant', 'Safety', 5]);
  });

  it('SpanTree (SpanTree.cfg, 5 nodes): 1,236 distinct, 10,278 generated, depth 5; ENABLED Next in both properties', async () => {
    const r = await checkModel(compileModel(spanningTree, 'default'));
    // Safety == []((~ENABLED Next) => PostCondition) is checked as an invariant, Liveness == <>(~ENABLED Next) under WF(Next).
    expect([...counts(r), r.liveness?.holds]).toEqual(['ok', 1236, 10278, 5, ['Liveness']]);
    const broken = await checkModel(compileModel(spanningTree, 'broken'));
    expect([broken.outcome, broken.property, broken.trace?.length]).toEqual(['invariant', 'Safety', 5]);
    // Without fairness the behaviour may stop at once: a lasso of the initial state.
    const unfair = await checkModel(compileModel(spanningTree, 'unfair'));
    expect([unfair.outcome, unfair.property, unfair.trace?.length]).toEqual(['temporal', 'Liveness', 1]);
  });

  it('CoffeeCan (CoffeeCan100Beans.cfg): 5,150 distinct, 20,002 generated, depth 1; <>(ENABLED Termination), and [][A]_can properties as action properties', async () => {
    const r = await checkModel(compileModel(coffeeCan, 'default'));
    expect([...counts(r), r.liveness?.holds]).toEqual(['ok', 5150, 20002, 1, ['EventuallyTerminates', 'TerminationHypothesis']]);
    const unfair = await checkModel(compileModel(coffeeCan, 'unfair'));
    expect([unfair.outcome, unfair.property, unfair.trace?.length]).toEqual(['temporal', 'EventuallyTerminates', 1]);
    // TLC: LoopInvariant and MonotonicDecrease violated by one step of the broken PickSameColorWhite.
    for (const [variant, property] of [['white1', 'LoopInvariant'], ['black3', 'MonotonicDecrease']]) {
      const bad = await checkModel(compileModel(coffeeCan, variant));
      expect([bad.outcome, bad.property, bad.message, bad.trace?.length]).toEqual(['action-property', property, `action property '${property}' is violated by PickSameColorWhite`, 2]);
    }
  });
});

describe('conformance with TLC: MCLiveWriteThroughCache (Proc = {p1, p2}, Adr = {a1}, Val = {v1, v2}, QLen = 1)', () => {
  it('5,196 distinct, 28,170 generated, depth 18; LM_Inner_LISpec and LM_Inner_Liveness, LiveInternalMemory under the refinement mapping, hold', async () => {
    const model = compileModel(liveWriteThroughCache, 'default');
    expect(model.liveness?.properties.map((p) => p.name)).toEqual(['LM_Inner_LISpec', 'LM_Inner_Liveness']);
    const r = await checkModel(model);
    expect([...counts(r), r.liveness?.holds, exitCodeOf(r)]).toEqual(['ok', 5196, 28170, 18, ['LM_Inner_LISpec', 'LM_Inner_Liveness'], 0]);
  });

  it('without WF_vars(Rsp(p) \\/ DoRd(p)), LM_Inner_Liveness is violated (TLC: a 4-state trace that then stutters, exit 13)', async () => {
    const r = await checkModel(compileModel(liveWriteThroughCache, 'no-wf-rsp-dord'));
    expect([r.outcome, r.property, r.trace?.length, exitCodeOf(r)]).toEqual(['temporal', 'LM_Inner_Liveness', 4, 13]);
    // The last state stutters for ever: the lasso goes back to itself with no action.
    expect([r.lasso?.loop, r.lasso?.back]).toEqual([3, undefined]);
  });

  it('with WF in place of SF_vars(RdMiss(p) \\/ DoWr(p)), LM_Inner_Liveness is violated (TLC: exit 13)', async () => {
    const r = await checkModel(compileModel(liveWriteThroughCache, 'wf-rdmiss-dowr'));
    expect([r.outcome, r.property, exitCodeOf(r)]).toEqual(['temporal', 'LM_Inner_Liveness', 13]);
  });
});

describe('conformance with TLC: bcastFolklore (N = 3, T = 1, F = 1)', () => {
  const check = (variant: string) => checkModel(compileModel(bcastFolklore, variant, undefined, { constants: { N: 3 } }));

  it('3,700 distinct, 36,224 generated, depth 7; UnforgLtl, CorrLtl, RelayLtl and ReliableChan hold under WF', async () => {
    const r = await check('default');
    expect([...counts(r), r.liveness?.holds, exitCodeOf(r)]).toEqual(['ok', 3700, 36224, 7, ['UnforgLtl', 'CorrLtl', 'RelayLtl', 'ReliableChan'], 0]);
  });

  it('without fairness, CorrLtl, RelayLtl and ReliableChan are violated and UnforgLtl holds, as in TLC', async () => {
    const r = await check('unfair');
    expect([...counts(r), r.property, r.liveness?.holds, exitCodeOf(r)]).toEqual(['temporal', 3700, 36224, 7, 'CorrLtl', ['UnforgLtl'], 13]);
  });

  it('UponAccept without rcvd[self] # {}: 36,800 generated, and UnforgLtl alone is violated', async () => {
    const r = await check('acceptNoMsg');
    expect([...counts(r), r.property, r.liveness?.holds, exitCodeOf(r)]).toEqual(['temporal', 3700, 36800, 7, 'UnforgLtl', ['CorrLtl', 'RelayLtl', 'ReliableChan'], 13]);
  });

  it('UponCrash without nCrashed < F: a 4-state trace to a deadlock; without the deadlock check, 6,859 distinct, 67,079 generated, and CorrLtl alone is violated', async () => {
    const dead = await check('crashAny');
    expect([dead.outcome, dead.trace?.length, exitCodeOf(dead)]).toEqual(['deadlock', 4, 11]);
    const r = await check('crashAny-nodeadlock');
    expect([...counts(r), r.property, r.liveness?.holds, exitCodeOf(r)]).toEqual(['temporal', 6859, 67079, 7, 'CorrLtl', ['UnforgLtl', 'RelayLtl', 'ReliableChan'], 13]);
  });

  it('Unforg as an invariant of Spec is violated by a 2-state trace; from InitNoBcast, 4 distinct, 13 generated, depth 2', async () => {
    const inv = await check('unforg-inv');
    expect([inv.outcome, inv.property, inv.trace?.length, inv.stats.depth, exitCodeOf(inv)]).toEqual(['invariant', 'Unforg', 2, 2, 12]);
    expect(counts(await check('nobcast'))).toEqual(['ok', 4, 13, 2]);
  });
});

describe('conformance with TLC: termination detection, puzzles, philosophers, snapshot isolation', () => {
  it('EWD998 (EWD998.cfg at N = 2): 6,876 distinct, 33,664 generated, depth 28; Liveness and the refinement TDSpec hold, and fail as TLC says when broken', async () => {
    const r = await checkModel(compileModel(ewd998, 'default'));
    expect([...counts(r), r.liveness?.holds]).toEqual(['ok', 6876, 33664, 28, ['Liveness', 'TDSpec']]);
    // A message received without activating its node: TDSpec's [][TD!Next]_TDvars fails on the third state.
    const noActivate = await checkModel(compileModel(ewd998, 'noActivate'));
    expect([noActivate.outcome, noActivate.property, noActivate.trace?.length]).toEqual(['action-property', 'TDSpec', 3]);
    const unfair = await checkModel(compileModel(ewd998, 'unfair'));
    expect([unfair.outcome, unfair.property]).toEqual(['temporal', 'Liveness']);
  });

  it('CigaretteSmokers (6 distinct, 15 generated, depth 2) and Prisoners (214, 860, 14; Safety and Liveness hold)', async () => {
    expect(counts(await checkModel(compileModel(cigaretteSmokers, 'default')))).toEqual(['ok', 6, 15, 2]);
    const p = await checkModel(compileModel(prisoners, 'default'));
    expect([...counts(p), p.liveness?.holds]).toEqual(['ok', 214, 860, 14, ['Liveness']]);
    // Done two counts early: TLC's 8-state trace to a state where a prisoner never switched.
    const early = await checkModel(compileModel(prisoners, 'doneEarly'));
    expect([early.outcome, early.property, early.trace?.length]).toEqual(['invariant', 'Safety', 8]);
    const counterOnly = await checkModel(compileModel(prisoners, 'counterFairOnly'));
    expect([counterOnly.outcome, counterOnly.property]).toEqual(['temporal', 'Liveness']);
  });

  it('DiningPhilosophers (NP = 5): 67 distinct, 336 generated, depth 29; NobodyStarves holds under fair processes, not without', async () => {
    const r = await checkModel(compileModel(diningPhilosophers, 'default'));
    expect([...counts(r), r.liveness?.holds]).toEqual(['ok', 67, 336, 29, ['NobodyStarves']]);
    const unfair = await checkModel(compileModel(diningPhilosophers, 'unfair'));
    expect([unfair.outcome, unfair.property]).toEqual(['temporal', 'NobodyStarves']);
  });

  it("dijkstra-mutex (MC.cfg, three processes, LSpec): 90,882 distinct, 282,810 generated, depth 54; DeadlockFreedom holds, StarvationFree does not under Spec", async () => {
    const r = await checkModel(compileModel(dijkstraMutex, 'LSpec'));
    expect([...counts(r), r.liveness?.holds]).toEqual(['ok', 90882, 282810, 54, ['DeadlockFreedom']]);
    const starving = await checkModel(compileModel(dijkstraMutex, 'Spec-StarvationFree'));
    expect([starving.outcome, starving.property]).toEqual(['temporal', 'StarvationFree']);
  });

  it('KVsnap (MCKVsnap.cfg, SYMMETRY over three transactions): 32,293 distinct, 63,082 generated, depth 13; Serialization fails with a 9-state write skew', async () => {
    const r = await checkModel(compileModel(kvsnap, 'MCKVsnap'));
    expect([...counts(r), r.liveness?.holds]).toEqual(['ok', 32293, 63082, 13, ['Termination']]);
    const skew = await checkModel(compileModel(kvsnap, 'serializability'));
    expect([skew.outcome, skew.property, skew.stats.depth, skew.trace?.length]).toEqual(['invariant', 'Serialization', 9, 9]);
  });
});
