// The partitioned search in one process (LocalCluster): every count, verdict and trace length is the
// one-machine search's, for any number of partitions. The broker-backed cluster runs the same engine
// (cluster.test.ts); this pins the engine down without it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalCluster, PartitionLost, PartitionNode, partitionedLevels } from '../checker/search/partitioned.ts';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { loadSpec } from '../src/load.ts';
import { ROOT } from './helpers.ts';

async function run(file: string, variant: string, partitions: number, maxDepth?: number) {
  const { spec } = await loadSpec(join(ROOT, file));
  const model = compileModel(spec, variant, join(ROOT, file));
  const levels = partitions === 0 ? undefined : partitionedLevels(new LocalCluster(model, partitions, { symmetry: true }));
  const r = await checkModel(model, { maxDepth, levels });
  return [r.outcome, r.property, r.stats.distinct, r.stats.generated, r.stats.depth, r.trace?.length, r.message];
}

const kernel = readdirSync(join(ROOT, 'specs/kernel')).filter((f) => f.endsWith('.ts'));

describe('partitioned search, in one process: the one-machine counts, verdicts and trace lengths', () => {
  for (const f of kernel) {
    const file = `specs/kernel/${f}`;
    it(`${file}, every variant without temporal properties, 1, 3 and 4 partitions`, async () => {
      const { spec } = await loadSpec(join(ROOT, file));
      for (const variant of spec.variantNames) {
        // Temporal properties are checked on the state graph on one machine, never partitioned.
        if (compileModel(spec, variant, join(ROOT, file)).liveness) continue;
        const one = await run(file, variant, 0);
        for (const p of [1, 3, 4]) expect(await run(file, variant, p), `${variant}, ${p} partitions`).toEqual(one);
      }
    }, 180_000);
  }
  for (const [file, depth] of [['bench/counters.ts', 7], ['bench/bounded-queue.ts', 7], ['bench/symmetric-counters.ts', 8]] as const) {
    it(`${file} to depth ${depth}, 2 and 5 partitions`, async () => {
      const one = await run(file, 'default', 0, depth);
      for (const p of [2, 5]) expect(await run(file, 'default', p, depth)).toEqual(one);
    }, 180_000);
  }
});

describe('partitioned search going on past violations (--continue)', () => {
  it('every violation of every variant of a kernel spec, with the trace of each, as on one machine', async () => {
    const file = 'specs/kernel/pg-fscache.ts';
    const { spec } = await loadSpec(join(ROOT, file));
    let violations = 0;
    for (const variant of spec.variantNames) {
      const model = compileModel(spec, variant, join(ROOT, file));
      if (model.liveness) continue;
      const figures = async (partitions: number) => {
        const levels = partitions === 0 ? undefined : partitionedLevels(new LocalCluster(model, partitions, { symmetry: true }));
        const r = await checkModel(model, { continue: true, levels });
        return [r.outcome, r.property, r.stats.distinct, r.stats.generated, r.violated?.map((v) => [v.property, v.trace?.length])];
      };
      const one = await figures(0);
      violations += (one[4] as unknown[]).length;
      expect(await figures(3), variant).toEqual(one);
    }
    expect(violations).toBeGreaterThan(5);
  }, 180_000);
});

describe('a partition lost while a level is expanded', () => {
  it('the expansion fails with PartitionLost, and no batch still in flight is left as an unhandled rejection', async () => {
    const { spec } = await loadSpec(join(ROOT, 'bench/counters.ts'));
    const model = compileModel(spec, 'default', join(ROOT, 'bench/counters.ts'));
    let sent = 0;
    // Partition 1 takes 40 batches (and drops them), then is gone: every batch sent to it fails a
    // moment later, as a request with no responder does.
    const link = {
      send: (to: number) => {
        const n = ++sent;
        return new Promise<number>((resolve, reject) =>
          setTimeout(() => (n <= 40 ? resolve(0) : reject(new PartitionLost(to, `partition ${to} did not answer`))), 2),
        );
      },
    };
    // Tiny batches and a window of 2: many in flight when the first failure comes back.
    const node = new PartitionNode(model, 0, 2, link, { symmetry: false, batchSlots: 8, window: 2 });
    const init = PartitionNode.initialBatches(model, 1, { symmetry: false });
    node.insert(init.batches[0]);
    node.commit();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      let lost: unknown;
      for (let level = 0; level < 30 && !lost; level++) {
        lost = await node.expand().then(() => undefined, (e: unknown) => e);
        if (!lost) node.commit();
      }
      expect(lost).toBeInstanceOf(PartitionLost);
      // The 41st failed while the 42nd was in flight (a window of 2).
      expect(sent).toBe(42);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
