// Symmetry reduction: every state is replaced by a canonical member of its orbit under the
// permutations of each scalarset (the product group when there are several), so the distinct-state
// count is exactly the number of orbits. The checker knows every place a scalarset occurs from the
// schema, so no spec writes permutation code.
//
// Two canonicalisers give one representative per orbit:
// - `bruteForceCanonicaliser`: the least slot vector over the whole group (n! images per state);
//   kept as the reference the fast one is tested against.
// - `canonicaliser`: individualisation and refinement, as graph canonical-labelling tools do.
//   Refinement (refine.ts) orders elements by signatures that do not depend on their names; only
//   elements that tie are tried in each order, and a tie between elements whose swap leaves the
//   state unchanged is tried once. The representative is the least image among the orderings so
//   reached. Everything that picks those orderings commutes with renaming, so permuted states get
//   the same representative, and it is always a permutation of the state: one per orbit.
import type { SymmetrySite, TransitionSystem } from '../system.ts';
import { Refiner } from './refine.ts';

/** Maps a slot vector to its canonical representative, written into `out`. */
export type Canonicaliser = (v: Int32Array, out: Int32Array) => void;

export type SymmetryModel = Pick<TransitionSystem, 'symmetry' | 'width'>;

interface Group {
  name: string;
  size: number;
  blocks: { slot: number; blockWidth: number }[];
  values: { slot: number; liveIf?: { slot: number; min: number } }[];
  /** Sets of scalarset elements: element i is bit (i % 30) of slot base + floor(i / 30). */
  bitsets: { base: number }[];
  /** Layouts a schema permutes and normalises itself (a sorted set of records, say). */
  normalised: Extract<SymmetrySite, { kind: 'normalise' }>[];
}

/** Permutations applied to a slot vector: one permutation (old element -> new element) per group. */
export class Permuter {
  readonly groups: Group[];
  private readonly scratch: Int32Array;
  // The sites of each group flattened into typed arrays: apply() runs once per candidate image.
  private readonly blockSlot: Int32Array[];
  private readonly blockWidth: Int32Array[];
  private readonly valueSlot: Int32Array[];
  /** Slot deciding whether the value site is live (-1: always), and the least value that makes it so. */
  private readonly liveSlot: Int32Array[];
  private readonly liveMin: Int32Array[];
  private readonly bitsetBase: Int32Array[];

  constructor(readonly model: SymmetryModel) {
    this.groups = [...model.symmetry].map(([name, g]) => toGroup(name, g.size, g.sites));
    this.scratch = new Int32Array(Math.max(model.width, 1));
    this.blockSlot = this.groups.map((g) => Int32Array.from(g.blocks, (b) => b.slot));
    this.blockWidth = this.groups.map((g) => Int32Array.from(g.blocks, (b) => b.blockWidth));
    this.valueSlot = this.groups.map((g) => Int32Array.from(g.values, (x) => x.slot));
    this.liveSlot = this.groups.map((g) => Int32Array.from(g.values, (x) => x.liveIf?.slot ?? -1));
    this.liveMin = this.groups.map((g) => Int32Array.from(g.values, (x) => x.liveIf?.min ?? 0));
    this.bitsetBase = this.groups.map((g) => Int32Array.from(g.bitsets, (b) => b.base));
  }

  /** The identity, one array per group: a starting point for building permutations. */
  identity(): number[][] {
    return this.groups.map((g) => Array.from({ length: g.size }, (_, i) => i));
  }

  /** out := perms applied to v. Block moves come first (outer maps before inner), then values. */
  apply(v: Int32Array, perms: ArrayLike<ArrayLike<number>>, out: Int32Array): void {
    out.set(v);
    const tmp = this.scratch;
    const groups = this.groups.length;
    for (let gi = 0; gi < groups; gi++) {
      const n = this.groups[gi].size;
      const p = perms[gi];
      const slots = this.blockSlot[gi];
      const widths = this.blockWidth[gi];
      for (let b = 0; b < slots.length; b++) {
        const at = slots[b];
        const w = widths[b];
        const len = w * n;
        for (let i = 0; i < len; i++) tmp[i] = out[at + i];
        for (let k = 0; k < n; k++) {
          const to = at + p[k] * w;
          const from = k * w;
          for (let i = 0; i < w; i++) out[to + i] = tmp[from + i];
        }
      }
    }
    for (let gi = 0; gi < groups; gi++) {
      const n = this.groups[gi].size;
      const p = perms[gi];
      const slots = this.valueSlot[gi];
      const live = this.liveSlot[gi];
      const min = this.liveMin[gi];
      for (let i = 0; i < slots.length; i++) {
        if (live[i] >= 0 && out[live[i]] < min[i]) continue;
        out[slots[i]] = p[out[slots[i]]];
      }
      const own = this.groups[gi].normalised;
      for (let k = 0; k < own.length; k++) own[k].normalise(out, own[k].slot, p);
      const bases = this.bitsetBase[gi];
      for (let b = 0; b < bases.length; b++) {
        const base = bases[b];
        const words = Math.ceil(n / 30);
        for (let w = 0; w < words; w++) {
          tmp[w] = out[base + w];
          out[base + w] = 0;
        }
        for (let i = 0; i < n; i++) {
          if (tmp[(i / 30) | 0] & (1 << i % 30)) out[base + ((p[i] / 30) | 0)] |= 1 << p[i] % 30;
        }
      }
    }
  }
}

function toGroup(name: string, size: number, sites: readonly SymmetrySite[]): Group {
  const g: Group = { name, size, blocks: [], values: [], bitsets: [], normalised: [] };
  for (const s of sites) {
    if (s.kind === 'blocks') g.blocks.push({ slot: s.slot, blockWidth: s.blockWidth });
    else if (s.kind === 'value') g.values.push({ slot: s.slot, liveIf: s.liveIf });
    else if (s.kind === 'normalise') g.normalised.push(s);
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

/** True when a < b lexicographically. */
function less(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/** The reference canonicaliser: the lexicographically least image over the whole product group. */
export function bruteForceCanonicaliser(model: SymmetryModel): Canonicaliser {
  const permuter = new Permuter(model);
  const elements = groupElements(permuter.groups.map((g) => g.size));
  const candidate = new Int32Array(model.width);
  return (v, out) => {
    out.set(v);
    for (const perms of elements) {
      permuter.apply(v, perms, candidate);
      if (less(candidate, out)) out.set(candidate);
    }
  };
}

/**
 * The canonicaliser the checker uses: refinement first, then only the ties are searched.
 * `counters.images` counts the candidate images built, to show how much of the group was tried.
 */
export function canonicaliser(model: SymmetryModel, counters?: { images: number }): Canonicaliser {
  const permuter = new Permuter(model);
  const refiner = new Refiner(model.symmetry, model.width);
  const { groups, total } = refiner;
  const perms = groups.map((g) => new Int32Array(g.size));
  const swap = permuter.identity();
  const candidate = new Int32Array(model.width);
  const swapped = new Int32Array(model.width);
  // Saved partitions, one per level of the search (each level fixes at least one more element).
  const savedCell = Array.from({ length: total + 1 }, () => new Int32Array(total));
  const savedOrder = Array.from({ length: total + 1 }, () => new Int32Array(total));
  const best = new Int32Array(model.width);
  let found = false;

  /** Whether exchanging elements x and y of group gi leaves v unchanged. */
  const interchangeable = (v: Int32Array, gi: number, x: number, y: number): boolean => {
    const p = swap[gi];
    p[x] = y;
    p[y] = x;
    permuter.apply(v, swap, swapped);
    p[x] = x;
    p[y] = y;
    for (let i = 0; i < v.length; i++) if (swapped[i] !== v[i]) return false;
    return true;
  };

  const leaf = (v: Int32Array): void => {
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      for (let e = 0; e < g.size; e++) perms[gi][e] = refiner.cell[g.offset + e];
    }
    permuter.apply(v, perms, candidate);
    if (counters) counters.images++;
    if (!found || less(candidate, best)) {
      best.set(candidate);
      found = true;
    }
  };

  // Per level of the search: the tied cell's members, and the ones already tried.
  const members = Array.from({ length: total + 1 }, () => new Int32Array(total));
  const tried = Array.from({ length: total + 1 }, () => new Int32Array(total));
  const swappable = Array.from({ length: total + 1 }, () => new Uint8Array(total));

  const search = (v: Int32Array, level: number): void => {
    const { cell, order } = refiner;
    // The first cell with more than one element, in group order then cell order.
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      const last = g.offset + g.size;
      for (let i = g.offset; i < last - 1; i++) {
        if (cell[order[i]] !== cell[order[i + 1]]) continue;
        const start = cell[order[i]];
        let end = i + 1;
        while (end < last && cell[order[end]] === start) end++;
        const size = end - i;
        const here = members[level];
        const done = tried[level];
        for (let k = 0; k < size; k++) here[k] = order[i + k];
        savedCell[level].set(cell);
        savedOrder[level].set(order);
        // Members that can be swapped with the first without changing the state need no branch of their own.
        let classOfFirst = 1;
        for (let k = 1; k < size; k++) {
          swappable[level][k] = interchangeable(v, gi, here[0] - g.offset, here[k] - g.offset) ? 1 : 0;
          classOfFirst += swappable[level][k];
        }
        if (classOfFirst === size) {
          // Every order of the cell gives the same images: take the current one, in one step.
          refiner.splitCell(gi, i - g.offset, size);
          if (refiner.propagates) refiner.refine(v);
          search(v, level + 1);
          refiner.cell.set(savedCell[level]);
          refiner.order.set(savedOrder[level]);
          return;
        }
        let triedCount = 0;
        for (let k = 0; k < size; k++) {
          const x = here[k];
          // Swapping x with an element already tried maps that branch onto this one: same images.
          let covered = k > 0 && swappable[level][k] === 1;
          for (let t = 1; t < triedCount && !covered; t++) covered = interchangeable(v, gi, done[t] - g.offset, x - g.offset);
          if (covered) continue;
          refiner.individualise(x);
          if (refiner.propagates) refiner.refine(v);
          search(v, level + 1);
          refiner.cell.set(savedCell[level]);
          refiner.order.set(savedOrder[level]);
          done[triedCount++] = x;
        }
        return;
      }
    }
    leaf(v);
  };

  return (v, out) => {
    found = false;
    refiner.start(v);
    search(v, 0);
    out.set(best);
  };
}
