// Symmetry reduction: a state's representative is the least slot vector over all permutations of
// each scalarset (the product group), so the distinct-state count is exactly the number of orbits.
// The checker knows every place a scalarset occurs from the schema, so no spec writes permutation code.
import type { SymmetrySite } from '../src/schema/index.ts';
import type { Model } from './model.ts';

/** Maps a slot vector to its canonical representative, written into `out`. */
export type Canonicaliser = (v: Int32Array, out: Int32Array) => void;

interface Group {
  name: string;
  size: number;
  blocks: { slot: number; blockWidth: number }[];
  values: { slot: number; liveIf?: { slot: number; min: number } }[];
  /** Sets of scalarset elements: element i is bit (i % 30) of slot base + floor(i / 30). */
  bitsets: { base: number }[];
}

/** Permutations applied to a slot vector: one permutation (old element -> new element) per group. */
export class Permuter {
  readonly groups: Group[];
  private readonly scratch: Int32Array;
  constructor(
    readonly model: Pick<Model, 'symmetry' | 'width'>,
  ) {
    this.groups = [...model.symmetry].map(([name, g]) => toGroup(name, g.size, g.sites));
    this.scratch = new Int32Array(model.width);
  }

  /** out := perms applied to v. Block moves come first (outer maps before inner), then values. */
  apply(v: Int32Array, perms: readonly (readonly number[])[], out: Int32Array): void {
    out.set(v);
    const tmp = this.scratch;
    this.groups.forEach((g, gi) => {
      const p = perms[gi];
      for (const b of g.blocks) {
        const len = b.blockWidth * g.size;
        tmp.set(out.subarray(b.slot, b.slot + len));
        for (let k = 0; k < g.size; k++) {
          out.set(tmp.subarray(k * b.blockWidth, (k + 1) * b.blockWidth), b.slot + p[k] * b.blockWidth);
        }
      }
    });
    this.groups.forEach((g, gi) => {
      const p = perms[gi];
      for (const s of g.values) {
        if (s.liveIf && out[s.liveIf.slot] < s.liveIf.min) continue;
        out[s.slot] = p[out[s.slot]];
      }
      for (const b of g.bitsets) {
        const words = Math.ceil(g.size / 30);
        const old = Array.from(out.subarray(b.base, b.base + words));
        out.fill(0, b.base, b.base + words);
        for (let i = 0; i < g.size; i++) {
          if (old[(i / 30) | 0] & (1 << i % 30)) out[b.base + ((p[i] / 30) | 0)] |= 1 << p[i] % 30;
        }
      }
    });
  }
}

function toGroup(name: string, size: number, sites: SymmetrySite[]): Group {
  const g: Group = { name, size, blocks: [], values: [], bitsets: [] };
  for (const s of sites) {
    if (s.kind === 'blocks') g.blocks.push({ slot: s.slot, blockWidth: s.blockWidth });
    else if (s.kind === 'value') g.values.push({ slot: s.slot, liveIf: s.liveIf });
    else if (s.bit === 0) g.bitsets.push({ base: s.slot });
  }
  return g;
}

export function permutations(n: number): number[][] {
  if (n <= 1) return [Array.from({ length: n }, (_, i) => i)];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) {
    for (let pos = 0; pos < n; pos++) out.push([...rest.slice(0, pos), n - 1, ...rest.slice(pos)]);
  }
  return out;
}

/** Every element of the product group, as one permutation per scalarset. */
export function groupElements(sizes: number[]): number[][][] {
  let acc: number[][][] = [[]];
  for (const n of sizes) acc = acc.flatMap((prefix) => permutations(n).map((p) => [...prefix, p]));
  return acc;
}

/** The exact canonicaliser: the lexicographically least image over the whole product group. */
export function exactCanonicaliser(model: Pick<Model, 'symmetry' | 'width'>): Canonicaliser {
  const permuter = new Permuter(model);
  const elements = groupElements(permuter.groups.map((g) => g.size));
  const candidate = new Int32Array(model.width);
  const width = model.width;
  return (v, out) => {
    out.set(v);
    for (const perms of elements) {
      permuter.apply(v, perms, candidate);
      for (let i = 0; i < width; i++) {
        if (candidate[i] !== out[i]) {
          if (candidate[i] < out[i]) out.set(candidate);
          break;
        }
      }
    }
  };
}
