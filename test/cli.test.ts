// The command line as a user meets it: verdicts, exit codes, trace files, and the message every
// kind of bad input gets.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cli, ROOT, scratch, writeSpec } from './helpers.ts';

const counter = (body: string) => `
import { defineSpec, int, bool } from 'interleave';
export default defineSpec({
  name: 'counter',
  state: { n: int(0, 3), done: bool() },
  init: { n: 0, done: false },
  ${body}
});
`;

describe('interleave check', () => {
  it("loads in its main thread neither the search, nor the explorer, nor the replay: the search thread loads the search", () => {
    const dir = scratch();
    const log = join(dir, 'loaded');
    // A loader hook in every thread that lists the modules resolved for that thread (resolved, not
    // loaded: the command line's own hooks serve a module kept from an earlier run without asking
    // the hooks before them to load it).
    writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
let thread;
export function initialize(data) { thread = data.thread; }
export async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(${JSON.stringify(log)} + thread, r.url + '\\n'); return r; }
`);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';
import { threadId } from 'node:worker_threads';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)}, { data: { thread: threadId } });
`);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(ROOT, 'bin', 'interleave.js'), 'check', 'specs/examples/die-hard.ts', '--out', dir], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', INTERLEAVE_NO_TYPECHECK: '1' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(12);
    const ours = (thread: number) => readFileSync(log + thread, 'utf8').split('\n').filter((u) => u.startsWith(pathToFileURL(ROOT).href) && !u.includes('/node_modules/'));
    const main = ours(0);
    expect(main).toContainEqual(expect.stringContaining('/src/cli/check.ts'));
    expect(main.filter((u) => /\/src\/explorer\/|\/checker\/(search|trace|symmetry)\/|\/checker\/step\.ts|\/checker\/store\/memory\.ts/.test(u))).toEqual([]);
    // The search thread (the first thread the command line starts) loads the level loop.
    const searchThread = readdirSync(dir).filter((f) => /^loaded[1-9]/.test(f)).map((f) => Number(f.slice('loaded'.length))).sort((x, y) => x - y)[0];
    expect(ours(searchThread)).toContainEqual(expect.stringContaining('/checker/search/bfs.ts'));
  });

  it('finds DieHard\'s 7-state counterexample, prints it and writes it as ITF (exit 12)', () => {
    const out = scratch();
    const r = cli(['check', 'specs/examples/die-hard.ts', '--out', out]);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain("die-hard: violates NotSolved");
    expect(r.stdout).toContain('Counterexample, 7 states');
    expect(r.stdout).toContain('big: 5 -> 4');
    expect(r.stdout).toContain('14 distinct states found');
    const file = join(out, 'die-hard.NotSolved.itf.json');
    expect(r.stdout).toContain(file);
    const itf = JSON.parse(readFileSync(file, 'utf8'));
    expect(itf.vars).toEqual(['small', 'big']);
    expect(itf.states).toHaveLength(7);
    expect(itf.states[6]).toMatchObject({ small: 3, big: 4, '#meta': { index: 6, action: 'BigToSmall' } });
    expect(itf['#meta']).toMatchObject({ format: 'ITF', property: 'NotSolved', variant: 'default' });
  });

  it('--quiet with one variant keeps back the expected result but still prints the summary', () => {
    const r = cli(['check', 'specs/examples/die-hard.ts', '--quiet', '--out', scratch()]);
    expect(r.code).toBe(12);
    expect(r.stdout).not.toContain('Counterexample');
    expect(r.stdout).toMatch(/^spec +variant +result +expected +distinct +generated +depth +trace +as expected\ndie-hard +default +violates NotSolved +violates NotSolved +14 +73 +7 +7 +yes\n/);
    // A lone spec that does not load: its error says it all, with no summary of nothing checked.
    const dir = scratch();
    const broken = writeSpec(dir, 'broken.ts', "export default { name: 'not a spec' };\n");
    const bad = cli(['check', broken, '--quiet', '--out', dir]);
    expect([bad.code, bad.stdout]).toEqual([150, '']);
    expect(bad.stderr).toContain('broken.ts');
  });

  it('prints plain text when NO_COLOR is set or output is not a terminal', () => {
    const r = cli(['check', 'specs/examples/die-hard.ts', '--out', scratch()]);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('--gate exits 0 when every variant behaves as declared, with a table', () => {
    const r = cli(['check', 'specs/examples', '--gate', '--out', scratch()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/refcount-race\s+racy\s+violates NoLeak\s+violates NoLeak\s+8\s+10\s+5\s+5\s+yes/);
    expect(r.stdout).toContain('Gate passed: all 29 variants behave as their specs expect.');
  });

  it('--gate fails with the violation\'s code when a variant expected to hold does not', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'bad.ts', counter(`
      actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n++; } } },
      invariants: { Small: (s) => s.n < 2 },
      deadlock: false,
      expect: 'holds',`));
    const r = cli(['check', f, '--gate', '--out', dir]);
    expect(r.code).toBe(12);
    expect(r.stdout).toMatch(/counter\s+default\s+violates Small\s+holds\s+3\s+3\s+3\s+3\s+NO/);
    expect(r.stdout).toContain('Gate failed: 1 of 1 variant checked did not behave as expected.');
  });

  it('--gate exits 1 when a variant expected to fail holds', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'held.ts', counter(`
      actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n++; } } },
      invariants: { Small: (s) => s.n < 4 },
      deadlock: false,
      expect: { violates: 'Small' },`));
    const r = cli(['check', f, '--gate', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/counter\s+default\s+holds\s+violates Small\s+4\s+4\s+4\s+NO/);
  });

  it('a value outside its type is a TypeOK violation with its trace (exit 12)', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'underflow.ts', counter(`
      actions: { put: { do: (s) => { s.n--; } } },`));
    const r = cli(['check', f, '--out', dir]);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain('counter: violates TypeOK');
    expect(r.stdout).toContain('put leaves the type: n = -1 is outside int(0, 3)');
    expect(r.stdout).toContain('Counterexample, 2 states');
    expect(r.stdout).toContain('n: 0 -> -1');
    const itf = JSON.parse(readFileSync(join(dir, 'counter.TypeOK.itf.json'), 'utf8'));
    expect(itf.states[1].n).toBe(-1);
  });

  it('a recipe that adds a field outside the schema is a TypeOK violation naming the field', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'extra.ts', counter(`
      actions: { go: { do: (s) => { (s as any).extra = 1; } } },`));
    const r = cli(['check', f, '--out', dir]);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain("extra = 1 is outside the schema (no field 'extra' is declared)");
  });

  it('an exception in a recipe names the spec, action, parameters and state, with the trace (exit 75)', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'throws.ts', counter(`
      actions: {
        inc: { when: (s) => s.n < 3, do: (s) => { s.n++; } },
        boom: { params: { k: int(1, 2) }, when: (s) => s.n === 2, do: (s, { k }) => { if (k === 2) throw new Error('bad pointer'); } },
      },
      deadlock: false,`));
    const r = cli(['check', f, '--out', dir]);
    expect(r.code).toBe(75);
    expect(r.stdout).toContain('counter: error in spec');
    expect(r.stdout).toContain('the recipe of boom(k=2) threw: bad pointer');
    expect(r.stdout).toContain('in state: { n: 2, done: false }');
    expect(r.stdout).toContain('Counterexample, 3 states');
    expect(r.stdout).toContain('boom(k=2) throws');
    expect(r.stdout).toMatch(/thrown at \S*throws\.ts:10:\d+/);
    expect(r.stdout).not.toMatch(/^\s+at /m);
  });

  it('an exception in a guard or an invariant is reported the same way (exit 75)', () => {
    const dir = scratch();
    const g = writeSpec(dir, 'guard.ts', counter(`
      actions: { inc: { when: (s) => { if (s.n === 1) throw new TypeError('no such page'); return s.n < 3; }, do: (s) => { s.n++; } } },`));
    const r1 = cli(['check', g, '--out', dir]);
    expect(r1.code).toBe(75);
    expect(r1.stdout).toContain('the guard of inc threw: TypeError: no such page');
    const i = writeSpec(dir, 'inv.ts', counter(`
      actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n++; } } },
      invariants: { Weird: (s) => { if (s.n === 3) throw new Error('oops'); return true; } },`));
    const r2 = cli(['check', i, '--out', dir]);
    expect(r2.code).toBe(75);
    expect(r2.stdout).toContain("invariant 'Weird' threw: oops");
    expect(r2.stdout).toContain('Counterexample, 4 states');
  });

  it('reports deadlock (exit 11), which --no-deadlock switches off', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'stuck.ts', counter(`
      actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n++; } } },`));
    const r = cli(['check', f, '--out', dir]);
    expect(r.code).toBe(11);
    expect(r.stdout).toContain('counter: deadlock');
    expect(r.stdout).toContain('Counterexample, 4 states');
    const off = cli(['check', f, '--no-deadlock', '--out', dir]);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('counter: holds');
  });

  it('reports a violated action property (exit 13)', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'step.ts', counter(`
      actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n++; } }, reset: { when: (s) => s.n === 3, do: (s) => { s.n = 0; s.done = true; } } },
      actionProperties: { NeverDecreases: (s, t) => t.n >= s.n },`));
    const r = cli(['check', f, '--out', dir]);
    expect(r.code).toBe(13);
    expect(r.stdout).toContain("action property 'NeverDecreases' is violated by reset");
    expect(r.stdout).toContain('Counterexample, 5 states');
  });

  it('--json prints one document with the fields CI scripts read', () => {
    const out = scratch();
    const r = cli(['check', 'specs/examples/refcount-race.ts', '--json', '--out', out]);
    expect(r.code).toBe(12);
    const doc = JSON.parse(r.stdout);
    expect(doc.exitCode).toBe(12);
    expect(doc.results).toHaveLength(2);
    expect(doc.results[0]).toMatchObject({ spec: 'refcount-race', variant: 'atomic', result: 'ok', expected: 'holds', distinct: 4, generated: 5, depth: 4, complete: true, symmetry: ['t'] });
    expect(doc.results[1]).toMatchObject({
      spec: 'refcount-race', variant: 'racy', result: 'invariant', property: 'NoLeak', expected: { violates: 'NoLeak' },
      asExpected: true, distinct: 8, generated: 10, depth: 5, traceLength: 5, traceFile: join(out, 'refcount-race.racy.NoLeak.itf.json'),
    });
    expect(existsSync(doc.results[1].traceFile)).toBe(true);
  });

  it('--variant checks one variant; an unknown one is a usage error naming the variants (exit 151)', () => {
    const r = cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'atomic']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('refcount-race [atomic]: holds');
    expect(r.stdout).not.toContain('racy');
    const bad = cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'v9']);
    expect(bad.code).toBe(151);
    expect(bad.stderr).toContain("spec 'refcount-race' has no variant 'v9' (variants: atomic, racy)");
  });

  it('--max-states stops early and says the space was not exhausted', () => {
    const r = cli(['check', 'specs/examples/two-phase.ts', '--max-states', '50', '--symmetry', 'off']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Stopped early (max-states): the state space was not exhausted.');
    expect(r.stdout).toContain('no violation (incomplete: max-states)');
  });

  it('--max-depth bounds the search by depth', () => {
    const r = cli(['check', 'specs/examples/die-hard.ts', '--max-depth', '3', '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.results[0]).toMatchObject({ result: 'incomplete', depth: 3, complete: false, stopped: 'max-depth' });
  });

  it('a trace of a property that now holds goes when a complete check finds it holds, and the run says so; others stay', () => {
    const dir = scratch();
    const out = join(dir, 'out');
    const file = join(dir, 'counter.ts');
    const spec = (limit: number, deadlock = false) =>
      writeSpec(
        dir,
        'counter.ts',
        counter(`actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n++; } } }, invariants: { Small: (s) => s.n < ${limit} }, deadlock: ${deadlock},
          variants: { default: {}, bad: { expect: { violates: 'Small' } } },`),
      );
    const trace = join(out, 'counter.Small.itf.json');
    const meta = (change: (m: Record<string, unknown>) => void) => {
      const doc = JSON.parse(readFileSync(trace, 'utf8'));
      change(doc['#meta']);
      writeFileSync(trace, JSON.stringify(doc));
    };
    spec(2, true);
    expect(cli(['check', file, '--out', out]).code).toBe(12);
    expect(cli(['check', file, '--out', out, '--variant', 'bad']).code).toBe(12);
    spec(9, true);
    expect(cli(['check', file, '--out', out, '--variant', 'default']).code).toBe(11);
    expect(readdirSync(out).sort()).toEqual(['counter.Small.itf.json', 'counter.bad.Small.itf.json', 'counter.deadlock.itf.json']);
    // Stopped early, the check does not know that Small holds; without the deadlock check, nothing is known of deadlock.
    spec(9);
    expect(cli(['check', file, '--out', out, '--variant', 'default', '--max-depth', '2']).code).toBe(0);
    // A trace whose #meta says it is of another spec file with the same name is not this one's.
    let source: unknown;
    meta((m) => ((source = m.source), (m.source = 'elsewhere/counter.ts')));
    const r = cli(['check', file, '--out', out, '--variant', 'default']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('removed');
    expect(readdirSync(out).sort()).toEqual(['counter.Small.itf.json', 'counter.bad.Small.itf.json', 'counter.deadlock.itf.json']);
    meta((m) => (m.source = source));
    expect(cli(['check', file, '--out', out, '--variant', 'default']).stdout).toContain(`removed ${trace}: its property now holds`);
    expect(readdirSync(out).sort()).toEqual(['counter.bad.Small.itf.json', 'counter.deadlock.itf.json']);
    // A gate that fails because a variant expected to violate Small now holds keeps that variant's trace.
    expect(cli(['check', file, '--out', out, '--variant', 'bad', '--gate']).code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['counter.bad.Small.itf.json', 'counter.deadlock.itf.json']);
  });
});

describe('bad input gets a one-line error, never a stack trace', () => {
  it('unknown options and bad values: exit 151', () => {
    const r = cli(['check', 'specs', '--frobnicate']);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain('interleave: Unknown argument: frobnicate');
    const n = cli(['check', 'specs', '--max-states', 'lots']);
    expect(n.code).toBe(151);
    expect(n.stderr).toContain("--max-states must be a positive whole number, not 'lots'");
    const s = cli(['check', 'specs', '--symmetry', 'maybe']);
    expect(s.code).toBe(151);
    expect(s.stderr).toContain('Invalid values');
    const none = cli([]);
    expect(none.code).toBe(151);
  });

  it('an output folder that cannot be made is refused before any search (exit 151)', () => {
    const dir = scratch();
    const r = cli(['check', 'specs/examples/die-hard.ts', '--out', join(dir, 'package.json', 'traces')]);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain(`--out ${join(dir, 'package.json', 'traces')}: cannot create the folder: ${join(dir, 'package.json')} exists and is not a folder`);
    const proc = cli(['check', 'specs/examples/die-hard.ts', '--out', '/proc/interleave-traces']);
    expect(proc.code).toBe(151);
    expect(proc.stderr).toContain("--out /proc/interleave-traces: cannot create the folder: ENOENT");
  });

  it('an option given twice is refused (exit 151)', () => {
    const r = cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'atomic', '--variant', 'racy']);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain('--variant was given 2 times; give it once');
  });

  it("an empty --variant names the variant '' (refused where there is none), rather than every variant", () => {
    const r = cli(['check', 'specs/examples/die-hard.ts', '--variant', '', '--out', scratch()]);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain("spec 'die-hard' has no variant '' (variants: default)");
  });

  it('a reader that closes the pipe early gets no error', () => {
    const r = spawnSync('bash', ['-c', `node ${join(ROOT, 'bin', 'interleave.js')} list specs | head -1`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout).toBe('bakery  specs/examples/bakery.ts\n');
    expect(r.stderr).toBe('');
  });

  it('a check piped into a reader that stops early still exits with its verdict (a gate under pipefail fails)', () => {
    const dir = scratch();
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${join(ROOT, 'bin', 'interleave.js')} check specs/examples/die-hard.ts specs/examples/refcount-race.ts --out ${dir} | head -1; echo "exit \${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout).toBe('✓ die-hard: violates NotSolved (expected: violates NotSolved)\nexit 12\n');
  });

  it('two scalarsets with one name and different elements: exit 150', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'twins.ts', `import { defineSpec, mapOf, optional, scalarset, bool } from 'interleave';
export default defineSpec({ name: 'twins', state: { m: mapOf(scalarset('t', 2), bool()), o: optional(scalarset('t', 3)) },
  init: { m: { t1: false, t2: false }, o: null }, actions: {} });\n`);
    const r = cli(['check', f]);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain("two scalarsets are named 't' with different elements ({t1, t2} and {t1, t2, t3})");
  });

  it('a missing file: exit 150 naming it', () => {
    const r = cli(['check', 'specs/nope.ts']);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain('specs/nope.ts: no such file or folder');
  });

  it('a spec that does not parse: exit 150 naming the file and the reason', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'broken.ts', `import { defineSpec } from 'interleave';\nexport default defineSpec({ name: 'x', state: { , });\n`);
    const r = cli(['check', f]);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain('broken.ts: the spec does not load:');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('a file without a spec as its default export: exit 150 saying what to write', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'plain.ts', `export const x = 1;\n`);
    const r = cli(['check', f]);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain('plain.ts: it has no default export; end it with `export default defineSpec({ ... })`');
  });

  it('a spec whose definition is invalid: exit 150 with defineSpec\'s reason', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'noinit.ts', `import { defineSpec, int } from 'interleave';\nexport default defineSpec({ name: 'x', state: { n: int(0, 1) }, actions: {} } as any);\n`);
    const r = cli(['check', f]);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain("noinit.ts: the spec does not load: spec 'x': `init` is missing");
    const g = writeSpec(dir, 'badexpect.ts', counter(`actions: {}, expect: { violates: 'Nothing' },`));
    const r2 = cli(['check', g]);
    expect(r2.code).toBe(150);
    expect(r2.stderr).toContain("expects a violation of 'Nothing', which is not a property of the spec");
  });

  it('an init function that throws, or a folder without specs: exit 150', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'initthrows.ts', `import { defineSpec, int } from 'interleave';\nexport default defineSpec({ name: 'x', state: { n: int(0, 1) }, init: () => { throw new Error('no pages'); }, actions: {} });\n`);
    const r = cli(['check', f]);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain("spec 'x', variant 'default': `init` threw: no pages");
    const empty = scratch();
    const e = cli(['check', empty]);
    expect(e.code).toBe(150);
    expect(e.stderr).toContain('no spec files here');
  });

  it("a variant whose init fails does not load; the file's other variants are checked", () => {
    const dir = scratch();
    const f = writeSpec(dir, 'initvariant.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'v', state: { n: int(0, 1) }, constants: { empty: false },
  init: function* (c) { if (c.empty) return; yield { n: 0 }; },
  actions: {}, deadlock: false, variants: { full: {}, none: { constants: { empty: true } } } });
`);
    const r = cli(['check', f, '--json']);
    expect(r.code).toBe(150);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { variant: string; result: string }) => [x.variant, x.result])).toEqual([['full', 'ok']]);
    expect(doc.loadErrors).toEqual([{ file: f, message: `${f}: spec 'v': \`init\` gives no initial state` }]);
  });

  it.each([
    ['5', 'gives 5;'],
    ['null', 'gives null;'],
    ['() => {}', 'gives undefined (a missing return?);'],
  ])('an init that gives no state (%s) does not load, saying what it gave (150)', (init, said) => {
    const dir = scratch();
    const f = writeSpec(dir, 'badinit.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'badinit', state: { n: int(0, 1) }, init: (${init}) as never, actions: {}, deadlock: false });\n`);
    const r = cli(['check', f, '--no-typecheck', '--out', dir]);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain(`spec 'badinit', variant 'default': \`init\` ${said} it gives a state (an object with a value for each variable), an array of states, or a generator of them`);
  });

  it('a parameter without a finite domain: exit 150 naming the action', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'param.ts', counter(`actions: { go: { params: { xs: seqOf(int(0, 99), 4) }, do: () => {} } },`).replace('int, bool', 'int, bool, seqOf'));
    const r = cli(['check', f]);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain("action 'go': parameter 'xs': seqOf(int(0, 99), 4) has 101010101 values; enumerate() lists at most 1000000");
    const g = writeSpec(dir, 'param2.ts', counter(`actions: { go: { params: { xs: 3 as never }, do: () => {} } },`));
    const q = cli(['check', g]);
    expect(q.code).toBe(150);
    expect(q.stderr).toContain("action 'go': parameter 'xs' is 3; a parameter needs a type (int, enumOf, scalarset, setOf ...) or an array of values");
  });
});
