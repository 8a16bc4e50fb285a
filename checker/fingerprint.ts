// 64-bit fingerprints of encoded states: two independent 32-bit hashes (murmur3-style mixing) over
// the slot vector. TLC uses 64-bit fingerprints too; the end-of-run report states the chance that
// two distinct states shared one.

/**
 * Writes the fingerprint of v[0..width) to out[0] (high word) and out[1] (low word). The low word is
 * never 0: the store uses 0 to mean "not written yet".
 */
export function fingerprint(v: Int32Array, width: number, out: Uint32Array | Int32Array): void {
  let h1 = 0x9747b28c ^ width;
  let h2 = 0x2f8d3e51 ^ Math.imul(width, 0x27d4eb2f);
  for (let i = 0; i < width; i++) {
    let k = Math.imul(v[i], 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let j = Math.imul(v[i] ^ 0x5bd1e995, 0x85ebca6b);
    j = (j << 17) | (j >>> 15);
    h2 ^= Math.imul(j, 0xc2b2ae35);
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (Math.imul(h2, 9) + 0x7f4a7c15) | 0;
  }
  out[0] = fmix(h1 ^ h2);
  out[1] = fmix(h2 + Math.imul(h1, 0x9e3779b1)) || 1;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * TLC's "optimistic" estimate of the chance that a fingerprint collision made two distinct states
 * look the same: distinct * (generated - distinct) / 2^64.
 */
export function collisionProbability(distinct: number, generated: number): number {
  return (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
}
