// Networks for distributed protocols, in the spirit of Stateright's: the messages in flight as a state
// variable, and how sending, delivering and losing one changes it. Three shapes, as TLA+ specs write them:
// - 'set': a set of messages; delivery leaves the message there, so it may be delivered again, in any
//   order (TLA+'s `msgs`, as in TwoPhase and Paxos). Duplicating and reordering by construction.
// - 'bag': a multiset; each send adds a copy, each delivery takes one: reordering, no duplication
//   (unless `duplicating`, which keeps the copy).
// - 'fifo': one queue per (from, to) pair, delivered in order: TCP-like channels.
// `lossy` adds the possibility that a message in flight disappears (drop()).
import {
  bagOf,
  FiniteSchema,
  mapOf,
  RecordSchema,
  type Schema,
  seqOf,
  setOf,
  ValueBag,
  ValueSet,
  type Infer,
} from './schema/index.ts';

export type NetworkKind = 'set' | 'bag' | 'fifo';

export interface NetworkOptions<K extends NetworkKind, N> {
  kind: K;
  /** 'set' and 'bag': the most different messages in flight; 'fifo': the most in one channel. */
  max?: number;
  /** 'bag': the most copies of one message (default 1,000,000). */
  copies?: number;
  /** 'fifo': the node ids, and the message fields naming sender and receiver (default 'from', 'to'). */
  nodes?: FiniteSchema<N>;
  from?: string;
  to?: string;
  /** 'bag' and 'fifo': a delivered message stays in flight and may be delivered again. */
  duplicating?: boolean;
  /** Messages in flight may be lost: drop() is allowed. */
  lossy?: boolean;
}

type Fifo<M> = Record<string, Record<string, M[]>>;

/** The value of a network's state variable: a ValueSet, a ValueBag, or channels [from][to] of queues. */
export type InFlight<M, K extends NetworkKind> = K extends 'set' ? ValueSet<M> : K extends 'bag' ? ValueBag<M> : Fifo<M>;

export class Network<M, K extends NetworkKind, N = string> {
  /** The type of the state variable that holds the messages in flight. */
  readonly type: Schema<InFlight<M, K>>;
  readonly kind: K;
  readonly duplicating: boolean;
  readonly lossy: boolean;
  private readonly from: string;
  private readonly to: string;

  constructor(
    readonly message: Schema<M>,
    private readonly opts: NetworkOptions<K, N>,
  ) {
    this.kind = opts.kind;
    this.duplicating = opts.kind === 'set' || !!opts.duplicating;
    this.lossy = !!opts.lossy;
    this.from = opts.from ?? 'from';
    this.to = opts.to ?? 'to';
    if (opts.kind === 'set') this.type = setOf(message, { max: opts.max }) as never;
    else if (opts.kind === 'bag') this.type = bagOf(message, { max: opts.max, copies: opts.copies }) as never;
    else {
      const nodes = opts.nodes;
      if (!(nodes instanceof FiniteSchema)) throw new Error("network({ kind: 'fifo' }): give `nodes`, the type of node ids (a scalarset)");
      if (!(message instanceof RecordSchema) || !(this.from in message.fields) || !(this.to in message.fields)) {
        throw new Error(`network({ kind: 'fifo' }): messages must be records with fields '${this.from}' and '${this.to}' (the sender and the receiver)`);
      }
      if (opts.max === undefined) throw new Error("network({ kind: 'fifo' }): give `max`, the most messages one channel holds");
      this.type = mapOf(nodes, mapOf(nodes, seqOf(message, opts.max))) as never;
    }
  }

  /** An empty network, for the initial state. */
  empty(): InFlight<M, K> {
    if (this.kind === 'set') return new ValueSet<M>() as InFlight<M, K>;
    if (this.kind === 'bag') return new ValueBag<M>() as InFlight<M, K>;
    const nodes = this.opts.nodes!;
    return nodes.mapTo(() => nodes.mapTo(() => [] as M[])) as InFlight<M, K>;
  }

  /** Puts `m` in flight. */
  send(net: InFlight<M, K>, m: M): void {
    if (this.kind === 'set') (net as ValueSet<M>).add(m);
    else if (this.kind === 'bag') (net as ValueBag<M>).add(m);
    else this.channel(net, m).push(m);
  }

  /**
   * The messages that can be delivered now, each once: every message of a set or bag, the head of
   * each FIFO channel. A recipe picks one with `choose(net.deliverable(s.net))`.
   */
  deliverable(net: InFlight<M, K>): M[] {
    if (this.kind !== 'fifo') return [...(net as Iterable<M>)];
    const heads: M[] = [];
    for (const row of Object.values(net as Fifo<M>)) for (const q of Object.values(row)) if (q.length > 0) heads.push(q[0]);
    return heads;
  }

  /** Whether `m` is in flight (and, for FIFO channels, first in its channel). */
  canDeliver(net: InFlight<M, K>, m: M): boolean {
    if (this.kind === 'set') return (net as ValueSet<M>).has(m);
    if (this.kind === 'bag') return (net as ValueBag<M>).has(m);
    const q = this.channel(net, m);
    return q.length > 0 && new ValueSet([q[0]]).has(m);
  }

  /** Delivers `m`: takes it out of flight, unless the network duplicates. */
  deliver(net: InFlight<M, K>, m: M): void {
    if (!this.canDeliver(net, m)) throw new Error(`network: cannot deliver a message that is not in flight`);
    if (this.duplicating) return;
    this.take(net, m);
  }

  /** Loses `m` in flight (only a lossy network loses messages). */
  drop(net: InFlight<M, K>, m: M): void {
    if (!this.lossy) throw new Error('network: drop() on a network that is not lossy; pass { lossy: true }');
    if (!this.canDeliver(net, m)) throw new Error('network: cannot drop a message that is not in flight');
    this.take(net, m);
  }

  private take(net: InFlight<M, K>, m: M): void {
    if (this.kind === 'set') (net as ValueSet<M>).delete(m);
    else if (this.kind === 'bag') (net as ValueBag<M>).remove(m);
    else this.channel(net, m).shift();
  }

  private channel(net: InFlight<M, K>, m: M): M[] {
    const r = m as Record<string, unknown>;
    return (net as Fifo<M>)[String(r[this.from])][String(r[this.to])];
  }
}

/** A network carrying messages of type `message`: see the top of this file for the kinds. */
export function network<MS extends Schema<any>, const K extends NetworkKind, N = string>(
  message: MS,
  opts: NetworkOptions<K, N>,
): Network<Infer<MS>, K, N> {
  return new Network(message as Schema<Infer<MS>>, opts);
}
