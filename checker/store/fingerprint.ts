// 64-bit fingerprints of encoded states: two independent 32-bit hashes over
// the slot vector. TLC uses 64-bit fingerprints too; the end-of-run report states the chance that
// two distinct states shared one.

/**
 * Writes the fingerprint of v[0..width) to out[0] (high word) and out[1] (low word). The low word is
 * never 0: the store uses 0 to mean "not written yet".
 *
 * `counted` lists the system's counted regions (TransitionSystem.countedRegions) as triples [at,
 * width, row], in order: a bounded set or sequence whose first slot is its number of rows and whose
 * slots past them are zero. Those zeros are not hashed: the count before them says where they start,
 * so the slots hashed still tell every state apart, and a set of 144 messages holding 20 costs its
 * 20 rows, not 144.
 */
export function fingerprint(v: Int32Array, width: number, out: Uint32Array | Int32Array, counted?: Int32Array): void {
  // Two xxHash32-style lanes with different primes and rotations: two multiplications per slot and
  // lane, no calls in the loop; each lane is finished with murmur3's avalanche.
  let h1 = 0x9747b28c ^ width;
  let h2 = 0x2f8d3e51 ^ Math.imul(width, 0x27d4eb2f);
  const regions = counted === undefined ? 0 : counted.length;
  let i = 0;
  for (let r = 0; ; r += 3) {
    // Up to the end of the next region's rows, or of the vector.
    let end = width;
    if (r < regions) {
      const at = counted![r];
      end = Math.min(at + 1 + v[at] * counted![r + 2], at + counted![r + 1]);
    }
    for (; i < end; i++) {
      const x = v[i];
      const a = (h1 + Math.imul(x, 0x85ebca77)) | 0;
      h1 = Math.imul((a << 13) | (a >>> 19), 0x9e3779b1);
      const b = (h2 ^ Math.imul(x, 0xc2b2ae3d)) + 0x165667b1;
      h2 = Math.imul((b << 17) | (b >>> 15), 0x27d4eb2f);
    }
    if (r >= regions) break;
    i = counted![r] + counted![r + 1];
  }
  out[0] = fmix(h1 ^ (h2 >>> 7));
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
