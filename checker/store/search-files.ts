// The files of a breadth-first search on disk, in one folder: the visited set (sorted fingerprint
// runs and parent links, disk-store.ts), one queue file per level (disk-queue.ts), and, when it
// checkpoints, the manifest (checkpoint.ts). A file the search no longer needs is deleted at once,
// or, when checkpointing, once a newer manifest no longer names it.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FingerprintStore } from './memory.ts';
import { CheckpointError, hasCheckpoint, MANIFEST, readManifest, syncFolder, writeManifest, type CheckpointManifest, type SearchIdentity } from './checkpoint.ts';
import { DiskQueue } from './disk-queue.ts';
import { DiskStore } from './disk-store.ts';

export interface DiskSearchOptions {
  /** The folder the user named (--store-dir or --checkpoint). */
  dir: string;
  /** Slots of the in-memory front table of the visited set (12 bytes each). */
  frontSlots: number;
  /** Bytes its Bloom filter may take. */
  bloomBytes?: number;
  /** Bytes for the batch of lookups put off until they can be answered by one pass over the run. */
  batchBytes?: number;
  /** Search on disk from the start; otherwise move there once the process uses this many bytes. */
  spillAt?: number;
  /** Write a checkpoint every `everyMs` into `dir`. */
  checkpoint?: { identity: SearchIdentity; everyMs: number };
  /** Continue the checkpoint in `dir`. */
  resume?: boolean;
}

/** The search's counters a checkpoint keeps besides the files. */
export type SearchPosition = Omit<CheckpointManifest, 'format' | 'writtenAt' | 'identity' | 'store' | 'current' | 'next'> & {
  consumed: number;
};

export class SearchFiles {
  private retired: string[] = [];
  private readonly open = new Set<DiskQueue>();
  /** The files the last manifest names. */
  private named = new Set<string>();
  store!: DiskStore;
  checkpoints = 0;
  checkpointMs = 0;

  private constructor(
    /** The folder of the data files: `dir` itself when checkpointing, else a fresh folder inside it. */
    readonly folder: string,
    readonly record: number,
    readonly opts: DiskSearchOptions,
  ) {}

  private storeOptions() {
    return { dir: this.folder, frontSlots: this.opts.frontSlots, bloomBytes: this.opts.bloomBytes, durable: !!this.opts.checkpoint, retire: (p: string) => this.retire(p) };
  }

  private static folderFor(opts: DiskSearchOptions): string {
    mkdirSync(opts.dir, { recursive: true });
    if (!opts.checkpoint) return mkdtempSync(join(opts.dir, 'interleave-'));
    if (hasCheckpoint(opts.dir) && !opts.resume) {
      throw new CheckpointError(`${opts.dir} already holds a checkpoint: continue it with --resume ${opts.dir}, or name an empty folder`);
    }
    return opts.dir;
  }

  static start(opts: DiskSearchOptions, record: number): SearchFiles {
    const files = new SearchFiles(SearchFiles.folderFor(opts), record, opts);
    files.store = DiskStore.create(files.storeOptions());
    files.store.batchBytes = opts.batchBytes ?? files.store.batchBytes;
    files.store.whenClosed = () => files.closeRest();
    return files;
  }

  /** Moves an in-memory store to disk. */
  static fromMemory(memory: FingerprintStore, opts: DiskSearchOptions, record: number): SearchFiles {
    const files = new SearchFiles(SearchFiles.folderFor(opts), record, opts);
    files.store = DiskStore.fromMemory(memory, files.storeOptions());
    files.store.batchBytes = opts.batchBytes ?? files.store.batchBytes;
    files.store.whenClosed = () => files.closeRest();
    return files;
  }

  /** Reopens the checkpoint in opts.dir: the store, the level being expanded and the next. */
  static resume(opts: DiskSearchOptions, record: number): { files: SearchFiles; manifest: CheckpointManifest; current: DiskQueue; next: DiskQueue } {
    if (!opts.checkpoint) throw new CheckpointError('--resume needs the identity of the search');
    const manifest = readManifest(opts.dir, opts.checkpoint.identity);
    // The data files must hold at least what the manifest counts (later writes may have added more):
    // a shorter file was truncated or damaged, and a search resumed from it would miss states.
    const bytes = 4 * record;
    requireBytes(opts.dir, 'parents.bin', manifest.store.states * 8);
    requireBytes(opts.dir, manifest.current.file, manifest.current.count * bytes);
    requireBytes(opts.dir, manifest.next.file, manifest.next.count * bytes);
    if (manifest.store.run) requireBytes(opts.dir, manifest.store.run, manifest.store.states * 12);
    // Files written after the checkpoint (a later run, later levels) are not part of it.
    const named = new Set([MANIFEST, manifest.current.file, manifest.next.file, manifest.store.run, 'parents.bin']);
    for (const f of readdirSync(opts.dir)) if (/^(fingerprints-\d+\.run|level-\d+\.queue)(\.tmp)?$/.test(f) && !named.has(f)) rmSync(join(opts.dir, f));
    const files = new SearchFiles(opts.dir, record, opts);
    files.named = named as Set<string>;
    const run = manifest.store.run ? join(opts.dir, manifest.store.run) : undefined;
    files.store = DiskStore.resume(files.storeOptions(), { path: run, generation: manifest.store.generation }, manifest.store.states);
    files.store.batchBytes = opts.batchBytes ?? files.store.batchBytes;
    files.store.whenClosed = () => files.closeRest();
    const current = new DiskQueue(join(opts.dir, manifest.current.file), record, manifest.current.count);
    const next = new DiskQueue(join(opts.dir, manifest.next.file), record, manifest.next.count);
    files.open.add(current).add(next);
    return { files, manifest, current, next };
  }

  /** A new, empty queue file for the states at `depth`. */
  level(depth: number): DiskQueue {
    const q = new DiskQueue(join(this.folder, `level-${depth}.queue`), this.record);
    this.open.add(q);
    return q;
  }

  /** The level is expanded: its file goes. */
  finishLevel(q: DiskQueue): void {
    q.close(false);
    this.open.delete(q);
    this.retire(q.path);
  }

  private retire(path: string): void {
    if (this.opts.checkpoint) this.retired.push(path);
    else unlinkSync(path);
  }

  get checkpointing(): boolean {
    return !!this.opts.checkpoint;
  }

  /** Writes a checkpoint of the search at this moment (between two states). */
  checkpoint(current: DiskQueue, next: DiskQueue, at: SearchPosition): void {
    const started = Date.now();
    const set = this.store.fingerprintSet;
    if (set.front.size > 0) set.merge(true);
    this.store.links.flush(true);
    current.flush(true);
    next.flush(true);
    syncFolder(this.folder);
    const { consumed, ...counters } = at;
    const written = {
      identity: this.opts.checkpoint!.identity,
      ...counters,
      current: { file: basename(current.path), count: current.count, consumed },
      next: { file: basename(next.path), count: next.count },
      store: { run: set.run ? basename(set.run.path) : undefined, generation: set.runGeneration, states: this.store.size },
    };
    writeManifest(this.folder, written);
    this.named = new Set([written.current.file, written.next.file, written.store.run]) as Set<string>;
    for (const path of this.retired.splice(0)) rmSync(path, { force: true });
    this.checkpoints++;
    this.checkpointMs += Date.now() - started;
  }

  diskBytes(): number {
    return this.store.diskBytes();
  }

  /** Closes the files (with the store); without checkpoints, the folder goes too. */
  private closeRest(): void {
    for (const q of this.open) {
      q.close(false);
      if (this.opts.checkpoint && !this.named.has(basename(q.path))) rmSync(q.path, { force: true });
    }
    this.open.clear();
    // What the last checkpoint names stays, so that it can still be resumed.
    for (const path of this.retired.splice(0)) if (!this.named.has(basename(path))) rmSync(path, { force: true });
    if (!this.opts.checkpoint) rmSync(this.folder, { recursive: true, force: true });
  }
}

/** Refuses to resume from a data file shorter than the checkpoint says it is. */
function requireBytes(dir: string, name: string, bytes: number): void {
  const path = join(dir, name);
  if (!existsSync(path)) throw new CheckpointError(`the checkpoint in ${dir} names ${name}, which is missing; start again without --resume`);
  const size = statSync(path).size;
  if (size < bytes) {
    throw new CheckpointError(`the checkpoint in ${dir} is damaged: ${name} has ${size} bytes where the checkpoint counts ${bytes}; start again without --resume`);
  }
}
