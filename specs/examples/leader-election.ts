// Leader election by majority vote (in the style of Raft's election), the README's example of a spec
// with messages in flight and a quorum: a node that times out starts a new term, votes for itself and
// asks the others for their votes; a node grants at most one vote per term; a candidate that holds the
// votes of a quorum becomes leader. The messages ever sent are one set, so any of them may be received
// at any time, any number of times (reordering and duplication); a receiver chooses one (`choose`).
// The question: can two nodes lead in the same term? Not when each node votes once per term; yes when
// a node forgets its vote (variant `forgetful`).
import { choose, defineSpec, enumOf, int, majorities, mapOf, optional, record, scalarset, setOf, ValueSet, type Infer } from '../../src/index.ts';

const Node = scalarset('n', 3);
const MaxTerm = 2;
const Term = int(0, MaxTerm);
const Message = record({ type: enumOf('RequestVote', 'Vote'), term: int(1, MaxTerm), from: Node, to: Node });
type Message = Infer<typeof Message>;
type C = { forgetful: boolean };

const state = {
  term: mapOf(Node, Term),
  role: mapOf(Node, enumOf('follower', 'candidate', 'leader')),
  votedFor: mapOf(Node, optional(Node)),
  msgs: setOf(Message),
};

export default defineSpec({
  name: 'leader-election',
  description: 'At most one leader per term, with votes as messages in flight.',
  constants: { forgetful: false } as C,
  state,
  init: {
    term: Node.mapTo(() => 0),
    role: Node.mapTo(() => 'follower' as const),
    votedFor: Node.mapTo(() => null),
    msgs: new ValueSet<Message>(),
  },
  actions: {
    // A node that hears from no leader starts an election in the next term.
    Timeout: {
      params: { n: Node },
      when: (s, { n }) => s.role[n] !== 'leader' && s.term[n] < MaxTerm,
      do: (s, { n }) => {
        s.term[n]++;
        s.role[n] = 'candidate';
        s.votedFor[n] = n;
        for (const to of Node.values) if (to !== n) s.msgs.add({ type: 'RequestVote', term: s.term[n], from: n, to });
      },
    },
    // A node receives some request for its vote (TLA+'s \E m \in msgs).
    GrantVote: {
      params: { n: Node },
      do: (s, { n }, c) => {
        const m = choose(s.msgs.filter((x) => x.type === 'RequestVote' && x.to === n), 'm');
        if (m.term > s.term[n]) {
          s.term[n] = m.term;
          s.role[n] = 'follower';
          s.votedFor[n] = null;
        }
        const free = s.votedFor[n] === null || s.votedFor[n] === m.from || c.forgetful;
        if (m.term === s.term[n] && free) {
          s.votedFor[n] = m.from;
          s.msgs.add({ type: 'Vote', term: m.term, from: n, to: m.from });
        }
      },
    },
    // A candidate with the votes of a quorum for its term becomes leader.
    BecomeLeader: {
      params: { n: Node, Q: majorities(Node) },
      when: (s, { n, Q }) =>
        s.role[n] === 'candidate' &&
        [...Q].every((q) => q === n || s.msgs.has({ type: 'Vote', term: s.term[n], from: q, to: n })),
      do: (s, { n }) => { s.role[n] = 'leader'; },
    },
  },
  invariants: {
    OneLeaderPerTerm: (s) =>
      Node.values.every((a) => Node.values.every((b) => a === b || !(s.role[a] === 'leader' && s.role[b] === 'leader' && s.term[a] === s.term[b]))),
  },
  deadlock: false,
  variants: {
    'one-vote': { expect: 'holds' },
    forgetful: { constants: { forgetful: true }, expect: { violates: 'OneLeaderPerTerm' } },
  },
});
