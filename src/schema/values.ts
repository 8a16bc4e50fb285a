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

/** Whether two values are equal as TLA+ values (records field by field, sets element by element). */
export function equalValues(a: unknown, b: unknown): boolean {
  return a === b || valueKey(a) === valueKey(b);
}

/** A finite set with value equality: `{ type: 'Commit' }` added twice is one element. */
export class ValueSet<T> implements Iterable<T> {
  private readonly items = new Map<string, T>();

  constructor(elements: Iterable<T> = []) {
    for (const e of elements) this.add(e);
  }
  get size(): number {
    return this.items.size;
  }
  has(e: T): boolean {
    return this.items.has(valueKey(e));
  }
  add(e: T): this {
    const k = valueKey(e);
    if (!this.items.has(k)) this.items.set(k, e);
    return this;
  }
  delete(e: T): boolean {
    return this.items.delete(valueKey(e));
  }
  clear(): void {
    this.items.clear();
  }
  [Symbol.iterator](): IterableIterator<T> {
    return this.items.values();
  }
  values(): IterableIterator<T> {
    return this.items.values();
  }
  forEach(f: (e: T) => void): void {
    for (const e of this.items.values()) f(e);
  }
  /** TLA+'s `\E e \in S : p(e)`. */
  some(p: (e: T) => boolean): boolean {
    for (const e of this.items.values()) if (p(e)) return true;
    return false;
  }
  /** TLA+'s `\A e \in S : p(e)`. */
  every(p: (e: T) => boolean): boolean {
    for (const e of this.items.values()) if (!p(e)) return false;
    return true;
  }
  [SHOW](show: (v: unknown) => string): string {
    return `{${[...this.items.values()].map(show).join(', ')}}`;
  }
  /** TLA+'s `{e \in S : p(e)}`, as a new set. */
  filter(p: (e: T) => boolean): ValueSet<T> {
    return new ValueSet([...this.items.values()].filter(p));
  }
}

/**
 * A multiset (TLA+'s bag): each element with a number of copies, at least one. A network that may
 * duplicate or reorder messages is a bag of messages.
 */
export class ValueBag<T> implements Iterable<T> {
  private readonly items = new Map<string, [T, number]>();

  constructor(elements: Iterable<T> = []) {
    for (const e of elements) this.add(e);
  }
  /** Adds `n` copies of `e` (TLA+'s `(+)`). */
  add(e: T, n = 1): this {
    const k = valueKey(e);
    const entry = this.items.get(k);
    if (entry) entry[1] += n;
    else if (n > 0) this.items.set(k, [e, n]);
    return this;
  }
  /** Removes `n` copies of `e`, fewer if it has fewer (TLA+'s `(-)`). */
  remove(e: T, n = 1): this {
    const k = valueKey(e);
    const entry = this.items.get(k);
    if (!entry) return this;
    entry[1] -= n;
    if (entry[1] <= 0) this.items.delete(k);
    return this;
  }
  /** How many copies of `e` the bag holds (TLA+'s CopiesIn), 0 when none. */
  copies(e: T): number {
    return this.items.get(valueKey(e))?.[1] ?? 0;
  }
  has(e: T): boolean {
    return this.items.has(valueKey(e));
  }
  /** Number of different elements. */
  get distinct(): number {
    return this.items.size;
  }
  /** Number of copies of all elements together (TLA+'s BagCardinality). */
  get total(): number {
    let n = 0;
    for (const [, c] of this.items.values()) n += c;
    return n;
  }
  /** The different elements, each once (TLA+'s BagToSet). */
  *[Symbol.iterator](): IterableIterator<T> {
    for (const [e] of this.items.values()) yield e;
  }
  [SHOW](show: (v: unknown) => string): string {
    return `bag{${[...this.items.values()].map(([e, n]) => `${show(e)}: ${n}`).join(', ')}}`;
  }
  /** Each different element with its number of copies. */
  *entries(): IterableIterator<[T, number]> {
    for (const [e, n] of this.items.values()) yield [e, n];
  }
}
