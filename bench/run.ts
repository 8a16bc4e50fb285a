// `npm run bench`: each model checked as a whole child process, with 1 and with 2 workers in turn, a few
// times (the medians are reported, and the speed-up of each back-to-back pair; shared machines are noisy). Prints a table and writes bench/results.json.
// The counts must be exactly the stated ones: a faster checker that finds other numbers is wrong.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { numbers, option, runMeasured } from './options.ts';

const ROOT = resolve(import.meta.dirname, '..');

interface Model {
  name: string;
  file: string;
  args?: string[];
  /** Environment for the child (a scale option of the model). */
  env?: Record<string, string>;
  /** A model for peak memory: run --memory-runs times (default once) per worker count, and the RSS ratio of each pair reported. */
  memory?: boolean;
  /**
   * Also run as many one-worker checks at once as the most workers asked for, in each round: how much
   * the machine itself gives to that many searches side by side (cores that share caches, memory, a
   * host), the ceiling for the speed-up of a search with that many workers.
   */
  ceiling?: boolean;
  /** What TLC (or the formula in the spec's header) says. */
  expect: { distinct: number; generated: number; depth: number };
}

const MODELS: Model[] = [
  { name: 'Counters (N=6, K=11)', file: 'bench/counters.ts', ceiling: true, expect: { distinct: 2_985_984, generated: 17_915_905, depth: 67 } },
  { name: 'BoundedQueue (V=3, Cap=12)', file: 'bench/bounded-queue.ts', expect: { distinct: 3_188_644, generated: 6_377_281, depth: 15 } },
  // The realistic models: the TLA+ Examples' own models of these two modules, TLC's counts.
  {
    name: 'LamportMutex (N=3, maxClock=6)',
    file: 'specs/examples/lamport-mutex.ts',
    args: ['--const', 'N=3', '--const', 'maxClock=6', '--const', 'MaxNat=7'],
    ceiling: true,
    expect: { distinct: 724_274, generated: 2_729_079, depth: 61 },
  },
  {
    name: 'Bakery (N=2, MaxNat=2, Init == Inv)',
    file: 'specs/examples/bakery.ts',
    // Computing the 655,200 initial states takes seconds on a loaded machine, which the watchdog for
    // steps of spec code that never return would otherwise count against them.
    args: ['--const', 'N=2', '--const', 'MaxNat=2', '--step-timeout', '120'],
    expect: { distinct: 655_200, generated: 3_403_584, depth: 1 },
  },
  // The kernel spec that explores the most (specs/README.md); its counts as the checker finds them there.
  {
    name: 'pagecache-readahead [current], no symmetry',
    file: 'specs/kernel/pagecache-readahead.ts',
    args: ['--variant', 'current', '--symmetry', 'off'],
    expect: { distinct: 7548, generated: 27_490, depth: 26 },
  },
  { name: 'Symmetric counters (N=5, K=40)', file: 'bench/symmetric-counters.ts', expect: { distinct: 1_221_759, generated: 6_108_796, depth: 201 } },
  // Memory at scale: two workers must peak at no more than 1.25x one worker's resident memory.
  {
    name: 'Counters (N=6, K=16), memory',
    file: 'bench/counters.ts',
    env: { COUNTERS_K: '16' },
    memory: true,
    expect: { distinct: 24_137_569, generated: 144_825_415, depth: 97 },
  },
];

interface Run {
  distinct: number;
  generated: number;
  depth: number;
  wallSeconds: number;
  /** The search alone, as the checker reports it (no start-up). */
  searchSeconds: number;
  peakRssBytes: number;
  storeBytes: number;
  /** The liveness check, when the run had temporal properties. */
  liveness?: { states: number; edges: number; bytesPerEdge: number; durationMs: number };
}

if (process.argv.includes('--disk')) {
  // The long benchmark of the search on disk (bench/disk.ts), only when asked.
  await import('./disk.ts');
  process.exit(0);
}
const runs = Number(option('runs', '3'));
const memoryRuns = Number(option('memory-runs', '1'));
// --only takes one or more parts of file or model names, separated by commas.
const only = option('only', '')
  .split(',')
  .map((x) => x.trim().toLowerCase())
  .filter((x) => x !== '');
const selected = (text: string) => only.length === 0 || only.some((o) => text.toLowerCase().includes(o));
const workerCounts = numbers('workers', '1,2');

async function runOnce(m: Model, workers: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'interleave-bench-'));
  const rssFile = join(dir, 'rss');
  try {
    const args = [join(ROOT, 'bench', 'child.js'), 'check', m.file, '--json', '--workers', String(workers), ...(m.args ?? [])];
    const { exit: code, stdout, stderr, wallSeconds } = await runMeasured(process.execPath, args, { cwd: ROOT, env: { ...m.env, BENCH_RSS_FILE: rssFile } });
    if (code !== 0) throw new Error(`${m.name}, ${workers} worker(s): exit ${code}\n${stderr}${stdout.slice(0, 2000)}`);
    const r = JSON.parse(stdout).results[0];
    return { distinct: r.distinct, generated: r.generated, depth: r.depth, wallSeconds, searchSeconds: r.durationMs / 1000, peakRssBytes: Number(readFileSync(rssFile, 'utf8')), storeBytes: r.storeBytes, liveness: r.liveness };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Uncounted: a model's first check in a checkout also type-checks its spec files (about 5 s of CPU
 * in a child process, then cached) and compiles them through tsx (cached too), which would slow
 * whichever run came first. One level is enough to fill both caches.
 */
async function warmUp(m: Model): Promise<void> {
  const args = [join(ROOT, 'bin', 'interleave.js'), 'check', m.file, '--max-depth', '1', ...(m.args ?? [])];
  const { exit: code, stdout, stderr } = await runMeasured(process.execPath, args, { cwd: ROOT, env: { ...m.env } });
  if (code !== 0) throw new Error(`${m.name}, warm-up: exit ${code}\n${stderr}${stdout.slice(0, 2000)}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const results: Record<string, unknown>[] = [];
const speedUps: Record<string, unknown>[] = [];
const memoryRatios: Record<string, unknown>[] = [];
const rows: string[][] = [['model', 'workers', 'distinct', 'generated', 'depth', 'wall s', 'distinct/s', 'search s', 'distinct/s (search)', 'start-up s', 'peak RSS MB', 'RSS B/state', 'store B/state']];
const speedUpLines: string[] = [];
// The fastest run of each: on a shared machine the others are slowed by whatever else runs, and the
// fastest is the closest to what the checker does undisturbed.
const bestRows: string[][] = [['model', 'workers', 'best wall s', 'distinct/s (wall)', 'best search s', 'distinct/s (search)']];
const loadBefore = loadavg();
let wrong = 0;
for (const m of MODELS.filter((x) => selected(`${x.file} ${x.name}`))) {
  // The worker counts take turns (1, 2, 1, 2, ...), so that a change in the machine's load between
  // runs falls on both alike, and each round gives a speed-up from two runs made back to back (and,
  // for a model with a ceiling, the one-worker searches side by side right after them).
  const byWorkers = new Map<number, Run[]>(workerCounts.map((w) => [w, []]));
  await warmUp(m);
  const most = Math.max(...workerCounts);
  const sideBySide: Run[][] = [];
  for (let k = 0; k < (m.memory ? memoryRuns : runs); k++) {
    for (const workers of workerCounts) byWorkers.get(workers)!.push(await runOnce(m, workers));
    if (m.ceiling && most > 1) sideBySide.push(await Promise.all(Array.from({ length: most }, () => runOnce(m, 1))));
  }
  for (const [workers, all] of [...byWorkers, ...sideBySide.map((group) => [1, group] as const)]) {
    for (const x of all) {
      const got = { distinct: x.distinct, generated: x.generated, depth: x.depth };
      if (JSON.stringify(got) !== JSON.stringify(m.expect)) {
        wrong++;
        process.stderr.write(`WRONG COUNTS for ${m.name} with ${workers} worker(s): got ${JSON.stringify(got)}, expected ${JSON.stringify(m.expect)}\n`);
      }
    }
  }
  for (const [workers, all] of byWorkers) {
    const r = all[0];
    const wall = median(all.map((x) => x.wallSeconds));
    const rss = median(all.map((x) => x.peakRssBytes));
    const search = median(all.map((x) => x.searchSeconds));
    const bestWall = Math.min(...all.map((x) => x.wallSeconds));
    const bestSearch = Math.min(...all.map((x) => x.searchSeconds));
    // Everything but the search: node and tsx, loading the checker and the spec, the audit before
    // the search, the report. It does not shrink with more workers.
    const startup = median(all.map((x) => x.wallSeconds - x.searchSeconds));
    const row = {
      model: m.name,
      file: m.file,
      workers,
      distinct: r.distinct,
      generated: r.generated,
      depth: r.depth,
      wallSeconds: wall,
      wallSecondsAll: all.map((x) => x.wallSeconds),
      distinctPerSecond: r.distinct / wall,
      searchSeconds: search,
      searchSecondsAll: all.map((x) => x.searchSeconds),
      distinctPerSearchSecond: r.distinct / search,
      startupSeconds: startup,
      bestWallSeconds: bestWall,
      bestDistinctPerSecond: r.distinct / bestWall,
      bestSearchSeconds: bestSearch,
      bestDistinctPerSearchSecond: r.distinct / bestSearch,
      peakRssBytes: rss,
      rssBytesPerState: rss / r.distinct,
      storeBytesPerState: r.storeBytes / r.distinct,
    };
    results.push(row);
    rows.push([m.name, String(workers), n(r.distinct), n(r.generated), String(r.depth), n(wall, 2), n(row.distinctPerSecond), n(search, 2), n(row.distinctPerSearchSecond), n(startup, 2), n(rss / 2 ** 20), n(row.rssBytesPerState, 1), n(row.storeBytesPerState, 1)]);
    bestRows.push([m.name, String(workers), n(bestWall, 2), n(row.bestDistinctPerSecond), n(bestSearch, 2), n(row.bestDistinctPerSearchSecond)]);
    process.stderr.write(`  ${m.name}, ${workers} worker(s): ${all.map((x) => x.wallSeconds.toFixed(2)).join(' ')} s\n`);
  }
  const one = byWorkers.get(1);
  for (const [workers, all] of byWorkers) {
    if (!one || workers === 1) continue;
    const search = all.map((x, k) => one[k].searchSeconds / x.searchSeconds);
    const wall = all.map((x, k) => one[k].wallSeconds / x.wallSeconds);
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    // Each round's ceiling: that many one-worker searches at once, against the one alone that round.
    const ceiling = workers === most && sideBySide.length === all.length ? sideBySide.map((group, k) => (workers * one[k].searchSeconds) / (group.reduce((t, x) => t + x.searchSeconds, 0) / group.length)) : undefined;
    speedUps.push({
      model: m.name,
      workers,
      searchRatios: search,
      wallRatios: wall,
      medianSearch: median(search),
      medianWall: median(wall),
      ...(ceiling && { sideBySideSearchSeconds: sideBySide.map((group) => group.map((x) => x.searchSeconds)), ceilingRatios: ceiling, medianCeiling: median(ceiling), medianOfCeiling: median(search.map((x, k) => x / ceiling[k])) }),
    });
    if (m.memory) {
      const rss = all.map((x, k) => x.peakRssBytes / one[k].peakRssBytes);
      memoryRatios.push({ model: m.name, workers, peakRssRatios: rss, medianPeakRssRatio: median(rss) });
      speedUpLines.push(`${m.name}, ${workers} workers against 1: peak RSS ${list(rss)} (median ${median(rss).toFixed(2)}x)`);
    }
    speedUpLines.push(`${m.name}, ${workers} workers against 1: search ${list(search)} (median ${median(search).toFixed(2)}x); wall ${list(wall)} (median ${median(wall).toFixed(2)}x)`);
    if (ceiling) {
      const reached = search.map((x, k) => x / ceiling[k]);
      speedUpLines.push(`  the machine's ceiling, ${workers} one-worker searches at once against one alone: ${list(ceiling)} (median ${median(ceiling).toFixed(2)}x); ${workers} workers reach ${list(reached)} of it (median ${median(reached).toFixed(2)})`);
    }
  }
}

// The liveness check beside the safety-only run of the same million-state model (one worker: the
// liveness graph is recorded and searched in one thread after the search).
const LIVENESS = { name: 'Liveness counters (N=5, K=15)', file: 'bench/liveness-counters.ts', distinct: 1_048_576, edges: 5_242_880 };
const livenessRows: string[][] = [['run', 'distinct', 'wall s', 'peak RSS MB', 'graph states', 'transitions', 'B/transition', 'liveness s']];
const livenessResults: Record<string, unknown>[] = [];
if (selected(LIVENESS.file)) {
  const byVariant = new Map<string, (Run & { liveness?: { states: number; edges: number; bytesPerEdge: number; durationMs: number } })[]>([['safety', []], ['liveness', []]]);
  for (let k = 0; k < runs; k++) {
    for (const [variant, all] of byVariant) {
      const m: Model = { name: `${LIVENESS.name} [${variant}]`, file: LIVENESS.file, args: ['--variant', variant], expect: { distinct: LIVENESS.distinct, generated: 5_242_881, depth: 76 } };
      const r = await runOnce(m, 1);
      if (r.distinct !== LIVENESS.distinct || (variant === 'liveness' && r.liveness?.edges !== LIVENESS.edges)) {
        wrong++;
        process.stderr.write(`WRONG COUNTS for ${m.name}: ${JSON.stringify(r)}\n`);
      }
      all.push(r);
    }
  }
  for (const [variant, all] of byVariant) {
    const wall = median(all.map((x) => x.wallSeconds));
    const rss = median(all.map((x) => x.peakRssBytes));
    const l = all[0].liveness;
    const livenessSeconds = l ? median(all.map((x) => x.liveness!.durationMs / 1000)) : undefined;
    livenessResults.push({ variant, distinct: all[0].distinct, wallSeconds: wall, wallSecondsAll: all.map((x) => x.wallSeconds), peakRssBytes: rss, graph: l, livenessSeconds });
    livenessRows.push([variant, n(all[0].distinct), n(wall, 2), n(rss / 2 ** 20), l ? n(l.states) : '', l ? n(l.edges) : '', l ? String(l.bytesPerEdge) : '', livenessSeconds !== undefined ? n(livenessSeconds, 2) : '']);
  }
}
const loadAfter = loadavg();

function printTable(table: string[][]): void {
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}
if (rows.length > 1) printTable(rows);
if (livenessRows.length > 1) {
  console.log(`\nLiveness beside safety only, ${LIVENESS.name}, medians of ${runs} run(s), 1 worker:`);
  printTable(livenessRows);
}
console.log(`\nMedians of ${runs} run(s) each; wall time includes start-up (node, tsx, loading the spec).`);
if (bestRows.length > 1) {
  console.log(`\nThe fastest of the ${runs} runs:`);
  printTable(bestRows);
}
if (speedUpLines.length > 0) console.log(`\nSpeed-up and memory, per back-to-back pair of runs:\n${speedUpLines.join('\n')}`);
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(`Load average before: ${load(loadBefore)}; after: ${load(loadAfter)} (${cpus().length} CPUs).`);

let canonicalisation: string | undefined;
if (results.length > 0 && existsSync(join(ROOT, 'bench', 'canonicalise.ts'))) {
  const r = await runMeasured(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'canonicalise.ts')], { cwd: ROOT });
  process.stderr.write(r.stderr);
  canonicalisation = r.stdout;
  console.log('\nSymmetry (bench/canonicalise.ts):\n' + r.stdout);
}

const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryBytes: totalmem(), node: process.version, platform: process.platform };
const record = { date: new Date().toISOString(), machine, loadAverage: { before: loadBefore, after: loadAfter }, runs };
// A run of only some models (--only) leaves the other file's figures as they were, and the disk
// benchmark's figures (npm run bench -- --disk) stay until it is run again.
if (results.length > 0) {
  // The disk benchmark's figures (npm run bench -- --disk) and the cluster's rows (bench/cluster.ts)
  // are kept: this bench does not measure them.
  const resultsFile = join(ROOT, 'bench', 'results.json');
  const kept = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { disk?: unknown; cluster?: unknown }) : {};
  writeFileSync(resultsFile, JSON.stringify({ ...record, memoryRuns, results, speedUps, memoryRatios, canonicalisation, disk: kept.disk, cluster: kept.cluster }, null, 2) + '\n');
  console.log('Wrote bench/results.json.');
}
if (livenessResults.length > 0) {
  writeFileSync(join(ROOT, 'bench', 'liveness-results.json'), JSON.stringify({ ...record, model: LIVENESS, results: livenessResults }, null, 2) + '\n');
  console.log('Wrote bench/liveness-results.json.');
}
if (wrong > 0) {
  console.error(`\n${wrong} run(s) found the wrong number of states.`);
  process.exit(1);
}
