// A real cluster: nats-server with JetStream on loopback, 1, 2 and 4 `interleave worker` processes,
// and `check --cluster`: the same distinct, generated, depth, verdicts and trace lengths as one
// machine, on every kernel spec and on the bench models at a small size; a worker killed with
// SIGKILL mid-level is replaced by a spare and the counts stay the same; losing the server is one
// line and exit 255, and the run goes on with --resume-run once the server is back.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interleave, NatsFixture, waitFor, waitForOwners } from './cluster-helpers.ts';
import { scratch, writeSpec } from './helpers.ts';

interface JsonRun {
  exitCode: number;
  notCheckedInCluster?: string[];
  results: { spec: string; variant: string; result: string; property?: string; distinct: number; generated: number; depth: number; traceLength?: number }[];
}

/** The figures a cluster run must share with one machine, per variant. */
function figures(doc: JsonRun) {
  return doc.results.map((r) => [`${r.spec} [${r.variant}]`, r.result, r.property, r.distinct, r.generated, r.depth, r.traceLength]);
}

async function check(args: string[]): Promise<{ code: number | null; doc: JsonRun; stderr: string }> {
  const r = await interleave(['check', ...args, '--json', '--out', scratch()]);
  let doc: JsonRun;
  try {
    doc = JSON.parse(r.stdout) as JsonRun;
  } catch {
    throw new Error(`interleave ${args.join(' ')} did not print JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, doc, stderr: r.stderr };
}

const KERNEL = ['specs/kernel'];
const BENCH = ['bench/counters.ts', 'bench/bounded-queue.ts', 'bench/symmetric-counters.ts', '--max-depth', '9'];

describe('check --cluster: a real nats-server and worker processes', () => {
  const nats = new NatsFixture();
  const single: Record<string, { code: number | null; doc: JsonRun }> = {};
  beforeAll(async () => {
    await nats.start();
    single.kernel = await check(KERNEL);
    single.bench = await check(BENCH);
  }, 180_000);
  afterAll(() => nats.close(), 20_000);
  // A test that failed or timed out leaves none of its processes to the next, and the server up.
  afterEach(() => nats.reset(), 30_000);

  it('the one-machine figures the cluster runs are held to are real ones', () => {
    // Kernel specs: some variants hold, some violate with a trace; the bench models stop at depth 9.
    expect(single.kernel.doc.results.length).toBeGreaterThan(20);
    expect(single.kernel.doc.results.filter((r) => r.traceLength! > 0).length).toBeGreaterThan(5);
    expect(single.kernel.code).toBe(12);
    expect(figures(single.bench.doc).map((f) => f[5])).toEqual([9, 9, 9]);
  });

  for (const workers of [1, 2, 4]) {
    it(`${workers} worker process${workers > 1 ? 'es' : ''}, 4 partitions: every kernel spec and the bench models as on one machine`, async () => {
      await nats.startWorkers(workers);
      try {
        const cluster = ['--cluster', nats.url, '--partitions', '4', '--cluster-workers', String(workers)];
        const kernel = await check([...KERNEL, ...cluster]);
        // Variants with temporal properties are left to one machine (their graph is checked in memory);
        // every other variant of every kernel spec runs on the cluster.
        const refused = new Set(kernel.doc.notCheckedInCluster);
        expect(refused.size).toBe(34);
        expect(figures(kernel.doc)).toEqual(figures(single.kernel.doc).filter((f) => !refused.has(String(f[0]).replace(' [default]', ''))));
        expect(new Set(kernel.doc.results.map((r) => r.spec))).toEqual(new Set(single.kernel.doc.results.map((r) => r.spec)));
        expect(kernel.code).toBe(single.kernel.code);
        const bench = await check([...BENCH, ...cluster]);
        expect(figures(bench.doc)).toEqual(figures(single.bench.doc));
      } finally {
        await nats.stopWorkers();
      }
    }, 180_000);
  }

  it('a worker killed with SIGKILL mid-level: a spare takes its partitions from the last committed level, same counts', async () => {
    const args = ['bench/counters.ts', '--max-depth', '24'];
    const one = await check(args);
    // Stopped at --max-depth: 'incomplete' in the JSON document, as every search that stopped early.
    expect(figures(one.doc)).toEqual([['counters [default]', 'incomplete', undefined, 400764, 1972153, 24, undefined]]);
    // Three workers for a run of two: the one the coordinator leaves idle is the spare.
    const three = await nats.startWorkers(3);
    try {
      const run = check([...args, '--cluster', nats.url, '--partitions', '4', '--cluster-workers', '2']);
      run.catch(() => undefined); // awaited below; a failure before that must not go unhandled
      const [victim] = await waitForOwners(three, 2).catch(async (e: Error) => {
        // What the coordinator said is the rest of the story.
        const said = await Promise.race([run.then((r) => r.stderr, (err: Error) => err.message), new Promise((r) => setTimeout(() => r('(still running)'), 30_000))]);
        throw new Error(`${e.message}\nthe coordinator: ${said}`);
      });
      const spare = three.find((w) => !/epoch 0: partitions/.test(w.output))!;
      // Kill one owner as it starts a level a few after the one it is at.
      const levels = [...victim.output.matchAll(/level (\d+)\n/g)].map((m) => Number(m[1]));
      const target = Math.max(8, ...levels.map((l) => l + 2));
      expect(target).toBeLessThan(24);
      await waitFor(victim, new RegExp(`level ${target}\n`));
      victim.process.kill('SIGKILL');
      const r = await run;
      expect(figures(r.doc)).toEqual(figures(one.doc));
      // The spare took the lost worker's two partitions, rebuilt from the level before the one cut short.
      const restored = /epoch \d+: partitions \d+, \d+ of 4, restored from level (\d+)/.exec(spare.output);
      expect(Number(restored?.[1])).toBeGreaterThanOrEqual(target - 1);
    } finally {
      await nats.stopWorkers();
    }
  }, 180_000);

  it('losing the server: one line naming it, exit 255; once it is back, --resume-run goes on to the same counts', async () => {
    const [first] = await nats.startWorkers(2);
    const args = ['check', 'bench/counters.ts', '--max-depth', '24', '--cluster', nats.url, '--cluster-workers', '2', '--out', scratch()];
    const run = interleave([...args, '--partitions', '4']);
    await waitFor(first, /level 5\n/);
    await nats.stopServer();
    const lost = await run;
    expect(lost.code).toBe(255);
    const url = nats.url.replaceAll('.', '\\.');
    const line = new RegExp(`^interleave: lost the NATS server at ${url}; run (\\w+) stopped after level (\\d+): once the server is back \\(with its JetStream store\\), go on with --resume-run \\1\n$`);
    expect(lost.stderr).toMatch(line);
    const [, id, level] = line.exec(lost.stderr)!;
    // The workers reconnect by themselves; the run goes on from its last committed level.
    await nats.startServer();
    await Promise.all(nats.workers.map((w) => waitFor(w, /given up/)));
    const resumed = await interleave([...args, '--resume-run', id]);
    expect(resumed.stdout).toContain(`cluster run ${id}: 4 partitions on 2 workers at ${nats.url}, resumed after level ${level}`);
    // What one machine finds for Counters to depth 24.
    expect(resumed.stdout).toMatch(/\n {2}1972153 states generated, 400764 distinct states found, 72072 states left on queue\.\n {2}Depth 24 /);
    expect(resumed.code).toBe(0);
    await nats.stopWorkers();
  }, 180_000);

  it('losing the server after some variants: those are still reported, in JSON and JUnit; the rest are not checked', async () => {
    const [first] = await nats.startWorkers(2);
    const dir = scratch();
    const junit = join(dir, 'junit.xml');
    const run = interleave(['check', 'specs/kernel', '--json', '--junit', junit, '--out', dir, '--cluster', nats.url, '--cluster-workers', '2', '--partitions', '4']);
    // Two variants over, then the server goes.
    await waitFor(first, /is over[^]*is over/);
    await nats.stopServer();
    const r = await run;
    expect(r.code).toBe(255);
    const doc = JSON.parse(r.stdout) as JsonRun & { clusterError: string };
    expect(doc.exitCode).toBe(255);
    // Lost during a variant, or gone when the next one connects.
    expect(doc.clusterError).toMatch(/^(lost|cannot reach) the NATS server at /);
    expect(doc.results.length).toBeGreaterThanOrEqual(2);
    expect(r.stderr).toBe(`interleave: ${doc.clusterError}\n`);
    const cases = (readFileSync(junit, 'utf8').match(/<testcase /g) ?? []).length;
    expect(cases).toBeGreaterThanOrEqual(doc.results.length);
  }, 180_000);

  it('an exception in spec code and an action property, found at a worker: the one-machine report, "thrown at" included', async () => {
    const dir = scratch();
    const spec = writeSpec(
      dir,
      'throws.ts',
      `import { defineSpec, int } from 'interleave';
export default defineSpec({
  name: 'throws',
  state: { x: int(0, 9), y: int(0, 9) },
  init: { x: 0, y: 0 },
  actions: {
    incX: { when: (s) => s.x < 9, do: (s) => { s.x++; } },
    incY: { when: (s) => s.y < 9, do: (s) => { s.y++; } },
    boom: { when: (s) => s.x === 3 && s.y === 2, do: () => { throw new Error('boom'); } },
  },
  actionProperties: { SumBelow4: (_s, t) => t.x + t.y < 4 },
  variants: { boom: {}, quiet: { properties: [] } },
  deadlock: false,
});
`,
    );
    await nats.startWorkers(2);
    try {
      const cluster = ['--cluster', nats.url, '--partitions', '3', '--cluster-workers', '2'];
      for (const [variant, first] of [['boom', "  action property 'SumBelow4' is violated by incX"], ['quiet', '  the recipe of boom(t=) threw: boom']] as const) {
        const one = await interleave(['check', spec, '--variant', variant, '--out', dir]);
        const many = await interleave(['check', spec, '--variant', variant, '--out', dir, ...cluster]);
        const report = (out: string) => out.split('\n').filter((l) => !l.startsWith('cluster run') && !/ s\.$/.test(l) && !/^\s+\d+\s/.test(l) && !/^\s+[xy][ :]/.test(l));
        expect(report(many.stdout)).toEqual(report(one.stdout));
        expect(many.code).toBe(one.code);
        expect(one.stdout.split('\n')[1].startsWith(first.replace('(t=)', ''))).toBe(true);
      }
      const boom = await interleave(['check', spec, '--variant', 'quiet', '--out', dir, ...cluster]);
      expect(boom.stdout).toMatch(/\n {2}thrown at .*throws\.ts:9:\d+\n/);
    } finally {
      await nats.stopWorkers();
    }
  }, 180_000);

  it('two coordinators at once on the same workers: each run gets workers of its own and the counts of one machine', async () => {
    await nats.startWorkers(3);
    const args = ['bench/counters.ts', '--max-depth', '16', '--cluster', nats.url, '--partitions', '2', '--cluster-workers', '1'];
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([check(args), check(args)]);
      for (const r of [a, b]) expect([r.code, r.stderr, figures(r.doc)]).toEqual([0, '', [['counters [default]', 'incomplete', undefined, 53760, 231553, 16, undefined]]]);
    }
  }, 180_000);

  it('a worker stopped with SIGTERM removes the specs it unpacked', async () => {
    const unpacked = () =>
      readdirSync(tmpdir())
        .filter((d) => d.startsWith('interleave-bundles-'))
        .flatMap((d) => readdirSync(join(tmpdir(), d)).map((h) => join(tmpdir(), d, h, 'specs/examples/refcount-race.ts')))
        .filter((f) => existsSync(f));
    const [w] = await nats.startWorkers(1);
    const r = await interleave(['check', 'specs/examples/refcount-race.ts', '--variant', 'atomic', '--cluster', nats.url, '--out', scratch()]);
    expect(r.code).toBe(0);
    expect(unpacked().length).toBeGreaterThanOrEqual(1);
    await nats.stopWorkers();
    expect(w.process.signalCode).toBe('SIGTERM');
    expect(unpacked()).toEqual([]);
  });

  it('cluster options without --cluster, or with --workers: a usage error, exit 151', async () => {
    const alone = await interleave(['check', 'specs/examples/die-hard.ts', '--partitions', '3']);
    expect([alone.code, alone.stderr.split('\n')[0]]).toEqual([151, 'interleave: --partitions and --cluster-workers go with --cluster']);
    const threads = await interleave(['check', 'specs/examples/die-hard.ts', '--cluster', nats.url, '--workers', '2']);
    expect([threads.code, threads.stderr.split('\n')[0]]).toEqual([151, "interleave: --workers and --cluster do not go together: a cluster run's workers are `interleave worker` processes"]);
  });

  it('temporal properties with --cluster: the variant is not checked, one line says so, exit 151', async () => {
    const r = await interleave(['check', 'specs/examples/ewd840.ts', '--variant', 'unfair', '--cluster', nats.url, '--out', scratch()]);
    expect(r.code).toBe(151);
    expect(r.stdout).toBe('Not checked, temporal properties need the state graph on one machine: ewd840 [unfair] (check them without --cluster; exit 151 unless worse).\n');
  });

  it('no server at the URL: one line, exit 255', async () => {
    const r = await interleave(['check', 'specs/examples/die-hard.ts', '--cluster', 'nats://127.0.0.1:1', '--out', scratch()]);
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/^interleave: cannot reach the NATS server at nats:\/\/127\.0\.0\.1:1 \(.*\); start one with `nats-server -js`\n$/);
  });
});
