// Lamport's Voting algorithm, the abstraction Paxos implements (TLA+ Examples,
// specifications/Paxos/Voting.tla): acceptors vote for values in numbered ballots; a value is chosen
// when a quorum votes for it in one ballot. Acceptor = {a1, a2, a3}, Value = {v1, v2}, every two
// acceptors a quorum. Both sets are scalarsets, so the checker reduces by the product of their
// permutation groups. Two TLC models of this module, with TLC's numbers:
// - ballots 0..1 (Paxos/MCVoting.cfg, SYMMETRY Permutations(Acceptor) \cup Permutations(Value)):
//   77 distinct states, depth 11.
// - ballots 0..2 (PaxosHowToWinATuringAward/MCVoting.cfg, the same Voting module, no SYMMETRY):
//   6752 distinct states, depth 16.
// TLC's SYMMETRY takes, for each state, the image of least fingerprint over the listed permutations:
// here that set is the union of the two groups, not their product, so TLC could in principle keep two
// states of one orbit apart. Its 77 equals the exact number of orbits under the product group (599
// reachable states without symmetry, counted by brute force in test/symmetry-specs.test.ts), which is
// what the checker reports. TLC's count without symmetry for ballots 0..1 is not published; ours is 599.
// TLC's "states generated" (451 and 41017) are not compared: TLC counts more successors than one per
// enabled action instance, as ours does, on this spec. The models' temporal property (refinement of
// Consensus) is not checked; their invariant Inv is.
import { defineSpec, int, mapOf, scalarset, setOf } from '../../src/index.ts';

const Acceptor = scalarset('a', 3);
const Value = scalarset('v', 2);
/** Ballot numbers go up to the constant maxBallot (at most MAX_BALLOT, the range of the parameters). */
const MAX_BALLOT = 2;
type C = { maxBallot: number };
const ballotsOf = (c: C) => Array.from({ length: c.maxBallot + 1 }, (_, b) => b);
/** Every two acceptors form a quorum: any two quorums intersect. */
const Quorum = Acceptor.values.flatMap((x, i) => Acceptor.values.slice(i + 1).map((y) => [x, y]));

type Votes = Record<string, Record<number, Set<string>>>;
type S = { votes: Votes; maxBal: Record<string, number> };

const votedFor = (s: S, a: string, b: number, v: string) => s.votes[a][b].has(v);
const didNotVoteAt = (s: S, a: string, b: number) => s.votes[a][b].size === 0;
const cannotVoteAt = (s: S, a: string, b: number) => s.maxBal[a] > b && didNotVoteAt(s, a, b);
const noneOtherChoosableAt = (s: S, b: number, v: string) =>
  Quorum.some((q) => q.every((a) => votedFor(s, a, b, v) || cannotVoteAt(s, a, b)));
const safeAt = (s: S, b: number, v: string) => range(0, b - 1).every((c) => noneOtherChoosableAt(s, c, v));
const range = (lo: number, hi: number) => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
const showsSafeAt = (s: S, q: string[], b: number, v: string) =>
  q.every((a) => s.maxBal[a] >= b) &&
  range(-1, b - 1).some(
    (c) => (c === -1 || q.some((a) => votedFor(s, a, c, v))) && range(c + 1, b - 1).every((d) => q.every((a) => didNotVoteAt(s, a, d))),
  );

export default defineSpec({
  name: 'voting',
  description: 'Acceptors vote in ballots; no two values are ever chosen.',
  constants: { maxBallot: 1 } as C,
  state: (c) => ({
    votes: mapOf(Acceptor, mapOf(int(0, c.maxBallot), setOf(Value))), // votes[a][b]: the values a voted for in ballot b
    maxBal: mapOf(Acceptor, int(-1, c.maxBallot)),
  }),
  init: (c) => ({
    votes: Object.fromEntries(Acceptor.values.map((a) => [a, Object.fromEntries(ballotsOf(c).map((b) => [b, new Set<string>()]))])),
    maxBal: Object.fromEntries(Acceptor.values.map((a) => [a, -1])),
  }),
  actions: {
    IncreaseMaxBal: {
      params: { a: Acceptor, b: int(0, MAX_BALLOT) },
      when: (s, { a, b }, c) => b <= c.maxBallot && b > s.maxBal[a],
      do: (s, { a, b }) => { s.maxBal[a] = b; },
    },
    VoteFor: {
      params: { a: Acceptor, b: int(0, MAX_BALLOT), v: Value },
      when: (s, { a, b, v }, c) =>
        b <= c.maxBallot &&
        s.maxBal[a] <= b &&
        s.votes[a][b].size === 0 &&
        Acceptor.values.every((c) => c === a || [...s.votes[c][b]].every((w) => w === v)) &&
        Quorum.some((q) => showsSafeAt(s, q, b, v)),
      do: (s, { a, b, v }) => {
        s.votes[a][b].add(v);
        s.maxBal[a] = b;
      },
    },
  },
  invariants: {
    VotesSafe: (s, c) =>
      Acceptor.values.every((a) => ballotsOf(c).every((b) => Value.values.every((v) => !votedFor(s, a, b, v) || safeAt(s, b, v)))),
    OneValuePerBallot: (s, c) => ballotsOf(c).every((b) => new Set(Acceptor.values.flatMap((a) => [...s.votes[a][b]])).size <= 1),
  },
  deadlock: false,
  variants: {
    'ballots-0-1': { constants: { maxBallot: 1 }, expect: 'holds' },
    'ballots-0-2': { constants: { maxBallot: 2 }, expect: 'holds' },
  },
});
