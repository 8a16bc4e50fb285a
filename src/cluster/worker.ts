// `interleave worker --cluster URL`: a process that owns partitions of the runs coordinators start.
// Idle, it says so on interleave.idle; a coordinator sends it the partitions it owns, and it fetches
// the spec bundle from the run's object store, rebuilds the system (refusing a spec whose
// import-graph hash differs), and answers the partitions' requests: batches of successors to store,
// expand a level, commit it (its log goes to JetStream before the commit is acknowledged), and trace
// look-ups. After a worker is lost, the coordinator sends every worker its partitions again with a
// new epoch and the level to restore from: each partition is rebuilt from its JetStream log.
import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { type ExpandReport, PartitionLost, PartitionNode, type PartitionLink } from '../../checker/search/partitioned.ts';
import type { SystemSource, TransitionSystem } from '../../checker/system.ts';
import { removeBundles, unpackBundle } from './bundle.ts';
import { bucketOf, ClusterError, LOG_CHUNK, OP, pack, packRequest, type Reply, streamOf, SUBJECT, unpack, unpackRequest, type WorkerOrder } from './protocol.ts';

type Own = Extract<WorkerOrder, { op: 'own' }>;

/** Silence from a run's coordinator after which the run is given up. */
const ABANDONED_MS = 30_000;

interface Run {
  id: string;
  system: TransitionSystem;
  epoch: number;
  total: number;
  nodes: Map<number, PartitionNode>;
  subs: Subscription[];
}

export async function runWorker(url: string, say: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<never> {
  const id = randomUUID().slice(0, 8);
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: url, name: `interleave-worker-${id}`, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
  } catch (e) {
    throw new ClusterError(`cannot reach the NATS server at ${url} (${(e as Error).message}); start one with \`nats-server -js\``);
  }
  const js = jetstream(nc);
  // Stopped (systemd, Ctrl-C): the unpacked specs go, then the signal ends the process as it would have.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removeBundles();
      process.kill(process.pid, signal);
    });
  }
  let run: Run | undefined;
  /** The run this worker is taking partitions of: not idle, though no run is set up yet. */
  let joining: string | undefined;
  const drop = () => {
    for (const s of run?.subs ?? []) s.unsubscribe();
    run = undefined;
  };
  // A coordinator pings its workers every second while its run lasts: a run it has gone silent on
  // (its process killed) is given up, so that the worker is free for the next.
  let lastContact = Date.now();
  const abandoned = setInterval(() => {
    if (run && Date.now() - lastContact > ABANDONED_MS) {
      say(`worker ${id}: the coordinator of run ${run.id} has been silent for ${ABANDONED_MS / 1000} s; run given up`);
      drop();
    }
  }, 1000);
  let systemOf: { run: string; system: TransitionSystem; asOnCoordinator: (text: string) => string } | undefined;
  say(`worker ${id}: connected to ${url}, waiting for a run`);
  // A run does not outlive the connection it ran on: its coordinator has given it up.
  (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' && run) {
        say(`worker ${id}: disconnected from ${url}; run ${run.id} given up`);
        drop();
      }
    }
  })().catch(() => {});

  const idle = setInterval(() => {
    if (!run && joining === undefined) nc.publish(SUBJECT.idle, pack({ worker: id }));
  }, 300);
  nc.publish(SUBJECT.idle, pack({ worker: id }));
  nc.subscribe(SUBJECT.who, { callback: () => void (!run && joining === undefined && nc.publish(SUBJECT.idle, pack({ worker: id }))) });


  nc.subscribe(SUBJECT.worker(id), {
    callback: (_err, msg) => {
      const order = unpack<WorkerOrder>(msg.data);
      lastContact = Date.now();
      if (order.op === 'ping') return void msg.respond(pack({ ok: id }));
      if (order.op === 'release') {
        if (run?.id === order.run) {
          say(`worker ${id}: run ${order.run} is over, waiting for a run`);
          drop();
          nc.publish(SUBJECT.idle, pack({ worker: id }));
        }
        return void msg.respond(pack({ ok: true }));
      }
      // Taken by another coordinator's run meanwhile (both saw it idle): that one keeps it.
      const other = joining ?? run?.id;
      if (other !== undefined && other !== order.run) return void msg.respond(pack({ error: `worker ${id}: busy with run ${other}`, busy: true }));
      joining = order.run;
      own(order)
        .then(
          () => msg.respond(pack({ ok: true })),
          (e) => msg.respond(pack({ error: `worker ${id}: ${(e as Error).message}` })),
        )
        .finally(() => (joining = undefined));
    },
  });

  async function own(o: Own): Promise<void> {
    if (run && run.id !== o.run) throw new Error(`busy with run ${run.id}`);
    if (systemOf?.run !== o.run) {
      const store = await new Objm(nc).open(bucketOf(o.run));
      const blob = await store.getBlob('spec');
      if (!blob) throw new Error(`run ${o.run} has no spec bundle in its object store`);
      const { source, asOnCoordinator } = unpackBundle(blob);
      const builder = (await import(source.builder)) as { rebuildSystem: (s: SystemSource) => Promise<TransitionSystem> };
      systemOf = { run: o.run, system: await builder.rebuildSystem(source), asOnCoordinator };
    }
    drop();
    const r: Run = { id: o.run, system: systemOf.system, epoch: o.epoch, total: o.total, nodes: new Map(), subs: [] };
    for (const p of o.partitions) {
      const node = new PartitionNode(r.system, p, o.total, link(r, o.epoch), { symmetry: o.symmetry, deadlock: o.deadlock, batchSlots: o.batchSlots });
      if (o.restore > 0) node.restore(await readLogs(js, o.run, p, o.restore));
      r.nodes.set(p, node);
    }
    run = r;
    for (const p of o.partitions) r.subs.push(nc.subscribe(SUBJECT.partition(o.run, p), { callback: (_e, m) => serve(r, p, m) }));
    say(`worker ${id}: run ${o.run}, epoch ${o.epoch}: partitions ${o.partitions.join(', ')} of ${o.total}${o.restore > 0 ? `, restored from level ${o.restore}` : ''}`);
  }

  /** Batches to partitions of this worker go straight in; the rest through the broker, answered once stored. */
  function link(r: Run, epoch: number): PartitionLink {
    return {
      send: async (to, batch) => {
        if (run !== r || r.epoch !== epoch) throw new PartitionLost(to, 'the run was restarted from its last level');
        const local = r.nodes.get(to);
        if (local) {
          local.insert(batch);
          return 0;
        }
        const payload = packRequest(OP.batch, epoch, 0, batch);
        let reply: Reply<true>;
        try {
          reply = unpack<Reply<true>>((await nc.request(SUBJECT.partition(r.id, to), payload, { timeout: 120_000 })).data);
        } catch (e) {
          throw new PartitionLost(to, `partition ${to} did not answer: ${(e as Error).message}`);
        }
        if ('error' in reply) throw new PartitionLost(to, reply.error);
        return payload.byteLength;
      },
    };
  }

  function serve(r: Run, p: number, msg: Msg): void {
    const req = unpackRequest(msg.data);
    const node = r.nodes.get(p)!;
    const answer = (work: () => Promise<unknown> | unknown) => {
      Promise.resolve()
        .then(work)
        .then(
          (ok) => msg.respond(pack({ ok })),
          (e) => msg.respond(pack({ error: (e as Error).message, lost: e instanceof PartitionLost ? e.partition : undefined })),
        );
    };
    // A later epoch is one this worker has no part in (it was taken for lost): the partition's new owner answers.
    if (req.epoch > r.epoch) return;
    if (run !== r || req.epoch !== r.epoch) return answer(() => Promise.reject(new Error(`partition ${p}: a request of epoch ${req.epoch}, now ${r.epoch}`)));
    switch (req.op) {
      case OP.batch:
        return answer(() => node.insert(req.body) ?? true);
      case OP.expand:
        if (p === Math.min(...r.nodes.keys())) say(`worker ${id}: level ${req.arg}`);
        return answer(async () => withStacks(await node.expand(), systemOf!.asOnCoordinator));
      case OP.commit:
        return answer(async () => {
          const { report, log } = node.commit();
          await writeLog(js, r.id, p, req.arg, log);
          return report;
        });
      case OP.path:
        return answer(() => node.path(req.arg));
    }
  }

  await nc.closed();
  clearInterval(idle);
  clearInterval(abandoned);
  throw new ClusterError(`worker ${id}: lost the NATS server at ${url}`);
}

/** Exceptions' stacks name the spec's files as the coordinator has them (its report points at them). */
function withStacks(report: ExpandReport, rename: (text: string) => string): ExpandReport {
  for (const w of report.violations) if (w.violation.stack) w.violation.stack = rename(w.violation.stack);
  return report;
}

/** A level's log, in chunks small enough for the server; an empty level is one empty message. */
async function writeLog(js: JetStreamClient, run: string, p: number, level: number, log: Int32Array): Promise<void> {
  const bytes = new Uint8Array(log.buffer, log.byteOffset, log.byteLength);
  const subject = SUBJECT.log(run, p, level);
  const acks: Promise<unknown>[] = [];
  for (let at = 0; at < bytes.length || at === 0; at += LOG_CHUNK) {
    acks.push(js.publish(subject, bytes.slice(at, at + LOG_CHUNK)));
    if (bytes.length === 0) break;
  }
  await Promise.all(acks);
}

/** The logs of levels 1..upTo of partition p, each the concatenation of its chunks, in order. */
async function readLogs(js: JetStreamClient, run: string, p: number, upTo: number): Promise<Int32Array[]> {
  const parts: Uint8Array[][] = Array.from({ length: upTo }, () => []);
  // An ephemeral consumer on one filter subject (Debian's server, 2.9, knows no list of filters).
  const jsm = await js.jetstreamManager();
  const info = await jsm.consumers.add(streamOf(run), {
    filter_subject: `interleave.${run}.log.${p}.*`,
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    inactive_threshold: 60_000_000_000,
  });
  const consumer = await js.consumers.get(streamOf(run), info.name);
  for (let pending = info.num_pending; pending > 0; ) {
    const batch = await consumer.fetch({ max_messages: Math.min(pending, 256), expires: 5000 });
    let got = 0;
    for await (const m of batch) {
      const level = Number(m.subject.slice(m.subject.lastIndexOf('.') + 1));
      if (level <= upTo) parts[level - 1].push(m.data);
      got++;
      pending = m.info.pending;
      if (pending === 0) break;
    }
    if (got === 0) throw new Error(`partition ${p}: its log in JetStream ended early`);
  }
  await jsm.consumers.delete(streamOf(run), info.name).catch(() => {});
  return parts.map((chunks) => {
    const total = chunks.reduce((k, c) => k + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return new Int32Array(out.buffer);
  });
}
