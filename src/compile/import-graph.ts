// The hash of a spec module and every module it imports, transitively (relative imports; packages
// are pinned by the lockfile). A worker thread, a checkpoint or another machine that rebuilds a
// system compares it, so that a spec edited meanwhile is refused rather than searched half old.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

export function importGraphHash(file: string): string {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    order.push(f);
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(f), spec);
      if (existsSync(target)) visit(target);
    }
  };
  visit(resolve(file));
  const hash = createHash('sha256');
  for (const f of order.sort()) hash.update(f).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex');
}
