// Paxos Commit (Gray and Lamport, Consensus on Transaction Commit, 2006), as in the TLA+ Examples
// (specifications/transaction_commit/PaxosCommit.tla): each resource manager's choice is decided by
// an instance of Paxos among three acceptors, and the transaction commits when every instance
// decided "prepared". `msgs` is the set of all messages ever sent, records of five kinds; an action
// that reads a message finds it in the set, where it stays. Written as the TLA+ module is, with its
// model's constants: Acceptor = {a1, a2, a3}, its three majorities, Ballot = {0, 1}; RM = {r1, ..,
// rN}. TLC's numbers (INVARIANT PCTypeOK, deadlock checked):
// - N = 1 (the default here): 1,461 distinct states, 9,936 generated, depth 15
//   (test/conformance.test.ts);
// - N = 2 (the module's model, PaxosCommit.cfg): 1,321,761 distinct states, 16,959,159 generated,
//   depth 28 (bench/README.md: Interleave and TLC side by side).
// TLC takes each witness of an \E and each instance of an \A that an action evaluates as a conjunct
// as a successor of its own: Decide chooses its witnesses, so that its successors are TLC's.
import { choose, defineSpec, either, enumOf, int, mapOf, oneOf, record, setOf, ValueSet, when } from '../../src/index.ts';

type C = { N: number };
const Acceptors = ['a1', 'a2', 'a3'] as const;
type Acc = (typeof Acceptors)[number];
const Majority: Acc[][] = [['a1', 'a2'], ['a1', 'a3'], ['a2', 'a3']];
const Ballots = [0, 1];
type Val = 'prepared' | 'aborted';
type V3 = Val | 'none';
type Msg =
  | { type: 'phase1a'; ins: string; bal: number }
  | { type: 'phase1b'; ins: string; mbal: number; bal: number; val: V3; acc: Acc }
  | { type: 'phase2a'; ins: string; bal: number; val: Val }
  | { type: 'phase2b'; acc: Acc; ins: string; bal: number; val: Val }
  | { type: 'Commit' | 'Abort' };
type S = {
  rmState: Record<string, 'working' | 'prepared' | 'committed' | 'aborted'>;
  aState: Record<string, Record<Acc, { mbal: number; bal: number; val: V3 }>>;
  msgs: ValueSet<Msg>;
};

/** r1 .. rN, made once per N (actions and their guards read them on every state). */
const rmLists = new Map<number, string[]>();
const rms = (c: C) => rmLists.get(c.N) ?? rmLists.set(c.N, Array.from({ length: c.N }, (_, i) => `r${i + 1}`)).get(c.N)!;
const RM = (c: C) => enumOf(...rms(c));
const Acceptor = enumOf(...Acceptors);
/** TLA+'s Message: the union of five sets of records. */
const Message = (c: C) =>
  oneOf(
    record({ type: enumOf('phase1a'), ins: RM(c), bal: int(1, 1) }),
    record({ type: enumOf('phase1b'), ins: RM(c), mbal: int(0, 1), bal: int(-1, 1), val: enumOf('prepared', 'aborted', 'none'), acc: Acceptor }),
    record({ type: enumOf('phase2a'), ins: RM(c), bal: int(0, 1), val: enumOf('prepared', 'aborted') }),
    record({ type: enumOf('phase2b'), acc: Acceptor, ins: RM(c), bal: int(0, 1), val: enumOf('prepared', 'aborted') }),
    record({ type: enumOf('Commit', 'Abort') }),
  );
const shape = (c: C) => ({
  rmState: mapOf(RM(c), enumOf('working', 'prepared', 'committed', 'aborted')),
  aState: mapOf(RM(c), mapOf(Acceptor, record({ mbal: int(0, 1), bal: int(-1, 1), val: enumOf('prepared', 'aborted', 'none') }))),
  // Every message there is: 71 per resource manager, and Commit and Abort.
  msgs: setOf(Message(c), { max: 71 * c.N + 2 }),
});

/** The ballots and majorities by which `rm`'s instance decided `v` (the witnesses of TLA+'s Decided). */
const decidedBy = (s: S, rm: string, v: Val) =>
  Ballots.flatMap((b) => Majority.filter((MS) => MS.every((ac) => s.msgs.has({ type: 'phase2b', ins: rm, bal: b, val: v, acc: ac }))).map((MS) => ({ b, MS })));

export default defineSpec({
  name: 'paxos-commit',
  description: 'Paxos Commit: the resource managers agree, through Paxos instances, to commit or abort.',
  constants: { N: 1 } as C,
  assumptions: { NType: (c) => Number.isInteger(c.N) && c.N >= 1 },
  state: shape,
  init: (c) => ({
    rmState: Object.fromEntries(rms(c).map((rm) => [rm, 'working' as const])),
    aState: Object.fromEntries(rms(c).map((rm) => [rm, Object.fromEntries(Acceptors.map((a) => [a, { mbal: 0, bal: -1, val: 'none' as V3 }])) as S['aState'][string]])),
    msgs: new ValueSet<Msg>(),
  }),
  actions: {
    RMPrepare: {
      params: (c: C) => ({ rm: RM(c) }),
      when: (s, { rm }) => s.rmState[rm] === 'working',
      do: (s, { rm }) => {
        s.rmState[rm] = 'prepared';
        s.msgs.add({ type: 'phase2a', ins: rm, bal: 0, val: 'prepared' });
      },
    },
    RMChooseToAbort: {
      params: (c: C) => ({ rm: RM(c) }),
      when: (s, { rm }) => s.rmState[rm] === 'working',
      do: (s, { rm }) => {
        s.rmState[rm] = 'aborted';
        s.msgs.add({ type: 'phase2a', ins: rm, bal: 0, val: 'aborted' });
      },
    },
    RMRcvCommitMsg: {
      params: (c: C) => ({ rm: RM(c) }),
      when: (s) => s.msgs.has({ type: 'Commit' }),
      do: (s, { rm }) => { s.rmState[rm] = 'committed'; },
    },
    RMRcvAbortMsg: {
      params: (c: C) => ({ rm: RM(c) }),
      when: (s) => s.msgs.has({ type: 'Abort' }),
      do: (s, { rm }) => { s.rmState[rm] = 'aborted'; },
    },
    Phase1a: {
      params: (c: C) => ({ bal: int(1, 1), rm: RM(c) }),
      do: (s, { bal, rm }) => { s.msgs.add({ type: 'phase1a', ins: rm, bal }); },
    },
    Phase2a: {
      params: (c: C) => ({ bal: int(1, 1), rm: RM(c) }),
      when: (s, { bal, rm }) => !s.msgs.some((m) => m.type === 'phase2a' && m.bal === bal && m.ins === rm),
      do: (s, { bal, rm }) => {
        const MS = choose(Majority, 'MS');
        const mset = [...s.msgs].filter((m): m is Extract<Msg, { type: 'phase1b' }> => m.type === 'phase1b' && m.ins === rm && m.mbal === bal && MS.includes(m.acc));
        when(MS.every((ac) => mset.some((m) => m.acc === ac)));
        const maxbal = Math.max(-1, ...mset.map((m) => m.bal));
        const val = maxbal === -1 ? 'aborted' : (mset.find((m) => m.bal === maxbal)!.val as Val);
        s.msgs.add({ type: 'phase2a', ins: rm, bal, val });
      },
    },
    Decide: {
      do: (s, _, c) => {
        either(
          () => {
            // \A rm \in RM : Decided(rm, "prepared"): a successor for each choice of witnesses.
            for (const rm of rms(c)) choose(decidedBy(s, rm, 'prepared'), `by_${rm}`);
            s.msgs.add({ type: 'Commit' });
          },
          () => {
            const rm = choose(rms(c).filter((r) => decidedBy(s, r, 'aborted').length > 0), 'rm');
            choose(decidedBy(s, rm, 'aborted'), 'by');
            s.msgs.add({ type: 'Abort' });
          },
        );
      },
    },
    Phase1b: {
      params: { acc: Acceptor },
      do: (s, { acc }) => {
        const m = choose([...s.msgs].filter((x): x is Extract<Msg, { type: 'phase1a' }> => x.type === 'phase1a' && s.aState[x.ins][acc].mbal < x.bal), 'm');
        const a = s.aState[m.ins][acc];
        s.msgs.add({ type: 'phase1b', ins: m.ins, mbal: m.bal, bal: a.bal, val: a.val, acc });
        a.mbal = m.bal;
      },
    },
    Phase2b: {
      params: { acc: Acceptor },
      do: (s, { acc }) => {
        const m = choose([...s.msgs].filter((x): x is Extract<Msg, { type: 'phase2a' }> => x.type === 'phase2a' && s.aState[x.ins][acc].mbal <= x.bal), 'm');
        s.aState[m.ins][acc] = { mbal: m.bal, bal: m.bal, val: m.val };
        s.msgs.add({ type: 'phase2b', ins: m.ins, bal: m.bal, val: m.val, acc });
      },
    },
  },
  invariants: {
    // PCTypeOK is the state's type, which the checker checks of every state anyway; TC's consistency
    // (no manager committed while another aborted) is what the protocol is for.
    TCConsistent: (s, c) => !rms(c).some((r1) => rms(c).some((r2) => s.rmState[r1] === 'aborted' && s.rmState[r2] === 'committed')),
  },
  expect: 'holds',
});
