// `npx tsx bench/cluster.ts`: the partitioned search through a real NATS broker on this machine,
// against the same search in one process. Starts nats-server -js on a free loopback port, then for
// each configuration runs `check --cluster` with that many `interleave worker` processes, and
// measures the broker's own throughput with 64 KiB messages (the batch size). Writes the rows into
// bench/results.json under "cluster" (the rest of the file is left as it is).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from '@nats-io/transport-node';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'interleave.js');
const MODEL = { name: 'Counters (N=6, K=11) to depth 40', file: 'bench/counters.ts', args: ['--max-depth', '40'] };
const CONFIGS = [
  { workers: 0, partitions: 0 },
  { workers: 1, partitions: 1 },
  { workers: 1, partitions: 2 },
  { workers: 2, partitions: 2 },
  { workers: 2, partitions: 4 },
];

const port = await new Promise<number>((r) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => r(p));
  });
});
const url = `nats://127.0.0.1:${port}`;
if (spawnSync('sh', ['-c', 'command -v nats-server']).status !== 0) throw new Error('nats-server is not installed (apt-get install -y nats-server)');
const server = spawn('nats-server', ['-js', '-sd', mkdtempSync(join(tmpdir(), 'interleave-bench-nats-')), '-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 700));

function run(args: string[]): Promise<{ stdout: string; seconds: number }> {
  const t = process.hrtime.bigint();
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let stdout = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => process.stderr.write(d));
    p.on('exit', (code) => (code === 0 || code === 255 ? done({ stdout, seconds: Number(process.hrtime.bigint() - t) / 1e9 }) : fail(new Error(`exit ${code}`))));
  });
}

const rows: Record<string, unknown>[] = [];
const loadBefore = loadavg().map((x) => +x.toFixed(2));
for (const c of CONFIGS) {
  const workers: ChildProcess[] = [];
  for (let i = 0; i < c.workers; i++) workers.push(spawn(process.execPath, [BIN, 'worker', '--cluster', url], { cwd: ROOT, stdio: 'ignore' }));
  if (c.workers > 0) await new Promise((r) => setTimeout(r, 2500));
  const cluster = c.workers > 0 ? ['--cluster', url, '--partitions', String(c.partitions), '--cluster-workers', String(c.workers)] : [];
  const { stdout } = await run(['check', MODEL.file, ...MODEL.args, ...cluster]);
  const stats = /(\d+) states generated, (\d+) distinct states found.*\n\s*Depth (\d+).*?([\d.]+) s\./.exec(stdout)!;
  const wire = /([\d,]+) successors \(([\d,]+) bytes, ([\d.]+) bytes each\) went through the broker/.exec(stdout);
  const num = (s: string) => Number(s.replaceAll(',', ''));
  const searchSeconds = Number(stats[4]);
  const row = {
    model: MODEL.name,
    mode: c.workers === 0 ? 'one process' : 'cluster',
    workers: c.workers,
    partitions: c.partitions,
    generated: Number(stats[1]),
    distinct: Number(stats[2]),
    depth: Number(stats[3]),
    searchSeconds,
    distinctPerSecond: Math.round(Number(stats[2]) / searchSeconds),
    distinctPerSecondPerWorker: Math.round(Number(stats[2]) / searchSeconds / Math.max(1, c.workers)),
    successorsThroughBroker: wire ? num(wire[1]) : 0,
    bytesThroughBroker: wire ? num(wire[2]) : 0,
    bytesPerSuccessorSent: wire ? Number(wire[3]) : 0,
    bytesPerDistinctState: wire ? +(num(wire[2]) / Number(stats[2])).toFixed(1) : 0,
    batchBytes: 65536,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  for (const w of workers) w.kill();
}

// The broker alone: 64 KiB messages from one connection to another, as batches travel.
const nc = await connect({ servers: url });
const sub = await connect({ servers: url });
const payload = new Uint8Array(65536);
const count = 4000;
let got = 0;
const done = new Promise<void>((r) => sub.subscribe('bench.broker', { callback: () => void (++got === count && r()) }));
await sub.flush();
const t = process.hrtime.bigint();
for (let i = 0; i < count; i++) {
  nc.publish('bench.broker', payload);
  if (i % 64 === 63) await nc.flush();
}
await done;
const seconds = Number(process.hrtime.bigint() - t) / 1e9;
const broker = { messageBytes: 65536, messages: count, seconds: +seconds.toFixed(3), bytesPerSecond: Math.round((count * 65536) / seconds) };
console.log(JSON.stringify({ broker }));
await nc.close();
await sub.close();
server.kill();

const file = join(ROOT, 'bench', 'results.json');
const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
doc.cluster = { date: new Date().toISOString(), cpus: cpus().length, loadAverage: { before: loadBefore, after: loadavg().map((x) => +x.toFixed(2)) }, nodeVersion: process.version, rows, broker };
writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
console.log('Wrote the "cluster" rows of bench/results.json.');
