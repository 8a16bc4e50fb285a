// Dijkstra's termination detection on a ring, EWD 840 (TLA+ Examples, specifications/ewd840/EWD840.tla,
// by Stephan Merz). A token goes round from node N-1 down to 0; a node that activated a node ahead
// of the token turns black, and a black node or token makes the round inconclusive. TLC with N = 3
// (the Examples manifest): 302 distinct states, 2001 generated, depth 10, and `Liveness`
// (terminated ~> terminationDetected) holds under WF_vars(System), the fairness of the token-passing
// actions. This port, with guards where the module has disjunctions, finds the same 302 states and
// verdicts, 1817 generated and depth 9. TLC generates more because it evaluates a disjunction inside
// an action once per true disjunct, each a successor; why its depth is one more is not settled here.
import { always, bool, defineSpec, enumOf, eventually, implies, int, leadsTo, mapOf, stepOrStutter, weakFair } from '../../src/index.ts';

type C = { N: number };
const Color = enumOf('white', 'black');
const nodes = (c: C) => [...Array(c.N).keys()];
type S = { active: Record<number, boolean>; color: Record<number, 'white' | 'black'>; tpos: number; tcolor: 'white' | 'black' };

const terminated = (s: S, c: C) => nodes(c).every((i) => !s.active[i]);
const terminationDetected = (s: S) => s.tpos === 0 && s.tcolor === 'white' && s.color[0] === 'white' && !s.active[0];

/** Init: any activity and colours, the token anywhere, black. */
const init = (c: C): S[] => {
  const out: S[] = [];
  const n = c.N;
  for (let a = 0; a < 1 << n; a++)
    for (let k = 0; k < 1 << n; k++)
      for (let tpos = 0; tpos < n; tpos++)
        out.push({
          active: Object.fromEntries(nodes(c).map((i) => [i, (a >> i) % 2 === 1])),
          color: Object.fromEntries(nodes(c).map((i) => [i, (k >> i) % 2 === 1 ? 'black' : 'white'])) as S['color'],
          tpos,
          tcolor: 'black',
        });
  return out;
};

const System = weakFair(['InitiateProbe', 'PassToken'], { name: 'WF(System)' });
const Next = weakFair(['InitiateProbe', 'PassToken', 'SendMsg', 'Deactivate'], { name: 'WF(Next)' });

export default defineSpec({
  name: 'ewd840',
  description: 'Termination detection on a ring: detection is sound, and termination is eventually detected.',
  constants: { N: 3 } as C,
  state: (c: C) => ({
    active: mapOf(int(0, c.N - 1), bool()),
    color: mapOf(int(0, c.N - 1), Color),
    tpos: int(0, c.N - 1),
    tcolor: Color,
  }),
  init,
  actions: {
    // Node 0 starts a probe when it holds the token and the round was inconclusive.
    InitiateProbe: {
      when: (s) => s.tpos === 0 && (s.tcolor === 'black' || s.color[0] === 'black'),
      do: (s, _p, c) => {
        s.tpos = c.N - 1;
        s.tcolor = 'white';
        s.color[0] = 'white';
      },
    },
    // Node i passes the token on when it is passive, or when the round is already spoiled.
    PassToken: {
      params: { i: int(1, 8) },
      when: (s, { i }, c) => i < c.N && s.tpos === i && (!s.active[i] || s.color[i] === 'black' || s.tcolor === 'black'),
      do: (s, { i }) => {
        s.tpos = i - 1;
        if (s.color[i] === 'black') s.tcolor = 'black';
        s.color[i] = 'white';
      },
    },
    // An active node activates another; activating a node ahead of the token blackens the sender.
    SendMsg: {
      params: { i: int(0, 8), j: int(0, 8) },
      when: (s, { i, j }, c) => i < c.N && j < c.N && i !== j && s.active[i],
      do: (s, { i, j }) => {
        s.active[j] = true;
        if (j > i) s.color[i] = 'black';
      },
    },
    Deactivate: {
      params: { i: int(0, 8) },
      when: (s, { i }, c) => i < c.N && s.active[i],
      do: (s, { i }) => { s.active[i] = false; },
    },
  },
  invariants: {
    TerminationDetection: (s, c) => !terminationDetected(s) || terminated(s, c),
    // Dijkstra's inductive invariant.
    Inv: (s, c) =>
      nodes(c).every((i) => !(s.tpos < i) || !s.active[i]) || nodes(c).some((j) => j <= s.tpos && s.color[j] === 'black') || s.tcolor === 'black',
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
