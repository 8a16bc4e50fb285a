// `npm run bench -- --disk`: Counters at K = 16 and K = 18 (24,137,569 and 47,045,881 states), in
// memory, and on disk with 1 and 2 workers (--workers) inside a memory cgroup limited to 300 MB;
// with --tlc JAR --tlc-model DIR, also TLC's disk-backed run of the same model in the same cgroup.
// The cgroup counts the operating system's page cache too, so the disk cannot hide in it
// (--max-memory alone would let it). Long: several minutes per run, so it runs only when asked.
// Writes the figures into bench/results.json under "disk", beside the other benchmarks' figures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { numbers, option, runMeasured, type Finished } from './options.ts';

const ROOT = resolve(import.meta.dirname, '..');
const LIMIT = 300 * 2 ** 20;
// The Counters of the other benchmarks, scaled by COUNTERS_K. `variant` names the scale for --only
// and in bench/results.json (its figures before 30 November are of a copy of the model with a
// state bound of 18, bench/counters-large.ts, since removed).
const FILE = 'bench/counters.ts';
const MODELS = [
  { variant: 'k16', K: 16, name: 'Counters (N=6, K=16)', expect: { distinct: 24_137_569, generated: 144_825_415, depth: 97 } },
  { variant: 'k18', K: 18, name: 'Counters (N=6, K=18)', expect: { distinct: 47_045_881, generated: 282_275_287, depth: 109 } },
];

const only = option('only', '');
/** Worker counts of the runs on disk. */
const diskWorkers = numbers('workers', '1,2');
/** TLC: its jar, and a folder with Counters.tla and K16.cfg, K18.cfg (bench/README.md has them). */
const tlcJar = option('tlc', '');
const tlcModel = option('tlc-model', '');
const tlcWorkers = numbers('tlc-workers', '1');

/** A fresh memory cgroup limited to LIMIT bytes: cgroup v2 where it has the memory controller, else v1. */
function makeCgroup(name: string): { procs: string; peak: () => number; failures: () => number; remove: () => void } {
  const v2 = '/sys/fs/cgroup';
  if (existsSync(join(v2, 'cgroup.controllers')) && readFileSync(join(v2, 'cgroup.controllers'), 'utf8').includes('memory')) {
    const dir = join(v2, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'memory.max'), String(LIMIT));
    return {
      procs: join(dir, 'cgroup.procs'),
      peak: () => (existsSync(join(dir, 'memory.peak')) ? Number(readFileSync(join(dir, 'memory.peak'), 'utf8')) : NaN),
      failures: () => Number(/max (\d+)/.exec(readFileSync(join(dir, 'memory.events'), 'utf8'))?.[1] ?? NaN),
      remove: () => rmdirSync(dir),
    };
  }
  const dir = join(v2, 'memory', name);
  if (!existsSync(join(v2, 'memory'))) throw new Error('no memory cgroup here (neither v2 with the memory controller nor v1): run as root on Linux');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'memory.limit_in_bytes'), String(LIMIT));
  writeFileSync(join(dir, 'memory.max_usage_in_bytes'), '0');
  writeFileSync(join(dir, 'memory.failcnt'), '0');
  return {
    procs: join(dir, 'cgroup.procs'),
    peak: () => Number(readFileSync(join(dir, 'memory.max_usage_in_bytes'), 'utf8')),
    failures: () => Number(readFileSync(join(dir, 'memory.failcnt'), 'utf8')),
    remove: () => rmdirSync(dir),
  };
}

interface Run {
  exit: number | null;
  distinct: number;
  generated: number;
  depth: number;
  wallSeconds: number;
  /** The search alone, as the checker reports it (TLC: its "Finished in"). */
  searchSeconds: number;
  peakRssBytes?: number;
  cgroupPeakBytes?: number;
  cgroupLimitHits?: number;
  disk?: Record<string, number>;
  /** TLC: how it ran (its fingerprint set, queue, heap and off-heap memory). */
  how?: string;
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** Runs the command, inside a fresh memory cgroup when asked; the cgroup's peak and limit hits. */
async function measure(command: string[], opts: { cgroup: boolean; env?: NodeJS.ProcessEnv; label: string }): Promise<Finished & { cgroupPeakBytes?: number; cgroupLimitHits?: number }> {
  const cgroup = opts.cgroup ? makeCgroup(`interleave-bench-disk-${process.pid}`) : undefined;
  const line = command.map(quote).join(' ');
  try {
    const r = await runMeasured('sh', ['-c', cgroup ? `echo $$ > ${quote(cgroup.procs)} && exec ${line}` : `exec ${line}`], { cwd: ROOT, env: opts.env });
    if (!r.stdout) throw new Error(`${opts.label}: exit ${r.exit}\n${r.stderr}`);
    return { ...r, cgroupPeakBytes: cgroup?.peak(), cgroupLimitHits: cgroup?.failures() };
  } finally {
    cgroup?.remove();
  }
}

/** Interleave in memory (workers undefined: one worker, no cgroup) or on disk under the cgroup. */
async function runInterleave(variant: string, K: number, diskWith?: number): Promise<Run> {
  const scratch = mkdtempSync(join(tmpdir(), 'interleave-bench-disk-'));
  const rssFile = join(scratch, 'rss');
  const args = [process.execPath, join(ROOT, 'bench', 'child.js'), 'check', FILE, '--json', '--out', scratch];
  if (diskWith !== undefined) args.push('--store', 'disk', '--store-dir', scratch, '--max-memory', String(LIMIT), '--workers', String(diskWith));
  const label = `${variant}${diskWith !== undefined ? ` on disk, ${diskWith} worker(s)` : ' in memory'}`;
  let m: Awaited<ReturnType<typeof measure>>;
  try {
    m = await measure(args, { cgroup: diskWith !== undefined, env: { BENCH_RSS_FILE: rssFile, COUNTERS_K: String(K) }, label });
  } catch (e) {
    // A run the cgroup's out-of-memory killer ends is a figure too; the other runs go on.
    process.stderr.write(`${(e as Error).message}\n`);
    rmSync(scratch, { recursive: true, force: true });
    return { exit: null, distinct: NaN, generated: NaN, depth: NaN, wallSeconds: NaN, searchSeconds: NaN };
  }
  const r = JSON.parse(m.stdout).results[0];
  const peakRssBytes = Number(readFileSync(rssFile, 'utf8'));
  rmSync(scratch, { recursive: true, force: true });
  return { exit: m.exit, distinct: r.distinct, generated: r.generated, depth: r.depth, wallSeconds: m.wallSeconds, searchSeconds: r.durationMs / 1000, peakRssBytes, cgroupPeakBytes: m.cgroupPeakBytes, cgroupLimitHits: m.cgroupLimitHits, disk: r.disk };
}

/** TLC with its defaults (in a cgroup of 300 MB: a fingerprint set that spills to disk, and a queue on disk). */
async function runTlc(K: number, workers: number): Promise<Run> {
  const meta = mkdtempSync(join(tmpdir(), 'interleave-bench-tlc-'));
  const args = ['java', '-XX:+UseParallelGC', '-cp', tlcJar, 'tlc2.TLC', '-workers', String(workers), '-metadir', meta, '-config', join(tlcModel, `K${K}.cfg`), join(tlcModel, 'Counters.tla')];
  try {
    const m = await measure(args, { cgroup: true, label: `TLC, K = ${K}` });
    const out = m.stdout;
    const counts = /([\d,]+) states generated, ([\d,]+) distinct states found, ([\d,]+) states left on queue/.exec(out);
    const depth = /depth of the complete state graph search is (\d+)/.exec(out);
    const finished = /Finished in (?:(\d+)h )?(?:(\d+)min )?(\d+)s/.exec(out);
    const how = /with \d+ workers? on \d+ cores with [^(]*\(([^)]*)\)/.exec(out);
    const num = (x: string | undefined) => Number((x ?? 'NaN').replaceAll(',', ''));
    if (!counts) throw new Error(`TLC, K = ${K}: exit ${m.exit}\n${out.slice(-2000)}${m.stderr}`);
    const heap = /with (\d+MB heap and \d+MB offheap memory)/.exec(out)?.[1];
    return {
      exit: m.exit,
      distinct: num(counts[2]),
      generated: num(counts[1]),
      depth: num(depth?.[1]),
      wallSeconds: m.wallSeconds,
      searchSeconds: finished ? num(finished[1] ?? '0') * 3600 + num(finished[2] ?? '0') * 60 + num(finished[3]) : NaN,
      cgroupPeakBytes: m.cgroupPeakBytes,
      cgroupLimitHits: m.cgroupLimitHits,
      how: [heap, how?.[1]?.split(', ').slice(-2).join(', ')].filter(Boolean).join('; '),
    };
  } finally {
    rmSync(meta, { recursive: true, force: true });
  }
}

/** The commit measured (undefined outside a git checkout). */
function commit(): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const loadBefore = loadavg();
const results: Record<string, unknown>[] = [];
let wrong = 0;
const mb = (b: number | undefined) => (b === undefined ? '' : (b / 2 ** 20).toFixed(0));
for (const m of MODELS.filter((x) => !only || x.variant === only)) {
  const runs: [string, Run][] = [];
  const memory = await runInterleave(m.variant, m.K);
  runs.push(['in memory', memory]);
  process.stderr.write(`  ${m.name} in memory: ${memory.wallSeconds.toFixed(1)} s\n`);
  const disk: Record<string, Run> = {};
  for (const w of diskWorkers) {
    const r = await runInterleave(m.variant, m.K, w);
    disk[w] = r;
    runs.push([`on disk, ${w} worker(s)`, r]);
    process.stderr.write(`  ${m.name} on disk under ${mb(LIMIT)} MB, ${w} worker(s): ${r.wallSeconds.toFixed(1)} s\n`);
  }
  const tlc: Record<string, Run> = {};
  if (tlcJar) {
    for (const w of tlcWorkers) {
      let r: Run;
      try {
        r = await runTlc(m.K, w);
      } catch (e) {
        // TLC's failure is reported with the figures, and does not lose Interleave's.
        process.stderr.write(`${(e as Error).message}\n`);
        r = { exit: null, distinct: NaN, generated: NaN, depth: NaN, wallSeconds: NaN, searchSeconds: NaN, how: `failed: ${(e as Error).message.split('\n')[0]}` };
      }
      tlc[w] = r;
      runs.push([`TLC, ${w} worker(s)`, r]);
      process.stderr.write(`  ${m.name}, TLC under ${mb(LIMIT)} MB, ${w} worker(s): ${r.wallSeconds.toFixed(1)} s (${r.how})\n`);
    }
  }
  for (const [how, r] of runs) {
    const got = { distinct: r.distinct, generated: r.generated, depth: r.depth };
    if (r.exit !== 0 || JSON.stringify(got) !== JSON.stringify(m.expect)) {
      wrong++;
      process.stderr.write(`WRONG for ${m.name} ${how}: exit ${r.exit}, ${JSON.stringify(got)}, expected ${JSON.stringify(m.expect)}\n`);
    }
  }
  const first = disk[diskWorkers[0]];
  results.push({ model: m.name, file: FILE, variant: m.variant, limitBytes: LIMIT, memory, disk: first, diskByWorkers: disk, tlcByWorkers: tlcJar ? tlc : undefined, wallRatio: first.wallSeconds / memory.wallSeconds, searchRatio: first.searchSeconds / memory.searchSeconds });
  console.log(`${m.name}: ${m.expect.distinct.toLocaleString('en-US')} states. In memory ${memory.searchSeconds.toFixed(1)} s (search), ${mb(memory.peakRssBytes)} MB peak RSS.`);
  for (const [w, r] of Object.entries(disk)) {
    console.log(
      `  on disk under ${mb(LIMIT)} MB, ${w} worker(s): ${r.searchSeconds.toFixed(1)} s, ${mb(r.peakRssBytes)} MB peak RSS, cgroup peak ${mb(r.cgroupPeakBytes)} MB (limit reached ${r.cgroupLimitHits} times), ` +
        `${mb(r.disk?.bytes)} MB on disk, ${r.disk?.merges} merges, ${r.disk?.pageReads} page reads: ${(r.searchSeconds / memory.searchSeconds).toFixed(2)}x the time in memory.`,
    );
  }
  for (const [w, r] of Object.entries(tlc)) {
    console.log(`  TLC under ${mb(LIMIT)} MB, ${w} worker(s): ${r.searchSeconds} s (its "Finished in"), ${r.wallSeconds.toFixed(1)} s wall, cgroup peak ${mb(r.cgroupPeakBytes)} MB (limit reached ${r.cgroupLimitHits} times); ${r.how}.`);
  }
}
const loadAfter = loadavg();
const path = join(ROOT, 'bench', 'results.json');
const doc = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
// A run of some of the models (--only) keeps the figures of the others.
const ran = new Set(results.map((r) => r.variant));
const kept = ((doc.disk?.results ?? []) as Record<string, unknown>[]).filter((r) => !ran.has(r.variant));
for (const r of results) Object.assign(r, { date: new Date().toISOString(), commit: commit(), loadAverage: { before: loadBefore, after: loadAfter } });
// TLC prints its version first, also when it has no spec to check.
const tlcVersion = tlcJar ? /^TLC2 Version .*$/m.exec(spawnSync('java', ['-cp', tlcJar, 'tlc2.TLC'], { encoding: 'utf8' }).stdout)?.[0] : undefined;
doc.disk = { cpus: cpus().length, tlc: tlcJar ? { jar: tlcJar, version: tlcVersion } : 'not run (--tlc JAR --tlc-model DIR): no TLC figures', results: [...kept, ...results] };
writeFileSync(path, JSON.stringify(doc, null, 2) + '\n');
console.log(`Load average before: ${loadBefore.map((x) => x.toFixed(2)).join(' ')}; after: ${loadAfter.map((x) => x.toFixed(2)).join(' ')}. Wrote bench/results.json ("disk").`);
if (wrong > 0) process.exit(1);
