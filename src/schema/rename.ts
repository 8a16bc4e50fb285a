// Renaming the ids of one scalarset inside a region whose layout a schema owns (the rows of a sorted
// set or bag), then restoring its normal form. The engine calls this through a `normalise` symmetry
// site, after it has permuted the other places of that scalarset, so it needs to know nothing about
// sorted collections.
import type { SymmetrySite } from './types.ts';

/** perm[i] is the new index of element i. */
export type Renamer = (v: Int32Array, at: number, perm: ArrayLike<number>) => void;

/**
 * Compiles the sites of one scalarset of `size` ids, relative to a region's first slot, into a
 * function that renames them in place: map blocks move first (outer maps before inner), then the
 * values and bit sets are renamed, then nested regions normalise themselves.
 */
export function compileRenamer(sites: readonly SymmetrySite[], size: number): Renamer {
  const blocks = sites.filter((s) => s.kind === 'blocks').sort((a, b) => b.blockWidth * b.count - a.blockWidth * a.count || a.slot - b.slot);
  const values = sites.filter((s) => s.kind === 'value');
  const bitsets = sites.filter((s) => s.kind === 'bits' && s.bit === 0);
  const nested = sites.filter((s) => s.kind === 'normalise');
  const scratch = new Int32Array(Math.max(1, ...blocks.map((b) => b.blockWidth * b.count), Math.ceil(size / 30)));
  return (v, at, perm) => {
    for (const b of blocks) {
      const base = at + b.slot;
      const len = b.blockWidth * b.count;
      for (let i = 0; i < len; i++) scratch[i] = v[base + i];
      for (let k = 0; k < b.count; k++) {
        const to = base + perm[k] * b.blockWidth;
        for (let i = 0; i < b.blockWidth; i++) v[to + i] = scratch[k * b.blockWidth + i];
      }
    }
    for (const s of values) {
      if (s.liveIf && v[at + s.liveIf.slot] < s.liveIf.min) continue;
      v[at + s.slot] = perm[v[at + s.slot]];
    }
    for (const s of bitsets) {
      const base = at + s.slot;
      const words = Math.ceil(size / 30);
      for (let w = 0; w < words; w++) {
        scratch[w] = v[base + w];
        v[base + w] = 0;
      }
      for (let i = 0; i < size; i++) if (scratch[(i / 30) | 0] & (1 << i % 30)) v[base + ((perm[i] / 30) | 0)] |= 1 << perm[i] % 30;
    }
    for (const s of nested) s.normalise(v, at + s.slot, perm);
  };
}

/**
 * Sorts the used rows of a sorted collection at `at` (a count slot, then rows of `row` slots) in
 * ascending order, in place. Insertion sort: collections are small and nearly sorted after renaming.
 */
export function sortRows(v: Int32Array, at: number, row: number, scratch: Int32Array): void {
  const n = v[at];
  const first = at + 1;
  for (let i = 1; i < n; i++) {
    const here = first + i * row;
    if (compare(v, first + (i - 1) * row, v, here, row) <= 0) continue;
    for (let k = 0; k < row; k++) scratch[k] = v[here + k];
    let j = i - 1;
    while (j >= 0 && compare(v, first + j * row, scratch, 0, row) > 0) {
      v.copyWithin(first + (j + 1) * row, first + j * row, first + (j + 1) * row);
      j--;
    }
    for (let k = 0; k < row; k++) v[first + (j + 1) * row + k] = scratch[k];
  }
}

function compare(a: Int32Array, i: number, b: Int32Array, j: number, w: number): number {
  for (let k = 0; k < w; k++) if (a[i + k] !== b[j + k]) return a[i + k] - b[j + k];
  return 0;
}
