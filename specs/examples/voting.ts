// Lamport's Voting algorithm, the abstraction Paxos implements (TLA+ Examples,
// specifications/Paxos/Voting.tla), written as the TLA+ module is: votes[a] is the set of <<ballot,
// value>> tuples acceptor a voted for; a value is chosen when a quorum votes for it in one ballot.
// Acceptor = {a1, a2, a3}, Value = {v1, v2}, the quorums are every two acceptors (MCQuorum; a
// set-valued parameter of VoteFor, the module's \E Q \in Quorum), and the other \E of the module
// (ShowsSafeAt's \E c and \E a) are choices, so each witness is a successor, as TLC counts them.
// Both Acceptor and Value are scalarsets: the checker reduces by the product of their permutations.
// TLC's numbers for the two models of this module:
// - ballots 0..1 (Paxos/MCVoting.cfg): 599 distinct states, 3,124 generated, depth 11 without
//   symmetry; 77 distinct, 451 generated with SYMMETRY Permutations(Acceptor) \cup Permutations(Value).
// - ballots 0..2 (PaxosHowToWinATuringAward/MCVoting.cfg, no SYMMETRY): 6752 distinct, depth 16.
// TLC's SYMMETRY takes the image of least fingerprint over the listed permutations, here the union of
// the two groups, not their product; its 77 equals the number of orbits under the product group,
// which is what the checker stores. The models' temporal property (refinement of Consensus) is not
// checked; their invariant Inv is.
import { choose, defineSpec, int, mapOf, scalarset, setOf, subsetsOf, tuple, ValueSet, when } from '../../src/index.ts';

const Acceptor = scalarset('a', 3);
const Value = scalarset('v', 2);
/** MCVoting's MCQuorum: every two acceptors. Any two quorums intersect. */
const Quorum = subsetsOf(Acceptor, { min: 2, max: 2 });
type C = { maxBallot: number };
const Ballot = (c: C) => int(0, c.maxBallot);
const range = (lo: number, hi: number) => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);

type S = { votes: Record<string, ValueSet<[number, string]>>; maxBal: Record<string, number> };
const votedFor = (s: S, a: string, b: number, v: string) => s.votes[a].has([b, v]);
const didNotVoteAt = (s: S, a: string, b: number) => Value.values.every((v) => !votedFor(s, a, b, v));
const cannotVoteAt = (s: S, a: string, b: number) => s.maxBal[a] > b && didNotVoteAt(s, a, b);
const noneOtherChoosableAt = (s: S, b: number, v: string) =>
  Quorum.some((Q) => [...Q].every((a) => votedFor(s, a, b, v) || cannotVoteAt(s, a, b)));
const safeAt = (s: S, b: number, v: string) => range(0, b - 1).every((c) => noneOtherChoosableAt(s, c, v));

export default defineSpec({
  name: 'voting',
  description: 'Acceptors vote in ballots; no two values are ever chosen.',
  constants: { maxBallot: 1 } as C,
  state: (c) => ({
    votes: mapOf(Acceptor, setOf(tuple(Ballot(c), Value))),
    maxBal: mapOf(Acceptor, int(-1, c.maxBallot)),
  }),
  init: () => ({
    votes: Acceptor.mapTo(() => new ValueSet<[number, string]>()),
    maxBal: Acceptor.mapTo(() => -1),
  }),
  actions: {
    IncreaseMaxBal: {
      params: (c: C) => ({ a: Acceptor, b: Ballot(c) }),
      when: (s, { a, b }) => b > s.maxBal[a],
      do: (s, { a, b }) => { s.maxBal[a] = b; },
    },
    VoteFor: {
      params: (c: C) => ({ a: Acceptor, b: Ballot(c), v: Value, Q: Quorum }),
      when: (s, { a, b, v, Q }) =>
        s.maxBal[a] <= b &&
        [...s.votes[a]].every(([vb]) => vb !== b) &&
        Acceptor.values.every((c) => c === a || [...s.votes[c]].every(([vb, vv]) => vb !== b || vv === v)) &&
        [...Q].every((q) => s.maxBal[q] >= b),
      do: (s, { a, b, v, Q }) => {
        // ShowsSafeAt(Q, b, v), the rest of it: \E c \in -1..(b-1) with its own \E a \in Q.
        const c = choose(range(-1, b - 1), 'c');
        if (c !== -1) {
          const w = choose(Q, 'voter');
          when(votedFor(s, w, c, v));
        }
        when(range(c + 1, b - 1).every((d) => [...Q].every((q) => didNotVoteAt(s, q, d))));
        s.votes[a].add([b, v]);
        s.maxBal[a] = b;
      },
    },
  },
  invariants: {
    VotesSafe: (s, c) =>
      Acceptor.values.every((a) => Ballot(c).values.every((b) => Value.values.every((v) => !votedFor(s, a, b, v) || safeAt(s, b, v)))),
    OneValuePerBallot: (s, c) =>
      Ballot(c).values.every((b) => new Set(Acceptor.values.flatMap((a) => Value.values.filter((v) => votedFor(s, a, b, v)))).size <= 1),
  },
  deadlock: false,
  variants: {
    'ballots-0-1': { constants: { maxBallot: 1 }, expect: 'holds' },
    'ballots-0-2': { constants: { maxBallot: 2 }, expect: 'holds' },
  },
});
