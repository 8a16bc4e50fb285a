// The hash of a spec module and every module it imports, transitively (relative imports; packages
// are pinned by the lockfile). A worker thread, a checkpoint or another machine that rebuilds a
// system compares it, so that a spec edited meanwhile is refused rather than searched half old.
// Files are named relative to the graph's common folder, so that the same files unpacked elsewhere
// (a cluster worker's copy) hash the same.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

/** The spec module and every module it imports relatively, transitively, as absolute paths, sorted. */
export function importGraph(file: string): string[] {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(f), spec);
      if (existsSync(target)) visit(target);
    }
  };
  visit(resolve(file));
  return [...seen].sort();
}

/** The deepest folder holding every one of `files`. */
export function commonFolder(files: string[]): string {
  let base = dirname(files[0]);
  while (!files.every((f) => f.startsWith(base.endsWith(sep) ? base : base + sep))) base = dirname(base);
  return base;
}

export function importGraphHash(file: string): string {
  const files = importGraph(file);
  const base = commonFolder(files);
  const hash = createHash('sha256');
  for (const f of files) hash.update(relative(base, f)).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex');
}
