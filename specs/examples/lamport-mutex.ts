// Lamport's distributed mutual exclusion (Time, Clocks and the Ordering of Events in a Distributed
// System, 1978), as in the TLA+ Examples (specifications/lamport_mutex/LamportMutex.tla, by Stephan
// Merz): each process keeps a logical clock, broadcasts a timestamped request, acknowledges every
// request it receives, and enters when all have acknowledged and its request beats every other it
// knows of. Channels are FIFO per ordered pair of processes. Written as the TLA+ module is: one action
// per TLA+ action, the module's \E p and \E q as parameters (q ranges over Proc \ {p}).
// The module's model (MCLamportMutex.cfg) bounds the clocks with the state constraint ClockConstraint
// (every clock <= maxClock) and overrides Nat by 0..MaxNat, so Clock is 1..MaxNat. TLC's numbers:
// - N = 3, maxClock = 6, MaxNat = 7 (the module's model, `npm run bench`): 724,274 distinct states,
//   2,729,079 generated, depth 61.
// - N = 2, maxClock = 4, MaxNat = 5 (the default here): 401 distinct states, 787 generated, depth 28
//   (test/conformance-mutex.test.ts).
import { defineSpec, enumOf, int, mapOf, record, seqOf, setOf } from '../../src/index.ts';

type C = { N: number; maxClock: number; MaxNat: number };
const Proc = (c: C) => int(1, c.N);
/** The ids 1..N as a plain array, made once per N (guards and invariants run on every state). */
const idLists = new Map<number, readonly number[]>();
const ids = (c: C) => idLists.get(c.N) ?? idLists.set(c.N, Proc(c).values).get(c.N)!;
const Message = (c: C) => record({ type: enumOf('req', 'ack', 'rel'), clock: int(0, c.MaxNat) });
const shape = (c: C) => ({
  /** clock[p]: p's logical clock, in Clock = Nat \ {0}. */
  clock: mapOf(Proc(c), int(1, c.MaxNat)),
  /** req[p][q]: the clock of q's request as p received it, 0 if none. */
  req: mapOf(Proc(c), mapOf(Proc(c), int(0, c.MaxNat))),
  /** ack[p]: the processes that acknowledged p's request. */
  ack: mapOf(Proc(c), setOf(Proc(c))),
  /** network[p][q]: the messages from p to q in flight, oldest first (BoundedNetwork: at most 3). */
  network: mapOf(Proc(c), mapOf(Proc(c), seqOf(Message(c), 3))),
  /** The processes in their critical section. */
  crit: setOf(Proc(c)),
});

type Msg = { type: 'req' | 'ack' | 'rel'; clock: number };
type S = {
  clock: Record<number, number>;
  req: Record<number, Record<number, number>>;
  ack: Record<number, Set<number>>;
  network: Record<number, Record<number, Msg[]>>;
  crit: Set<number>;
};

const AckMessage: Msg = { type: 'ack', clock: 0 };
const RelMessage: Msg = { type: 'rel', clock: 0 };

/** p believes its request has priority over q's: q has none, or p's is older (ties: the lower id). */
const beats = (s: S, p: number, q: number) =>
  s.req[p][q] === 0 || s.req[p][p] < s.req[p][q] || (s.req[p][p] === s.req[p][q] && p < q);

/** Send m from s to every other process. */
const broadcast = (s: S, from: number, m: Msg, c: C) => {
  for (const r of ids(c)) if (r !== from) s.network[from][r].push({ ...m });
};

/** The head of q's channel to p is a message of this type. */
const heads = (s: S, q: number, p: number, type: Msg['type']) => s.network[q][p].length > 0 && s.network[q][p][0].type === type;

export default defineSpec({
  name: 'lamport-mutex',
  description: "Lamport's distributed mutual exclusion: at most one process in its critical section.",
  constants: { N: 2, maxClock: 4, MaxNat: 5 } as C,
  assumptions: {
    NType: (c) => Number.isInteger(c.N) && c.N >= 1,
    maxClockType: (c) => Number.isInteger(c.maxClock) && c.maxClock >= 0,
    // Clock (1..MaxNat) must hold every clock the constraint lets through, and one more.
    MaxNatCoversClocks: (c) => Number.isInteger(c.MaxNat) && c.MaxNat >= c.maxClock + 1,
  },
  state: shape,
  init: (c) => ({
    clock: Proc(c).mapTo(() => 1),
    req: Proc(c).mapTo(() => Proc(c).mapTo(() => 0)),
    ack: Proc(c).mapTo(() => new Set<number>()),
    network: Proc(c).mapTo(() => Proc(c).mapTo(() => [] as Msg[])),
    crit: new Set<number>(),
  }),
  actions: {
    Request: {
      params: (c: C) => ({ p: Proc(c) }),
      when: (s, { p }) => s.req[p][p] === 0,
      do: (s, { p }, c) => {
        s.req[p][p] = s.clock[p];
        broadcast(s, p, { type: 'req', clock: s.clock[p] }, c);
        s.ack[p] = new Set([p]);
      },
    },
    Enter: {
      params: (c: C) => ({ p: Proc(c) }),
      when: (s, { p }, c) =>
        s.ack[p].size === c.N && ids(c).every((q) => q === p || beats(s, p, q)),
      do: (s, { p }) => { s.crit.add(p); },
    },
    Exit: {
      params: (c: C) => ({ p: Proc(c) }),
      when: (s, { p }) => s.crit.has(p),
      do: (s, { p }, c) => {
        s.crit.delete(p);
        broadcast(s, p, RelMessage, c);
        s.req[p][p] = 0;
        s.ack[p] = new Set();
      },
    },
    ReceiveRequest: {
      params: (c: C) => ({ p: Proc(c), q: Proc(c) }),
      when: (s, { p, q }) => p !== q && heads(s, q, p, 'req'),
      do: (s, { p, q }) => {
        const m = s.network[q][p].shift()!;
        s.req[p][q] = m.clock;
        s.clock[p] = m.clock > s.clock[p] ? m.clock + 1 : s.clock[p] + 1;
        s.network[p][q].push({ ...AckMessage });
      },
    },
    ReceiveAck: {
      params: (c: C) => ({ p: Proc(c), q: Proc(c) }),
      when: (s, { p, q }) => p !== q && heads(s, q, p, 'ack'),
      do: (s, { p, q }) => {
        s.network[q][p].shift();
        s.ack[p].add(q);
      },
    },
    ReceiveRelease: {
      params: (c: C) => ({ p: Proc(c), q: Proc(c) }),
      when: (s, { p, q }) => p !== q && heads(s, q, p, 'rel'),
      do: (s, { p, q }) => {
        s.network[q][p].shift();
        s.req[p][q] = 0;
      },
    },
  },
  constraint: (s, c) => ids(c).every((p) => s.clock[p] <= c.maxClock),
  invariants: {
    BoundedNetwork: (s, c) => ids(c).every((p) => ids(c).every((q) => s.network[p][q].length <= 3)),
    Mutex: (s) => s.crit.size <= 1,
  },
  expect: 'holds',
});
