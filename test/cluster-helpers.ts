// A real NATS server with JetStream for the cluster tests, on a free loopback port with a store in a
// temporary folder, and `interleave worker` processes on it. A machine without nats-server fails
// these tests (install Debian's `nats-server`); they are never skipped.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.ts';

const BIN = join(ROOT, 'bin', 'interleave.js');

export function natsServerPath(): string {
  const r = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (r.status !== 0 || !path) {
    throw new Error('nats-server is not installed: the cluster tests need a real one (Debian: apt-get install -y nats-server)');
  }
  return path;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until `child`'s output (stdout and stderr together) matches `pattern`. */
export function waitFor(child: Child, pattern: RegExp, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in:\n${child.output}`)), ms);
    const check = () => {
      if (pattern.test(child.output)) {
        clearTimeout(timer);
        child.process.stdout!.off('data', check);
        child.process.stderr!.off('data', check);
        resolve();
      }
    };
    child.process.stdout!.on('data', check);
    child.process.stderr!.on('data', check);
    check();
  });
}

/** Waits until `n` of `workers` have taken partitions of a run, and returns them. */
export function waitForOwners(workers: Child[], n: number, ms = 20_000): Promise<Child[]> {
  const owners = () => workers.filter((w) => /epoch 0: partitions/.test(w.output));
  return new Promise((resolve, reject) => {
    const until = Date.now() + ms;
    const look = setInterval(() => {
      if (owners().length >= n) {
        clearInterval(look);
        resolve(owners());
      } else if (Date.now() > until) {
        clearInterval(look);
        reject(new Error(`${owners().length} of ${n} workers took a run within ${ms / 1000} s:\n${workers.map((w) => w.output).join('\n')}`));
      }
    }, 10);
  });
}

export interface Child {
  process: ChildProcess;
  output: string;
}

function start(cmd: string, args: string[]): Child {
  const p = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const child: Child = { process: p, output: '' };
  p.stdout!.on('data', (d) => (child.output += String(d)));
  p.stderr!.on('data', (d) => (child.output += String(d)));
  return child;
}

export class NatsFixture {
  url = '';
  private server?: Child;
  private readonly dir = mkdtempSync(join(tmpdir(), 'interleave-nats-'));
  readonly workers: Child[] = [];

  private port = 0;

  async start(): Promise<void> {
    this.port = await freePort();
    this.url = `nats://127.0.0.1:${this.port}`;
    await this.startServer();
  }

  /** Starts the server (again) on the same port with the same JetStream store. */
  async startServer(): Promise<void> {
    this.server = start(natsServerPath(), ['-js', '-sd', this.dir, '-a', '127.0.0.1', '-p', String(this.port)]);
    await waitFor(this.server, /Server is ready/);
  }

  /** Starts `n` workers and waits until each is connected. */
  async startWorkers(n: number): Promise<Child[]> {
    const started = Array.from({ length: n }, () => start(process.execPath, [BIN, 'worker', '--cluster', this.url]));
    this.workers.push(...started);
    await Promise.all(started.map((w) => waitFor(w, /waiting for a run/)));
    return started;
  }

  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => stop(w)));
  }

  /** Stops every worker and every `interleave` run still going, and starts the server if it is down. */
  async reset(): Promise<void> {
    await Promise.all([this.stopWorkers(), ...[...running].map((c) => stop(c, 'SIGKILL'))]);
    if (!this.server || this.server.process.exitCode !== null || this.server.process.signalCode !== null) await this.startServer();
  }

  async stopServer(): Promise<void> {
    if (this.server) await stop(this.server, 'SIGKILL');
    this.server = undefined;
  }

  async close(): Promise<void> {
    await this.stopWorkers();
    await this.stopServer();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function stop(c: Child, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (c.process.exitCode !== null || c.process.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    c.process.once('exit', () => resolve());
    c.process.kill(signal);
  });
}

/** `interleave` runs not yet ended (a test that timed out leaves them to reset()). */
const running = new Set<Child>();

/** Runs `interleave ARGS` to its end: its exit code and output. */
export function interleave(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    const child: Child = { process: p, output: '' };
    running.add(child);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += String(d)));
    p.stderr.on('data', (d) => (stderr += String(d)));
    p.on('exit', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}
