// Each thread registers tsx's hooks module directly, and falls back to tsx's register() when that
// throws (a tsx release whose hooks module moved or changed what it is handed).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Registers TypeScript in a fresh process with `hooks`, then imports a spec and prints its name. */
function importSpecAfter(hooks: string) {
  const code = [
    "import { registerTypeScript } from './checker/typescript-hooks.js';",
    `await registerTypeScript(${JSON.stringify(hooks)});`,
    "const spec = (await import('./specs/examples/die-hard.ts')).default;",
    'console.log(spec.def.name);',
  ].join('\n');
  return spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
}

describe('TypeScript in a thread', () => {
  it("imports a spec through tsx's hooks module", () => {
    const r = importSpecAfter('tsx/esm');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('die-hard\n');
    expect(r.status).toBe(0);
  });

  it("falls back to tsx's register() when the hooks module does not load", () => {
    const r = importSpecAfter('tsx/no-such-hooks');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('die-hard\n');
    expect(r.status).toBe(0);
  });
});
