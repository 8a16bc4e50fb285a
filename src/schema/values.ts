// Sets and bags that compare their elements by value, as TLA+ does. A JS Set of objects compares by
// reference: two equal message records would be two elements, and `has({ type: 'Commit' })` would
// be false. These classes key each element by its structure, so equal records, tuples, sequences and
// sets are one element. They deliberately do not extend Set: immer drafts every Set (and would copy
// one into a plain Set, losing value equality), while these stay ordinary mutable objects.
import { SHOW } from '../../checker/show.ts';

/** A string that two values share exactly when they are equal as TLA+ values. */
export function valueKey(v: unknown): string {
  switch (typeof v) {
    case 'number':
    case 'boolean':
      return String(v);
    case 'string':
      return JSON.stringify(v);
    case 'undefined':
      return 'undefined';
    default:
      break;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  if (v instanceof ValueBag) return `{|${[...v.entries()].map(([e, n]) => `${valueKey(e)}:${n}`).sort().join(',')}|}`;
  if (v instanceof Set || v instanceof ValueSet) return `{${[...v].map(valueKey).sort().join(',')}}`;
  if (typeof v === 'object') {
    return `(${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${valueKey((v as Record<string, unknown>)[k])}`)
      .join(',')})`;
  }
  return String(v);
}

/**
 * Whether two values are equal as TLA+ values (records field by field, sets element by element),
 * comparing the structures without building keys. Values of kinds it does not walk (bags,
 * functions, symbols, BigInts) are compared by their keys.
 */
export function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta !== typeof b) return false;
  // valueKey writes numbers with String(): -0 is 0, and NaN is NaN.
  if (ta === 'number') return (a as number) === (b as number) || (Number.isNaN(a) && Number.isNaN(b));
  if (ta !== 'object' || a === null || b === null) return ta === 'object' || ta === 'string' || ta === 'boolean' || ta === 'undefined' ? false : valueKey(a) === valueKey(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalValues(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const setA = a instanceof Set || a instanceof ValueSet;
  const setB = b instanceof Set || b instanceof ValueSet;
  if (setA || setB) {
    if (!(setA && setB)) return false;
    const x = a as Iterable<unknown> & { size: number };
    const y = b as Iterable<unknown> & { size: number };
    if (x.size !== y.size) return false;
    const other = y instanceof ValueSet ? y : new ValueSet(y);
    for (const e of x) if (!other.has(e)) return false;
    return true;
  }
  if (a instanceof ValueBag || b instanceof ValueBag) return valueKey(a) === valueKey(b);
  const keys = Object.keys(a as object);
  if (keys.length !== Object.keys(b as object).length) return false;
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!equalValues((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** A number that equal values share (equalValues implies equal hashes): records and sets hash their parts in any order. */
function valueHash(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return Number.isNaN(v) ? 0x7ff8 : mixInt(Number.isInteger(v) ? (v | 0) ^ Math.floor(v / 4294967296) : stringHash(String(v)));
    case 'boolean':
      return v ? 0x51ed27 : 0x2f9d3b;
    case 'string':
      return stringHash(v);
    case 'undefined':
      return 0x1d;
    case 'object':
      break;
    default:
      return stringHash(valueKey(v));
  }
  if (v === null) return 0x3b;
  if (Array.isArray(v)) {
    let h = 0x9e37 ^ v.length;
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ valueHash(v[i]), 0x01000193);
    return h;
  }
  if (v instanceof Set || v instanceof ValueSet) {
    let h = 0x7f4a7c15;
    for (const e of v as Iterable<unknown>) h = (h + mixInt(valueHash(e))) | 0;
    return h;
  }
  if (v instanceof ValueBag) return stringHash(valueKey(v));
  let h = 0x2545f491;
  const o = v as Record<string, unknown>;
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) h = (h + mixInt(Math.imul(stringHash(k), 31) ^ valueHash(o[k]))) | 0;
  return h;
}

function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function mixInt(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/**
 * A hash of a set's element from its encoding under the set's element type: a few slots, where
 * valueHash walks the object and hashes its keys. Values equal as TLA+ values encode alike, so they
 * share it; undefined for a value the type does not encode (valueHash is used for it instead: such a
 * value equals no value of the type).
 */
export type ElementHash = (e: unknown) => number | undefined;

/** Sets of at most this many elements are searched element by element; larger ones get an index. */
const SCAN = 8;

/**
 * A finite set with value equality: `{ type: 'Commit' }` added twice is one element. The elements are
 * kept in the order they were added; a large set looks them up through an index by a hash of their
 * structure, made when first needed (a set decoded from a state and only iterated never makes one).
 */
export class ValueSet<T> implements Iterable<T> {
  private items: T[] = [];
  /**
   * The index, undefined until a lookup needs it: an open-addressing table whose slots hold an
   * element's place in `items` plus one (0: empty) and its hash, so that a lookup compares only the
   * elements whose hash it shares (a Map of buckets cost an array and an entry per element, made
   * again by each draft that looks one up). Private, as the hash is: comparing two sets field by
   * field (a test's toEqual) sees only their elements.
   */
  #places: number[] | undefined = undefined;
  #hashes: number[] | undefined = undefined;
  /** log2 of the index's slots. */
  #bits = 0;
  /**
   * The hash of a set decoded from a state, by its element type's encoding (ElementHash); undefined:
   * valueHash. Either way equal values share a hash.
   */
  #hashOf: ElementHash | undefined = undefined;

  constructor(elements: Iterable<T> = []) {
    for (const e of elements) this.add(e);
  }
  /**
   * A set of elements known to be different from each other (decoded from a state): nothing is
   * compared. `hash` hashes an element as its type encodes it, should a lookup need an index.
   */
  static ofDistinct<T>(elements: T[], hash?: ElementHash): ValueSet<T> {
    const s = new ValueSet<T>();
    s.items = elements;
    s.#hashOf = hash;
    return s;
  }
  /** An element's hash as the index stores it (a 32-bit integer). */
  private hash(e: T): number {
    const hashOf = this.#hashOf;
    if (hashOf !== undefined) {
      const h = hashOf(e);
      if (h !== undefined) return h | 0;
    }
    return valueHash(e) | 0;
  }
  get size(): number {
    return this.items.length;
  }
  /** The index slot where a hash's probe starts (its high bits, spread by a multiplication). */
  private home(h: number): number {
    return Math.imul(h, 0x9e3779b1) >>> (32 - this.#bits);
  }
  /** Makes the index, with room for twice the elements (at least 16 slots). */
  private makeIndex(): void {
    const n = this.items.length;
    let bits = 4;
    while (1 << bits < 2 * n + 2) bits++;
    this.#bits = bits;
    // Plain arrays of small integers: a typed array is allocated outside the heap, at several times
    // the cost, and each draft that looks an element up makes an index of its own.
    this.#places = new Array<number>(1 << bits).fill(0);
    this.#hashes = new Array<number>(1 << bits).fill(0);
    for (let i = 0; i < n; i++) this.place(i, this.hash(this.items[i]));
  }
  /** Puts the element at items[at], of hash h, into the index. */
  private place(at: number, h: number): void {
    const places = this.#places!;
    const mask = places.length - 1;
    let slot = this.home(h);
    while (places[slot] !== 0) slot = (slot + 1) & mask;
    places[slot] = at + 1;
    this.#hashes![slot] = h;
  }
  /** The index slot of the element equal to `e` (whose hash is h), or -1. */
  private slotOf(e: T, h: number): number {
    const places = this.#places!;
    const hashes = this.#hashes!;
    const mask = places.length - 1;
    for (let slot = this.home(h); places[slot] !== 0; slot = (slot + 1) & mask) {
      if (hashes[slot] === h && equalValues(this.items[places[slot] - 1], e)) return slot;
    }
    return -1;
  }
  /** The place in `items` of the element equal to `e`, or -1. */
  private placeOf(e: T): number {
    const items = this.items;
    if (this.#places === undefined) {
      if (items.length <= SCAN) {
        for (let i = 0; i < items.length; i++) if (equalValues(items[i], e)) return i;
        return -1;
      }
      this.makeIndex();
    }
    const slot = this.slotOf(e, this.hash(e));
    return slot < 0 ? -1 : this.#places![slot] - 1;
  }
  has(e: T): boolean {
    return this.placeOf(e) >= 0;
  }
  /** The position of the element equal to `e` in the order the set iterates, or -1 (ValueBag keeps counts by it). */
  indexOf(e: T): number {
    return this.placeOf(e);
  }
  add(e: T): this {
    if (this.has(e)) return this;
    const at = this.items.push(e) - 1;
    if (this.#places !== undefined) {
      if (2 * this.items.length + 2 > this.#places.length) this.makeIndex();
      else this.place(at, this.hash(e));
    }
    return this;
  }
  delete(e: T): boolean {
    const items = this.items;
    let at: number;
    if (this.#places === undefined) {
      at = items.findIndex((x) => equalValues(x, e));
    } else {
      const slot = this.slotOf(e, this.hash(e));
      at = slot < 0 ? -1 : this.#places[slot] - 1;
      if (slot >= 0) this.unplace(slot);
    }
    if (at < 0) return false;
    // A new array, not a splice: a loop over the set that deletes from it goes on over the elements
    // as they were, and visits each once (a splice would shift the next one under it).
    this.items = without(items, at);
    const places = this.#places;
    // The elements after it moved down one place.
    if (places !== undefined) for (let i = 0; i < places.length; i++) if (places[i] > at + 1) places[i]--;
    return true;
  }
  /** Empties an index slot, moving back the entries after it that probed past it (linear probing). */
  private unplace(slot: number): void {
    const places = this.#places!;
    const hashes = this.#hashes!;
    const mask = places.length - 1;
    let hole = slot;
    for (let j = (hole + 1) & mask; places[j] !== 0; j = (j + 1) & mask) {
      const home = this.home(hashes[j]);
      // Moved back unless its home lies after the hole, cyclically up to j.
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      places[hole] = places[j];
      hashes[hole] = hashes[j];
      hole = j;
    }
    places[hole] = 0;
  }
  clear(): void {
    this.items = [];
    this.#places = undefined;
    this.#hashes = undefined;
  }
  [Symbol.iterator](): IterableIterator<T> {
    return this.items.values();
  }
  values(): IterableIterator<T> {
    return this.items.values();
  }
  forEach(f: (e: T) => void): void {
    for (const e of this.items) f(e);
  }
  /** TLA+'s `\E e \in S : p(e)`. */
  some(p: (e: T) => boolean): boolean {
    return this.items.some((e) => p(e));
  }
  /** TLA+'s `\A e \in S : p(e)`. */
  every(p: (e: T) => boolean): boolean {
    return this.items.every((e) => p(e));
  }
  [SHOW](show: (v: unknown) => string): string {
    return `{${this.items.map(show).join(', ')}}`;
  }
  /** TLA+'s `{e \in S : p(e)}`, as a new set. */
  filter(p: (e: T) => boolean): ValueSet<T> {
    return ValueSet.ofDistinct(this.items.filter((e) => p(e)));
  }
}

/**
 * A multiset (TLA+'s bag): each element with a number of copies, at least one. A network that may
 * duplicate or reorder messages is a bag of messages.
 */
export class ValueBag<T> implements Iterable<T> {
  /**
   * The different elements, compared by value as a ValueSet compares them (no key string built for
   * each lookup), and the copies of each at its position.
   */
  private readonly elements = new ValueSet<T>();
  private counts: number[] = [];

  constructor(elements: Iterable<T> = []) {
    for (const e of elements) this.add(e);
  }
  /** Adds `n` copies of `e` (TLA+'s `(+)`). */
  add(e: T, n = 1): this {
    copiesAsked('add', n);
    const at = this.elements.indexOf(e);
    if (at >= 0) this.counts[at] += n;
    else {
      this.elements.add(e);
      this.counts.push(n);
    }
    return this;
  }
  /** Removes `n` copies of `e`, fewer if it has fewer (TLA+'s `(-)`). */
  remove(e: T, n = 1): this {
    copiesAsked('remove', n);
    const at = this.elements.indexOf(e);
    if (at < 0) return this;
    if (this.counts[at] > n) {
      this.counts[at] -= n;
      return this;
    }
    this.elements.delete(e);
    // A new array, as the set's own: a loop over entries() that removes goes on over them as they were.
    this.counts = without(this.counts, at);
    return this;
  }
  /** How many copies of `e` the bag holds (TLA+'s CopiesIn), 0 when none. */
  copies(e: T): number {
    const at = this.elements.indexOf(e);
    return at < 0 ? 0 : this.counts[at];
  }
  has(e: T): boolean {
    return this.elements.has(e);
  }
  /** Number of different elements. */
  get distinct(): number {
    return this.elements.size;
  }
  /** Number of copies of all elements together (TLA+'s BagCardinality). */
  get total(): number {
    let n = 0;
    for (const c of this.counts) n += c;
    return n;
  }
  /** The different elements, each once (TLA+'s BagToSet). */
  [Symbol.iterator](): IterableIterator<T> {
    return this.elements.values();
  }
  [SHOW](show: (v: unknown) => string): string {
    return `bag{${[...this.entries()].map(([e, n]) => `${show(e)}: ${n}`).join(', ')}}`;
  }
  /** Each different element with its number of copies. */
  *entries(): IterableIterator<[T, number]> {
    // Both as they are now: a removal during the loop makes new arrays and leaves these in step.
    const counts = this.counts;
    let at = 0;
    for (const e of this.elements) yield [e, counts[at++]];
  }
}

/** A copy of `items` without the one at `at` (one array made, where slice and concat make three). */
function without<T>(items: readonly T[], at: number): T[] {
  const next = items.slice(0, at);
  for (let i = at + 1; i < items.length; i++) next.push(items[i]);
  return next;
}

/** A number of copies to add or remove is a whole number of at least one (a bag holds no element 0 or -1 times). */
function copiesAsked(op: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`ValueBag.${op}(): ${String(n)} copies: the number of copies is a whole number, at least 1`);
}
