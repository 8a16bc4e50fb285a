// `npm run bench -- --disk`: Counters at K = 16 and K = 18 (24,137,569 and 47,045,881 states), in
// memory, and on disk inside a memory cgroup limited to 300 MB. The cgroup counts the operating
// system's page cache too, so the disk cannot hide in it (--max-memory alone would let it). Long:
// several minutes per run, so it runs only when asked. Writes the figures into bench/results.json
// under "disk", beside the other benchmarks' figures.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const LIMIT = 300 * 2 ** 20;
const FILE = 'bench/counters-large.ts';
const MODELS = [
  { variant: 'k16', name: 'Counters (N=6, K=16)', expect: { distinct: 24_137_569, generated: 144_825_415, depth: 97 } },
  { variant: 'k18', name: 'Counters (N=6, K=18)', expect: { distinct: 47_045_881, generated: 282_275_287, depth: 109 } },
];

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const only = option('only', '');

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
  searchSeconds: number;
  peakRssBytes: number;
  cgroupPeakBytes?: number;
  cgroupLimitHits?: number;
  disk?: Record<string, number>;
}

async function runOnce(variant: string, onDisk: boolean): Promise<Run> {
  const scratch = mkdtempSync(join(tmpdir(), 'interleave-bench-disk-'));
  const rssFile = join(scratch, 'rss');
  const args = [join(ROOT, 'bench', 'child.js'), 'check', FILE, '--variant', variant, '--json', '--out', scratch];
  if (onDisk) args.push('--store', 'disk', '--store-dir', scratch, '--max-memory', String(LIMIT));
  const cgroup = onDisk ? makeCgroup(`interleave-bench-disk-${process.pid}`) : undefined;
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = cgroup ? `echo $$ > ${quote(cgroup.procs)} && exec ${[process.execPath, ...args].map(quote).join(' ')}` : [process.execPath, ...args].map(quote).join(' ');
  const started = process.hrtime.bigint();
  const child = spawn('sh', ['-c', command], { cwd: ROOT, env: { ...process.env, BENCH_RSS_FILE: rssFile } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exit = await new Promise<number | null>((done) => child.on('exit', done));
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cgroupPeakBytes = cgroup?.peak();
  const cgroupLimitHits = cgroup?.failures();
  cgroup?.remove();
  if (!stdout) throw new Error(`${variant}${onDisk ? ' on disk' : ''}: exit ${exit}\n${stderr}`);
  const r = JSON.parse(stdout).results[0];
  const peakRssBytes = Number(readFileSync(rssFile, 'utf8'));
  rmSync(scratch, { recursive: true, force: true });
  return { exit, distinct: r.distinct, generated: r.generated, depth: r.depth, wallSeconds, searchSeconds: r.durationMs / 1000, peakRssBytes, cgroupPeakBytes, cgroupLimitHits, disk: r.disk };
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
  const memory = await runOnce(m.variant, false);
  process.stderr.write(`  ${m.name} in memory: ${memory.wallSeconds.toFixed(1)} s\n`);
  const disk = await runOnce(m.variant, true);
  process.stderr.write(`  ${m.name} on disk under ${mb(LIMIT)} MB: ${disk.wallSeconds.toFixed(1)} s\n`);
  for (const [how, r] of [['in memory', memory], ['on disk', disk]] as const) {
    const got = { distinct: r.distinct, generated: r.generated, depth: r.depth };
    if (r.exit !== 0 || JSON.stringify(got) !== JSON.stringify(m.expect)) {
      wrong++;
      process.stderr.write(`WRONG for ${m.name} ${how}: exit ${r.exit}, ${JSON.stringify(got)}, expected ${JSON.stringify(m.expect)}\n`);
    }
  }
  results.push({ model: m.name, file: FILE, variant: m.variant, limitBytes: LIMIT, memory, disk, wallRatio: disk.wallSeconds / memory.wallSeconds, searchRatio: disk.searchSeconds / memory.searchSeconds });
  console.log(
    `${m.name}: ${m.expect.distinct.toLocaleString('en-US')} states. In memory ${memory.searchSeconds.toFixed(1)} s (search), ${mb(memory.peakRssBytes)} MB peak RSS; ` +
      `on disk under ${mb(LIMIT)} MB ${disk.searchSeconds.toFixed(1)} s, ${mb(disk.peakRssBytes)} MB peak RSS, cgroup peak ${mb(disk.cgroupPeakBytes)} MB (limit reached ${disk.cgroupLimitHits} times), ` +
      `${mb(disk.disk?.bytes)} MB on disk, ${disk.disk?.merges} merges, ${disk.disk?.pageReads} page reads: ${(disk.searchSeconds / memory.searchSeconds).toFixed(2)}x the time in memory.`,
  );
}
const loadAfter = loadavg();
const path = join(ROOT, 'bench', 'results.json');
const doc = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
// A run of some of the models (--only) keeps the figures of the others.
const ran = new Set(results.map((r) => r.variant));
const kept = ((doc.disk?.results ?? []) as Record<string, unknown>[]).filter((r) => !ran.has(r.variant));
for (const r of results) Object.assign(r, { date: new Date().toISOString(), commit: commit(), loadAverage: { before: loadBefore, after: loadAfter } });
doc.disk = { cpus: cpus().length, tlc: 'not installed on this machine: no TLC figures', results: [...kept, ...results] };
writeFileSync(path, JSON.stringify(doc, null, 2) + '\n');
console.log(`Load average before: ${loadBefore.map((x) => x.toFixed(2)).join(' ')}; after: ${loadAfter.map((x) => x.toFixed(2)).join(' ')}. Wrote bench/results.json ("disk").`);
if (wrong > 0) process.exit(1);
