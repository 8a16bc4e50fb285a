// Lamport's Voting algorithm, the abstraction Paxos implements (TLA+ Examples,
// specifications/Paxos/Voting.tla, model MCVoting.cfg): acceptors vote for values in numbered
// ballots; a value is chosen when a quorum votes for it in one ballot. With Acceptor = {a1, a2, a3},
// Value = {v1, v2}, Ballot = 0..1 and every two acceptors a quorum, TLC's model declares
// SYMMETRY Permutations(Acceptor) \cup Permutations(Value) and reports 77 distinct states,
// 451 generated, depth 11. Both sets are scalarsets here, so the checker reduces by the product
// of their permutation groups. The model's temporal property (refinement of Consensus) is not
// checked; its invariant Inv is.
import { defineSpec, int, mapOf, scalarset, setOf } from '../../src/index.ts';

const Acceptor = scalarset('a', 3);
const Value = scalarset('v', 2);
const Ballot = int(0, 1);
const ballots = Ballot.values;
/** Every two acceptors form a quorum: any two quorums intersect. */
const Quorum = Acceptor.values.flatMap((x, i) => Acceptor.values.slice(i + 1).map((y) => [x, y]));

type Votes = Record<string, Record<number, Set<string>>>;
type S = { votes: Votes; maxBal: Record<string, number> };

const votedFor = (s: S, a: string, b: number, v: string) => s.votes[a][b].has(v);
const didNotVoteAt = (s: S, a: string, b: number) => s.votes[a][b].size === 0;
const cannotVoteAt = (s: S, a: string, b: number) => s.maxBal[a] > b && didNotVoteAt(s, a, b);
const noneOtherChoosableAt = (s: S, b: number, v: string) =>
  Quorum.some((q) => q.every((a) => votedFor(s, a, b, v) || cannotVoteAt(s, a, b)));
const safeAt = (s: S, b: number, v: string) => ballots.filter((c) => c < b).every((c) => noneOtherChoosableAt(s, c, v));
const range = (lo: number, hi: number) => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
const showsSafeAt = (s: S, q: string[], b: number, v: string) =>
  q.every((a) => s.maxBal[a] >= b) &&
  range(-1, b - 1).some(
    (c) => (c === -1 || q.some((a) => votedFor(s, a, c, v))) && range(c + 1, b - 1).every((d) => q.every((a) => didNotVoteAt(s, a, d))),
  );

export default defineSpec({
  name: 'voting',
  description: 'Acceptors vote in ballots; no two values are ever chosen.',
  state: {
    votes: mapOf(Acceptor, mapOf(Ballot, setOf(Value))), // votes[a][b]: the values a voted for in ballot b
    maxBal: mapOf(Acceptor, int(-1, 1)),
  },
  init: {
    votes: Object.fromEntries(Acceptor.values.map((a) => [a, Object.fromEntries(ballots.map((b) => [b, new Set<string>()]))])),
    maxBal: Object.fromEntries(Acceptor.values.map((a) => [a, -1])),
  },
  actions: {
    IncreaseMaxBal: {
      params: { a: Acceptor, b: Ballot },
      when: (s, { a, b }) => b > s.maxBal[a],
      do: (s, { a, b }) => { s.maxBal[a] = b; },
    },
    VoteFor: {
      params: { a: Acceptor, b: Ballot, v: Value },
      when: (s, { a, b, v }) =>
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
    VotesSafe: (s) => Acceptor.values.every((a) => ballots.every((b) => Value.values.every((v) => !votedFor(s, a, b, v) || safeAt(s, b, v)))),
    OneValuePerBallot: (s) =>
      ballots.every((b) => new Set(Acceptor.values.flatMap((a) => [...s.votes[a][b]])).size <= 1),
  },
  deadlock: false,
  expect: 'holds',
});
