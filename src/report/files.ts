// Writing what a user asked to keep (traces, reports): folders made one level at a time, files
// written whole or not at all, and a failure reported as the file and its cause, never half a file.
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The file-system calls an output goes through. Tests replace them to inject a full disk or a
 * read-only file system; everything else uses node:fs.
 */
export interface FileWriter {
  writeFile(path: string, text: string): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  mkdir(path: string): void;
}

export const nodeWriter: FileWriter = {
  writeFile: (path, text) => writeFileSync(path, text),
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => unlinkSync(path),
  mkdir: (path) => mkdirSync(path),
};

/** An output file that could not be written: which file, and why, in words. */
export class OutputError extends Error {
  constructor(
    readonly file: string,
    readonly cause: string,
  ) {
    super(`cannot write ${file}: ${cause}`);
    this.name = 'OutputError';
  }
}

const causes: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'an input/output error of the device',
};

/** `no space left on the device (ENOSPC)`: the cause of a failed write, for a one-line message. */
export function describeCause(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string') return `${causes[err.code] ?? err.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '')} (${err.code})`;
  return err instanceof Error ? err.message : String(e);
}

/**
 * Creates `dir` and its missing parents. Made by hand rather than with `mkdirSync(..., { recursive:
 * true })`, which never returns for some paths (under /proc, for one) instead of failing.
 */
export function ensureDir(dir: string, fs: FileWriter = nodeWriter): void {
  const path = resolve(dir);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new Error(`${dir} exists and is not a folder`);
    return;
  }
  const parent = dirname(path);
  if (parent !== path) ensureDir(parent, fs);
  fs.mkdir(path);
}

/** The temporary name a file is written under before it is renamed into place. */
const tmpName = (file: string) => `${file}.${process.pid}.tmp`;
const TMP = /\.(\d+)\.tmp$/;

/**
 * Writes through a temporary file and a rename, so an interrupted run never leaves half a file.
 * On failure the temporary file is removed and an OutputError names the file and the cause.
 */
export function writeFileAtomic(file: string, text: string, fs: FileWriter = nodeWriter): void {
  try {
    ensureDir(dirname(file), fs);
  } catch (e) {
    throw new OutputError(file, `cannot create its folder: ${describeCause(e)}`);
  }
  if (existsSync(file) && statSync(file).isDirectory()) throw new OutputError(file, 'it is a folder');
  // Something other than a plain file (a device, a pipe, a link to /dev/stdout) is written to, not
  // replaced: the rename would put a plain file where it was.
  if (existsSync(file) && (!lstatSync(file).isFile() || !statSync(file).isFile())) {
    try {
      fs.writeFile(file, text);
    } catch (e) {
      throw new OutputError(file, describeCause(e));
    }
    return;
  }
  const tmp = tmpName(file);
  try {
    fs.writeFile(tmp, text);
    fs.rename(tmp, file);
  } catch (e) {
    try {
      fs.unlink(tmp);
    } catch {
      // It was never created, or the file system refuses even this: nothing more can be done.
    }
    throw new OutputError(file, describeCause(e));
  }
}

/**
 * Checks before a search that files can be written in `dir`, by creating and removing a temporary
 * file there: a read-only or full file system is found now, not after hours of searching.
 */
export function probeWritable(dir: string, fs: FileWriter = nodeWriter): void {
  const probe = join(dir, `.interleave-probe.${process.pid}.tmp`);
  try {
    fs.writeFile(probe, '');
  } catch (e) {
    throw new OutputError(dir, describeCause(e));
  }
  try {
    fs.unlink(probe);
  } catch {
    // Written but not removable: writing works, which is what was asked.
  }
}

/** Whether a process with this id is running (a temporary file of a live run must be left alone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that a killed run (SIGKILL, a power cut) left in `dir`: names of the
 * form `<file>.<pid>.tmp` whose process no longer runs. Returns the names removed.
 */
export function removeStaleTemporaries(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TMP.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(basename(name));
    } catch {
      // Another run removed it first, or it cannot be removed: either way it is not ours to fight over.
    }
  }
  return removed;
}

/** Checks before a search that a report file can be written (existing, it must be writable; its folder must take new files). */
export function probeFile(file: string, fs: FileWriter = nodeWriter): void {
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) throw new OutputError(file, 'it is a folder');
    try {
      closeSync(openSync(file, 'r+'));
    } catch (e) {
      throw new OutputError(file, describeCause(e));
    }
  }
  // The report is written beside itself and renamed into place: its folder must take new files.
  probeWritable(dirname(file), fs);
}
