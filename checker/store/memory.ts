// The visited set: an open-addressing hash table whose 12-byte slots hold a state's whole 64-bit
// fingerprint and its index, [hi, lo, index + 1], so a lookup touches one place in memory (a hit
// or a miss never leaves the table). Each state's parent index and action live in chunked arrays
// by index, written in order. The shortest trace to any state is rebuilt from the parent links by
// replay (see ../trace/rebuild.ts).
//
// Memory: 12 bytes per slot at a load between 0.65 and 0.85 (the table grows by 1.3x and places
// slots by multiply-shift, so its capacity need not be a power of two), plus 5-8 bytes per state:
// under 24 bytes per distinct state. The table sits at the start of a buffer with room to grow into
// (address space until written), where most growth steps happen in place (growInPlace). The buffers
// may be SharedArrayBuffers, so that worker threads insert concurrently (insertShared); the table
// then grows between rounds.
import type { ChoicePath } from '../system.ts';
import type { StateStore } from './store.ts';

export const CHUNK_BITS = 16;
export const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const MAX_LOAD = 0.85;
const GROWTH = 1.3;
/**
 * Below this many slots the table grows three steps at once (2.2x): each growth moves every entry,
 * and small tables cost little memory. The sizes stay those of growing 1.3x at a time, so that a
 * large table ends at the size it always did.
 */
const FAST_BELOW = 1 << 22;
/** The capacity a table of `cap` slots grows to. */
function grown(cap: number): number {
  return Math.ceil(cap * (cap < FAST_BELOW ? GROWTH ** 3 : GROWTH));
}
/**
 * A table is made with room for growth steps up to this many times its size, which then happen in
 * place: moving into a new table each time faulted in every page of every table, about twice the
 * final table's size over a search.
 */
const ROOM_AHEAD = 5;
/** State indices a thread takes from the shared counter at a time (insertShared). */
export const INDEX_BLOCK = 64;
/** An index word meaning "claimed by a thread that has not yet written the index". */
const CLAIMED = -1;

/** Per-state action ids take 1, 2 or 4 bytes, depending on how many action instances a model has. */
export function actionBytes(actionCount: number): 1 | 2 | 4 {
  return actionCount < 0xff ? 1 : actionCount < 0xffff ? 2 : 4;
}

type ActionArray = Uint8Array | Uint16Array | Int32Array;

function actionArray(bytes: 1 | 2 | 4, buffer: ArrayBufferLike): ActionArray {
  return bytes === 1 ? new Uint8Array(buffer) : bytes === 2 ? new Uint16Array(buffer) : new Int32Array(buffer);
}

/** The buffers of a store, enough to rebuild a view of it in another thread. */
export interface StoreBuffers {
  /** The table's buffer, of which it takes the first `capacity` slots (the rest is room to grow into). */
  table: ArrayBufferLike;
  capacity: number;
  parents: ArrayBufferLike[];
  actions: ArrayBufferLike[];
  actionBytes: 1 | 2 | 4;
  choices?: ArrayBufferLike[];
}

/** A choice path packed into one Int32: up to three indices below 1023; -1 when it does not fit. */
export function packChoice(path: ChoicePath): number {
  const n = path.length;
  if (n === 0) return 0;
  if (n > 3) return -1;
  let code = n << 30;
  for (let i = 0; i < n; i++) {
    const e = path[i];
    if (!(e >= 0 && e < 1023)) return -1;
    code |= e << (10 * i);
  }
  return code;
}

export function unpackChoice(code: number): ChoicePath | undefined {
  if (code === 0) return [];
  if (code === -1) return undefined;
  const n = code >>> 30;
  return Array.from({ length: n }, (_, i) => (code >>> (10 * i)) & 1023);
}

/** Where `hi` starts probing in a table of `cap` slots (as an offset into the Int32 array). */
function home(hi: number, cap: number): number {
  return Math.floor(((hi >>> 0) * cap) / 4294967296) * 3;
}

export class FingerprintStore implements StateStore {
  /** [hi, lo, index + 1] per slot; index word 0 marks an empty slot. */
  table: Int32Array;
  capacity: number;
  parents: Int32Array[] = [];
  actions: ActionArray[] = [];
  /** Packed choice paths per state (packChoice), kept only for systems whose actions have choices. */
  choices?: Int32Array[];
  size = 0;
  private readonly shared: boolean;
  /** The entries growInPlace holds back, [hi, lo, index + 1] each (kept for the next growth). */
  private held: Int32Array = new Int32Array(0);

  constructor(
    readonly actionBytes: 1 | 2 | 4 = 4,
    opts: { initialCapacity?: number; shared?: boolean; choices?: boolean } = {},
  ) {
    this.shared = opts.shared ?? false;
    if (opts.choices) this.choices = [];
    this.capacity = opts.initialCapacity ?? 1 << 12;
    this.table = this.roomyTable(this.capacity);
  }

  /** A view of a store whose buffers were made in another thread. */
  static view(b: StoreBuffers, size: number): FingerprintStore {
    const s = new FingerprintStore(b.actionBytes, { initialCapacity: 1, shared: true, choices: !!b.choices });
    s.adopt(b, size);
    return s;
  }

  buffers(): StoreBuffers {
    return {
      table: this.table.buffer,
      capacity: this.capacity,
      parents: this.parents.map((a) => a.buffer),
      actions: this.actions.map((a) => a.buffer),
      actionBytes: this.actionBytes,
      choices: this.choices?.map((a) => a.buffer),
    };
  }

  /** Takes over the owner's newer buffers (after it grew the store). */
  adopt(b: StoreBuffers, size: number): void {
    this.table = new Int32Array(b.table, 0, b.capacity * 3);
    this.capacity = b.capacity;
    this.parents = b.parents.map((x) => new Int32Array(x));
    this.actions = b.actions.map((x) => actionArray(this.actionBytes, x));
    this.choices = b.choices?.map((x) => new Int32Array(x));
    this.size = size;
  }

  /** Adds a state; returns its new index, or -1 when its fingerprint is already stored. */
  insert(hi: number, lo: number, parent: number, action: number, choice: ChoicePath): number {
    const table = this.table;
    const end = this.capacity * 3;
    let slot = home(hi, this.capacity);
    for (;;) {
      if (table[slot + 2] === 0) break;
      if (table[slot + 1] === lo && table[slot] === hi) return -1;
      slot += 3;
      if (slot === end) slot = 0;
    }
    const index = this.size++;
    if ((index & MASK) === 0) this.addChunk();
    this.parents[index >>> CHUNK_BITS][index & MASK] = parent;
    this.actions[index >>> CHUNK_BITS][index & MASK] = action;
    if (this.choices && choice.length !== 0) this.setChoice(index, choice);
    table[slot] = hi;
    table[slot + 1] = lo;
    table[slot + 2] = index + 1;
    if (this.size > this.capacity * MAX_LOAD) this.grow();
    return index;
  }

  /** Out of insert(), which then fits within the compiler's inlining budget of the hot loop. */
  private setChoice(index: number, choice: ChoicePath): void {
    this.choices![index >>> CHUNK_BITS][index & MASK] = packChoice(choice);
  }

  /**
   * insert() for several threads at once. A thread claims an empty slot by compare-and-swap on its
   * index word, then writes hi, lo (never 0; an atomic store, so hi is visible before it) and the
   * index. A thread that finds a claimed slot waits for its lo word before comparing. Indices come
   * from `block` ([next, end)), which the thread refills from the shared counter `next[0]` in runs of
   * INDEX_BLOCK, so threads do not contend for the counter on every new state. The caller must have
   * reserved room (reserve()) for every state it may add before the table is grown again.
   */
  insertShared(hi: number, lo: number, parent: number, action: number, choice: ChoicePath, next: Int32Array, block: Int32Array): number {
    const table = this.table;
    const end = this.capacity * 3;
    let slot = home(hi, this.capacity);
    for (;;) {
      if (table[slot + 2] === 0 && Atomics.compareExchange(table, slot + 2, 0, CLAIMED) === 0) {
        table[slot] = hi;
        Atomics.store(table, slot + 1, lo);
        if (block[0] === block[1]) {
          block[0] = Atomics.add(next, 0, INDEX_BLOCK);
          block[1] = block[0] + INDEX_BLOCK;
        }
        const index = block[0]++;
        this.parents[index >>> CHUNK_BITS][index & MASK] = parent;
        this.actions[index >>> CHUNK_BITS][index & MASK] = action;
        if (this.choices && choice.length !== 0) this.setChoice(index, choice);
        table[slot + 2] = index + 1;
        return index;
      }
      // Plain reads on the common path (an atomic load costs several times more here); lo is written
      // after hi, so a non-zero lo means hi is there, and a lo match is confirmed atomically.
      let stored = table[slot + 1];
      while (stored === 0) stored = Atomics.load(table, slot + 1);
      if (stored === lo && (table[slot] === hi || Atomics.load(table, slot) === hi)) return -1;
      slot += 3;
      if (slot === end) slot = 0;
    }
  }

  /** Reads the slot where a lookup of `hi` starts, so that the lookup soon after finds it in the cache. */
  touch(hi: number): number {
    return this.table[home(hi, this.capacity) + 2];
  }

  find(hi: number, lo: number): number {
    const end = this.capacity * 3;
    let slot = home(hi, this.capacity);
    for (;;) {
      if (this.table[slot + 2] === 0) return -1;
      if (this.table[slot + 1] === (lo | 0) && this.table[slot] === (hi | 0)) return this.table[slot + 2] - 1;
      slot += 3;
      if (slot === end) slot = 0;
    }
  }

  parent(index: number): number {
    return this.parents[index >>> CHUNK_BITS][index & MASK];
  }
  action(index: number): number {
    const a = this.actions[index >>> CHUNK_BITS][index & MASK];
    // Initial states store -1, which a 1- or 2-byte array keeps as its largest value.
    return this.parent(index) < 0 ? -1 : a;
  }
  choice(index: number): ChoicePath | undefined {
    return this.choices ? unpackChoice(this.choices[index >>> CHUNK_BITS][index & MASK]) : [];
  }

  /** The fingerprints [hi, lo] (unsigned) of the given states, found with one pass over the table. */
  fingerprints(indices: number[]): [number, number][] {
    const wanted = new Map(indices.map((i) => [i + 1, i]));
    const found = new Map<number, [number, number]>();
    const t = this.table;
    for (let s = 0; s < t.length; s += 3) {
      if (wanted.has(t[s + 2])) found.set(t[s + 2] - 1, [t[s] >>> 0, t[s + 1] >>> 0]);
    }
    return indices.map((i) => found.get(i)!);
  }

  /** Bytes held by the table and the per-state arrays. */
  bytes(): number {
    return this.table.byteLength + this.parents.length * CHUNK * (4 + this.actionBytes + (this.choices ? 4 : 0));
  }

  /** Whether `more` further states fit without growing (for the parallel search). */
  hasRoomFor(more: number): boolean {
    return this.size + more <= this.capacity * MAX_LOAD && this.size + more <= this.parents.length * CHUNK;
  }

  /**
   * Makes room for `more` further states: a bigger table if needed, and per-state chunks in advance
   * for as many states as the table takes before it must grow again (so that only the table's
   * growth, not each new chunk, makes parallel threads pause).
   */
  reserve(more: number): void {
    while (this.size + more > this.capacity * MAX_LOAD) this.grow();
    const upTo = Math.max(this.size + more, Math.floor(this.capacity * MAX_LOAD));
    while (this.parents.length * CHUNK < upTo) this.addChunk();
  }

  private alloc(bytes: number): ArrayBuffer {
    return (this.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)) as ArrayBuffer;
  }

  private addChunk(): void {
    this.parents.push(new Int32Array(this.alloc(CHUNK * 4)));
    this.actions.push(actionArray(this.actionBytes, this.alloc(CHUNK * this.actionBytes)));
    this.choices?.push(new Int32Array(this.alloc(CHUNK * 4)));
  }

  /** The capacity the next growth step takes the table to. */
  nextCapacity(): number {
    return grown(this.capacity);
  }

  /** Whether the next growth step happens in the table's own buffer (growInPlace). */
  growsInPlace(): boolean {
    return this.table.buffer.byteLength >= grown(this.capacity) * 12;
  }

  /** The whole of the table's buffer, the room after the table included (for touchPages). */
  room(): Int32Array {
    return new Int32Array(this.table.buffer);
  }

  /**
   * A table the next growth step moves into, when it cannot happen in place (the parallel search
   * fills it with rehashShared). Its pages are not yet faulted in: see touchPages.
   */
  nextTable(): Int32Array {
    return this.roomyTable(grown(this.capacity));
  }

  /** One growth step, in this thread alone (others must not use the store meanwhile). */
  growOnce(): void {
    this.grow();
  }

  /**
   * Faults in the pages of `table` from Int32 offset `from` up to `to`, by writing a zero to the
   * first word of each page that starts there (the page `from` is in is in use already: before it may
   * be a table other threads are writing), and returns `to`. One thread should do this: threads that
   * fault in the pages of one buffer at the same time wait for each other in the kernel, which made
   * moving the table twice as slow.
   */
  static touchPages(table: Int32Array, from: number, to: number): number {
    for (let i = Math.ceil(from / 1024) * 1024; i < to; i += 1024) table[i] = 0;
    return to;
  }

  /** Switches to a table filled by rehashShared. */
  adoptTable(table: Int32Array): void {
    this.table = table;
    this.capacity = table.length / 3;
  }

  /**
   * Moves the slots [from, to) of `old` into `table`, while other threads move other ranges: a slot is
   * claimed by compare-and-swap on its index word. Nothing looks states up meanwhile.
   */
  static rehashShared(old: Int32Array, table: Int32Array, from: number, to: number): void {
    const cap = table.length / 3;
    const end = cap * 3;
    for (let s = from * 3; s < to * 3; s += 3) {
      const entry = old[s + 2];
      if (entry === 0) continue;
      let slot = home(old[s], cap);
      while (table[slot + 2] !== 0 || Atomics.compareExchange(table, slot + 2, 0, entry) !== 0) {
        slot += 3;
        if (slot === end) slot = 0;
      }
      table[slot] = old[s];
      table[slot + 1] = old[s + 1];
    }
  }

  private grow(): void {
    const cap = grown(this.capacity);
    if (this.growsInPlace()) return this.growInPlace(cap);
    const old = this.table;
    const table = this.roomyTable(cap);
    for (let s = 0; s < old.length; s += 3) if (old[s + 2] !== 0) place(table, cap, old[s], old[s + 1], old[s + 2]);
    this.table = table;
    this.capacity = cap;
  }

  /**
   * A table of `cap` slots at the start of a buffer with room for the next growth steps, up to
   * ROOM_AHEAD times `cap`: those steps then happen in place (growInPlace). The room is address space
   * only until a growth step writes to it. If the system will not give that much, a table of `cap` slots.
   */
  private roomyTable(cap: number): Int32Array {
    let room = cap;
    while (grown(room) <= ROOM_AHEAD * cap) room = grown(room);
    try {
      return new Int32Array(this.alloc(room * 12), 0, cap * 3);
    } catch {
      return new Int32Array(this.alloc(cap * 12));
    }
  }

  /**
   * Grows the table into the room after it in its own buffer. Multiply-shift keeps the slots in the
   * order of their fingerprints, and a fingerprint's new home is past its old one by the growth
   * factor, so the entries move up: taken from the last slot down, each goes to the first free
   * slot from its new home, where every entry is already in its final place. An entry whose new home
   * lies before its slot (near the start, or displaced there from the end) is held back and placed
   * at the end, as is one that would wrap around into the slots not yet moved: put down at once,
   * either would leave a hole in the runs of entries already placed when the slots below are cleared.
   * Only the new part of the buffer is faulted in, and no second table is made.
   */
  private growInPlace(cap: number): void {
    const from = this.table.length;
    const table = new Int32Array(this.table.buffer, 0, cap * 3);
    const end = cap * 3;
    let held = this.held;
    let n = 0;
    for (let s = from - 3; s >= 0; s -= 3) {
      const entry = table[s + 2];
      if (entry === 0) continue;
      const hi = table[s];
      const lo = table[s + 1];
      table[s + 2] = 0;
      let slot = home(hi, cap);
      if (slot >= s) {
        while (slot < end && table[slot + 2] !== 0) slot += 3;
        if (slot < end) {
          table[slot] = hi;
          table[slot + 1] = lo;
          table[slot + 2] = entry;
          if (slot !== s) table[s] = table[s + 1] = 0;
          continue;
        }
      }
      table[s] = table[s + 1] = 0;
      if (n === held.length) held = this.held = grownScratch(held);
      held[n] = hi;
      held[n + 1] = lo;
      held[n + 2] = entry;
      n += 3;
    }
    for (let k = 0; k < n; k += 3) place(table, cap, held[k], held[k + 1], held[k + 2]);
    this.table = table;
    this.capacity = cap;
  }
}

/** Puts an entry into the first free slot from its home in a table of `cap` slots, wrapping at the end. */
function place(table: Int32Array, cap: number, hi: number, lo: number, entry: number): void {
  const end = cap * 3;
  let slot = home(hi, cap);
  while (table[slot + 2] !== 0) {
    slot += 3;
    if (slot === end) slot = 0;
  }
  table[slot] = hi;
  table[slot + 1] = lo;
  table[slot + 2] = entry;
}

function grownScratch(a: Int32Array): Int32Array {
  const b = new Int32Array(Math.max(3 * 256, a.length * 2));
  b.set(a);
  return b;
}
