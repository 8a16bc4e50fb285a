// A blocked Bloom filter over 64-bit fingerprints: all the bits of one fingerprint sit in one
// 64-byte block, so a query costs one cache miss, not one per probe. The disk fingerprint set asks it
// before reading a page of the sorted run: a state that is new (most of those that miss the
// in-memory front table) is then answered without touching the disk.
//
// Six probes in a 512-bit block at 10 bits per fingerprint give about 1.5% false positives (one page
// read per 70 new states); the block is chosen by the high word, the probes come from the low word
// and from the high word mixed by a multiplication, so they do not depend on the block.

const BLOCK_WORDS = 16;

export class BlockedBloom {
  readonly words: Int32Array;
  readonly blocks: number;

  constructor(readonly capacity: number, bitsPerEntry = 10) {
    this.blocks = Math.max(1, Math.ceil((capacity * bitsPerEntry) / (BLOCK_WORDS * 32)));
    this.words = new Int32Array(this.blocks * BLOCK_WORDS);
  }

  add(hi: number, lo: number): void {
    const w = this.words;
    const base = Math.floor(((hi >>> 0) * this.blocks) / 4294967296) * BLOCK_WORDS;
    const m = Math.imul(hi, 0x9e3779b1) >>> 5;
    let b = lo & 511;
    w[base + (b >>> 5)] |= 1 << (b & 31);
    b = (lo >>> 9) & 511;
    w[base + (b >>> 5)] |= 1 << (b & 31);
    b = (lo >>> 18) & 511;
    w[base + (b >>> 5)] |= 1 << (b & 31);
    b = m & 511;
    w[base + (b >>> 5)] |= 1 << (b & 31);
    b = (m >>> 9) & 511;
    w[base + (b >>> 5)] |= 1 << (b & 31);
    b = (m >>> 18) & 511;
    w[base + (b >>> 5)] |= 1 << (b & 31);
  }

  /** False when the fingerprint was certainly never added. */
  mayContain(hi: number, lo: number): boolean {
    const w = this.words;
    const base = Math.floor(((hi >>> 0) * this.blocks) / 4294967296) * BLOCK_WORDS;
    const m = Math.imul(hi, 0x9e3779b1) >>> 5;
    let b = lo & 511;
    if ((w[base + (b >>> 5)] & (1 << (b & 31))) === 0) return false;
    b = (lo >>> 9) & 511;
    if ((w[base + (b >>> 5)] & (1 << (b & 31))) === 0) return false;
    b = (lo >>> 18) & 511;
    if ((w[base + (b >>> 5)] & (1 << (b & 31))) === 0) return false;
    b = m & 511;
    if ((w[base + (b >>> 5)] & (1 << (b & 31))) === 0) return false;
    b = (m >>> 9) & 511;
    if ((w[base + (b >>> 5)] & (1 << (b & 31))) === 0) return false;
    b = (m >>> 18) & 511;
    return (w[base + (b >>> 5)] & (1 << (b & 31))) !== 0;
  }

  bytes(): number {
    return this.words.byteLength;
  }
}
