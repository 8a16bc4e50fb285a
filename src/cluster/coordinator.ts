// The coordinator's side of a cluster run over NATS: the Cluster the partitioned search
// (checker/search/partitioned.ts) drives. It puts the spec bundle in the run's object store, takes
// idle workers and hands out the partitions, sends each request to the partition's subject, and
// keeps the run's JetStream stream (partition logs, committed levels). It pings the workers while a
// level runs: a worker that stops answering loses its partitions to a spare (or to the others),
// every partition is rebuilt from its log of the last committed level, and the level runs again.
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type Checkpoint, type Cluster, type CommitReport, type ExpandReport, PartitionLost, type PathEntry } from '../../checker/search/partitioned.ts';
import type { Model } from '../compile/model.ts';
import { makeBundle } from './bundle.ts';
import { bucketOf, ClusterError, OP, pack, packRequest, type Reply, streamOf, SUBJECT, unpack, type WorkerOrder } from './protocol.ts';

/** The record of a committed level in the run's stream. */
interface Committed {
  checkpoint: Checkpoint;
  hash: string;
  partitions: number;
}

export interface ClusterOptions {
  /** Resume this run (its id) from its last committed level instead of starting one. */
  resume?: string;
  url: string;
  partitions: number;
  /** Workers to wait for before the run starts (default 1); workers idle later are spares. */
  workers?: number;
  symmetry: boolean;
  deadlock?: boolean;
  batchSlots?: number;
  /** Seconds to wait for the workers (default 45). */
  waitSeconds?: number;
  say?: (line: string) => void;
}

const PING_MS = 1000;
const PING_TIMEOUT_MS = 5000;
const CALL_TIMEOUT_MS = 3_600_000;
/**
 * Seconds to wait for workers, by default: longer than a worker keeps the run of a coordinator gone
 * silent (worker.ts, 30 s), so that a run started beside a killed one gets its workers once freed.
 */
const WAIT_SECONDS = 45;

/** A worker that cannot take its partitions (gone, or busy with another run): others take them. */
class Unavailable extends PartitionLost {
  constructor(
    readonly worker: string,
    partition: number,
    message: string,
  ) {
    super(partition, message);
  }
}

const noResponders = (e: unknown) => (e as { isNoResponders?: () => boolean }).isNoResponders?.() === true || /no responders/i.test(String((e as Error)?.message));

export class NatsCluster implements Cluster {
  partitions: number;
  readonly run: string;
  /** Where a resumed run goes on from. */
  checkpoint?: Checkpoint;
  private hash = '';
  private epoch = 0;
  private lastCommitted = 0;
  /** Worker id -> its partitions. */
  private owners = new Map<string, number[]>();
  /** Idle workers by id, with when they last said so. */
  private idle = new Map<string, number>();
  private broken?: ClusterError;
  private breakRun: (e: ClusterError) => void = () => {};
  private readonly brokenSignal: Promise<never>;
  private lostSignal!: Promise<never>;
  private loseRun: (e: PartitionLost) => void = () => {};
  private watchdog?: NodeJS.Timeout;
  private readonly js;
  /** Levels run again after a worker was lost. */
  recoveries = 0;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly opts: ClusterOptions,
  ) {
    this.partitions = opts.partitions;
    this.run = opts.resume ?? randomUUID().slice(0, 8);
    this.js = jetstream(nc);
    this.brokenSignal = new Promise<never>((_, reject) => (this.breakRun = reject));
    this.brokenSignal.catch(() => {});
    this.armLost();
  }

  static async start(model: Model, opts: ClusterOptions): Promise<NatsCluster> {
    if (!model.source || !model.file) throw new ClusterError(`${model.title}: a cluster run needs a spec loaded from a file`);
    let nc: NatsConnection;
    try {
      nc = await connect({ servers: opts.url, name: 'interleave-coordinator', maxReconnectAttempts: 2, reconnectTimeWait: 500 });
    } catch (e) {
      throw new ClusterError(`cannot reach the NATS server at ${opts.url} (${(e as Error).message}); start one with \`nats-server -js\``);
    }
    let jsm: JetStreamManager;
    try {
      jsm = await jetstreamManager(nc);
    } catch (e) {
      await nc.close();
      throw new ClusterError(`the NATS server at ${opts.url} has no JetStream (${(e as Error).message}); start it with \`nats-server -js\``);
    }
    const c = new NatsCluster(nc, jsm, opts);
    c.watchServer();
    try {
      await c.setUp(model);
    } catch (e) {
      await c.close();
      throw e;
    }
    return c;
  }

  private say(line: string): void {
    this.opts.say?.(line);
  }

  private watchServer(): void {
    (async () => {
      for await (const s of this.nc.status()) {
        if (s.type === 'disconnect' || s.type === 'close') this.fail(`lost the NATS server at ${this.opts.url}`);
      }
    })().catch(() => {});
    this.nc.closed().then(() => this.fail(`lost the NATS server at ${this.opts.url}`));
  }

  private fail(message: string): void {
    if (this.broken) return;
    // Before its first level is committed, a run has nothing to go on from.
    this.broken = new ClusterError(
      this.lastCommitted === 0
        ? `${message}; run ${this.run} stopped before its first level was committed: once the server is back, start it again`
        : `${message}; run ${this.run} stopped after level ${this.lastCommitted}: once the server is back (with its JetStream store), go on with --resume-run ${this.run}`,
    );
    this.breakRun(this.broken);
  }

  private armLost(): void {
    this.lostSignal = new Promise<never>((_, reject) => (this.loseRun = reject));
    this.lostSignal.catch(() => {});
  }

  private async setUp(model: Model): Promise<void> {
    const { nc, jsm, run } = this;
    this.hash = model.source!.hash;
    if (this.opts.resume) {
      await this.findCheckpoint(model);
    } else {
      await jsm.streams.add({ name: streamOf(run), subjects: [`interleave.${run}.log.>`, SUBJECT.committed(run)], storage: StorageType.File });
      const store = await new Objm(nc).create(bucketOf(run));
      await store.putBlob({ name: 'spec' }, makeBundle(model.source!, model.file!));
    }
    nc.subscribe(SUBJECT.idle, { callback: (_e, m) => void this.idle.set(unpack<{ worker: string }>(m.data).worker, Date.now()) });
    await nc.flush();
    nc.publish(SUBJECT.who);
    const wanted = this.opts.workers ?? 1;
    const workers = await this.waitForIdle(wanted, (this.opts.waitSeconds ?? WAIT_SECONDS) * 1000);
    workers.forEach((w, i) => this.owners.set(w, []));
    for (let p = 0; p < this.partitions; p++) this.owners.get(workers[p % workers.length])!.push(p);
    try {
      await this.sendOwnership(this.checkpoint?.level ?? 0);
    } catch (e) {
      // A worker that went, or that another run took, as this one started: others take its partitions.
      if (!(e instanceof PartitionLost)) throw e;
      await this.recover(this.checkpoint?.level ?? 0, e, false);
    }
    const from = this.checkpoint ? `, resumed after level ${this.checkpoint.level}` : '';
    this.say(`cluster run ${run}: ${this.partitions} partitions on ${workers.length} workers at ${this.opts.url}${from}`);
  }

  /** A resumed run: its last committed level, from its stream, for the same spec. */
  private async findCheckpoint(model: Model): Promise<void> {
    const { jsm, run } = this;
    const stream = streamOf(run);
    try {
      await jsm.streams.info(stream);
    } catch {
      throw new ClusterError(`the NATS server at ${this.opts.url} has no run ${run} (it finished, or the server lost its JetStream store)`);
    }
    const last = await jsm.streams.getMessage(stream, { last_by_subj: SUBJECT.committed(run) }).catch(() => null);
    if (!last) throw new ClusterError(`run ${run} committed no level; start it again`);
    const record = unpack<Committed>(last.data);
    if (record.hash !== model.source!.hash) {
      throw new ClusterError(`${model.file}: the spec or a module it imports changed since run ${run} started; start it again`);
    }
    this.checkpoint = record.checkpoint;
    this.partitions = record.partitions;
    this.lastCommitted = record.checkpoint.level;
    this.epoch = 1;
    // Logs of the level that did not finish are dropped: it runs again from the start.
    await jsm.streams.purge(stream, { filter: `interleave.${run}.log.*.${record.checkpoint.level + 1}` });
  }

  /** The first `n` idle workers, waiting up to `ms` for them. */
  private async waitForIdle(n: number, ms: number): Promise<string[]> {
    const until = Date.now() + ms;
    for (;;) {
      const fresh = [...this.idle].filter(([w, t]) => Date.now() - t < 1500 && !this.owners.has(w)).map(([w]) => w);
      if (fresh.length >= n) return fresh.slice(0, n);
      if (this.broken) throw this.broken;
      if (Date.now() > until) {
        throw new ClusterError(`${fresh.length} of ${n} workers joined within ${Math.round(ms / 1000)} s; start them with \`interleave worker --cluster ${this.opts.url}\``);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async sendOwnership(restore: number): Promise<void> {
    await Promise.all(
      [...this.owners].map(async ([w, partitions]) => {
        const order: WorkerOrder = {
          op: 'own',
          run: this.run,
          partitions,
          total: this.partitions,
          epoch: this.epoch,
          restore,
          symmetry: this.opts.symmetry,
          deadlock: this.opts.deadlock,
          batchSlots: this.opts.batchSlots,
        };
        const reply = await this.whileAlive(w, this.nc.request(SUBJECT.worker(w), pack(order), { timeout: 120_000 })).then(
          (m) => unpack<Reply<true> & { busy?: boolean }>(m.data),
          (e: Error) => {
            throw new Unavailable(w, partitions[0] ?? 0, `worker ${w} did not take its partitions (${e.message})`);
          },
        );
        if ('error' in reply) throw reply.busy ? new Unavailable(w, partitions[0] ?? 0, reply.error) : new ClusterError(reply.error);
      }),
    );
  }

  /** `request`, given up at once when worker `w` is gone meanwhile (a ping finds no responder), not at its timeout. */
  private whileAlive<T>(w: string, request: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const gone = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        this.nc.request(SUBJECT.worker(w), pack({ op: 'ping' }), { timeout: PING_TIMEOUT_MS }).catch((e: unknown) => {
          if (noResponders(e)) reject(e);
        });
      }, PING_MS);
    });
    gone.catch(() => {});
    return Promise.race([request, gone]).finally(() => clearInterval(timer));
  }

  /** Pings the run's workers while a level runs: one that does not answer loses its partitions. */
  private startWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => {
      for (const [w, parts] of this.owners) {
        this.nc.request(SUBJECT.worker(w), pack({ op: 'ping' }), { timeout: PING_TIMEOUT_MS }).catch((e) => {
          this.loseRun(new PartitionLost(parts[0] ?? 0, `worker ${w} does not answer (${(e as Error).message})`));
        });
      }
    }, PING_MS);
  }

  private stopWatchdog(): void {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private async call<T>(p: number, op: number, arg: number, body?: Int32Array): Promise<T> {
    if (this.broken) throw this.broken;
    this.startWatchdog();
    const request = this.nc.request(SUBJECT.partition(this.run, p), packRequest(op, this.epoch, arg, body), { timeout: CALL_TIMEOUT_MS }).then(
      (m) => unpack<Reply<T>>(m.data),
      (e: Error) => {
        if (this.broken) throw this.broken;
        throw new PartitionLost(p, `partition ${p} did not answer (${e.message})`);
      },
    );
    const reply = await Promise.race([request, this.lostSignal, this.brokenSignal]);
    if ('error' in reply) throw reply.lost !== undefined ? new PartitionLost(reply.lost, reply.error) : new PartitionLost(p, reply.error);
    return reply.ok;
  }

  insert(p: number, batch: Int32Array): Promise<void> {
    return this.call(p, OP.batch, 0, batch);
  }
  expand(p: number, level: number): Promise<ExpandReport> {
    return this.call(p, OP.expand, level);
  }
  commit(p: number, level: number): Promise<CommitReport> {
    return this.call(p, OP.commit, level);
  }
  path(p: number, index: number): Promise<PathEntry> {
    return this.call(p, OP.path, index);
  }

  async committed(checkpoint: Checkpoint): Promise<void> {
    // The partitions' logs are durable before they acknowledge a commit; this is what a resumed run starts from.
    const record: Committed = { checkpoint, hash: this.hash, partitions: this.partitions };
    await this.js.publish(SUBJECT.committed(this.run), pack(record));
    this.lastCommitted = checkpoint.level;
  }

  async recover(committed: number, cause?: unknown, counted = true): Promise<void> {
    this.stopWatchdog();
    if (counted) this.recoveries++;
    let unavailable = cause instanceof Unavailable ? [cause.worker] : [];
    for (;;) {
      if (this.broken) throw this.broken;
      this.epoch++;
      await this.reassignLost(committed, unavailable);
      // Logs of the level that did not finish are dropped: it is run again from the start.
      await this.jsm.streams.purge(streamOf(this.run), { filter: `interleave.${this.run}.log.*.${committed + 1}` });
      try {
        await this.sendOwnership(committed);
        break;
      } catch (e) {
        // A worker that went as it was taking its partitions, or that another run took: they go to another, as the lost ones did.
        if (!(e instanceof PartitionLost)) throw e;
        unavailable = e instanceof Unavailable ? [e.worker] : [];
      }
    }
    this.armLost();
  }

  /** Workers that no longer answer lose their partitions: to a spare, or else to the workers left. */
  private async reassignLost(committed: number, unavailable: string[]): Promise<void> {
    const alive = await Promise.all(
      [...this.owners.keys()].map((w) =>
        unavailable.includes(w)
          ? false
          : this.nc.request(SUBJECT.worker(w), pack({ op: 'ping' }), { timeout: PING_TIMEOUT_MS }).then(
              () => true,
              () => false,
            ),
      ),
    );
    const dead = [...this.owners.keys()].filter((_, i) => !alive[i]);
    const orphans = dead.flatMap((w) => this.owners.get(w)!);
    for (const w of dead) {
      this.owners.delete(w);
      // Not a spare either, until it says it is idle again.
      this.idle.delete(w);
      // One that is alive after all (too busy to answer) lets the run go, and stops answering for its partitions.
      this.nc.publish(SUBJECT.worker(w), pack({ op: 'release', run: this.run }));
    }
    if (orphans.length > 0) {
      const spares = [...this.idle].filter(([w, t]) => Date.now() - t < 1500 && !this.owners.has(w) && !dead.includes(w)).map(([w]) => w);
      let takers: string[];
      if (spares.length > 0) {
        takers = [spares[0]];
        this.owners.set(spares[0], []);
      } else if (this.owners.size > 0) {
        takers = [...this.owners.keys()];
      } else {
        takers = await this.waitForIdle(1, (this.opts.waitSeconds ?? WAIT_SECONDS) * 1000).catch(() => {
          throw new ClusterError(`every worker of run ${this.run} is gone; start one with \`interleave worker --cluster ${this.opts.url}\``);
        });
        this.owners.set(takers[0], []);
      }
      orphans.forEach((p, i) => this.owners.get(takers[i % takers.length])!.push(p));
      this.say(`cluster run ${this.run}: worker ${dead.join(', ')} lost; partitions ${orphans.join(', ')} taken over by ${takers.join(', ')} from level ${committed}`);
    }
  }

  async close(): Promise<void> {
    this.stopWatchdog();
    if (this.broken) {
      await this.nc.close().catch(() => {});
      return;
    }
    for (const w of this.owners.keys()) this.nc.publish(SUBJECT.worker(w), pack({ op: 'release', run: this.run }));
    await this.jsm.streams.delete(streamOf(this.run)).catch(() => {});
    await (await new Objm(this.nc).open(bucketOf(this.run)).catch(() => undefined))?.destroy().catch(() => {});
    await this.nc.drain().catch(() => {});
  }
}
