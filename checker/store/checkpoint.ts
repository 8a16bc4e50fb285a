// Checkpoints of a breadth-first search on disk. The data files are append-only or immutable (the
// parent links, the level queues, the sorted fingerprint runs), so a checkpoint is the lengths of
// the files at one moment, written to a manifest after the data is fsynced. The manifest is written
// to a temporary file, fsynced, renamed over the last one and the folder fsynced: a crash at any
// moment leaves either the old manifest or the new one, each naming files that are complete.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const MANIFEST = 'checkpoint.json';
/** 2: fingerprints skip the zeros past the rows of wide sets and sequences (fingerprint()). */
const FORMAT = 2;

/** What a checkpoint was taken of: a search resumes only the same spec with the same options. */
export interface SearchIdentity {
  /** A hash of the spec's source files (its whole import graph). */
  spec: string;
  /** The options that change what is searched (variant, constants, symmetry, deadlock, depth). */
  options: string;
  /** The variant's name, for messages. */
  title: string;
}

export interface CheckpointManifest {
  format: number;
  identity: SearchIdentity;
  /** The depth of the level being expanded (initial states are depth 1). */
  depth: number;
  /** The level being expanded: its queue file, its length, and how many of its states are expanded. */
  current: { file: string; count: number; consumed: number };
  /** The next level so far. */
  next: { file: string; count: number };
  /** The fingerprint run (undefined before the first merge) and the number of distinct states. */
  store: { run?: string; generation: number; states: number };
  generated: number;
  fired: number[];
  found: number[];
  /** Distinct states per level so far (for the estimate of the time left). */
  levels: number[];
  elapsedMs: number;
  writtenAt: string;
}

export class CheckpointError extends Error {}

/** Writes the manifest atomically (the data it names must already be on disk). */
export function writeManifest(dir: string, manifest: Omit<CheckpointManifest, 'format' | 'writtenAt'>): void {
  const body = JSON.stringify({ format: FORMAT, ...manifest, writtenAt: new Date().toISOString() }, null, 1);
  const tmp = join(dir, `${MANIFEST}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, MANIFEST));
  syncFolder(dir);
}

export function syncFolder(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, MANIFEST));
}

/** Reads the manifest and refuses one taken of another spec or with other options. */
export function readManifest(dir: string, identity: SearchIdentity): CheckpointManifest {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) throw new CheckpointError(`${dir} holds no checkpoint (no ${MANIFEST}); start with --checkpoint ${dir}`);
  let m: CheckpointManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as CheckpointManifest;
  } catch (e) {
    throw new CheckpointError(`${path} is not a checkpoint manifest: ${(e as Error).message}`);
  }
  const wrong = malformed(m);
  if (wrong) throw new CheckpointError(`${path} is not a checkpoint manifest this version wrote (${wrong}); start again without --resume`);
  if (m.format !== FORMAT) throw new CheckpointError(`${path} has format ${m.format}; this version reads format ${FORMAT}`);
  if (m.identity.title !== identity.title) {
    throw new CheckpointError(`the checkpoint in ${dir} is of ${m.identity.title}, not of ${identity.title}; resume it with that variant, or start again without --resume`);
  }
  if (m.identity.spec !== identity.spec) {
    throw new CheckpointError(
      `the spec of ${identity.title} changed since the checkpoint in ${dir} was taken (its source files differ); ` +
        'a resumed search would mix two specs: start again without --resume',
    );
  }
  if (m.identity.options !== identity.options) {
    throw new CheckpointError(
      `the checkpoint in ${dir} was taken with other options (${m.identity.options}, now ${identity.options}); resume with the same options, or start again`,
    );
  }
  return m;
}

/** What is wrong with the shape of a manifest read from disk (edited or damaged), if anything. */
function malformed(m: unknown): string | undefined {
  const count = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  const file = (x: unknown, pattern: RegExp) => typeof x === 'string' && pattern.test(x);
  const o = m as Partial<CheckpointManifest> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'not an object';
  if (typeof o.identity !== 'object' || o.identity === null) return 'no identity';
  for (const k of ['spec', 'options', 'title'] as const) if (typeof o.identity[k] !== 'string') return `identity.${k} is not text`;
  const { current, next, store } = o;
  // The files are named by the search itself: a plain name in the checkpoint's folder, nothing else.
  if (!current || !file(current.file, /^level-\d+\.queue$/) || !count(current.count) || !count(current.consumed) || current.consumed > current.count) return 'current level';
  if (!next || !file(next.file, /^level-\d+\.queue$/) || !count(next.count)) return 'next level';
  if (!store || (store.run !== undefined && !file(store.run, /^fingerprints-\d+\.run$/)) || !count(store.generation) || !count(store.states)) return 'store';
  if (!count(o.depth) || o.depth! < 1 || !count(o.generated) || !count(o.elapsedMs)) return 'depth, generated or elapsed time';
  for (const k of ['fired', 'found', 'levels'] as const) if (!Array.isArray(o[k]) || !o[k]!.every(count)) return k;
  return undefined;
}
