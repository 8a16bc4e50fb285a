// A visited set larger than memory, in the way of TLC's DiskFPSet: new fingerprints go to an
// in-memory front table; when it fills, its entries are sorted and merged with the sorted run on
// disk into a new run, in one sequential pass. A fingerprint that misses the front table is looked
// up in the run through an in-memory index of its pages (the first fingerprint of each page), with
// one page read; a blocked Bloom filter over the run answers most of those lookups without reading
// (a new state is the common case). Each entry keeps the state's index, so that a trace can find
// the fingerprints of its states again.
//
// Entries are [hi, lo, index] as three Int32s in the front table and in the run, ordered by (hi, lo)
// as unsigned numbers. The front table places an entry by multiply-shift on hi and probes linearly
// without wrapping (an overflow area at the end), so its slots are already nearly in order: an
// insertion sort after compaction moves each entry only past its neighbours in a probe cluster.
import { closeSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { BlockedBloom } from './bloom.ts';
import { collectGarbage } from './release.ts';
import { EngineFault } from '../engine-fault.ts';

/** Entries per page of the run: one index entry per page, one read per lookup. */
const PAGE = 256;
/** Entries per read or write while merging. */
const IO_CHUNK = 1 << 16;
const FRONT_LOAD = 0.8;
const OVERFLOW = 4096;

export interface DiskFingerprintsOptions {
  /** Where the runs live. */
  dir: string;
  /**
   * Slots of the front table (12 bytes each) at most; it holds FRONT_LOAD of them before a merge. It
   * starts smaller and doubles, so that a small search does not take the whole budget.
   */
  frontSlots: number;
  /** Fingerprints the Bloom filter is first sized for; it doubles with the run. */
  bloomCapacity?: number;
  /**
   * Bytes the Bloom filter may grow to (at 10 bits per fingerprint it then holds bloomBytes * 0.8
   * fingerprints; past that its false positives, hence page reads, rise).
   */
  bloomBytes?: number;
  /** fsync each new run before the old one goes (for checkpoints). */
  durable?: boolean;
  /** Called with the path of a run that is no longer current, instead of deleting it. */
  retire?: (path: string) => void;
}

export class FrontTable {
  readonly slots: Int32Array;
  size = 0;
  readonly limit: number;

  constructor(readonly capacity: number) {
    this.slots = new Int32Array((capacity + OVERFLOW) * 3);
    this.limit = Math.floor(capacity * FRONT_LOAD);
  }

  /** The empty slot (an Int32 offset) where the key belongs; -1 when it is there; -2 when there is no room. */
  find(hi: number, lo: number): number {
    const t = this.slots;
    const end = t.length;
    for (let s = Math.floor(((hi >>> 0) * this.capacity) / 4294967296) * 3; s < end; s += 3) {
      if (t[s + 1] === 0) return this.size >= this.limit ? -2 : s;
      if (t[s + 1] === lo && t[s] === hi) return -1;
    }
    return -2;
  }

  /** Writes an entry into the empty slot find() returned. */
  put(slot: number, hi: number, lo: number, index: number): void {
    this.slots[slot] = hi;
    this.slots[slot + 1] = lo;
    this.slots[slot + 2] = index;
    this.size++;
  }

  has(hi: number, lo: number): boolean {
    const t = this.slots;
    for (let s = Math.floor(((hi >>> 0) * this.capacity) / 4294967296) * 3; s < t.length; s += 3) {
      if (t[s + 1] === 0) return false;
      if (t[s + 1] === lo && t[s] === hi) return true;
    }
    return false;
  }

  /** Moves the entries to the start of the slots, sorted; returns how many. The table is empty after clear(). */
  sortInPlace(): number {
    const t = this.slots;
    let w = 0;
    for (let s = 0; s < t.length; s += 3) {
      if (t[s + 1] === 0) continue;
      if (s !== w) {
        t[w] = t[s];
        t[w + 1] = t[s + 1];
        t[w + 2] = t[s + 2];
        t[s + 1] = 0;
      }
      w += 3;
    }
    insertionSort(t, w / 3);
    return w / 3;
  }

  /** Empties the table after sortInPlace(), which left its `n` entries at its start. */
  clear(n: number): void {
    this.slots.fill(0, 0, n * 3);
    this.size = 0;
  }

  /** A table of `capacity` slots holding this one's entries. */
  grown(capacity: number): FrontTable {
    const bigger = new FrontTable(capacity);
    const t = this.slots;
    for (let s = 0; s < t.length; s += 3) if (t[s + 1] !== 0) bigger.put(bigger.find(t[s], t[s + 1]), t[s], t[s + 1], t[s + 2]);
    return bigger;
  }

  bytes(): number {
    return this.slots.byteLength;
  }
}

/** Sorts n [hi, lo, index] entries by (hi, lo) unsigned; fast on nearly sorted input. */
export function insertionSort(t: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const hi = t[i * 3], lo = t[i * 3 + 1], ix = t[i * 3 + 2];
    let j = i - 1;
    while (j >= 0 && greater(t[j * 3], t[j * 3 + 1], hi, lo)) {
      t[j * 3 + 3] = t[j * 3];
      t[j * 3 + 4] = t[j * 3 + 1];
      t[j * 3 + 5] = t[j * 3 + 2];
      j--;
    }
    t[j * 3 + 3] = hi;
    t[j * 3 + 4] = lo;
    t[j * 3 + 5] = ix;
  }
}

function greater(ahi: number, alo: number, bhi: number, blo: number): boolean {
  return ahi !== bhi ? ahi >>> 0 > bhi >>> 0 : alo >>> 0 > blo >>> 0;
}

/** A sorted file of [hi, lo, index] entries with the first key of every page in memory. */
export class SortedRun {
  private fd: number;
  private readonly firstHi: Uint32Array;
  private readonly firstLo: Uint32Array;
  private readonly page = new Int32Array(PAGE * 3);
  pageReads = 0;

  constructor(readonly path: string, readonly count: number, firstHi: Uint32Array, firstLo: Uint32Array) {
    this.fd = openSync(path, 'r');
    this.firstHi = firstHi;
    this.firstLo = firstLo;
  }

  /** Opens an existing run file (resume), reading it once to rebuild the page index. */
  static open(path: string, count: number, eachEntry?: (hi: number, lo: number) => void): SortedRun {
    const pages = Math.ceil(count / PAGE);
    const firstHi = new Uint32Array(pages);
    const firstLo = new Uint32Array(pages);
    const fd = openSync(path, 'r');
    const buf = new Int32Array(IO_CHUNK * 3);
    try {
      for (let at = 0; at < count; at += IO_CHUNK) {
        const n = Math.min(IO_CHUNK, count - at);
        readFully(fd, buf, n * 3, at * 12);
        for (let k = 0; k < n; k++) {
          if ((at + k) % PAGE === 0) {
            firstHi[(at + k) / PAGE] = buf[k * 3];
            firstLo[(at + k) / PAGE] = buf[k * 3 + 1];
          }
          eachEntry?.(buf[k * 3], buf[k * 3 + 1]);
        }
      }
    } finally {
      closeSync(fd);
    }
    return new SortedRun(path, count, firstHi, firstLo);
  }

  has(hi: number, lo: number): boolean {
    const h = hi >>> 0, l = lo >>> 0;
    // The last page whose first key is <= the key.
    let a = 0, b = this.firstHi.length - 1;
    if (b < 0 || h < this.firstHi[0] || (h === this.firstHi[0] && l < this.firstLo[0])) return false;
    while (a < b) {
      const m = (a + b + 1) >>> 1;
      if (this.firstHi[m] < h || (this.firstHi[m] === h && this.firstLo[m] <= l)) a = m;
      else b = m - 1;
    }
    const n = Math.min(PAGE, this.count - a * PAGE);
    readFully(this.fd, this.page, n * 3, a * PAGE * 12);
    this.pageReads++;
    const p = this.page;
    let x = 0, y = n - 1;
    while (x <= y) {
      const m = (x + y) >>> 1;
      const mh = p[m * 3] >>> 0, ml = p[m * 3 + 1] >>> 0;
      if (mh === h && ml === l) return true;
      if (mh < h || (mh === h && ml < l)) x = m + 1;
      else y = m - 1;
    }
    return false;
  }

  /**
   * For the n keys in `keys` ([hi, lo] pairs sorted by (hi, lo) unsigned), sets found[k] to 1 when
   * key k is in the run. The pages holding them are read in order; when the keys are dense, in
   * chunks of many pages, so that a batch costs a sequential read, not one read per key.
   */
  containsSorted(keys: Int32Array, n: number, found: Uint8Array): void {
    const pages = this.firstHi.length;
    if (pages === 0) return;
    const span = n * 8 > pages ? IO_CHUNK / PAGE : 1;
    const buf = span === 1 ? this.page : new Int32Array(IO_CHUNK * 3);
    let from = -1, to = -1; // pages [from, to) are in buf
    for (let k = 0; k < n; k++) {
      const h = keys[k * 2] >>> 0, l = keys[k * 2 + 1] >>> 0;
      const p = this.pageOf(h, l);
      if (p < 0) continue;
      if (p < from || p >= to) {
        from = p;
        to = Math.min(pages, p + span);
        const entries = Math.min(to * PAGE, this.count) - from * PAGE;
        readFully(this.fd, buf, entries * 3, from * PAGE * 12);
        this.pageReads++;
      }
      let x = (p - from) * PAGE, y = Math.min(x + PAGE, this.count - from * PAGE) - 1;
      while (x <= y) {
        const m = (x + y) >>> 1;
        const mh = buf[m * 3] >>> 0, ml = buf[m * 3 + 1] >>> 0;
        if (mh === h && ml === l) {
          found[k] = 1;
          break;
        }
        if (mh < h || (mh === h && ml < l)) x = m + 1;
        else y = m - 1;
      }
    }
  }

  /** The last page whose first key is <= the key, or -1. */
  private pageOf(h: number, l: number): number {
    let a = 0, b = this.firstHi.length - 1;
    if (b < 0 || h < this.firstHi[0] || (h === this.firstHi[0] && l < this.firstLo[0])) return -1;
    while (a < b) {
      const m = (a + b + 1) >>> 1;
      if (this.firstHi[m] < h || (this.firstHi[m] === h && this.firstLo[m] <= l)) a = m;
      else b = m - 1;
    }
    return a;
  }

  /** Calls `each` with every entry in order (a sequential read). */
  scan(each: (hi: number, lo: number, index: number) => void): void {
    const buf = new Int32Array(IO_CHUNK * 3);
    for (let at = 0; at < this.count; at += IO_CHUNK) {
      const n = Math.min(IO_CHUNK, this.count - at);
      readFully(this.fd, buf, n * 3, at * 12);
      for (let k = 0; k < n; k++) each(buf[k * 3], buf[k * 3 + 1], buf[k * 3 + 2]);
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /**
   * Writes a new run at `path`: the entries of `old` (may be undefined) merged with the first `n`
   * sorted entries of `front`. `each` sees every front entry written (for the Bloom filter).
   */
  static merge(old: SortedRun | undefined, front: Int32Array, n: number, path: string, durable: boolean): SortedRun {
    const total = (old?.count ?? 0) + n;
    const pages = Math.ceil(total / PAGE);
    const firstHi = new Uint32Array(pages);
    const firstLo = new Uint32Array(pages);
    const tmp = `${path}.tmp`;
    const out = openSync(tmp, 'w');
    const obuf = new Int32Array(IO_CHUNK * 3);
    const ibuf = new Int32Array(IO_CHUNK * 3);
    let o = 0; // entries in obuf
    let written = 0;
    let inPos = 0, inLen = 0, inRead = 0; // old run: position in ibuf, entries in ibuf, entries read so far
    const oldCount = old?.count ?? 0;
    const emit = (hi: number, lo: number, ix: number) => {
      if (written % PAGE === 0) {
        firstHi[written / PAGE] = hi >>> 0;
        firstLo[written / PAGE] = lo >>> 0;
      }
      obuf[o * 3] = hi;
      obuf[o * 3 + 1] = lo;
      obuf[o * 3 + 2] = ix;
      written++;
      if (++o === IO_CHUNK) {
        writeFully(out, obuf, o * 3);
        o = 0;
      }
    };
    const refill = () => {
      inLen = Math.min(IO_CHUNK, oldCount - inRead);
      if (inLen > 0) readFully(old!.fd, ibuf, inLen * 3, inRead * 12);
      inRead += inLen;
      inPos = 0;
    };
    try {
      refill();
      let f = 0;
      while (f < n || inPos < inLen) {
        if (inPos < inLen && (f === n || !greater(ibuf[inPos * 3], ibuf[inPos * 3 + 1], front[f * 3], front[f * 3 + 1]))) {
          // Equal keys keep the older entry (its index is the state's first).
          if (f < n && ibuf[inPos * 3] === front[f * 3] && ibuf[inPos * 3 + 1] === front[f * 3 + 1]) f++;
          emit(ibuf[inPos * 3], ibuf[inPos * 3 + 1], ibuf[inPos * 3 + 2]);
          if (++inPos === inLen) refill();
        } else {
          emit(front[f * 3], front[f * 3 + 1], front[f * 3 + 2]);
          f++;
        }
      }
      if (o > 0) writeFully(out, obuf, o * 3);
      if (durable) fsyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(tmp, path);
    return new SortedRun(path, written, firstHi.subarray(0, Math.ceil(written / PAGE)), firstLo.subarray(0, Math.ceil(written / PAGE)));
  }
}

/** What addUnlessOnDisk() returns when only the run on disk can tell. */
export const MAYBE_ON_DISK = 2;

/** Slots of a new front table. */
const FIRST_FRONT = 1 << 18;

export class DiskFingerprints {
  front: FrontTable;
  run?: SortedRun;
  bloom: BlockedBloom;
  /** Fingerprints held (front table and run). */
  size = 0;
  merges = 0;
  mergeMs = 0;
  private generation = 0;
  private recent: [number, number] = [Infinity, Infinity];

  constructor(readonly opts: DiskFingerprintsOptions) {
    this.front = new FrontTable(Math.min(FIRST_FRONT, opts.frontSlots));
    this.bloom = new BlockedBloom(Math.min(this.bloomMost(), opts.bloomCapacity ?? 1 << 22));
  }

  /** Reopens a run written earlier (resume): its entries fill the Bloom filter again. */
  static resume(opts: DiskFingerprintsOptions, runPath: string | undefined, count: number, generation: number): DiskFingerprints {
    const set = new DiskFingerprints({ ...opts, bloomCapacity: Math.max(opts.bloomCapacity ?? 1 << 22, 4 * count) });
    if (runPath) set.run = SortedRun.open(runPath, count, (hi, lo) => set.bloom.add(hi, lo));
    set.size = count;
    set.generation = generation;
    return set;
  }

  /** Adds a fingerprint with its state index; false when it was already there. */
  add(hi: number, lo: number, index: number): boolean {
    let slot = this.front.find(hi, lo);
    if (slot === -1) return false;
    if (this.run && this.bloom.mayContain(hi, lo) && this.run.has(hi, lo)) return false;
    if (slot === -2) slot = this.makeRoom(hi, lo);
    this.front.put(slot, hi, lo, index);
    this.size++;
    return true;
  }

  /**
   * add() that does not read the disk: 1 when the fingerprint was added, 0 when it was there, and
   * MAYBE_ON_DISK when only the run can tell (the Bloom filter does not rule it out); the caller
   * then asks lookUpSorted() for a batch of such fingerprints at once.
   */
  addUnlessOnDisk(hi: number, lo: number, index: number): number {
    let slot = this.front.find(hi, lo);
    if (slot === -1) return 0;
    if (this.run && this.bloom.mayContain(hi, lo)) return MAYBE_ON_DISK;
    if (slot === -2) slot = this.makeRoom(hi, lo);
    this.front.put(slot, hi, lo, index);
    this.size++;
    return 1;
  }

  /** Whether each of n sorted keys is held: in the front table, or in the run (one pass over it). */
  lookUpSorted(keys: Int32Array, n: number, found: Uint8Array): void {
    this.run?.containsSorted(keys, n, found);
    for (let k = 0; k < n; k++) if (!found[k] && this.front.find(keys[k * 2], keys[k * 2 + 1]) === -1) found[k] = 1;
  }

  /** Adds a fingerprint known to be absent (moving a store to disk), without looking it up. */
  addNew(hi: number, lo: number, index: number): void {
    let slot = this.front.find(hi, lo);
    if (slot === -2) slot = this.makeRoom(hi, lo);
    this.front.put(slot, hi, lo, index);
    this.size++;
  }

  /** A full front table doubles while it may, and is merged into the run once it may not. */
  private makeRoom(hi: number, lo: number): number {
    if (this.front.capacity < this.opts.frontSlots) this.front = this.front.grown(Math.min(2 * this.front.capacity, this.opts.frontSlots));
    else this.merge();
    return this.front.find(hi, lo);
  }

  has(hi: number, lo: number): boolean {
    return this.front.has(hi, lo) || (!!this.run && this.bloom.mayContain(hi, lo) && this.run.has(hi, lo));
  }

  /**
   * The state indices where the level being expanded and the next one begin. A merge keeps their
   * entries in the front table when they take at most half of it: in a breadth-first search most
   * duplicates are states of these two levels, and found there they cost no page read.
   */
  setRecent(currentLevel: number, nextLevel: number): void {
    this.recent = [currentLevel, nextLevel];
  }

  /** The most fingerprints the Bloom filter may be sized for (at 10 bits each), by its budget. */
  private bloomMost(): number {
    return this.opts.bloomBytes === undefined ? Infinity : Math.max(1 << 16, Math.floor((this.opts.bloomBytes * 8) / 10));
  }

  /** Moves the front table into a new run on disk: all of it, or all but the recent levels. */
  merge(all = false): void {
    const started = Date.now();
    let n = this.front.sortInPlace();
    const t = this.front.slots;
    const kept = all ? undefined : this.keepRecent(n);
    if (kept) n -= kept.length / 3;
    const total = (this.run?.count ?? 0) + n;
    const most = this.bloomMost();
    if (2 * total > this.bloom.capacity && this.bloom.capacity < most) {
      // A bigger filter, filled again from the run as it is merged below: 20 bits or more per
      // fingerprint while the budget allows, since each false positive costs a page read. The old
      // one goes first, so that the two never take memory together.
      this.bloom = new BlockedBloom(1);
      collectGarbage();
      this.bloom = new BlockedBloom(Math.min(4 * total, most));
      this.run?.scan((hi, lo) => this.bloom.add(hi, lo));
    }
    for (let k = 0; k < n; k++) this.bloom.add(t[k * 3], t[k * 3 + 1]);
    const path = `${this.opts.dir}/fingerprints-${++this.generation}.run`;
    const next = SortedRun.merge(this.run, t, n, path, !!this.opts.durable);
    const old = this.run;
    this.run = next;
    if (old) {
      old.close();
      if (this.opts.retire) this.opts.retire(old.path);
      else unlinkSync(old.path);
    }
    this.front.clear(n + (kept ? kept.length / 3 : 0));
    if (kept) for (let k = 0; k < kept.length; k += 3) this.front.put(this.front.find(kept[k], kept[k + 1]), kept[k], kept[k + 1], kept[k + 2]);
    this.merges++;
    this.mergeMs += Date.now() - started;
  }

  /**
   * Takes the entries of the recent levels out of the n sorted entries at the start of the front
   * table (those left stay sorted at its start), or returns undefined to merge them all.
   */
  private keepRecent(n: number): Int32Array | undefined {
    const t = this.front.slots;
    for (const from of this.recent) {
      let count = 0;
      for (let k = 0; k < n; k++) if (t[k * 3 + 2] >= from) count++;
      if (count === 0 || count > this.front.limit / 2) continue;
      const kept = new Int32Array(count * 3);
      let w = 0, x = 0;
      for (let k = 0; k < n * 3; k += 3) {
        if (t[k + 2] >= from) {
          kept[x] = t[k];
          kept[x + 1] = t[k + 1];
          kept[x + 2] = t[k + 2];
          x += 3;
        } else {
          t[w] = t[k];
          t[w + 1] = t[k + 1];
          t[w + 2] = t[k + 2];
          w += 3;
        }
      }
      return kept;
    }
    return undefined;
  }

  /** The generation of the current run (its file name), for a checkpoint. */
  get runGeneration(): number {
    return this.generation;
  }

  pageReads(): number {
    return this.run?.pageReads ?? 0;
  }

  /** The fingerprints of the given state indices: a scan of the front table and of the run. */
  fingerprints(indices: number[]): [number, number][] {
    const wanted = new Set(indices);
    const found = new Map<number, [number, number]>();
    const t = this.front.slots;
    for (let s = 0; s < t.length; s += 3) if (t[s + 1] !== 0 && wanted.has(t[s + 2])) found.set(t[s + 2], [t[s] >>> 0, t[s + 1] >>> 0]);
    this.run?.scan((hi, lo, ix) => {
      if (wanted.has(ix)) found.set(ix, [hi >>> 0, lo >>> 0]);
    });
    return indices.map((i) => found.get(i)!);
  }

  /** Bytes held in memory. */
  bytes(): number {
    return this.front.bytes() + this.bloom.bytes() + (this.run ? Math.ceil(this.run.count / PAGE) * 8 : 0);
  }

  /** Bytes of the run on disk. */
  diskBytes(): number {
    return (this.run?.count ?? 0) * 12;
  }

  close(): void {
    this.run?.close();
  }
}

export function readFully(fd: number, into: Int32Array, words: number, position: number): void {
  const bytes = new Uint8Array(into.buffer, into.byteOffset, words * 4);
  let done = 0;
  while (done < bytes.length) {
    let n: number;
    try {
      n = readSync(fd, bytes, done, bytes.length - done, position + done);
    } catch (e) {
      throw EngineFault.from(e);
    }
    if (n === 0) throw new EngineFault(`unexpected end of file reading ${bytes.length} bytes at ${position}`);
    done += n;
  }
}

/** Writes every word, or throws an EngineFault (a full disk: ENOSPC) that ends the search. */
export function writeFully(fd: number, from: Int32Array, words: number, position?: number): void {
  const bytes = new Uint8Array(from.buffer, from.byteOffset, words * 4);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position === undefined ? null : position + done);
  } catch (e) {
    throw EngineFault.from(e);
  }
}
