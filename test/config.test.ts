// Configuration like a TLC model's .cfg: constants from the command line that reach parameter
// domains and bounds, assumptions checked before the search, and how traces show a state.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../src/compile/model.ts';
import { parseConstOptions } from '../src/constants.ts';
import tokens from './fixtures/tokens.ts';
import { cli, scratch, writeSpec } from './helpers.ts';

const SPEC = 'test/fixtures/tokens.ts';

describe('constants', () => {
  it('parse NAME=VALUE as JSON where it parses, else as text', () => {
    expect(parseConstOptions(['N=3', 'Peers=["a","b"]', 'mode=fast', 'on=true'])).toEqual({ N: 3, Peers: ['a', 'b'], mode: 'fast', on: true });
    expect(() => parseConstOptions(['N'])).toThrow('--const N: write NAME=VALUE, e.g. --const N=3');
    expect(() => parseConstOptions(['N=1', 'N=2'])).toThrow('--const N is given twice');
  });

  it('reach the state bounds and the parameter domains of every variant', () => {
    const m = compileModel(tokens, 'two', SPEC, { constants: { N: 4 } });
    expect(m.actions).toHaveLength(16);
    expect(m.codec.describe()).toBe("record { held: mapOf(scalarset('n', 4), int(0, 2)), moves: int(0, 3) }");
    expect(compileModel(tokens, 'three', SPEC).actions.map((a) => a.label).slice(0, 3)).toEqual(['pass(from=n1, to=n1)', 'pass(from=n1, to=n2)', 'pass(from=n1, to=n3)']);
  });

  it('--const changes what is checked; the counts are those of the new constants', () => {
    const r = cli(['check', SPEC, '--variant', 'two', '--const', 'N=3', '--const', 'Max=1', '--json']);
    expect(r.code).toBe(0);
    const [res] = JSON.parse(r.stdout).results;
    // One token among 3 nodes, 3 moves: positions 1, 2, 3, 3 by moves; each has 2 moves on (TLC counts initial states as generated).
    expect([res.distinct, res.generated, res.depth]).toEqual([1 + 2 + 3 + 3, 1 + 2 + 2 * 2 + 3 * 2, 4]);
  });

  it('--const naming no constant, or of the wrong kind, is a usage error (151)', () => {
    const a = cli(['check', SPEC, '--const', 'M=1']);
    expect(a.code).toBe(151);
    expect(a.stderr).toContain("interleave: test/fixtures/tokens.ts: spec 'tokens' has no constant 'M' (constants: N, Max)");
    const b = cli(['check', SPEC, '--const', 'N=two']);
    expect(b.code).toBe(151);
    expect(b.stderr).toContain(`--const N="two": spec 'tokens' declares N as a number (2)`);
  });

  it('with --json, a run refused for its options still prints one JSON document saying why (151)', () => {
    const r = cli(['check', SPEC, '--const', 'N=two', '--json']);
    expect(r.code).toBe(151);
    expect(JSON.parse(r.stdout)).toEqual({ tool: 'interleave', exitCode: 151, refused: `test/fixtures/tokens.ts: --const N="two": spec 'tokens' declares N as a number (2)`, results: [] });
  });

  it('a --const that makes a type invalid is named with the message (150)', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'bound.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'bound', constants: { N: 2 }, state: (c) => ({ x: int(0, c.N) }), init: { x: 0 }, actions: {}, deadlock: false });\n`);
    const r = cli(['check', f, '--const', 'N=-1', '--no-typecheck']);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain("spec 'bound': the state schema is invalid (with --const N=-1): int(0, -1): bounds must be integers with lo <= hi");
  });

  it('--const names the trace and is recorded in it; trace --replay compiles the spec with the recorded constants', () => {
    const out = scratch();
    expect(cli(['check', SPEC, '--variant', 'short', '--out', out]).code).toBe(12);
    expect(cli(['check', SPEC, '--variant', 'short', '--const', 'N=3', '--const', 'Max=1', '--out', out]).code).toBe(12);
    // Both traces are kept: the default constants' and those of the run with --const.
    const mine = join(out, 'tokens.short.N=3,Max=1.FewMoves.itf.json');
    expect(JSON.parse(readFileSync(join(out, 'tokens.short.FewMoves.itf.json'), 'utf8'))['#meta'].constants).toBeUndefined();
    expect(JSON.parse(readFileSync(mine, 'utf8'))['#meta'].constants).toEqual({ N: 3, Max: 1 });
    const replayed = cli(['trace', mine, '--replay', SPEC]);
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('All 3 states replay: the trace is a behaviour of tokens [short].');
    // --const given to the replay wins over the recorded constants: node n3 is then outside the type.
    // Constants in a trace that do not fit the spec: the trace is named, and exit 150 (not a usage error).
    const edited = join(out, 'edited.itf.json');
    writeFileSync(edited, readFileSync(mine, 'utf8').replace('"N": 3', '"N": "three"'));
    const wrong = cli(['trace', edited, '--replay', SPEC]);
    expect(wrong.code).toBe(150);
    expect(wrong.stderr).toMatch(/^interleave: .*edited\.itf\.json: the constants it records do not fit the spec \(/);
    const other = cli(['trace', mine, '--replay', SPEC, '--const', 'N=2']);
    expect(other.code).toBe(150);
    expect(other.stderr).toContain("state 1: held key = 'n3' is outside scalarset('n', 2)");
  });

  it('assumptions are evaluated once per variant, whatever the threads (what they print is printed once, as TLC evaluates an ASSUME)', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'loud.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'loud', state: { x: int(0, 9) }, init: { x: 0 }, actions: { inc: { when: (s) => s.x < 9, do: (s) => { s.x++; } } }, assumptions: { Says: () => { console.log('assumed'); return true; } }, deadlock: false });\n`);
    for (const workers of ['1', '2']) {
      const r = cli(['check', f, '--workers', workers, '--no-typecheck', '--out', dir]);
      expect([workers, r.code, r.stdout.split('assumed').length - 1]).toEqual([workers, 0, 1]);
    }
  });

  it('an assumption that does not hold stops the check before any search, with exit 10', () => {
    const r = cli(['check', SPEC, '--const', 'N=1']);
    expect(r.code).toBe(10);
    expect(r.stderr).toBe(`error: test/fixtures/tokens.ts: spec 'tokens', variant 'two': assumption 'AtLeastTwoNodes' does not hold for the constants {"N":1,"Max":2}\n`);
    expect(r.stdout).toBe('');
  });
});

describe('trace file names', () => {
  it('variants whose names make the same file name each keep their own trace', () => {
    const dir = scratch();
    writeSpec(dir, 'collide.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'collide', state: { x: int(0, 5) }, constants: { lim: 1 }, init: { x: 0 }, actions: { inc: { when: (s) => s.x < 5, do: (s) => { s.x++; } } },
  invariants: { Small: (s, c) => s.x <= c.lim }, deadlock: false, variants: { 'a/b': { constants: { lim: 1 } }, 'a b': { constants: { lim: 2 } } } });\n`);
    const r = cli(['check', join(dir, 'collide.ts'), '--json', '--out', dir]);
    const files: string[] = JSON.parse(r.stdout).results.map((x: { traceFile: string }) => x.traceFile);
    expect(files[0]).toBe(join(dir, 'collide.a_b.Small.itf.json'));
    expect(files[1]).toMatch(/collide\.a_b\.Small\.[0-9a-f]{8}\.itf\.json$/);
    expect(files.map((f) => JSON.parse(readFileSync(f, 'utf8')).states.length)).toEqual([3, 4]);
  });
});

describe('trace expressions', () => {
  it('show derived values and hide variables in printed traces; ITF keeps every variable and records the derived ones', () => {
    const out = scratch();
    const r = cli(['check', SPEC, '--variant', 'short', '--out', out]);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain(
      [
        '  1  initial state',
        '       held[n1] = 2',
        '       held[n2] = 0',
        '       total = 2',
        '       empty = 1',
        '  2  pass(from=n1, to=n2)',
        '       held[n1]: 2 -> 1',
        '       held[n2]: 0 -> 1',
        '       empty: 1 -> 0',
      ].join('\n'),
    );
    expect(r.stdout).not.toContain('moves');
    const itf = JSON.parse(readFileSync(join(out, 'tokens.short.FewMoves.itf.json'), 'utf8'));
    expect(itf.vars).toEqual(['held', 'moves']);
    expect(itf.states[1]['#meta'].derived).toEqual({ total: '2', empty: '0' });
    expect(itf.states[2].moves).toBe(2);
  });
});

describe('which files are specs', () => {
  it('a folder gives its .ts files, not helpers, test files, declarations or lib/', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { findSpecFiles } = await import('../src/load.ts');
    const dir = scratch();
    for (const f of ['a.ts', 'b.mts', '_helper.ts', 'a.test.ts', 'types.d.ts', 'lib/shared.ts', '_private/x.ts', 'nested/c.ts']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), '');
    }
    expect(findSpecFiles([dir]).map((f) => f.slice(dir.length + 1))).toEqual(['a.ts', 'b.mts', 'nested/c.ts']);
    expect(findSpecFiles([join(dir, 'a.test.ts')])).toEqual([join(dir, 'a.test.ts')]);
    // One file named twice, by other paths or through its folder, is one spec.
    expect(findSpecFiles([join(dir, 'a.ts'), join(dir, 'nested', '..', 'a.ts'), dir]).map((f) => f.slice(dir.length + 1))).toEqual(['a.ts', 'b.mts', 'nested/c.ts']);
  });
});

describe('parameter domains', () => {
  it('whose product is past a million instances are refused before they are built, naming each size', async () => {
    const { defineSpec, int } = await import('../src/index.ts');
    const spec = defineSpec({
      name: 'wide',
      state: { x: int(0, 1) },
      init: { x: 0 },
      actions: { a: { params: { p: int(0, 99_999), q: int(0, 99_999), r: int(0, 1) }, when: (s, { p, q }) => p === q && s.x === 0, do: (s) => { s.x = 1; } } },
    });
    expect(() => compileModel(spec, 'default')).toThrow(
      "spec 'wide', action 'a': its parameters make 20,000,000,000 instances (p: 100,000, q: 100,000, ...), more than the 1,000,000 an action may have: bound the parameters, or pick values inside the recipe with choose()",
    );
  });
});

describe('set-valued parameters', () => {
  it('take every subset of a set type, or each value of a list such as the quorums', async () => {
    const { defineSpec, int, majorities, scalarset, setOf } = await import('../src/index.ts');
    const Node = scalarset('n', 3);
    const spec = defineSpec({
      name: 'quorums',
      state: { x: int(0, 1) },
      init: { x: 0 },
      actions: {
        commit: { params: { Q: majorities(Node) }, do: (s, { Q }) => { s.x = Q.size > 2 ? 1 : 0; } },
        any: { params: { S: setOf(Node) }, when: (_s, { S }) => S.size === 1, do: () => {} },
      },
    });
    const m = compileModel(spec, 'default');
    expect(m.actions.filter((a) => a.name === 'commit').map((a) => a.label)).toEqual([
      "commit(Q={'n1', 'n2'})", "commit(Q={'n1', 'n3'})", "commit(Q={'n2', 'n3'})", "commit(Q={'n1', 'n2', 'n3'})",
    ]);
    expect(m.actions.filter((a) => a.name === 'any')).toHaveLength(8);
  });
});
