// Classic models from the TLA+ Examples repository, re-expressed: TLC's exact numbers.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import dieHard from '../specs/examples/die-hard.ts';
import peterson from '../specs/examples/peterson.ts';
import tcommit from '../specs/examples/tcommit.ts';
import twoPhase from '../specs/examples/two-phase.ts';
import ewd840 from '../specs/examples/ewd840.ts';
import hanoi from '../specs/examples/tower-of-hanoi.ts';
import missionaries from '../specs/examples/missionaries-and-cannibals.ts';
import voting from '../specs/examples/voting.ts';
import paxosCommit from '../specs/examples/paxos-commit.ts';
import tcp from '../specs/examples/tcp.ts';

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

// Written as the TLA+ modules are: one action per TLA+ action, each disjunction inside an action a
// branch (either), each \E inside an action a choice (choose) or a parameter. TLC counts a successor
// per true disjunct and per witness, so do these.
describe('conformance with TLC: several successors per action, structured values', () => {
  const counts = async (spec: Parameters<typeof compileModel>[0], variant: string, symmetry = false) => {
    const r = await checkModel(compileModel(spec, variant), { symmetry });
    return [r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth];
  };

  it('EWD840, N = 3 (disjunctions in guards as branches): 302 distinct, 2001 generated, depth 9', async () => {
    expect(await counts(ewd840, 'default')).toEqual(['ok', 302, 2001, 9]);
  });

  it('TowerOfHanoi, D = 5, N = 3, without NotSolved: 243 distinct, 913 generated, depth 32', async () => {
    expect(await counts(hanoi, 'full')).toEqual(['ok', 243, 913, 32]);
    // With NotSolved, the shortest solution: 2^5 - 1 moves.
    const r = await checkModel(compileModel(hanoi, 'solve'));
    expect([r.outcome, r.property, r.trace?.length]).toEqual(['invariant', 'NotSolved', 32]);
  });

  it('MissionariesAndCannibals, 3 and 3, without its invariant: 64 distinct, 283 generated, depth 13', async () => {
    expect(await counts(missionaries, 'explore')).toEqual(['ok', 64, 283, 13]);
    const r = await checkModel(compileModel(missionaries, 'solve'));
    expect([r.outcome, r.property, r.trace?.length]).toEqual(['invariant', 'Solution', 12]);
  });

  it('Paxos Voting, ballots 0..1, votes a set of tuples, quorums a parameter: 599 / 3124 / 11, and 77 / 451 with symmetry', async () => {
    expect(await counts(voting, 'ballots-0-1')).toEqual(['ok', 599, 3124, 11]);
    expect(await counts(voting, 'ballots-0-1', true)).toEqual(['ok', 77, 451, 11]);
  });

  it('Paxos Voting, ballots 0..2 (PaxosHowToWinATuringAward): 6752 distinct, 41017 generated, depth 16', async () => {
    expect(await counts(voting, 'ballots-0-2')).toEqual(['ok', 6752, 41017, 16]);
  });

  it('PaxosCommit, RM = {r1}, msgs a set of up to 73 records of five kinds: 1461 / 9936 / 15', async () => {
    const model = compileModel(paxosCommit, 'default');
    // msgs is the one wide region of the state: its fingerprints skip the unused rows.
    expect(model.countedRegions?.length).toBe(3);
    expect(await counts(paxosCommit, 'default')).toEqual(['ok', 1461, 9936, 15]);
  });

  it('TwoPhase with msgs a set of message records: 288 / 1146 / 11, and 80 orbits with symmetry', async () => {
    expect(await counts(twoPhase, 'default')).toEqual(['ok', 288, 1146, 11]);
    expect((await counts(twoPhase, 'default', true))[1]).toBe(80);
  });

  it('TCP (MCtcp.cfg, peers A and B) with its action constraint: 1182 distinct, 6322 generated, depth 14', async () => {
    expect(await counts(tcp, 'default')).toEqual(['ok', 1182, 6322, 14]);
  });
});
