// The engine depends on nothing of the language: no module under checker/ imports one under src/
// (statically or by a literal dynamic import). src/ compiles a spec into checker/system.ts's
// interface; the reverse import would tie the engine to one front end again.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(m?ts|m?js)$/.test(name) ? [p] : [];
  });
}

/** The imports of a module's text that leave `root` for `forbidden`. */
export function importsInto(file: string, text: string, forbidden: string): string[] {
  return [...text.matchAll(IMPORT)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((spec) => spec.startsWith('.') && resolve(dirname(file), spec).startsWith(forbidden + '/'))
    .map((spec) => `${relative(ROOT, file)} imports ${spec}`);
}

describe('import direction', () => {
  it('nothing under checker/ imports from src/', () => {
    const src = join(ROOT, 'src');
    const wrong = files(join(ROOT, 'checker')).flatMap((f) => importsInto(f, readFileSync(f, 'utf8'), src));
    expect(wrong).toEqual([]);
  });

  it('the check sees static, re-exported and dynamic imports', () => {
    const f = join(ROOT, 'checker', 'search', 'x.ts');
    const text = [
      "import { a } from '../../src/spec.ts';",
      "export * from '../../src/schema/index.ts';",
      "const m = await import('../../src/load.ts');",
      "import type { T } from '../system.ts';",
    ].join('\n');
    expect(importsInto(f, text, join(ROOT, 'src'))).toEqual([
      'checker/search/x.ts imports ../../src/spec.ts',
      'checker/search/x.ts imports ../../src/schema/index.ts',
      'checker/search/x.ts imports ../../src/load.ts',
    ]);
  });
});
