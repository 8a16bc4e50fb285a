// Child processes sent SIGINT and SIGTERM, and a spec whose action never returns: the run always
// ends, with its statistics so far, the JSON and JUnit reports, and the exit code that says why.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, scratch, writeSpec } from './helpers.ts';

const BIN = join(ROOT, 'bin', 'interleave.js');

/** An action that loops forever once the counter reaches 3 (and says so on stderr, so a test knows when). */
const LOOP = `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'loop', state: { n: int(0, 5) }, init: { n: 0 },
  actions: { inc: { when: (s) => s.n < 5, do: (s) => { s.n += 1; if (s.n === 3) { console.error('looping'); for (;;) {} } } } }, deadlock: false });\n`;

/**
 * A state space no test exhausts (31^6 states); its action says 'searching' on stderr after a
 * thousand steps, so that a signal is sent once the search runs, however loaded the machine.
 */
const BIG = `import { defineSpec, int, mapOf, enumOf } from 'interleave';
const K = enumOf('a', 'b', 'c', 'd', 'e', 'f');
let steps = 0;
export default defineSpec({ name: 'big', state: { c: mapOf(K, int(0, 30)) }, init: { c: { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0 } },
  actions: { inc: { params: { k: K }, when: (s, { k }) => s.c[k] < 30, do: (s, { k }) => { s.c[k] += 1; if (++steps === 1000) console.error('searching'); } } },
  deadlock: false });\n`;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the signal to the exit. */
  afterSignalMs: number;
}

/** Starts the command line, sends `signal` once `ready` holds for what it printed, and waits for it to exit. */
function runAndSignal(args: string[], signal: NodeJS.Signals, when: { ready: (stdout: string, stderr: string) => boolean }): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  let sentAt = 0;
  const send = () => {
    if (sentAt) return;
    sentAt = Date.now();
    child.kill(signal);
  };
  const look = () => {
    if (when.ready(stdout, stderr)) send();
  };
  child.stdout.on('data', (d) => ((stdout += d), look()));
  child.stderr.on('data', (d) => ((stderr += d), look()));
  return new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig, stdout, stderr, afterSignalMs: Date.now() - sentAt })));
}

const noStack = (r: { stdout: string; stderr: string }) => expect(r.stdout + r.stderr).not.toMatch(/internal error|^\s+at /m);

describe('a step that never returns', () => {
  it('is a spec error naming the action and the state (exit 75); the next spec is still checked', () => {
    const dir = scratch();
    const loop = writeSpec(dir, 'loop.ts', LOOP);
    const junit = join(dir, 'junit.xml');
    const r = cli(['check', loop, 'specs/examples/die-hard.ts', '--step-timeout', '1', '--json', '--junit', junit, '--out', dir]);
    expect(r.code).toBe(75);
    noStack(r);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { spec: string; result: string }) => [x.spec, x.result])).toEqual([
      ['loop', 'error'],
      ['die-hard', 'invariant'],
    ]);
    expect(doc.results[0].message).toBe(
      'the recipe of inc ran for more than 1 s without returning (an endless loop?), in state { n: 2 }; the check was stopped there, in the audits before its search (they take the first steps twice) (--step-timeout SECONDS allows slower steps)',
    );
    expect(readFileSync(junit, 'utf8')).toContain('<error message="the recipe of inc ran for more than 1 s without returning (an endless loop?), in state { n: 2 }');
  });

  it('past the audits, says the search was stopped there, with the counts so far', () => {
    const dir = scratch();
    // The audits take the first 300 states and a few short walks: a step at n = 600 is the search's.
    const late = writeSpec(dir, 'late.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'late', state: { n: int(0, 1000) }, init: { n: 0 },
  actions: { inc: { when: (s) => s.n < 1000, do: (s) => { s.n += 1; if (s.n === 601) for (;;) {} } } }, deadlock: false });\n`);
    const r = cli(['check', late, '--step-timeout', '1', '--json', '--out', dir]);
    expect(r.code).toBe(75);
    const [result] = JSON.parse(r.stdout).results;
    expect(result.message).toBe(
      'the recipe of inc ran for more than 1 s without returning (an endless loop?), in state { n: 600 }; the search was stopped there (--step-timeout SECONDS allows slower steps)',
    );
    expect(result.distinct).toBe(601);
  });

  it('does not blame an invariant for the time the initial states take to produce', () => {
    const dir = scratch();
    const slow = writeSpec(dir, 'slow-init.ts', `import { defineSpec, int } from 'interleave';
const busy = (ms) => { const end = Date.now() + ms; while (Date.now() < end) {} };
export default defineSpec({ name: 'slow-init', state: { n: int(0, 5), m: int(0, 5) },
  init: function* () { for (let n = 0; n < 3; n++) { if (n === 2) busy(1500); yield { n, m: 0 }; } },
  actions: { inc: { when: (s) => s.m < 1, do: (s) => { s.m += 1; } } },
  invariants: { Small: (s) => s.n < 5 }, deadlock: false });\n`);
    const r = cli(['check', slow, '--step-timeout', '1', '--json', '--out', dir]);
    noStack(r);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: { result: string; distinct: number }) => [x.result, x.distinct])).toEqual([['ok', 6]]);
  });

  it('names the invariant that never returns, and the action whose successor it was checking', () => {
    const dir = scratch();
    const stuck = writeSpec(dir, 'stuck-invariant.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'stuck-invariant', state: { x: int(0, 3) }, init: { x: 0 }, actions: { inc: { when: (s) => s.x < 3, do: (s) => { s.x++; } } },
  invariants: { Fine: (s) => s.x < 9, Stuck: (s) => { if (s.x === 2) for (;;) {} return true; } }, deadlock: false });\n`);
    const r = cli(['check', stuck, '--step-timeout', '1', '--json', '--out', dir]);
    expect(r.code).toBe(75);
    expect(JSON.parse(r.stdout).results[0].message).toMatch(/^invariant 'Stuck', on the successor that inc gave, ran for more than 1 s without returning \(an endless loop\?\), in state \{ x: 1 \}/);
  });

  it('reports the levels searched before the step that hung, however soon it hung', () => {
    const dir = scratch();
    const late = writeSpec(dir, 'late-loop.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'late-loop', state: { x: int(0, 200), y: int(0, 3) }, init: { x: 0, y: 0 },
  actions: { inc: { when: (s) => s.x < 200, do: (s) => { s.x++; } }, flip: { when: (s) => s.y < 3, do: (s) => { s.y++; } },
    spin: { when: (s) => s.x === 150, do: () => { for (;;) {} } } } });\n`);
    const r = cli(['check', late, '--step-timeout', '1', '--json', '--out', dir]);
    expect(r.code).toBe(75);
    // Levels 1 to 151 were done (x = 150 first reached at depth 151) in far less than a progress interval.
    const [res] = JSON.parse(r.stdout).results;
    expect([res.distinct, res.generated, res.depth, res.queue]).toEqual([598, 1042, 151, 4]);
    expect(res.durationMs).toBeGreaterThanOrEqual(1000);
  });

  it('in text: the verdict line, the message, the statistics and the summary', () => {
    const dir = scratch();
    const loop = writeSpec(dir, 'loop.ts', LOOP);
    const r = cli(['check', loop, '--step-timeout', '1', '--out', dir]);
    expect(r.code).toBe(75);
    expect(r.stdout).toContain('✗ loop: error in spec\n  the recipe of inc ran for more than 1 s without returning (an endless loop?), in state { n: 2 };');
    expect(r.stdout).toMatch(/\d+ states generated, \d+ distinct states found, \d+ states left on queue\./);
  });

  it.each(['1', '2'])('Ctrl-C stops it with the statistics so far (exit 255, %s workers), without waiting for the step timeout', async (workers) => {
    const dir = scratch();
    const loop = writeSpec(dir, 'loop.ts', LOOP);
    const r = await runAndSignal(['check', loop, '--workers', workers, '--out', dir], 'SIGINT', { ready: (_, err) => err.includes('looping') });
    expect(r.code).toBe(255);
    expect(r.afterSignalMs).toBeLessThan(4500);
    expect(r.stdout).toContain('✗ loop: no violation (incomplete: interrupted)');
    expect(r.stdout).toMatch(/Interrupted\. \d+ states generated, \d+ distinct states found, \d+ states left on queue\./);
    noStack(r);
  }, 180_000);
});

describe('a search thread whose heap fills up', () => {
  it('stops that variant with its statistics (stopped: max-memory, exit 255); the next variant is still checked, and the reports written', () => {
    const dir = scratch();
    const leak = writeSpec(dir, 'leak.ts', `import { defineSpec, int } from 'interleave';
const kept: number[][] = [];
export default defineSpec({ name: 'leak', state: { x: int(0, 1000000) }, init: { x: 0 }, actions: { a: { when: (s) => s.x < 1000000, do: (s) => { kept.push(new Array(20000).fill(s.x)); s.x++; } } }, deadlock: false });\n`);
    const junit = join(dir, 'junit.xml');
    // A small heap for the command line, and so for its search thread, fills in a second.
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', BIN, 'check', leak, 'specs/examples/die-hard.ts', '--no-typecheck', '--json', '--junit', junit, '--out', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(255);
    noStack(r);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { spec: string; result: string; stopped?: string }) => [x.spec, x.result, x.stopped])).toEqual([
      ['leak', 'incomplete', 'max-memory'],
      ['die-hard', 'invariant', undefined],
    ]);
    expect(readFileSync(junit, 'utf8')).toContain('stopped at the memory limit');
  }, 180_000);

  it('names the spec code that was running, and its state, when the heap filled inside it', () => {
    const dir = scratch();
    const grab = writeSpec(dir, 'grab.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'grab', state: { x: int(0, 3) }, init: { x: 0 }, actions: { inc: { when: (s) => s.x < 3, do: (s) => { if (s.x === 2) { const a: number[][] = []; for (;;) a.push(new Array(100000).fill(7)); } s.x++; } } }, deadlock: false });\n`);
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', BIN, 'check', grab, '--no-typecheck', '--json', '--step-timeout', '60', '--out', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(255);
    noStack(r);
    const [res] = JSON.parse(r.stdout).results;
    expect([res.stopped, res.message]).toEqual(['max-memory', "the search thread's heap filled up while the recipe of inc ran in state { x: 2 }"]);
  }, 180_000);
});

describe('SIGTERM, as a CI timeout sends it', () => {
  it('during check --json --junit: one JSON document with the statistics so far, result "incomplete", and the JUnit report (exit 255)', async () => {
    const dir = scratch();
    const junit = join(dir, 'junit.xml');
    const big = writeSpec(dir, 'big.ts', BIG);
    const r = await runAndSignal(['check', big, '--json', '--junit', junit, '--out', dir], 'SIGTERM', { ready: (_, err) => err.includes('searching') });
    expect(r.code).toBe(255);
    noStack(r);
    const doc = JSON.parse(r.stdout);
    expect(doc.exitCode).toBe(255);
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]).toMatchObject({ spec: 'big', result: 'incomplete', stopped: 'interrupted', complete: false, asExpected: false });
    expect(doc.results[0].distinct).toBeGreaterThan(0);
    expect(doc.results[0].generated).toBeGreaterThanOrEqual(doc.results[0].distinct);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('type="Incomplete"');
    expect(xml).toContain('not checked to the end (interrupted)');
  }, 180_000);

  it('while a spec loops as it is imported: the process still ends (a handler could not run then)', async () => {
    const dir = scratch();
    const stuck = writeSpec(dir, 'stuck.ts', `import { defineSpec, int } from 'interleave';
console.error('importing'); for (;;) {}
export default defineSpec({ name: 'stuck', state: { x: int(0, 1) }, init: { x: 0 }, actions: {} });\n`);
    const r = await runAndSignal(['check', stuck, 'specs/examples/die-hard.ts', '--no-typecheck', '--json', '--out', dir], 'SIGTERM', { ready: (_, err) => err.includes('importing') });
    expect([r.code, r.signal]).toEqual([null, 'SIGTERM']);
  }, 180_000);

  it('during a gate over several specs: the summary counts what was not checked', async () => {
    const dir = scratch();
    const loop = writeSpec(dir, 'loop.ts', LOOP);
    const r = await runAndSignal(['check', 'specs/examples/die-hard.ts', loop, 'specs/examples/refcount-race.ts', '--gate', '--step-timeout', '100', '--out', dir], 'SIGTERM', {
      ready: (_, err) => err.includes('looping'),
    });
    expect(r.code).toBe(255);
    expect(r.stdout).toContain('✓ die-hard: violates NotSolved (expected: violates NotSolved)');
    expect(r.stdout).toContain('Gate failed: 1 of 2 variants checked did not behave as expected; 2 variants not checked (the run was stopped).');
    noStack(r);
  }, 180_000);
});

describe('simulate, interrupted', () => {
  it('a walk stuck in spec code is a spec error naming the action and the state, with the seed that reproduces it (exit 75)', () => {
    const dir = scratch();
    const loop = writeSpec(dir, 'loop.ts', LOOP);
    const r = cli(['simulate', loop, '--seed', '3', '--step-timeout', '1', '--out', dir]);
    expect(r.code).toBe(75);
    expect(r.stdout).toContain('✗ loop: error in spec in walk 1 (1 walk of up to 100 steps, seed 3)\n  the recipe of inc ran for more than 1 s without returning (an endless loop?), in state { n: 2 };');
    expect(r.stdout).toContain('--seed 3 --steps 100 --runs 1');
    noStack(r);
  });

  it('prints its seed, the walks done and the statistics on SIGINT (exit 255)', async () => {
    const dir = scratch();
    const big = writeSpec(dir, 'big.ts', BIG);
    const r = await runAndSignal(['simulate', big, '--runs', '100000000', '--steps', '50', '--out', dir], 'SIGINT', { ready: (_, err) => err.includes('searching') });
    expect(r.code).toBe(255);
    const shown = relative(ROOT, big).replace(/[.\/]/g, (ch) => `\\${ch}`);
    expect(r.stdout).toMatch(
      new RegExp(`^! big: interrupted after \\d+ walks of 100000000 \\(up to 50 steps each\\), seed (\\d+): no violation so far\n {2}\\d+ states generated, \\d+ distinct states visited, longest walk \\d+ states\\. [\\d.]+ s\\.\n {2}Repeat these walks: interleave simulate ${shown} --seed \\1 --steps 50 --runs 100000000\n`),
    );
    noStack(r);
  }, 180_000);

  it('in the middle of one long walk: answered at once, with the states the walk has generated', async () => {
    const dir = scratch();
    const wraps = writeSpec(dir, 'wraps.ts', `import { defineSpec, int } from 'interleave';
let steps = 0;
export default defineSpec({ name: 'wraps', state: { x: int(0, 9) }, init: { x: 0 },
  actions: { inc: { do: (s) => { s.x = (s.x + 1) % 10; if (++steps === 20000) console.error('walking'); } } } });\n`);
    const r = await runAndSignal(['simulate', wraps, '--runs', '1', '--steps', '100000000', '--json', '--out', dir], 'SIGINT', { ready: (_, err) => err.includes('walking') });
    expect(r.code).toBe(255);
    expect(r.afterSignalMs).toBeLessThan(10_000);
    const [res] = JSON.parse(r.stdout).results;
    expect([res.result, res.stopped]).toEqual(['incomplete', 'interrupted']);
    expect(res.generated).toBeGreaterThan(10_000);
    noStack(r);
  }, 180_000);

  it('even when a walk is stuck in spec code, and with --json', async () => {
    const dir = scratch();
    const loop = writeSpec(dir, 'loop.ts', LOOP);
    const r = await runAndSignal(['simulate', loop, '--seed', '42', '--json', '--step-timeout', '100', '--out', dir], 'SIGINT', { ready: (_, err) => err.includes('looping') });
    expect(r.code).toBe(255);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ command: 'simulate', seed: 42, exitCode: 255 });
    expect(doc.results[0]).toMatchObject({ spec: 'loop', result: 'incomplete', stopped: 'interrupted' });
    noStack(r);
  }, 180_000);
});

describe('worker --cluster at an address that does not speak NATS', () => {
  it('says it cannot reach the server and ends (255), rather than wait for ever on the connection it opened', async () => {
    const { createServer } = await import('node:net');
    // A listener that accepts and never answers, as a port of another service would.
    const server = createServer(() => {});
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    const child = spawn(process.execPath, [BIN, 'worker', '--cluster', `nats://127.0.0.1:${port}`], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    server.close();
    expect(code).toBe(255);
    expect(stderr).toContain(`interleave: cannot reach the NATS server at nats://127.0.0.1:${port} (timeout); start one with \`nats-server -js\``);
  }, 180_000);
});
