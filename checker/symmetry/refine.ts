// Ordered partition refinement of scalarset elements, the cheap half of exact canonicalisation.
// Each element gets a signature built only from what the state says about it (the values in its
// map blocks, the places it is stored, the sets it belongs to, and the classes of the elements it
// is related to), never from its name. Sorting by signature therefore commutes with renaming: the
// refined order of a permuted state is the permuted order. Only elements whose signatures tie
// still need trying in every order, and the canonicaliser does that part.
import type { SymmetryGroup } from '../system.ts';

/**
 * One place in the slot vector that says something about scalarset elements. `keys` are the
 * elements whose map blocks contain the slot (fixed by the layout); a value site adds the element
 * stored in it, a bit-set word adds each element it contains.
 */
interface Atom {
  slot: number;
  kind: 'plain' | 'value' | 'bits';
  /** Identifies the slot with its map keys abstracted away, so it survives permutation. */
  tag: number;
  keys: number[];
  /** value / bits: the global index of the group's first element (and, for bits, of this word's first bit). */
  base: number;
  /** bits: how many elements this word holds. */
  bits: number;
  liveIf?: { slot: number; min: number };
}

export interface RefineGroup {
  name: string;
  size: number;
  /** Global index of element 0; elements of all groups share one index space. */
  offset: number;
}

const SELF = -1;

export class Refiner {
  readonly groups: RefineGroup[];
  readonly total: number;
  /** Atoms that mention one element only: their contribution does not change between rounds. */
  private readonly unary: Atom[] = [];
  /** Atoms that relate two or more elements: refinement propagates through them. */
  private readonly relational: Atom[] = [];
  private readonly base: Int32Array;
  private readonly hash: Int32Array;
  private readonly refs: Int32Array;

  /**
   * Cell of each element: the position in its group's order where its cell starts. When every cell
   * is a singleton, `cell` is the canonical renaming (element -> new index).
   */
  cell: Int32Array;
  /** Each group's elements, sorted by cell, at [offset, offset + size). */
  order: Int32Array;

  constructor(symmetry: ReadonlyMap<string, SymmetryGroup>, width: number) {
    let offset = 0;
    this.groups = [...symmetry].map(([name, g]) => {
      const group = { name, size: g.size, offset };
      offset += g.size;
      return group;
    });
    this.total = offset;
    this.base = new Int32Array(offset);
    this.hash = new Int32Array(offset);
    this.cell = new Int32Array(offset);
    this.order = new Int32Array(offset);
    let maxRefs = 1;
    for (const atom of compileAtoms(symmetry, this.groups, width)) {
      const refs = atom.keys.length + (atom.kind === 'plain' ? 0 : 1);
      maxRefs = Math.max(maxRefs, refs);
      (refs === 1 ? this.unary : this.relational).push(atom);
    }
    this.refs = new Int32Array(maxRefs);
  }

  /** Whether refinement after individualising an element can split other cells. */
  get propagates(): boolean {
    return this.relational.length > 0;
  }

  /** Starts from one cell per group, split by the signatures of the elements in `v`. */
  start(v: Int32Array): void {
    this.base.fill(0);
    for (const atom of this.unary) this.contribute(atom, v, this.base);
    for (const g of this.groups) {
      for (let e = 0; e < g.size; e++) {
        this.cell[g.offset + e] = 0;
        this.order[g.offset + e] = g.offset + e;
      }
    }
    this.refine(v);
  }

  /** Splits cells by signature until nothing changes. Signatures include the current cells of related elements. */
  refine(v: Int32Array): void {
    for (;;) {
      this.hash.set(this.base);
      for (const atom of this.relational) this.contribute(atom, v, this.hash);
      if (!this.split() || !this.propagates) return;
    }
  }

  /** Gives element `x` (global index) a cell of its own at the front of its current cell. */
  individualise(x: number): void {
    const g = this.groupOf(x);
    const start = this.cell[x];
    let i = g.offset + start;
    const end = g.offset + g.size;
    // Move x to the front of its cell; the rest of the cell moves up by one position.
    let at = i;
    while (this.order[at] !== x) at++;
    for (; at > i; at--) this.order[at] = this.order[at - 1];
    this.order[i] = x;
    for (i++; i < end && this.cell[this.order[i]] === start; i++) this.cell[this.order[i]] = start + 1;
  }

  /** Gives every element of the cell at `start` (of `size` elements) in group gi a cell of its own, in the current order. */
  splitCell(gi: number, start: number, size: number): void {
    const g = this.groups[gi];
    for (let k = 0; k < size; k++) this.cell[this.order[g.offset + start + k]] = start + k;
  }

  groupOf(x: number): RefineGroup {
    for (const g of this.groups) if (x < g.offset + g.size) return g;
    throw new Error(`element ${x} is outside every group`);
  }

  /** Adds the atom's contribution to the signature of each element it mentions. */
  private contribute(atom: Atom, v: Int32Array, into: Int32Array): void {
    if (atom.kind === 'value') {
      if (atom.liveIf && v[atom.liveIf.slot] < atom.liveIf.min) return;
      this.add(atom, atom.base + v[atom.slot], 0, into);
    } else if (atom.kind === 'bits') {
      const word = v[atom.slot];
      if (word === 0) return;
      for (let b = 0; b < atom.bits; b++) if (word & (1 << b)) this.add(atom, atom.base + b, 0, into);
    } else {
      this.add(atom, -1, v[atom.slot], into);
    }
  }

  /** One occurrence: the atom's keys plus `extra` (an element, or -1 for none), carrying `value`. */
  private add(atom: Atom, extra: number, value: number, into: Int32Array): void {
    const refs = this.refs;
    let m = 0;
    for (const k of atom.keys) refs[m++] = k;
    if (extra >= 0) refs[m++] = extra;
    const seed = mix(atom.tag, value);
    if (m === 1) {
      into[refs[0]] = (into[refs[0]] + finish(seed)) | 0;
      return;
    }
    const cell = this.cell;
    for (let i = 0; i < m; i++) {
      let h = mix(seed, i);
      for (let j = 0; j < m; j++) if (j !== i) h = mix(h, refs[j] === refs[i] ? SELF : cell[refs[j]]);
      into[refs[i]] = (into[refs[i]] + finish(h)) | 0;
    }
  }

  /** Re-sorts each group by (cell, signature) and renumbers cells; returns whether any cell split. */
  private split(): boolean {
    const { order, cell, hash } = this;
    let split = false;
    for (const g of this.groups) {
      const lo = g.offset;
      const hi = g.offset + g.size;
      // Insertion sort: groups are small, and the order is usually sorted already.
      for (let i = lo + 1; i < hi; i++) {
        const x = order[i];
        let j = i - 1;
        while (j >= lo && before(x, order[j], cell, hash)) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = x;
      }
      let start = 0;
      let prevCell = cell[order[lo]];
      let prevHash = hash[order[lo]];
      cell[order[lo]] = 0;
      for (let i = lo + 1; i < hi; i++) {
        const x = order[i];
        if (cell[x] !== prevCell || hash[x] !== prevHash) {
          if (cell[x] === prevCell) split = true;
          start = i - lo;
          prevCell = cell[x];
          prevHash = hash[x];
        }
        cell[x] = start;
      }
    }
    return split;
  }
}

function before(x: number, y: number, cell: Int32Array, hash: Int32Array): boolean {
  return cell[x] < cell[y] || (cell[x] === cell[y] && hash[x] < hash[y]);
}

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x9e3779b1);
  return h ^ (h >>> 15);
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Finds, for every slot, the map blocks it lies in and what the slot holds. */
function compileAtoms(
  symmetry: ReadonlyMap<string, SymmetryGroup>,
  groups: RefineGroup[],
  width: number,
): Atom[] {
  const groupIndex = new Map(groups.map((g, i) => [g.name, i]));
  const blocks: { group: number; slot: number; blockWidth: number; count: number }[] = [];
  const values = new Map<number, { group: number; liveIf?: { slot: number; min: number } }>();
  const words = new Map<number, { group: number; first: number; bits: number }>();
  // Slots whose layout a schema owns say nothing refinement can read without renaming ids: skipped
  // (their elements are then told apart by the canonicaliser's search instead).
  const opaque = new Set<number>();
  for (const [name, g] of symmetry) {
    const gi = groupIndex.get(name)!;
    for (const s of g.sites) {
      if (s.kind === 'blocks') blocks.push({ group: gi, slot: s.slot, blockWidth: s.blockWidth, count: s.count });
      else if (s.kind === 'value') values.set(s.slot, { group: gi, liveIf: s.liveIf });
      else if (s.kind === 'normalise') for (let i = 0; i < s.width; i++) opaque.add(s.slot + i);
      else {
        const word = words.get(s.slot) ?? { group: gi, first: s.bit, bits: 0 };
        word.first = Math.min(word.first, s.bit);
        word.bits++;
        words.set(s.slot, word);
      }
    }
  }
  // Outer maps first, so the order of keys is the same for every slot at one static position.
  blocks.sort((a, b) => b.blockWidth * b.count - a.blockWidth * a.count || a.slot - b.slot);

  const atoms: Atom[] = [];
  for (let slot = 0; slot < width; slot++) {
    if (opaque.has(slot)) continue;
    const keys: number[] = [];
    let staticSlot = slot;
    for (const b of blocks) {
      if (slot < b.slot || slot >= b.slot + b.blockWidth * b.count) continue;
      const key = Math.floor((slot - b.slot) / b.blockWidth);
      keys.push(groups[b.group].offset + key);
      staticSlot -= key * b.blockWidth;
    }
    const value = values.get(slot);
    const word = words.get(slot);
    const tag = mix(mix(0x5eed, staticSlot), value ? 1 : word ? 2 : 3);
    if (value) {
      atoms.push({ slot, kind: 'value', tag, keys, base: groups[value.group].offset, bits: 0, liveIf: value.liveIf });
    } else if (word) {
      atoms.push({ slot, kind: 'bits', tag, keys, base: groups[word.group].offset + word.first, bits: word.bits });
    } else if (keys.length > 0) {
      atoms.push({ slot, kind: 'plain', tag, keys, base: 0, bits: 0 });
    }
  }
  return atoms;
}
