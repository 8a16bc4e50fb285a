// Shared by the tests: run the real command line, and write throwaway spec files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'interleave.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    // The type-check of specs is tested on its own (test/typecheck.test.ts); elsewhere it would only
    // start a compiler per fresh spec file.
    env: { ...process.env, NO_COLOR: '1', INTERLEAVE_NO_TYPECHECK: '1', ...opts.env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Where tests make their folders: the run's own (test/global-setup.ts), removed when it ends. */
export function testTemp(): string {
  return process.env.INTERLEAVE_TEST_TMP ?? tmpdir();
}

/** A fresh folder for specs and traces that a test writes. */
export function scratch(): string {
  const dir = mkdtempSync(join(testTemp(), 'interleave-test-'));
  // Spec files are ES modules, as in a project with "type": "module".
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return dir;
}

/** Writes a spec file whose `import ... from 'interleave'` points at this checkout. */
export function writeSpec(dir: string, name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source.replaceAll("from 'interleave'", `from '${join(ROOT, 'src', 'index.ts')}'`));
  return file;
}
