// Bad input that used to lose a result, lie, or reach the terminal raw: colliding names, a gate over
// specs that did not load, spec code printing into --json, incomplete runs, contradictory and absurd
// options, control characters in traces and specs, async and mutate-and-return recipes.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupAvailable, defaultMaxMemory } from '../src/cli/memory-limit.ts';
import { cli, ROOT, scratch, writeSpec } from './helpers.ts';

const counter = (name: string, extra = '') => `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: '${name}', state: { n: int(0, 3) }, init: { n: 0 },
  actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n += 1; } } }, deadlock: false, ${extra} });\n`;

describe('output files never collide', () => {
  it('two spec files with one name: a load error naming both files (exit 150); the gate fails', () => {
    const dir = scratch();
    writeSpec(dir, 'a.ts', counter('twin'));
    writeSpec(dir, 'b.ts', counter('twin', "invariants: { Small: (s) => s.n < 2 }, expect: { violates: 'Small' }"));
    const out = join(dir, 'traces');
    const r = cli(['check', dir, '--gate', '--out', out]);
    expect(r.code).toBe(150);
    const a = relative(ROOT, join(dir, 'a.ts'));
    const b = relative(ROOT, join(dir, 'b.ts'));
    expect(r.stderr).toBe(`error: ${b}: spec 'twin' has the same name as the spec in ${a}; give each spec its own name (its traces and reports are named after it)\n`);
    expect(r.stdout).toContain('Gate failed: 1 spec file did not load. 1 variant checked, all as expected.');
    expect(readdirSync(out)).toEqual([]);
  });

  it('simulate writes its walks under names of their own: the trace check wrote stays as it was', () => {
    const dir = scratch();
    const check = cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'racy', '--out', dir]);
    expect(check.code).toBe(12);
    const golden = join(dir, 'refcount-race.racy.NoLeak.itf.json');
    const before = readFileSync(golden, 'utf8');
    expect(before).toBe(readFileSync(join(ROOT, 'counterexamples', 'refcount-race.racy.NoLeak.itf.json'), 'utf8'));
    const sim = cli(['simulate', 'specs/examples/refcount-race.ts', '--variant', 'racy', '--seed', '3', '--out', dir]);
    expect(sim.code).toBe(12);
    expect(sim.stdout).toContain(`(${join(dir, 'refcount-race.racy.NoLeak.simulate.itf.json')})`);
    expect(readFileSync(golden, 'utf8')).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['package.json', 'refcount-race.racy.NoLeak.itf.json', 'refcount-race.racy.NoLeak.simulate.itf.json']);
  });
});

describe('the gate counts what it checked and what did not load', () => {
  it('never says "passed" when a file did not load, with or without --quiet', () => {
    const dir = scratch();
    writeSpec(dir, 'good.ts', counter('good'));
    writeFileSync(join(dir, 'broken.ts'), 'export default 42;\n');
    for (const quiet of [[], ['--quiet']]) {
      const r = cli(['check', dir, '--gate', '--out', dir, ...quiet]);
      expect(r.code).toBe(150);
      expect(r.stdout).not.toContain('Gate passed');
      expect(r.stdout).toContain('Gate failed: 1 spec file did not load. 1 variant checked, all as expected.');
    }
  });

  it('when no file loads, it says that nothing was checked', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.ts'), 'export default 1;\n');
    writeFileSync(join(dir, 'b.ts'), 'export default 2;\n');
    const r = cli(['check', dir, '--gate', '--quiet', '--out', dir]);
    expect(r.code).toBe(150);
    expect(r.stdout).toBe('Gate failed: 2 spec files did not load; no variant was checked.\n');
  });

  it('without --gate, the summary says what did not load too', () => {
    const dir = scratch();
    writeSpec(dir, 'good.ts', counter('good'));
    writeFileSync(join(dir, 'broken.ts'), 'export default 42;\n');
    const r = cli(['check', dir, '--out', dir]);
    expect(r.code).toBe(150);
    expect(r.stdout).toContain('1 variant checked; 1 spec file did not load.');
  });
});

describe('spec code printing never corrupts --json', () => {
  it.each(['1', '2'])('console.log in an action goes to stderr; stdout is one JSON document (%s workers)', (workers) => {
    const dir = scratch();
    const f = writeSpec(dir, 'chatty.ts', counter('chatty').replace('do: (s) => {', "do: (s) => { console.log('stepping from', s.n);").replace("import {", "console.log('loading');\nimport {"));
    const r = cli(['check', f, '--json', '--out', dir, '--workers', workers]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results[0]).toMatchObject({ spec: 'chatty', result: 'ok', distinct: 4 });
    expect(r.stderr).toContain('loading\n');
    expect(r.stderr).toContain('stepping from 0\n');
  });

  it('simulate --json too', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'chatty.ts', counter('chatty').replace('do: (s) => {', "do: (s) => { console.info('step');"));
    const r = cli(['simulate', f, '--json', '--runs', '3', '--seed', '1', '--out', dir]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'simulate', seed: 1 });
    expect(r.stderr).toContain('step\n');
  });
});

describe('an incomplete run has its own result', () => {
  it('--max-states: JSON result "incomplete", JUnit an error of type Incomplete (not a pass, not a violation)', () => {
    const dir = scratch();
    const junit = join(dir, 'junit.xml');
    const r = cli(['check', 'specs/examples/two-phase.ts', '--max-states', '50', '--symmetry', 'off', '--json', '--junit', junit, '--out', dir]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results[0]).toMatchObject({ result: 'incomplete', complete: false, stopped: 'max-states', asExpected: false });
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="interleave" tests="(\d+)" failures="0" errors="\1" skipped="0"/);
    expect(xml).toContain('<error message="TypeOK: not checked to the end (stopped at --max-states)" type="Incomplete">');
  });
});

describe('contradictory and absurd options are refused (exit 151)', () => {
  it.each([
    [['check', 'specs/examples/die-hard.ts', '--deadlock', '--no-deadlock'], '--deadlock and --no-deadlock contradict each other; give one of them'],
    [['check', 'specs/examples/die-hard.ts', '--no-deadlock', '--deadlock'], '--deadlock and --no-deadlock contradict each other; give one of them'],
    [['simulate', 'specs/examples/die-hard.ts', '--deadlock', '--no-deadlock'], '--deadlock and --no-deadlock contradict each other; give one of them'],
    [['check', 'specs/examples/die-hard.ts', '--audit-symmetry', '--no-audit-symmetry'], '--audit-symmetry and --no-audit-symmetry contradict each other; give one of them'],
    [['check', 'specs/examples/die-hard.ts', '--symmetry', 'off', '--symmetry-compare'], '--symmetry-compare compares a search with symmetry to one without; it cannot be given with --symmetry off'],
    [['check', 'specs/examples/die-hard.ts', '--workers', '1000'], `--workers 1000 is far more than the ${availableParallelism()} cores of this machine; give at most ${Math.max(8, 4 * availableParallelism())}`],
    [['explore', 'specs/examples/die-hard.ts', '--port', '70000'], '--port must be at most 65535, not 70000'],
    [['check', 'specs/examples/die-hard.ts', '--cluster', 'nats://bad host:x'], "--cluster must be a NATS server's address, nats://HOST:PORT, not 'nats://bad host:x'"],
    [['worker', '--cluster', 'http://127.0.0.1:4222'], "--cluster must be a NATS server's address, nats://HOST:PORT, not 'http://127.0.0.1:4222'"],
    [['trace', 'counterexamples/refcount-race.racy.NoLeak.itf.json', '--variant', 'racy'], '--variant goes with --replay SPEC: it picks what the trace is replayed against'],
    [['trace', '--const', 'N=1', 'counterexamples/refcount-race.racy.NoLeak.itf.json'], '--const goes with --replay SPEC: it picks what the trace is replayed against'],
    [['trace', 'counterexamples/refcount-race.racy.NoLeak.itf.json', '--full', '--swimlane'], '--full and --swimlane are two ways to print a trace; give one of them'],
    [['trace', 'counterexamples/refcount-race.racy.NoLeak.itf.json', '--html', 'x.html', '--replay', 'specs/examples/refcount-race.ts'], '--html writes the trace as a page; it does not go with --replay'],
  ])('%j', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain(`interleave: ${message}`);
    expect(r.stdout).toBe('');
  });

  it('--max-memory below what the checker uses before it starts', () => {
    const r = cli(['check', 'specs/examples/die-hard.ts', '--max-memory', '1K']);
    expect(r.code).toBe(151);
    expect(r.stderr).toMatch(/^interleave: --max-memory 1K is less than the checker uses before it starts \(\d+ MB\); give a size such as 8G or 512M\n/);
  });

  it('--workers above the cores is a warning, not an error', () => {
    const n = availableParallelism() + 1;
    const dir = scratch();
    const r = cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'atomic', '--workers', String(n), '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`interleave: warning: --workers ${n} is more than the ${availableParallelism()} cores of this machine; the extra threads only share them\n`);
    expect(r.stdout).toContain('✓ refcount-race [atomic]: holds');
  });
});

describe('the default memory limit follows the cgroup', () => {
  const fakeRoot = (files: Record<string, string>) => {
    const root = scratch();
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  };
  const GB = 2 ** 30;

  it('cgroup v2: memory.max less memory.current, at the process cgroup', () => {
    const root = fakeRoot({ 'proc/self/cgroup': '0::/ci/job\n', 'sys/fs/cgroup/ci/job/memory.max': `${2 * GB}\n`, 'sys/fs/cgroup/ci/job/memory.current': `${0.5 * GB}\n` });
    expect(cgroupAvailable(root)).toBe(1.5 * GB);
    // 100 MB in use, 20 GB free on the host: the container's 1.5 GB is what counts.
    expect(defaultMaxMemory(100 * 2 ** 20, 20 * GB, root)).toBe(Math.round(100 * 2 ** 20 + 0.8 * 1.5 * GB));
  });

  it('cgroup v2 without a limit ("max"), and no cgroup at all: the host\'s free memory', () => {
    const unlimited = fakeRoot({ 'proc/self/cgroup': '0::/\n', 'sys/fs/cgroup/memory.max': 'max\n' });
    expect(cgroupAvailable(unlimited)).toBe(undefined);
    expect(defaultMaxMemory(0, 10 * GB, unlimited)).toBe(8 * GB);
    expect(cgroupAvailable(scratch())).toBe(undefined);
  });

  it('cgroup v1: memory.limit_in_bytes less usage, and its "no limit" value ignored', () => {
    const v1 = fakeRoot({ 'proc/self/cgroup': '4:memory:/docker/abc\n0::/\n', 'sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes': `${4 * GB}\n`, 'sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes': `${GB}\n` });
    expect(cgroupAvailable(v1)).toBe(3 * GB);
    const none = fakeRoot({ 'proc/self/cgroup': '4:memory:/\n', 'sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n' });
    expect(cgroupAvailable(none)).toBe(undefined);
  });
});

describe('control characters reach the terminal escaped', () => {
  const ESC = '\x1b';
  it('trace: ESC and OSC sequences in #meta, names and values are shown as escapes', () => {
    const dir = scratch();
    const file = join(dir, 'evil.itf.json');
    const title = `${ESC}]0;pwned${'\x07'}`;
    writeFileSync(
      file,
      JSON.stringify({
        '#meta': { spec: `x${title}`, description: `${ESC}[2J${ESC}[31mFAKE`, source: `s${'\x9b'}31m` },
        vars: ['v', `w${ESC}[1m`],
        states: [
          { '#meta': { action: 'init' }, v: `a${ESC}[31mred`, [`w${ESC}[1m`]: 1 },
          { '#meta': { action: `go${ESC}[0m`, params: { self: `t${ESC}c` } }, v: 'b\r\nfake line', [`w${ESC}[1m`]: 2 },
        ],
      }),
    );
    for (const view of [[], ['--full'], ['--swimlane']]) {
      const r = cli(['trace', file, ...view]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
      expect(r.stdout).toContain('x\\e]0;pwned\\u0007');
      expect(r.stdout).toContain("'b\\r\\nfake line'");
    }
    expect(cli(['trace', file]).stdout).toContain("v = 'a\\e[31mred'");
    expect(cli(['trace', file, '--swimlane']).stdout).toContain('2  go\\e[0m(self=t\\ec)');
    // A lasso: its step back's parameters name a column, and its fairness units are printed.
    const lasso = join(dir, 'evil-lasso.itf.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.loop = 0;
    doc['#meta'].back = { action: 'back', params: { self: `t${title}` } };
    doc['#meta'].fairness = [{ unit: `WF(${title})`, how: 'taken' }];
    writeFileSync(lasso, JSON.stringify(doc));
    for (const view of [[], ['--swimlane']]) {
      const r = cli(['trace', lasso, ...view]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
      expect(r.stdout).toContain('Fairness the cycle meets: WF(\\e]0;pwned\\u0007) is taken in the cycle.');
    }
    // A damaged fairness list is left out, not read as "no fairness is assumed".
    doc['#meta'].fairness = [{ unit: 'WF(a)', how: 'constructor' }, { unit: 3 }];
    writeFileSync(lasso, JSON.stringify(doc));
    const damaged = cli(['trace', lasso]);
    expect(damaged.stdout).not.toContain('Fairness');
    expect(damaged.stdout).not.toContain('No fairness');
  });

  it('check: names and messages from the spec are escaped', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'loud.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'loud', state: { n: int(0, 3) }, init: { n: 0 },
  actions: { ['go\\x1b[2J']: { do: (s) => { if (s.n === 1) throw new Error('bad \\x1b]0;title\\x07 state'); s.n += 1; } } } });\n`);
    const r = cli(['check', f, '--out', dir]);
    expect(r.code).toBe(75);
    expect(r.stdout + r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(r.stdout).toContain('the recipe of go\\e[2J threw: bad \\e]0;title\\u0007 state');
  });
});

describe('async and mutate-and-return spec code is a spec error naming the mistake (exit 75)', () => {
  const cases: [string, string, string][] = [
    ['an async recipe', "do: async (s) => { s.n += 1; }", 'the recipe of inc is wrong: it returned a Promise: spec code runs synchronously, inside one atomic step, so an `async` function (or one that returns a Promise) cannot be a guard, recipe or property; remove `async` and `await`'],
    ['an async guard', "when: (async (s: { n: number }) => s.n < 3) as never, do: (s) => { s.n += 1; }", 'the guard of inc is wrong: it returned a Promise: spec code runs synchronously'],
    ['a recipe that mutates and returns', "do: (s) => { s.n += 1; return { n: s.n }; }", 'the recipe of inc is wrong: it changed its draft and also returned a state; do one or the other: change the draft and return nothing, or return a new state without changing the draft (as immer requires)'],
  ];
  it.each(cases)('%s', (_, action, message) => {
    const dir = scratch();
    const f = writeSpec(dir, 'bad.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'bad', state: { n: int(0, 3) }, init: { n: 0 }, actions: { inc: { ${action} } }, deadlock: false });\n`);
    for (const command of [['check', f], ['simulate', f, '--seed', '1', '--runs', '2']]) {
      const r = cli([...command, '--out', dir]);
      expect(r.code).toBe(75);
      expect(r.stdout).toContain(`  ${message}`);
      expect(r.stdout).toContain('in state: { n: 0 }');
      expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('a recipe returning a new state without touching its draft is fine', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'pure.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'pure', state: { n: int(0, 3) }, init: { n: 0 }, actions: { inc: { when: (s) => s.n < 3, do: (s) => ({ n: s.n + 1 }) } }, deadlock: false });\n`);
    const r = cli(['check', f, '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4 distinct states found');
  });
});

describe('trace files at the limits', () => {
  it('values nested past any state are refused as an unusable trace (150), not a stack overflow', () => {
    const dir = scratch();
    const file = join(dir, 'deep.itf.json');
    writeFileSync(file, `{"#meta":{},"vars":["x"],"states":[{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`);
    for (const extra of [[], ['--swimlane'], ['--replay', 'specs/examples/die-hard.ts']]) {
      const r = cli(['trace', file, ...extra]);
      expect([extra.join(' '), r.code]).toEqual([extra.join(' '), 150]);
      expect(r.stderr).toBe(`interleave: ${file}: values nested 1001 levels deep; a trace of a spec's states is nested far less (at most 1000)\n`);
    }
  });

  it('a trace of a hundred thousand steps is shown as a swimlane', () => {
    const dir = scratch();
    const file = join(dir, 'long.itf.json');
    const states = Array.from({ length: 100_001 }, (_, i) => ({ '#meta': { index: i, action: i ? 'inc' : 'init' }, x: i % 4 }));
    writeFileSync(file, JSON.stringify({ '#meta': { spec: 'long' }, vars: ['x'], states }));
    // Several MB of output: through a file rather than the pipe of spawnSync.
    const out = join(dir, 'out.txt');
    const r = spawnSync('sh', ['-c', `node ${join(ROOT, 'bin', 'interleave.js')} trace ${file} --swimlane > ${out}`], { cwd: ROOT, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n').slice(-2)).toEqual(['100001  inc', '          x: 3 -> 0']);
  });
});
