// Each thread registers its loader hooks directly (typescript-cache.js, which keeps what tsx made of
// each module), and falls back to tsx's register() when that throws (a tsx release whose hooks
// module moved or changed what it is handed).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'interleave-hooks-test-'));
// Its TypeScript is ES modules, as a spec folder's is.
writeFileSync(join(scratch, 'package.json'), '{ "type": "module" }\n');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Registers TypeScript in a fresh process with `hooks`, imports `module`, and prints `expression` of it. */
function importAfter(hooks: string | undefined, module: string, expression: string, env: Record<string, string> = {}, cwd = ROOT) {
  const code = [
    `import { registerTypeScript } from ${JSON.stringify(join(ROOT, 'checker/typescript-hooks.js'))};`,
    `await registerTypeScript(${hooks === undefined ? '' : JSON.stringify(hooks)});`,
    `const m = await import(${JSON.stringify(module)});`,
    `console.log(${expression});`,
  ].join('\n');
  return spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
}

const DIE_HARD = join(ROOT, 'specs/examples/die-hard.ts');

describe('TypeScript in a thread', () => {
  it("imports a spec through tsx's hooks module", () => {
    const r = importAfter('tsx/esm', DIE_HARD, 'm.default.def.name');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('die-hard\n');
    expect(r.status).toBe(0);
  });

  it("falls back to tsx's register() when the hooks module does not load", () => {
    const r = importAfter('tsx/no-such-hooks', DIE_HARD, 'm.default.def.name');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('die-hard\n');
    expect(r.status).toBe(0);
  });
});

describe('the kept output of tsx', () => {
  const cacheRoot = join(scratch, 'tmp');
  mkdirSync(cacheRoot);
  const env = { TMPDIR: cacheRoot };
  const kept = () => readdirSync(cacheRoot).filter((d) => d.startsWith('interleave-ts-')).flatMap((d) => readdirSync(join(cacheRoot, d)));

  it('serves a module from what it kept, and makes a changed module again', () => {
    const dir = join(scratch, 'changes');
    mkdirSync(dir);
    const file = join(dir, 'value.ts');
    writeFileSync(file, 'const v: number = 1;\nexport default v;\n');
    expect(importAfter(undefined, file, 'm.default', env).stdout).toBe('1\n');
    expect(kept()).toHaveLength(1);
    expect(importAfter(undefined, file, 'm.default', env).stdout).toBe('1\n');
    expect(kept()).toHaveLength(1);
    // What is served is the kept entry, not a fresh transform.
    const [entry] = readdirSync(cacheRoot).filter((d) => d.startsWith('interleave-ts-')).map((d) => join(cacheRoot, d, kept()[0]));
    writeFileSync(entry, 'export default 99;\n');
    expect(importAfter(undefined, file, 'm.default', env).stdout).toBe('99\n');
    writeFileSync(file, 'const v: number = 2;\nexport default v;\n');
    const r = importAfter(undefined, file, 'm.default', env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('2\n');
    expect(kept()).toHaveLength(2);
  });

  it('keeps another entry when the tsconfig tsx reads changes (its options change the output)', () => {
    const dir = join(scratch, 'tsconfig');
    mkdirSync(dir);
    const file = join(dir, 'fields.ts');
    writeFileSync(file, 'export class A { x?: number; }\nexport default Object.hasOwn(new A(), "x");\n');
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "useDefineForClassFields": true } }\n');
    const before = kept().length;
    expect(importAfter(undefined, file, 'm.default', env, dir).stdout).toBe('true\n');
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "useDefineForClassFields": false } }\n');
    expect(importAfter(undefined, file, 'm.default', env, dir).stdout).toBe('false\n');
    expect(kept()).toHaveLength(before + 2);
  });

  it('keeps the source map: an error from a kept module names its TypeScript line', () => {
    const dir = join(scratch, 'lines');
    mkdirSync(dir);
    const file = join(dir, 'thrower.ts');
    writeFileSync(file, 'type T = { a: number };\n\nexport function f(): T {\n  throw new Error("here");\n}\n');
    const expression = "(() => { try { m.f(); } catch (e) { return e.stack.split('\\n')[1]; } })()";
    for (let run = 0; run < 2; run++) {
      const r = importAfter(undefined, file, expression, env);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('thrower.ts:4:');
    }
  });

  it("leaves to tsx what Node's resolver cannot find: a '.js' import of a '.ts' file", () => {
    const dir = join(scratch, 'js-import');
    mkdirSync(dir);
    writeFileSync(join(dir, 'lib.ts'), 'export const x: number = 7;\n');
    writeFileSync(join(dir, 'main.ts'), "import { x } from './lib.js';\nexport default x * 6;\n");
    for (let run = 0; run < 2; run++) expect(importAfter(undefined, join(dir, 'main.ts'), 'm.default', env).stdout).toBe('42\n');
  });

  it('does not keep modules in the temporary folder (a test\'s spec, a cluster worker\'s bundle): they are one-offs', () => {
    const dir = join(cacheRoot, 'one-off');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'once.ts'), 'export const x: number = 5;\n');
    const before = kept().length;
    expect(importAfter(undefined, join(dir, 'once.ts'), 'm.x', env).stdout).toBe('5\n');
    expect(kept()).toHaveLength(before);
  });

  it("reports a syntax error as tsx does, naming the file", () => {
    const dir = join(scratch, 'syntax');
    mkdirSync(dir);
    const file = join(dir, 'broken.ts');
    writeFileSync(file, 'export const x: number = ;\n');
    const r = importAfter(undefined, file, 'm.x', env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('broken.ts');
    expect(r.stderr).toMatch(/Unexpected|Transform failed/);
  });
});
