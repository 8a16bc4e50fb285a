// The network helpers: what sending, delivering and losing a message does to each kind of network.
import { describe, expect, it } from 'vitest';
import { enumOf, int, network, record, scalarset, TypeViolation } from '../src/index.ts';

const Node = scalarset('n', 2);
const Msg = record({ from: Node, to: Node, kind: enumOf('ping', 'pong'), seq: int(0, 3) });
type M = { from: string; to: string; kind: 'ping' | 'pong'; seq: number };
const ping = (seq: number): M => ({ from: 'n1', to: 'n2', kind: 'ping', seq });

function roundTrip<T>(net: { type: { width: number; encode(v: unknown, o: Int32Array, at: number, p: string): void; decode(f: Int32Array, at: number): T } }, v: T): T {
  const out = new Int32Array(net.type.width);
  net.type.encode(v, out, 0, 'net');
  return net.type.decode(out, 0);
}

describe('network', () => {
  it("'set': a delivered message stays, so it can be delivered again; a resend is the same element", () => {
    const net = network(Msg, { kind: 'set', max: 4 });
    const n = net.empty();
    net.send(n, ping(0));
    net.send(n, ping(0));
    expect(n.size).toBe(1);
    net.deliver(n, ping(0));
    expect(net.deliverable(roundTrip(net, n))).toEqual([ping(0)]);
    expect(() => net.deliver(n, ping(1))).toThrow('cannot deliver a message that is not in flight');
  });

  it("'bag': each send is a copy and each delivery takes one; duplicating keeps it; lossy drops it", () => {
    const net = network(Msg, { kind: 'bag', max: 4, copies: 2 });
    const n = net.empty();
    net.send(n, ping(1));
    net.send(n, ping(1));
    expect(roundTrip(net, n).copies(ping(1))).toBe(2);
    net.deliver(n, ping(1));
    expect(n.copies(ping(1))).toBe(1);
    expect(() => net.drop(n, ping(1))).toThrow('drop() on a network that is not lossy; pass { lossy: true }');
    const dup = network(Msg, { kind: 'bag', duplicating: true, lossy: true, max: 4 });
    const d = dup.empty();
    dup.send(d, ping(2));
    dup.deliver(d, ping(2));
    expect(d.copies(ping(2))).toBe(1);
    dup.drop(d, ping(2));
    expect(d.distinct).toBe(0);
    // Past its bound, the state leaves its type: a TypeOK violation, as any other bound.
    net.send(n, ping(1));
    net.send(n, ping(1));
    expect(() => roundTrip(net, n)).toThrow(TypeViolation);
  });

  it("'fifo': one queue per sender and receiver; only the head of each can be delivered", () => {
    const net = network(Msg, { kind: 'fifo', nodes: Node, max: 2 });
    const n = net.empty();
    net.send(n, ping(0));
    net.send(n, ping(1));
    net.send(n, { from: 'n2', to: 'n1', kind: 'pong', seq: 0 });
    expect(net.deliverable(n)).toEqual([ping(0), { from: 'n2', to: 'n1', kind: 'pong', seq: 0 }]);
    expect(net.canDeliver(n, ping(1))).toBe(false);
    net.deliver(n, ping(0));
    expect(roundTrip(net, n).n1.n2).toEqual([ping(1)]);
    expect(() => network(int(0, 1), { kind: 'fifo', nodes: Node, max: 2 })).toThrow("messages must be records with fields 'from' and 'to'");
  });
});

describe('network in a search', () => {
  // A client sends two numbered messages; a server receives any message in flight (choose); a lossy
  // network may also lose one. The counts follow from the kind of network.
  const spec = async (opts: { duplicating?: boolean; lossy?: boolean }) => {
    const { choose, defineSpec } = await import('../src/index.ts');
    const net = network(record({ seq: int(0, 1) }), { kind: 'bag', max: 2, copies: 2, ...opts });
    return defineSpec({
      name: 'net',
      state: { sent: int(0, 2), got: int(0, 3), net: net.type },
      init: { sent: 0, got: 0, net: net.empty() },
      actions: {
        Send: { when: (s) => s.sent < 2, do: (s) => { net.send(s.net, { seq: s.sent }); s.sent++; } },
        Receive: { do: (s) => { net.deliver(s.net, choose(net.deliverable(s.net), 'm')); s.got++; } },
        Drop: { when: () => !!opts.lossy, do: (s) => { net.drop(s.net, choose(net.deliverable(s.net), 'm')); } },
      },
      constraint: (s) => s.got <= 2,
      deadlock: false,
    });
  };
  const distinct = async (opts: { duplicating?: boolean; lossy?: boolean }) => {
    const { checkModel } = await import('../src/compile/check.ts');
    const { compileModel } = await import('../src/compile/model.ts');
    const r = await checkModel(compileModel(await spec(opts), 'default'));
    expect(r.outcome).toBe('ok');
    return r.stats.distinct;
  };

  it('reliable: what was sent is in flight or received (7 states); lossy: or lost (12); duplicating: received again and again (7, got bounded by the constraint)', async () => {
    // sent 0: {}; sent 1: {0} or received; sent 2: any subset of {0, 1} in flight, the rest received.
    expect(await distinct({})).toBe(1 + 2 + 4);
    // The same, but a message not in flight may have been lost: got counts only the received.
    expect(await distinct({ lossy: true })).toBe(1 + 3 + 8);
    // Every message sent stays in flight; got = 0, 1, 2 once something was sent.
    expect(await distinct({ duplicating: true })).toBe(1 + 3 + 3);
  });
});
