// Writing what a user asked to keep (traces, reports): folders made one level at a time, files
// written whole or not at all.
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates `dir` and its missing parents. Made by hand rather than with `mkdirSync(..., { recursive:
 * true })`, which never returns for some paths (under /proc, for one) instead of failing.
 */
export function ensureDir(dir: string): void {
  const path = resolve(dir);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new Error(`${dir} exists and is not a folder`);
    return;
  }
  const parent = dirname(path);
  if (parent !== path) ensureDir(parent);
  mkdirSync(path);
}

/** Writes through a temporary file and a rename, so an interrupted run never leaves half a file. */
export function writeFileAtomic(file: string, text: string): void {
  ensureDir(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
