// A cluster run of one variant, started by the search thread: the partitions it hands the search, and
// a line of traffic figures after it.
import type { CheckResult } from '../compile/check.ts';
import type { Model } from '../compile/model.ts';

/** --cluster, --resume-run, --partitions, --cluster-workers: plain data, sent to the search thread. */
export interface ClusterChoices {
  url: string;
  resumeRun?: string;
  partitions?: number;
  workers?: number;
}

export async function clusterRun(model: Model, choices: ClusterChoices, opts: { symmetry: boolean; deadlock?: boolean }, log: (s: string) => void) {
  // Loaded only here: the NATS client is no cost to a run on one machine.
  const { NatsCluster } = await import('../cluster/coordinator.ts');
  const { partitionedLevels } = await import('../../checker/search/partitioned.ts');
  const workers = choices.workers ?? 1;
  const cluster = await NatsCluster.start(model, {
    url: choices.url,
    resume: choices.resumeRun,
    partitions: choices.partitions ?? workers,
    workers,
    symmetry: opts.symmetry,
    deadlock: opts.deadlock,
    say: log,
  });
  let wire: { records: number; bytes: number } | undefined;
  return {
    levels: partitionedLevels(cluster, (runner) => (wire = runner.wire), cluster.checkpoint),
    done: (r: CheckResult) => {
      const perState = wire && wire.records > 0 ? (wire.bytes / wire.records).toFixed(1) : '0';
      log(
        `cluster run ${cluster.run}: ${(wire?.records ?? 0).toLocaleString('en-US')} successors (${(wire?.bytes ?? 0).toLocaleString('en-US')} bytes, ${perState} bytes each) ` +
          `went through the broker; ${cluster.recoveries} level${cluster.recoveries === 1 ? '' : 's'} run again after a lost worker; ${r.stats.distinct.toLocaleString('en-US')} distinct`,
      );
    },
  };
}
