// A hash of a spec file and every file it imports by a relative path, transitively: what a
// checkpoint records so that a resumed search refuses a spec that changed in the meantime.
// Packages (`interleave`, `node:fs`) are left out, and so is this checker's own source when a spec
// reaches it by a relative path (the bundled specs do): they are not the spec.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
const OWN = [resolve(import.meta.dirname, '..'), resolve(import.meta.dirname, '..', '..', 'checker')];
const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];

export function specSourceHash(file: string): string {
  const root = dirname(resolve(file));
  const seen = new Map<string, string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    const text = readFileSync(path, 'utf8');
    seen.set(path, text);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith('.')) continue;
      const base = resolve(dirname(path), spec);
      const found = [base.replace(/\.js$/, '.ts'), ...EXTENSIONS.map((e) => base + e)].find((p) => existsSync(p) && statSync(p).isFile());
      if (found && !OWN.some((own) => found.startsWith(own + '/'))) visit(found);
    }
  };
  visit(resolve(file));
  const hash = createHash('sha256');
  for (const path of [...seen.keys()].sort()) hash.update(`${relative(root, path)}\0${seen.get(path)}\0`);
  return hash.digest('hex').slice(0, 32);
}
