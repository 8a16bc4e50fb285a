// Dijkstra's termination detection on a ring, EWD 840 (TLA+ Examples, specifications/ewd840/EWD840.tla),
// written as the TLA+ module is: one action per TLA+ action, each disjunction in an action a branch
// (`either`), each \E a choice. Node 0 starts probes; a token travels from node N-1 down to 0 and
// comes back orange when some node may still be active.
// TLC with N = 3, invariants TypeOK, TerminationDetection and Inv, no deadlock check:
// 302 distinct states, 2001 generated, depth 9 (192 initial states: every activity and colouring).
// The module's temporal properties: Liveness (terminated ~> terminationDetected) holds under
// WF_vars(System), the fairness of the token-passing actions, and fails without it;
// AllNodesTerminateIfNoMessages fails under WF(System) and holds under WF(Next).
import {
  always, bool, choose, defineSpec, either, enumOf, eventually, implies, int, leadsTo, mapOf, stepOrStutter, valuesOf, weakFair, when,
} from '../../src/index.ts';

type C = { N: number };
const Node = (c: C) => int(0, c.N - 1);
const shape = (c: C) => ({
  active: mapOf(Node(c), bool()),
  color: mapOf(Node(c), enumOf('white', 'orange')),
  tpos: Node(c),
  tcolor: enumOf('white', 'orange'),
});

type S = { active: Record<number, boolean>; color: Record<number, 'white' | 'orange'>; tpos: number; tcolor: 'white' | 'orange' };
const terminated = (s: S, c: C) => Node(c).values.every((i) => !s.active[i]);
const terminationDetected = (s: S) => s.tpos === 0 && s.tcolor === 'white' && s.color[0] === 'white' && !s.active[0];
const System = weakFair(['InitiateProbe', 'PassToken'], { name: 'WF(System)' });
const Next = weakFair(['InitiateProbe', 'PassToken', 'SendMsg', 'Deactivate'], { name: 'WF(Next)' });

export default defineSpec({
  name: 'ewd840',
  description: 'A white token back at node 0 means every node is inactive.',
  constants: { N: 3 } as C,
  assumptions: { NAssumption: (c) => Number.isInteger(c.N) && c.N >= 1 },
  state: shape,
  // Init: any activity and colouring, the token anywhere, orange.
  init: (c) => valuesOf(shape(c)).filter((s) => s.tcolor === 'orange'),
  actions: {
    InitiateProbe: {
      when: (s) => s.tpos === 0,
      do: (s, _, c) => {
        either(
          () => when(s.tcolor === 'orange'),
          () => when(s.color[0] === 'orange'),
        );
        s.tpos = c.N - 1;
        s.tcolor = 'white';
        s.color[0] = 'white';
      },
    },
    PassToken: {
      params: (c: C) => ({ i: int(1, c.N - 1) }),
      when: (s, { i }) => s.tpos === i,
      do: (s, { i }) => {
        either(
          () => when(!s.active[i]),
          () => when(s.color[i] === 'orange'),
          () => when(s.tcolor === 'orange'),
        );
        s.tpos = i - 1;
        if (s.color[i] === 'orange') s.tcolor = 'orange';
        s.color[i] = 'white';
      },
    },
    SendMsg: {
      params: (c: C) => ({ i: Node(c) }),
      when: (s, { i }) => s.active[i],
      do: (s, { i }, c) => {
        const j = choose(Node(c).values.filter((n) => n !== i), 'j');
        s.active[j] = true;
        if (j > i) s.color[i] = 'orange';
      },
    },
    Deactivate: {
      params: (c: C) => ({ i: Node(c) }),
      when: (s, { i }) => s.active[i],
      do: (s, { i }) => { s.active[i] = false; },
    },
  },
  invariants: {
    TerminationDetection: (s, c) => !terminationDetected(s) || terminated(s, c),
    // Dijkstra's inductive invariant.
    Inv: (s, c) =>
      Node(c).values.every((i) => !(i > s.tpos) || !s.active[i]) ||
      Node(c).values.some((j) => j <= s.tpos && s.color[j] === 'orange') ||
      s.tcolor === 'orange',
  },
  temporal: {
    Liveness: leadsTo(terminated, terminationDetected),
    // Not supposed to hold under WF(System): a node may compute forever; with WF(Next) it holds.
    AllNodesTerminateIfNoMessages: implies(
      eventually(always(stepOrStutter(['InitiateProbe', 'PassToken', 'Deactivate']))),
      eventually(terminated),
    ),
  },
  fairness: [System],
  deadlock: false,
  variants: {
    default: { properties: ['TerminationDetection', 'Inv', 'Liveness'], expect: 'holds' },
    // The same model with its one fairness conjunct removed: the token may stop anywhere.
    unfair: { fairness: [], properties: ['TerminationDetection', 'Inv', 'Liveness'], expect: { violates: 'Liveness' } },
    'no-messages': { properties: ['AllNodesTerminateIfNoMessages'], expect: { violates: 'AllNodesTerminateIfNoMessages' } },
    'no-messages-WF-next': { fairness: [Next], properties: ['AllNodesTerminateIfNoMessages'], expect: 'holds' },
  },
});
