// TCP connection states (TLA+ Examples, specifications/tcp/tcp.tla, RFC 9293), checked as its model
// MCtcp does: two peers, one of them has already sent a SYN (active open) and the other listens; the
// state constraint NoRetransmission (no message twice in a row on a channel) and the action
// constraint SingleActiveOpen (no further user open or send) keep the space finite. Written as the
// module is: one action per TLA+ action, each disjunction a branch; `network[p]` is the queue of
// segments on their way to p.
// TLC, MCtcp.cfg (peers A and B, no symmetry), invariants TypeOK and Inv:
// 1,182 distinct states, 6,322 generated, depth 14.
import { bool, defineSpec, either, enumOf, mapOf, scalarset, seqOf, when } from '../../src/index.ts';

const Peer = scalarset('peer', ['A', 'B'], { symmetric: false });
const ConnState = enumOf('LISTEN', 'CLOSED', 'SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSING', 'CLOSE-WAIT', 'LAST-ACK', 'TIME-WAIT');
const Segment = enumOf('SYN', 'SYN,ACK', 'ACK', 'RST', 'FIN', 'ACKofFIN');
type Segment = (typeof Segment.values)[number];
/** Longer queues are never stored: NoRetransmission with six kinds of segment keeps them short. */
const MAX_QUEUE = 6;

const state = {
  tcb: mapOf(Peer, bool()),
  connstate: mapOf(Peer, ConnState),
  network: mapOf(Peer, seqOf(Segment, MAX_QUEUE)),
};
type S = { tcb: Record<string, boolean>; connstate: Record<string, (typeof ConnState.values)[number]>; network: Record<string, Segment[]> };
const peers = { local: Peer, remote: Peer };
const distinct = (_: unknown, p: { local: string; remote: string }) => p.local !== p.remote;
/** IsPrefix(<<m>>, network[local]): the next segment to arrive at local is m. */
const first = (s: S, local: string, m: Segment) => s.network[local][0] === m;
const receive = (s: S, local: string) => { s.network[local].shift(); };
const send = (s: S, remote: string, m: Segment) => { s.network[remote].push(m); };

export default defineSpec({
  name: 'tcp',
  description: 'Two TCP peers through connection set-up and tear-down.',
  state,
  // MCInit: one node has sent its SYN (SYN-SENT); the other listens, the SYN on its way to it.
  init: Peer.values.map((node) => ({
    tcb: Peer.mapTo(() => true),
    connstate: Peer.mapTo((p) => (p === node ? 'SYN-SENT' : 'LISTEN')),
    network: Peer.mapTo((p): Segment[] => (p === node ? [] : ['SYN'])),
  })),
  actions: {
    // User commands.
    ACTIVE_OPEN: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'CLOSED',
      do: (s, { local, remote }) => { send(s, remote, 'SYN'); s.connstate[local] = 'SYN-SENT'; s.tcb[local] = true; },
    },
    PASSIVE_OPEN: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'CLOSED',
      do: (s, { local }) => { s.connstate[local] = 'LISTEN'; s.tcb[local] = true; },
    },
    CLOSE_SYN_SENT: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'SYN-SENT',
      do: (s, { local }) => { s.connstate[local] = 'CLOSED'; s.tcb[local] = false; },
    },
    CLOSE_SYN_RECEIVED: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'SYN-RECEIVED',
      do: (s, { local, remote }) => { send(s, remote, 'FIN'); s.connstate[local] = 'FIN-WAIT-1'; },
    },
    CLOSE_LISTEN: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'LISTEN',
      do: (s, { local }) => { s.connstate[local] = 'CLOSED'; s.tcb[local] = false; },
    },
    CLOSE_ESTABLISHED: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'ESTABLISHED',
      do: (s, { local, remote }) => { send(s, remote, 'FIN'); s.connstate[local] = 'FIN-WAIT-1'; },
    },
    CLOSE_CLOSE_WAIT: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'CLOSE-WAIT',
      do: (s, { local, remote }) => { send(s, remote, 'FIN'); s.connstate[local] = 'LAST-ACK'; },
    },
    SEND: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'LISTEN',
      do: (s, { local, remote }) => { send(s, remote, 'SYN'); s.connstate[local] = 'SYN-SENT'; },
    },
    // The protocol.
    SynSent: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'SYN-SENT',
      do: (s, { local, remote }) =>
        either(
          () => { when(first(s, local, 'SYN')); receive(s, local); send(s, remote, 'SYN,ACK'); s.connstate[local] = 'SYN-RECEIVED'; },
          () => { when(first(s, local, 'SYN,ACK')); receive(s, local); send(s, remote, 'ACK'); s.connstate[local] = 'ESTABLISHED'; },
        ),
    },
    SynReceived: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'SYN-RECEIVED',
      do: (s, { local }) =>
        either(
          () => { when(first(s, local, 'RST')); receive(s, local); s.connstate[local] = 'LISTEN'; },
          () => { when(first(s, local, 'ACK')); receive(s, local); s.connstate[local] = 'ESTABLISHED'; },
        ),
    },
    Listen: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'LISTEN' && first(s, p.local, 'SYN'),
      do: (s, { local, remote }) => { receive(s, local); send(s, remote, 'SYN,ACK'); s.connstate[local] = 'SYN-RECEIVED'; },
    },
    Established: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'ESTABLISHED' && first(s, p.local, 'FIN'),
      do: (s, { local, remote }) => { receive(s, local); send(s, remote, 'ACKofFIN'); s.connstate[local] = 'CLOSE-WAIT'; },
    },
    FinWait1: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'FIN-WAIT-1',
      do: (s, { local, remote }) =>
        either(
          () => { when(first(s, local, 'FIN')); receive(s, local); send(s, remote, 'ACKofFIN'); s.connstate[local] = 'CLOSING'; },
          () => { when(first(s, local, 'ACKofFIN')); receive(s, local); s.connstate[local] = 'FIN-WAIT-2'; },
        ),
    },
    FinWait2: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'FIN-WAIT-2' && first(s, p.local, 'FIN'),
      do: (s, { local, remote }) => { receive(s, local); send(s, remote, 'ACKofFIN'); s.connstate[local] = 'TIME-WAIT'; },
    },
    Closing: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'CLOSING' && first(s, p.local, 'ACKofFIN'),
      do: (s, { local }) => { receive(s, local); s.connstate[local] = 'TIME-WAIT'; },
    },
    LastAck: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'LAST-ACK' && first(s, p.local, 'ACKofFIN'),
      do: (s, { local }) => { receive(s, local); s.connstate[local] = 'CLOSED'; },
    },
    TimeWait: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'TIME-WAIT' && s.tcb[p.local],
      do: (s, { local }) => { s.connstate[local] = 'CLOSED'; s.tcb[local] = false; },
    },
    // Note 2: FIN-WAIT-1 straight to TIME-WAIT when the FIN and the ACK of our FIN arrive together.
    Note2: {
      params: peers,
      when: (s, p) => distinct(s, p) && s.connstate[p.local] === 'FIN-WAIT-1' && first(s, p.local, 'FIN') && s.network[p.local][1] === 'ACKofFIN',
      do: (s, { local, remote }) => { send(s, remote, 'ACKofFIN'); s.network[local].splice(0, 2); s.connstate[local] = 'TIME-WAIT'; },
    },
    // Note 3: a RST may be sent from any state with a TCB; receiving one leads to LISTEN or CLOSED.
    Note3: {
      params: peers,
      when: distinct,
      do: (s, { local, remote }) =>
        either(
          () => { when(s.tcb[local]); send(s, remote, 'RST'); s.connstate[local] = 'TIME-WAIT'; },
          () => {
            when(first(s, local, 'RST'));
            receive(s, local);
            s.connstate[local] = either(() => 'LISTEN' as const, () => 'CLOSED' as const);
          },
        ),
    },
  },
  invariants: {
    // With no segment in flight to either, one peer is ESTABLISHED exactly when the other is.
    Inv: (s) => {
      const idle = Peer.values.filter((p) => s.network[p].length === 0);
      return idle.every((l) => idle.every((r) => (s.connstate[l] === 'ESTABLISHED') === (s.connstate[r] === 'ESTABLISHED')));
    },
  },
  // NoRetransmission: never the same segment twice in a row on a channel.
  constraint: (s) => Peer.values.every((p) => s.network[p].every((m, i, q) => i === 0 || q[i - 1] !== m)),
  // SingleActiveOpen: the opening in the initial state is the only one.
  actionConstraint: (_s, _next, _c, step) => !['ACTIVE_OPEN', 'PASSIVE_OPEN', 'SEND'].includes(step.action),
  expect: 'holds',
});
