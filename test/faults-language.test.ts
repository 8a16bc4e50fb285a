// Faults inside the spec language's constructs: a recipe judged on every choice path it runs, a
// temporal property's predicate that never returns, and a run interrupted while the type-check of
// its specs still runs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, scratch, writeSpec } from './helpers.ts';

const BIN = join(ROOT, 'bin', 'interleave.js');

describe('process.exit() in spec code', () => {
  it('at import: that file does not load, the others are checked and reported (JSON, JUnit), exit 150', () => {
    const dir = scratch();
    writeSpec(dir, 'quits.ts', `import { defineSpec, int } from 'interleave';
process.exit(0);
export default defineSpec({ name: 'quits', state: { x: int(0, 1) }, init: { x: 0 }, actions: {}, deadlock: false });\n`);
    writeSpec(dir, 'small.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'small', state: { x: int(0, 3) }, init: { x: 0 }, actions: { inc: { when: (s) => s.x < 3, do: (s) => { s.x++; } } }, invariants: { Small: (s) => s.x < 2 }, deadlock: false });\n`);
    const r = cli(['check', dir, '--json', '--junit', join(dir, 'junit.xml'), '--out', dir]);
    expect(r.code).toBe(150);
    const doc = JSON.parse(r.stdout);
    expect(doc.loadErrors[0].message).toContain('the spec does not load: process.exit(0) was called by spec code: a spec must not end the process (throw an Error to report a problem)');
    expect(doc.results.map((x: { spec: string; result: string }) => [x.spec, x.result])).toEqual([['small', 'invariant']]);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('process.exit(0) was called by spec code');
  });

  it.each(['1', '2'])('in a recipe: a spec error naming the action and the state, with its trace (%s workers)', (workers) => {
    const dir = scratch();
    const f = writeSpec(dir, 'quits.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'quits', state: { x: int(0, 3) }, init: { x: 0 }, actions: { inc: { when: (s) => s.x < 3, do: (s) => { if (s.x === 1) process.exit(3); s.x++; } } }, deadlock: false });\n`);
    const r = cli(['check', f, '--workers', workers, '--out', dir]);
    expect(r.code).toBe(75);
    expect(r.stdout).toContain('the recipe of inc threw: process.exit(3) was called by spec code: a spec must not end the process (throw an Error to report a problem)\n  in state: { x: 1 }');
    expect(r.stdout).toContain('Counterexample, 2 states');
  });
});

describe('values that cannot be shown or cannot cross threads', () => {
  const cases: [string, string, number, string][] = [
    ['a symbol put into the state', "(s) => { s.x = Symbol('y') as never; }", 12, 'a leaves the type: x = Symbol(y) is outside int(0, 3)'],
    ['a function put into the state', '(s) => { s.x = (() => 1) as never; }', 12, 'a leaves the type: x = ()=>1 is outside int(0, 3)'],
    ['a thrown symbol', "() => { throw Symbol('boom'); }", 75, 'the recipe of a threw: Symbol(boom)'],
    ['a thrown object without a prototype', '() => { throw Object.create(null); }', 75, 'the recipe of a threw: {  }'],
    ['a thrown object whose message and toString throw', "() => { throw { get message(): string { throw new Error('no'); }, toString() { throw new Error('no'); } }; }", 75, 'the recipe of a threw: a value that cannot be shown ([object Object])'],
    ['a BigInt put into an int', '(s) => { s.x = 1n as never; }', 12, 'a leaves the type: x = 1n is outside int(0, 3)'],
  ];
  it.each(cases)('%s: reported with its text, never a crash', (_, recipe, code, message) => {
    const dir = scratch();
    const f = writeSpec(dir, 'odd.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'odd', state: { x: int(0, 3), y: int(0, 1) }, init: { x: 0, y: 0 }, actions: { a: { when: (s) => s.x === 0, do: ${recipe} } }, deadlock: false });\n`);
    for (const workers of ['1', '2']) {
      const r = cli(['check', f, '--workers', workers, '--json', '--out', dir]);
      expect([workers, r.code]).toEqual([workers, code]);
      expect(JSON.parse(r.stdout).results[0].message).toBe(message);
      expect(r.stdout + r.stderr).not.toMatch(/internal error|^\s+at /m);
    }
  });
});

describe('initial states and types a search cannot take', () => {
  const spec = (name: string, state: string, init: string) => `import { defineSpec, int, seqOf } from 'interleave';
export default defineSpec({ name: '${name}', state: ${state}, init: ${init}, actions: { inc: { when: (s: any) => s.x < 3, do: (s: any) => { s.x++; } } }, deadlock: false });\n`;
  const cases: [string, string, string, number, string][] = [
    ['an async init', '{ x: int(0, 3) }', '(async () => ({ x: 0 })) as any', 150, "spec 'odd', variant 'default': `init` gives a Promise (an async function?): it gives its states at once, so drop the async"],
    [
      'a sequence bound far beyond what a state can hold',
      '{ x: int(0, 3), q: seqOf(int(0, 1), 10_000_000) }',
      '{ x: 0, q: [] }',
      150,
      "spec 'odd': a state takes 10,000,002 slots of 32 bits (q: 10,000,001), more than the 65,536 a search can queue and store: bound the types (a sequence's length, a set's elements)",
    ],
    ['an initial state that contains itself', '{ x: int(0, 3), q: seqOf(int(0, 3), 2) }', '(() => { const q: any = [0]; q.push(q); return { x: 0, q }; })()', 12, 'an initial state is outside its type: q[1] = [0, [itself]] is outside int(0, 3)'],
    ['a function in an initial state', '{ x: int(0, 3) }', '{ x: (() => 1) as any }', 12, 'an initial state is outside its type: x = ()=>1 is outside int(0, 3)'],
  ];
  it.each(cases)('%s: said as what it is, and the other specs still checked and reported', (_, state, init, code, message) => {
    const dir = scratch();
    writeSpec(dir, 'odd.ts', spec('odd', state, init));
    writeSpec(dir, 'small.ts', spec('small', '{ x: int(0, 3) }', '{ x: 0 }'));
    const r = cli(['check', dir, '--json', '--junit', join(dir, 'junit.xml'), '--out', dir, '--no-typecheck']);
    expect(r.code).toBe(code);
    const doc = JSON.parse(r.stdout);
    const said = code === 150 ? doc.loadErrors[0].message : doc.results.find((x: { spec: string }) => x.spec === 'odd').message;
    expect(said).toContain(message);
    expect(doc.results.map((x: { spec: string; result: string }) => [x.spec, x.result])).toContainEqual(['small', 'ok']);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('small');
    expect(r.stdout + r.stderr).not.toMatch(/internal error|^\s+at /m);
  });

  it('a thrown proxy that will not say what it is: a spec error, not a crash of the step', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'proxy.ts', `import { defineSpec, int } from 'interleave';
const hostile = new Proxy({}, { get() { throw new Error('get'); }, getPrototypeOf() { throw new Error('proto'); } });
export default defineSpec({ name: 'proxy', state: { x: int(0, 3) }, init: { x: 0 }, actions: { inc: { when: (s) => s.x < 3, do: (s) => { if (s.x === 1) throw hostile; s.x++; } } }, deadlock: false });\n`);
    for (const workers of ['1', '2']) {
      const r = cli(['check', f, '--workers', workers, '--json', '--out', dir]);
      expect([workers, r.code]).toEqual([workers, 75]);
      expect(JSON.parse(r.stdout).results[0].message).toBe('the recipe of inc threw: a value that cannot be shown');
    }
  });
});

describe('a huge message thrown by spec code', () => {
  it('is cut in the report, saying how long it was', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'loud.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'loud', state: { x: int(0, 1) }, init: { x: 0 }, actions: { a: { do: () => { throw new Error('x'.repeat(1_000_000)); } } }, deadlock: false });\n`);
    const r = cli(['check', f, '--json', '--out', dir]);
    expect(r.code).toBe(75);
    const message: string = JSON.parse(r.stdout).results[0].message;
    expect(message).toBe(`the recipe of a threw: ${'x'.repeat(10_000)}... (1,000,000 characters in all)`);
  });
});

describe('what a recipe returns is judged on every choice path', () => {
  const cases: [string, string, string][] = [
    [
      'a branch of either() that mutates its draft and returns a state',
      'do: (s) => either(() => { s.n += 1; }, () => { s.n += 1; return { n: s.n }; })',
      'the recipe of inc is wrong: it changed its draft and also returned a state; do one or the other: change the draft and return nothing, or return a new state without changing the draft (as immer requires)',
    ],
    [
      'an async branch of either()',
      'do: (s) => either(() => { s.n += 1; }, async () => { s.n += 1; })',
      'the recipe of inc is wrong: it returned a Promise: spec code runs synchronously, inside one atomic step, so an `async` function (or one that returns a Promise) cannot be a guard, recipe or property; remove `async` and `await`',
    ],
    [
      'a choice of choose() whose path returns a number',
      'do: (s) => { const k = choose([1, 2], "k"); if (k === 2) return s.n + k; s.n += k; }',
      'the recipe of inc is wrong: it returned 2; a recipe mutates its draft and returns nothing, or returns a whole next state (an arrow with an expression body, `(s) => (s.x = 1)`, returns its value: add braces)',
    ],
  ];
  it.each(cases)('%s: a spec error on the second path (exit 75)', (_, recipe, message) => {
    const dir = scratch();
    const f = writeSpec(dir, 'paths.ts', `import { choose, defineSpec, either, int } from 'interleave';
export default defineSpec({ name: 'paths', state: { n: int(0, 9) }, init: { n: 0 }, actions: { inc: { when: (s) => s.n < 5, ${recipe} } }, deadlock: false });\n`);
    const r = cli(['check', f, '--json', '--out', dir]);
    expect(r.code).toBe(75);
    const doc = JSON.parse(r.stdout);
    expect(doc.results[0].result).toBe('error');
    expect(doc.results[0].message).toContain(message);
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
  });

  it('both paths returning nothing, or a new state without touching the draft, are fine: one successor each', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'fine.ts', `import { defineSpec, either, int } from 'interleave';
export default defineSpec({ name: 'fine', state: { n: int(0, 9) }, init: { n: 0 },
  actions: { inc: { when: (s) => s.n < 5, do: (s) => either(() => { s.n += 1; }, () => ({ n: s.n + 2 })) } }, deadlock: false });\n`);
    const r = cli(['check', f, '--json', '--out', dir]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    // n = 0..6 are reached; from each n < 5 two successors: 5 states * 2.
    expect([doc.results[0].distinct, doc.results[0].generated]).toEqual([7, 11]);
  });
});

describe('a temporal property whose predicate never returns', () => {
  it('is stopped by the step watchdog during the liveness pass, named as such (exit 75)', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'hang.ts', `import { defineSpec, eventually, int, weakFair } from 'interleave';
export default defineSpec({ name: 'hang', state: { n: int(0, 5) }, init: { n: 0 },
  actions: { inc: { when: (s) => s.n < 5, do: (s) => { s.n += 1; } } },
  temporal: { Reaches: eventually((s) => { if (s.n === 3) for (;;) {} return s.n === 5; }) },
  fairness: [weakFair(['inc'])], deadlock: false });\n`);
    const r = cli(['check', f, '--step-timeout', '1', '--json', '--out', dir]);
    expect(r.code).toBe(75);
    const doc = JSON.parse(r.stdout);
    expect(doc.results[0].result).toBe('error');
    expect(doc.results[0].message).toBe(
      "a temporal property's predicate, on a new state ran for more than 1 s without returning (an endless loop?), in state { n: 3 }; the search was stopped there (--step-timeout SECONDS allows slower steps)",
    );
  });
});

describe('the type-check does not hold up a signal', () => {
  it('SIGTERM after the search, while the type-check runs: the run ends at once with its result (exit 255)', async () => {
    const dir = scratch();
    // A fresh file: its type-check is not cached, so a child process checks it after the search.
    const f = writeSpec(dir, `fresh-${process.pid}-${Date.now()}.ts`, `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'fresh', state: { n: int(0, 3) }, init: { n: 0 }, actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n += 1; } } }, deadlock: false });\n`);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.INTERLEAVE_NO_TYPECHECK;
    const child = spawn(process.execPath, [BIN, 'check', f, '--out', dir], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!sentAt && stdout.includes('fresh')) {
        sentAt = Date.now();
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(sentAt).toBeGreaterThan(0);
    expect(code).toBe(255);
    expect(stdout).toContain('fresh');
    expect(stderr).toContain('warning: the specs were not type-checked: interrupted');
  }, 180_000);
});
