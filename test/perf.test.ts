// The engine at scale: the parallel search finds exactly what one thread finds, a memory limit and
// Ctrl-C stop a run cleanly with its statistics, and long runs report progress.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { loadSpec } from '../src/load.ts';
import { cli, ROOT, scratch } from './helpers.ts';

async function check(file: string, variant: string, workers: number, symmetry?: boolean) {
  const { spec } = await loadSpec(join(ROOT, file));
  return checkModel(compileModel(spec, variant, join(ROOT, file)), { workers, symmetry });
}

describe('--workers: the same states, verdicts and trace lengths as one worker', () => {
  const cases: [string, string, boolean | undefined, [string, number, number, number]][] = [
    ['specs/examples/tcommit.ts', 'default', false, ['ok', 34, 94, 7]],
    ['specs/examples/two-phase.ts', 'default', false, ['ok', 288, 1146, 11]],
    ['specs/examples/two-phase.ts', 'default', true, ['ok', 80, 318, 11]],
    ['specs/examples/peterson.ts', 'default', undefined, ['ok', 42, 77, 11]],
    ['specs/examples/refcount-race.ts', 'atomic', undefined, ['ok', 4, 5, 4]],
  ];
  for (const [file, variant, symmetry, expected] of cases) {
    // Three workers on two cores: more regions per level than cores, so threads take from each other's.
    it(`${file} [${variant}${symmetry === false ? ', no symmetry' : ''}]: ${expected.slice(1).join(' / ')} with 1, 2 and 3 workers`, async () => {
      for (const workers of [1, 2, 3]) {
        const r = await check(file, variant, workers, symmetry);
        expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(expected);
        expect(r.stats.complete).toBe(true);
      }
    }, 180_000);
  }

  it('bounded-queue at scale: 3,188,644 distinct, 6,377,281 generated, depth 15 with 2 workers', async () => {
    const r = await check('bench/bounded-queue.ts', 'default', 2);
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 3188644, 6377281, 15]);
  }, 300_000);

  it('violations: the same verdict, shortest trace length and counts with 2 and 3 workers', async () => {
    for (const [file, variant, property, length, distinct, generated] of [
      ['specs/examples/die-hard.ts', 'default', 'NotSolved', 7, 14, 73],
      ['specs/examples/refcount-race.ts', 'racy', 'NoLeak', 5, 8, 10],
      ['specs/kernel/zap-ordering.ts', 'ksm-twostep', 'O2', 15, 1239, 2841],
    ] as const) {
      for (const workers of [1, 2, 3]) {
        const r = await check(file, variant, workers);
        expect([r.outcome, r.property, r.trace?.length, r.stats.distinct, r.stats.generated]).toEqual(['invariant', property, length, distinct, generated]);
      }
    }
  }, 180_000);

  it('a level that breaks two properties reports the same one whatever the number of workers, and a deadlock first', async () => {
    const runs = async (variant: string) => Promise.all([1, 2, 3].map(async (workers) => {
      const r = await check('test/fixtures/two-ways.ts', variant, workers);
      return [r.outcome, r.property, r.trace?.length, r.stats.distinct, r.stats.generated];
    }));
    const invariant = await runs('no-deadlock');
    expect(invariant[0]).toEqual(['invariant', invariant[0][1], 3, 5, 5]);
    expect(['SmallA', 'SmallSum']).toContain(invariant[0][1]);
    expect(invariant.slice(1)).toEqual([invariant[0], invariant[0]]);
    // The deadlock of (0, 1) is found while depth 2 is expanded, as are the two broken invariants of
    // depth 3; its trace is a state shorter, so it is the one reported.
    expect(await runs('deadlock')).toEqual(Array(3).fill(['deadlock', 'deadlock', 2, 5, 5]));
  }, 180_000);
});

describe('stopping a run cleanly', () => {
  it('--max-memory stops with a message and the statistics so far (exit 255)', () => {
    // Counters at 24 million states, far past the limit; the limit well above what the process uses
    // before the search, whose threads load meanwhile (100-125 MB when the machine is idle).
    for (const [workers, limit] of [['1', 200], ['2', 250]]) {
      const r = cli(['check', 'bench/counters.ts', '--max-memory', `${limit}M`, '--workers', `${workers}`], { env: { COUNTERS_K: '16' } });
      expect(r.code).toBe(255);
      expect(r.stdout).toContain('no violation (incomplete: max-memory)');
      expect(r.stdout).toMatch(new RegExp(`Stopped at the memory limit \\(--max-memory ${limit} MB; raise it, or bound the model\\)\\. \\d+ states generated, \\d+ distinct states found, \\d+ states left on queue\\.`));
      expect(r.stderr).toBe('');
    }
  }, 180_000);

  it('--max-memory takes sizes, and refuses nonsense (exit 151)', () => {
    const r = cli(['check', 'specs/examples/die-hard.ts', '--max-memory', 'lots']);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain("--max-memory must be a size such as 8G, 512M or 100000000, not 'lots'");
  });

  it.each(['1', '2'])('Ctrl-C prints the statistics so far and exits 255, without a stack trace; progress lines come first (%s workers)', async (workers) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'interleave.js'), 'check', 'bench/counters.ts', '--progress', '1', '--workers', workers], {
      cwd: ROOT,
      // 24M states: a search that is still under way when the first progress line comes.
      env: { ...process.env, NO_COLOR: '1', COUNTERS_K: '16' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    const progressed = new Promise<void>((resolve) =>
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('distinct/s')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await progressed;
    child.kill('SIGINT');
    expect(await exited).toBe(255);
    expect(stderr).toMatch(/counters: depth \d+, [\d,]+ distinct, [\d,]+ generated, [\d,]+ on queue, [\d,]+ distinct\/s, \d+ MB/);
    expect(stdout).toContain('no violation (incomplete: interrupted)');
    expect(stdout).toMatch(/Interrupted\. \d+ states generated, \d+ distinct states found, \d+ states left on queue\./);
    expect(stdout + stderr).not.toMatch(/^\s+at /m);
  }, 180_000);
});

describe('every bundled spec: the same verdicts, counts and trace lengths with 1, 2 and 3 workers', () => {
  it('specs/ checked with --workers 1, 2 and 3 agree variant by variant', () => {
    const rows = [1, 2, 3].map((workers) => {
      const r = cli(['check', 'specs', '--json', '--gate', '--workers', String(workers), '--out', scratch()]);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout).results as Record<string, unknown>[]).map((x) => [x.spec, x.variant, x.result, x.property, x.distinct, x.generated, x.depth, x.traceLength]);
    });
    expect(rows[0].length).toBe(122);
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[2]).toEqual(rows[0]);
  }, 600_000);
});
