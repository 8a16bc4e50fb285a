// `interleave check` type-checks the specs it runs, in a child process beside the search, cached by
// the content of each spec's import graph; the usual mistakes get a hint that names the fix.
import { existsSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir, hintFor } from '../src/typecheck.ts';
import { cli, scratch, writeSpec } from './helpers.ts';

const ON = { env: { INTERLEAVE_NO_TYPECHECK: '' } };

const counter = (init: string, recipe: string) => `import { defineSpec, int, mapOf, scalarset } from 'interleave';
const N = scalarset('n', 2);
export default defineSpec({
  name: 'counter',
  state: { pc: mapOf(N, int(0, 2)), x: int(0, 3) },
  init: ${init},
  actions: { inc: { when: (s) => s.x < 3, do: ${recipe} } },
  deadlock: false,
});
`;

describe('type-checking specs', () => {
  it('reports a type error with file:line and a hint, exit 150; the next run uses the cache and does not search', () => {
    const dir = scratch();
    const file = writeSpec(dir, 'map.ts', counter('{ pc: [0, 0], x: 0 }', '(s) => { s.x++; }'));
    const first = cli(['check', file, '--out', dir], ON);
    expect(first.code).toBe(150);
    expect(first.stderr).toContain(
      "map.ts:6:11: error TS2322: Type 'number[]' is not assignable to type 'Record<string, number>'. Index signature for type 'string' is missing in type 'number[]'.\n" +
        '    hint: a mapOf(K, V) value is an object with one property per key, such as { n1: ..., n2: ... }, not an array; build it with K.mapTo((k) => ...)',
    );
    // The search ran beside the type-check, so its result was not lost; the file loaded, and the
    // summary says what is wrong with it.
    expect(first.stdout).toContain('violates TypeOK');
    expect(first.stdout).toContain('1 variant checked; 1 spec file does not type-check.');
    const again = cli(['check', file, '--json', '--out', dir], ON);
    expect(again.code).toBe(150);
    const doc = JSON.parse(again.stdout);
    expect(doc.results).toEqual([]);
    expect(doc.loadErrors[0].message).toContain('the spec does not type-check (3 errors)');
    // Switched off, the same spec runs, and its mistake shows as a TypeOK violation (12).
    expect(cli(['check', file, '--no-typecheck', '--out', dir], ON).code).toBe(12);
  });

  it('a file that neither loads nor type-checks counts once, with both messages', () => {
    const dir = scratch();
    writeSpec(dir, 'good.ts', counter('{ pc: { n1: 0, n2: 0 }, x: 0 }', '(s) => { s.x++; }'));
    writeSpec(dir, 'bad.ts', "import { int } from 'interleave';\nconst n: number = 'one';\nexport default { name: 'bad', n, int };\n");
    for (const run of ['first', 'cached']) {
      const r = cli(['check', dir, '--out', dir], ON);
      expect([run, r.code]).toEqual([run, 150]);
      expect(r.stdout).toContain('1 variant checked; 1 spec file did not load.');
      expect(r.stderr).toContain("bad.ts:2:7: error TS2322: Type 'string' is not assignable to type 'number'.");
      expect(r.stderr).toContain('bad.ts: its default export is not a spec; export the value returned by defineSpec({ ... })');
      const doc = JSON.parse(cli(['check', dir, '--json', '--out', dir], ON).stdout);
      expect(doc.loadErrors.map((e: { file: string }) => e.file.split('/').pop())).toEqual(['bad.ts']);
    }
  });

  it('an async recipe is named as such', () => {
    const dir = scratch();
    const file = writeSpec(dir, 'async.ts', counter('{ pc: { n1: 0, n2: 0 }, x: 0 }', 'async (s) => { s.x++; }'));
    const r = cli(['check', file, '--out', dir], ON);
    expect(r.code).toBe(150);
    expect(r.stderr).toMatch(/async\.ts:7:43: error TS2322: .*Type 'Promise<void>' is not assignable/);
    expect(r.stderr).toContain('hint: recipes, guards and properties run synchronously: remove `async` (the checker never awaits a Promise)');
  });

  it('a spec that type-checks runs as before; a change in a file it imports is checked again', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'bound.ts'), 'export const LIMIT: number = 3;\n');
    const file = writeSpec(dir, 'ok.ts', counter('{ pc: { n1: 0, n2: 0 }, x: 0 }', '(s) => { s.x++; }').replace("name: 'counter',", "name: 'counter', constants: { limit: LIMIT },").replace("import {", "import { LIMIT } from './bound.ts';\nimport {"));
    expect(cli(['check', file, '--out', dir], ON).code).toBe(0);
    writeFileSync(join(dir, 'bound.ts'), "export const LIMIT: number = 'three';\n");
    const r = cli(['check', file, '--out', dir], ON);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain("bound.ts:1:14: error TS2322: Type 'string' is not assignable to type 'number'.");
  });

  it("resolves a project's type libraries from its tsconfig.json, whatever folder the check runs in", () => {
    const project = scratch();
    symlinkSync(join(import.meta.dirname, '..', 'node_modules'), join(project, 'node_modules'));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true, skipLibCheck: true, types: ['node'] } }));
    const file = writeSpec(project, 'env.ts', counter('{ pc: { n1: 0, n2: 0 }, x: Number(process.env.START ?? 0) }', '(s) => { s.x++; }'));
    const elsewhere = scratch();
    const r = cli(['check', file, '--out', elsewhere], { cwd: elsewhere, ...ON });
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it("checks each spec with its own project's tsconfig.json; a tsconfig added later counts; a broken one is named, not buried", () => {
    const strict = JSON.stringify({ compilerOptions: { strict: true, noUnusedLocals: true, module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true, skipLibCheck: true, target: 'ES2022' } });
    const [a, b] = [scratch(), scratch()];
    const spec = (name: string) => counter('{ pc: { n1: 0, n2: 0 }, x: 0 }', '(s) => { s.x++; }').replace("name: 'counter'", `name: '${name}'`).replace('export default', 'const unused = 1;\nexport default');
    const [fa, fb] = [writeSpec(a, 'a.ts', spec('a')), writeSpec(b, 'b.ts', spec('b'))];
    expect(cli(['check', fa, fb, '--out', a], ON).code).toBe(0);
    // A tsconfig.json added to one project: its spec is checked again, with its options; the other is not.
    writeFileSync(join(a, 'tsconfig.json'), strict);
    const withConfig = cli(['check', fa, fb, '--out', a], ON);
    expect(withConfig.code).toBe(150);
    expect(withConfig.stderr).toContain("a.ts:3:7: error TS6133: 'unused' is declared but its value is never read.");
    expect(withConfig.stderr).not.toContain('b.ts');
    // A tsconfig.json that does not parse: its own mistake, once, and the spec checked with the defaults.
    writeFileSync(join(b, 'tsconfig.json'), '{ "compilerOptions": { "strict": true, \n');
    const broken = cli(['check', fb, '--out', b], ON);
    expect(broken.code).toBe(150);
    expect(broken.stderr).toContain(`b.ts: the spec does not type-check (1 error):\n  error TS1005: ${join(b, 'tsconfig.json')}:2:1: '}' expected. (the spec was checked with Interleave's default options instead)`);
    writeFileSync(join(b, 'tsconfig.json'), JSON.stringify({ extends: './missing.json' }));
    expect(cli(['check', fb, '--out', b], ON).stderr).toContain(`error TS5083: ${join(b, 'tsconfig.json')}: Cannot read file '${join(b, 'missing.json')}'.`);
  });

  it('keeps its cache in node_modules/.cache of the project, or in the temp folder', () => {
    expect(defaultCacheDir(join(import.meta.dirname, 'fixtures'))).toBe(join(import.meta.dirname, '..', 'node_modules', '.cache', 'interleave-typecheck'));
    const dir = defaultCacheDir('/');
    expect(dir.endsWith('interleave-typecheck')).toBe(true);
    expect(existsSync(defaultCacheDir()) ? readdirSync(defaultCacheDir()).every((f) => f.endsWith('.json')) : true).toBe(true);
  });

  it('hints only where the mistake is recognised', () => {
    expect(hintFor("Type 'number' is not assignable to type 'string'.")).toBeUndefined();
    expect(hintFor("Type 'Set<{ a: number; }>' is not assignable to type 'ValueSet<{ a: number; }>'.")).toContain('new ValueSet([...])');
  });
});
