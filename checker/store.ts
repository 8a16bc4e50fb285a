// The visited set: an open-addressing hash table of state indices in a typed array, with each
// state's fingerprint, parent index and action kept in chunked typed arrays by index. The shortest
// trace to any state is rebuilt from the parent links by replay (see trace.ts).

const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/** A growable array of 32-bit integers in fixed-size chunks: no copying, no doubling slack. */
class ChunkedInt32 {
  private chunks: Int32Array[] = [];
  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & MASK];
  }
  set(i: number, v: number): void {
    const c = i >>> CHUNK_BITS;
    while (c >= this.chunks.length) this.chunks.push(new Int32Array(CHUNK));
    this.chunks[c][i & MASK] = v;
  }
  bytes(): number {
    return this.chunks.length * CHUNK * 4;
  }
}

export class FingerprintStore {
  private table: Int32Array;
  private mask: number;
  private readonly fpHi = new ChunkedInt32();
  private readonly fpLo = new ChunkedInt32();
  private readonly parents = new ChunkedInt32();
  private readonly actions = new ChunkedInt32();
  size = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.table = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** Adds a state; returns its new index, or -1 when its fingerprint is already stored. */
  insert(hi: number, lo: number, parent: number, action: number): number {
    hi |= 0;
    lo |= 0;
    const table = this.table;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const entry = table[slot];
      if (entry === 0) break;
      const i = entry - 1;
      if (this.fpLo.get(i) === lo && this.fpHi.get(i) === hi) return -1;
      slot = (slot + 1) & this.mask;
    }
    const index = this.size++;
    table[slot] = index + 1;
    this.fpHi.set(index, hi);
    this.fpLo.set(index, lo);
    this.parents.set(index, parent);
    this.actions.set(index, action);
    if (this.size * 10 > table.length * 7) this.grow();
    return index;
  }

  has(hi: number, lo: number): boolean {
    hi |= 0;
    lo |= 0;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const entry = this.table[slot];
      if (entry === 0) return false;
      if (this.fpLo.get(entry - 1) === lo && this.fpHi.get(entry - 1) === hi) return true;
      slot = (slot + 1) & this.mask;
    }
  }

  parent(index: number): number {
    return this.parents.get(index);
  }
  action(index: number): number {
    return this.actions.get(index);
  }
  fingerprintHi(index: number): number {
    return this.fpHi.get(index) >>> 0;
  }
  fingerprintLo(index: number): number {
    return this.fpLo.get(index) >>> 0;
  }

  /** Bytes held by the table and the per-state arrays. */
  bytes(): number {
    return this.table.byteLength + this.fpHi.bytes() + this.fpLo.bytes() + this.parents.bytes() + this.actions.bytes();
  }

  private grow(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let i = 0; i < this.size; i++) {
      let slot = (this.fpLo.get(i) ^ Math.imul(this.fpHi.get(i), 0x9e3779b1)) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = i + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}
