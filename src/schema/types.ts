// Value types of the spec language. Each type knows how to lay a value out as a fixed number of
// small non-negative integer slots, so every state of a spec encodes to a vector of the same width:
// no JSON in the checker's hot loop, and a fingerprint is a hash over a typed array.
import { show } from '../../checker/show.ts';
import type { SymmetrySite } from '../../checker/system.ts';
import { listedMapMaker } from './key-watch.ts';
import { literalMaker } from './literals.ts';
import { compileRenamer, sortRows } from './rename.ts';
import { ValueBag, ValueSet } from './values.ts';

export { show, type SymmetrySite };

/** Raised when a value does not fit its declared type; the checker turns it into a TypeOK violation. */
export class TypeViolation extends Error {
  constructor(
    readonly path: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${path || 'state'} = ${show(value)} is outside ${expected}`);
  }
}

/** The most values enumerate() lists. */
export const ENUMERATE_LIMIT = 1_000_000;
/** The bound of a slot that may hold any 32-bit number (Schema.slotBounds). */
export const ANY_SLOT = 0xffffffff;

export abstract class Schema<T> {
  declare readonly _type: T;
  /** Number of integer slots a value occupies. */
  abstract readonly width: number;
  /** Human-readable type, used in messages: `int(0, 8)`. */
  abstract describe(): string;
  /** Write `value` at `out[at..at+width)`; throw TypeViolation if it does not fit. */
  abstract encode(value: unknown, out: Int32Array, at: number, path: string): void;
  abstract decode(from: Int32Array, at: number): T;
  /** Scalarset occurrences relative to this value's first slot. */
  abstract sites(at: number): SymmetrySite[];
  /** Scalarsets used anywhere inside this type. */
  scalarsets(): Scalarset[] {
    return [];
  }
  /**
   * Appends, for each of the value's slots, the largest number an encoding of a value of this type
   * writes there (as unsigned; ANY_SLOT where the type does not bound it). A level queue packs
   * states by these bounds.
   */
  slotBounds(out: number[]): void {
    for (let i = 0; i < this.width; i++) out.push(ANY_SLOT);
  }
  /** Value as it appears in an ITF trace file. */
  abstract toITF(value: T): unknown;
  abstract fromITF(json: unknown, path: string): T;
  /** How many values the type has (may be Infinity when it overflows a double). */
  abstract count(): number;
  /** Lists every value of the type, for initial predicates (TLA+'s `Init == x \in T /\ Inv`). */
  enumerate(): T[] {
    const n = this.count();
    if (n > ENUMERATE_LIMIT) throw new Error(`${this.describe()} has ${n} values; enumerate() lists at most ${ENUMERATE_LIMIT}`);
    return this.list();
  }
  /** Every value, without the size check. */
  protected abstract list(): T[];
  /**
   * The type as a product of parts (a record's fields, a map's entries, an array's or tuple's
   * items), so that its values can be walked one at a time (eachValueOf): each part's values, and
   * the value made of one value per part. Undefined for a type that is not such a product.
   */
  product(): Product<T> | undefined {
    return undefined;
  }
  /**
   * The wide bounded sets and sequences inside this type placed at slot `at`, as triples [at, width,
   * row] in order (TransitionSystem.countedRegions): a count, rows, then zeros.
   */
  countedRegions(at: number): number[] {
    void at;
    return [];
  }
}

/** Counted regions at least this wide are worth skipping the zeros of when fingerprinting. */
const COUNTED_WIDTH = 32;

/** A type as the product of its parts (Schema.product). */
export interface Product<T> {
  parts: readonly (readonly unknown[])[];
  /** The property of each part in a value (a field, a map's key); an item's is its index. */
  names?: readonly string[];
  make(values: readonly unknown[]): T;
}

/** A type with finitely many values, each with an index: usable as a parameter domain, map key or set element. */
export abstract class FiniteSchema<T> extends Schema<T> {
  readonly width = 1;
  abstract readonly values: readonly T[];
  abstract indexOf(value: unknown): number;
  get size(): number {
    return this.values.length;
  }
  override slotBounds(out: number[]): void {
    out.push(Math.max(0, this.size - 1));
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    const i = this.indexOf(value);
    if (i < 0) throw new TypeViolation(path, value, this.describe());
    out[at] = i;
  }
  decode(from: Int32Array, at: number): T {
    return this.values[from[at]];
  }
  sites(_at: number): SymmetrySite[] {
    return [];
  }
  toITF(value: T): unknown {
    return value;
  }
  fromITF(json: unknown, path: string): T {
    if (this.indexOf(json) < 0) throw new TypeViolation(path, json, this.describe());
    return json as T;
  }
  /** Key of a value when used as a JS object key (map keys). */
  keyOf(value: T): string {
    return String(value);
  }
  count(): number {
    return this.values.length;
  }
  protected list(): T[] {
    return [...this.values];
  }
  /** A total map over this type, built from each value: `Node.mapTo((n) => 'idle')` instead of a cast. */
  mapTo<V>(f: (value: T) => V): Record<T extends number ? number : T extends string ? T : string, V> {
    const o: Record<string, V> = {};
    for (const v of this.values) o[this.keyOf(v)] = f(v);
    return o as never;
  }
}

export class IntSchema extends FiniteSchema<number> {
  readonly values: readonly number[];
  constructor(
    readonly lo: number,
    readonly hi: number,
  ) {
    super();
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new Error(`int(${lo}, ${hi}): bounds must be integers with lo <= hi`);
    }
    if (hi - lo > 1 << 24) throw new Error(`int(${lo}, ${hi}): at most 2^24 values`);
    // Frozen: int(lo, hi) hands the same schema to every caller, so one caller's sort() would be all of theirs.
    this.values = Object.freeze(Array.from({ length: hi - lo + 1 }, (_, i) => lo + i));
  }
  describe(): string {
    return `int(${this.lo}, ${this.hi})`;
  }
  indexOf(value: unknown): number {
    return Number.isInteger(value) && (value as number) >= this.lo && (value as number) <= this.hi
      ? (value as number) - this.lo
      : -1;
  }
  decode(from: Int32Array, at: number): number {
    return from[at] + this.lo;
  }
  toITF(value: number): unknown {
    return Number.isSafeInteger(value) ? value : { '#bigint': String(value) };
  }
  fromITF(json: unknown, path: string): number {
    const n =
      json && typeof json === 'object' && '#bigint' in json ? Number((json as { '#bigint': string })['#bigint']) : json;
    return super.fromITF(n, path);
  }
}

export class BoolSchema extends FiniteSchema<boolean> {
  readonly values = [false, true] as const;
  describe(): string {
    return 'bool';
  }
  indexOf(value: unknown): number {
    return value === false ? 0 : value === true ? 1 : -1;
  }
}

export class EnumSchema<const L extends string> extends FiniteSchema<L> {
  private readonly index: Map<unknown, number>;
  constructor(readonly values: readonly L[]) {
    super();
    if (values.length === 0) throw new Error('enumOf(): needs at least one label');
    if (new Set(values).size !== values.length) throw new Error(`enumOf(${values.join(', ')}): labels repeat`);
    this.index = new Map(values.map((v, i) => [v, i]));
  }
  describe(): string {
    return `enumOf(${this.values.map((v) => `'${v}'`).join(', ')})`;
  }
  indexOf(value: unknown): number {
    return this.index.get(value) ?? -1;
  }
}

/**
 * Interchangeable ids (Murphi's scalarset, TLC's symmetric model values). Values are strings such as
 * 't1', 't2'; a spec may only compare them for equality, which is what makes symmetry reduction sound.
 */
export class Scalarset extends FiniteSchema<string> {
  private readonly index: Map<unknown, number>;
  constructor(
    readonly name: string,
    readonly values: readonly string[],
    readonly symmetric = true,
    /** Its ids are the protocol's actors: the swimlane column of an action with a parameter of it. */
    readonly actor = false,
  ) {
    super();
    if (values.length === 0) throw new Error(`scalarset('${name}'): needs at least one element`);
    if (new Set(values).size !== values.length) throw new Error(`scalarset('${name}'): element names repeat`);
    this.index = new Map(values.map((v, i) => [v, i]));
  }
  describe(): string {
    return `scalarset('${this.name}', ${this.values.length})`;
  }
  indexOf(value: unknown): number {
    return this.index.get(value) ?? -1;
  }
  sites(at: number): SymmetrySite[] {
    return this.symmetric ? [{ kind: 'value', set: this.name, slot: at }] : [];
  }
  scalarsets(): Scalarset[] {
    return [this];
  }
}

export type Shape = Record<string, Schema<unknown>>;
export type Infer<S> = S extends Schema<infer T> ? T : never;
export type InferShape<Sh extends Shape> = { [K in keyof Sh]: Infer<Sh[K]> };

export class RecordSchema<Sh extends Shape> extends Schema<InferShape<Sh>> {
  readonly width: number;
  readonly keys: string[];
  private readonly offsets: number[];
  constructor(readonly fields: Sh) {
    super();
    this.keys = Object.keys(fields);
    this.offsets = [];
    let w = 0;
    for (const k of this.keys) {
      const f = fields[k];
      if (!(f instanceof Schema)) throw new Error(`record field '${k}' is not a type (use int(), bool(), enumOf() ...)`);
      this.offsets.push(w);
      w += f.width;
    }
    this.width = w;
  }
  override slotBounds(out: number[]): void {
    for (const k of this.keys) this.fields[k].slotBounds(out);
  }
  describe(): string {
    return `record { ${this.keys.map((k) => `${k}: ${this.fields[k].describe()}`).join(', ')} }`;
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TypeViolation(path, value, 'a record');
    const v = value as Record<string, unknown>;
    let seen = 0;
    for (let i = 0; i < this.keys.length; i++) {
      const k = this.keys[i];
      const fv = v[k];
      if (fv === undefined) throw new TypeViolation(join(path, k), undefined, this.fields[k].describe() + ' (the field is missing)');
      seen++;
      this.fields[k].encode(fv, out, at + this.offsets[i], join(path, k));
    }
    if (Object.keys(v).length !== seen) {
      const extra = Object.keys(v).find((k) => !(k in this.fields));
      throw new TypeViolation(join(path, extra ?? '?'), v[extra ?? ''], `the schema (no field '${extra}' is declared)`);
    }
  }
  decode(from: Int32Array, at: number): InferShape<Sh> {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < this.keys.length; i++) o[this.keys[i]] = this.fields[this.keys[i]].decode(from, at + this.offsets[i]);
    return o as InferShape<Sh>;
  }
  sites(at: number): SymmetrySite[] {
    return this.keys.flatMap((k, i) => this.fields[k].sites(at + this.offsets[i]));
  }
  scalarsets(): Scalarset[] {
    return this.keys.flatMap((k) => this.fields[k].scalarsets());
  }
  count(): number {
    return this.keys.reduce((n, k) => n * this.fields[k].count(), 1);
  }
  countedRegions(at: number): number[] {
    return this.keys.flatMap((k, i) => this.fields[k].countedRegions(at + this.offsets[i]));
  }
  product(): Product<InferShape<Sh>> {
    const keys = this.keys;
    const make = literalMaker(keys, false);
    return {
      parts: keys.map((k) => this.fields[k].enumerate()),
      names: keys,
      make: (values) => make(undefined, values) as InferShape<Sh>,
    };
  }
  protected list(): InferShape<Sh>[] {
    let out: Record<string, unknown>[] = [{}];
    for (const k of this.keys) {
      const values = this.fields[k].enumerate();
      out = out.flatMap((o) => values.map((v) => ({ ...o, [k]: v })));
    }
    return out as InferShape<Sh>[];
  }
  toITF(value: InferShape<Sh>): unknown {
    const o: Record<string, unknown> = {};
    for (const k of this.keys) o[k] = this.fields[k].toITF((value as Record<string, unknown>)[k]);
    return o;
  }
  fromITF(json: unknown, path: string): InferShape<Sh> {
    if (!json || typeof json !== 'object') throw new TypeViolation(path, json, this.describe());
    const o: Record<string, unknown> = {};
    for (const k of this.keys) {
      if (!(k in json)) throw new TypeViolation(join(path, k), undefined, `${this.fields[k].describe()} (missing)`);
      o[k] = this.fields[k].fromITF((json as Record<string, unknown>)[k], join(path, k));
    }
    return o as InferShape<Sh>;
  }
}

/** A fixed-length array (positions are not interchangeable). */
export class ArraySchema<E extends Schema<unknown>> extends Schema<Infer<E>[]> {
  readonly width: number;
  constructor(
    readonly element: E,
    readonly length: number,
  ) {
    super();
    if (!Number.isInteger(length) || length < 0) throw new Error(`array(_, ${length}): length must be a non-negative integer`);
    this.width = element.width * length;
  }
  override slotBounds(out: number[]): void {
    for (let i = 0; i < this.length; i++) this.element.slotBounds(out);
  }
  describe(): string {
    return `array(${this.element.describe()}, ${this.length})`;
  }
  count(): number {
    return this.element.count() ** this.length;
  }
  protected list(): Infer<E>[][] {
    return tuples(Array.from({ length: this.length }, () => this.element.enumerate())) as Infer<E>[][];
  }
  countedRegions(at: number): number[] {
    const w = this.element.width;
    return Array.from({ length: this.length }, (_, i) => this.element.countedRegions(at + i * w)).flat();
  }
  product(): Product<Infer<E>[]> {
    const values = this.element.enumerate();
    return { parts: Array.from({ length: this.length }, () => values), make: (vs) => [...vs] as Infer<E>[] };
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    if (!Array.isArray(value) || value.length !== this.length) throw new TypeViolation(path, value, this.describe());
    const w = this.element.width;
    for (let i = 0; i < this.length; i++) this.element.encode(value[i], out, at + i * w, `${path}[${i}]`);
  }
  decode(from: Int32Array, at: number): Infer<E>[] {
    const w = this.element.width;
    const a = new Array(this.length);
    for (let i = 0; i < this.length; i++) a[i] = this.element.decode(from, at + i * w);
    return a;
  }
  sites(at: number): SymmetrySite[] {
    const out: SymmetrySite[] = [];
    for (let i = 0; i < this.length; i++) out.push(...this.element.sites(at + i * this.element.width));
    return out;
  }
  scalarsets(): Scalarset[] {
    return this.element.scalarsets();
  }
  toITF(value: Infer<E>[]): unknown {
    return value.map((v) => this.element.toITF(v));
  }
  fromITF(json: unknown, path: string): Infer<E>[] {
    if (!Array.isArray(json) || json.length !== this.length) throw new TypeViolation(path, json, this.describe());
    return json.map((v, i) => this.element.fromITF(v, `${path}[${i}]`) as Infer<E>);
  }
}

/** A sequence of at most maxLen elements: a length slot, then maxLen element blocks (unused ones zero). */
export class SeqSchema<E extends Schema<unknown>> extends Schema<Infer<E>[]> {
  readonly width: number;
  constructor(
    readonly element: E,
    readonly maxLen: number,
  ) {
    super();
    if (!Number.isInteger(maxLen) || maxLen < 0) throw new Error(`seqOf(_, ${maxLen}): maxLen must be a non-negative integer`);
    this.width = 1 + element.width * maxLen;
  }
  override slotBounds(out: number[]): void {
    out.push(this.maxLen);
    for (let i = 0; i < this.maxLen; i++) this.element.slotBounds(out);
  }
  describe(): string {
    return `seqOf(${this.element.describe()}, ${this.maxLen})`;
  }
  count(): number {
    let n = 0;
    for (let k = 0; k <= this.maxLen; k++) n += this.element.count() ** k;
    return n;
  }
  protected list(): Infer<E>[][] {
    const values = this.element.enumerate();
    const out: Infer<E>[][] = [];
    for (let k = 0; k <= this.maxLen; k++) out.push(...(tuples(Array.from({ length: k }, () => values)) as Infer<E>[][]));
    return out;
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    if (!Array.isArray(value) || value.length > this.maxLen) throw new TypeViolation(path, value, this.describe());
    const w = this.element.width;
    out[at] = value.length;
    for (let i = 0; i < value.length; i++) this.element.encode(value[i], out, at + 1 + i * w, `${path}[${i}]`);
    out.fill(0, at + 1 + value.length * w, at + this.width);
  }
  /** Its length, its elements, then zeros (encode). */
  countedRegions(at: number): number[] {
    return this.width >= COUNTED_WIDTH && this.element.width > 0 ? [at, this.width, this.element.width] : [];
  }
  decode(from: Int32Array, at: number): Infer<E>[] {
    const n = from[at];
    const w = this.element.width;
    const a = new Array(n);
    for (let i = 0; i < n; i++) a[i] = this.element.decode(from, at + 1 + i * w);
    return a;
  }
  sites(at: number): SymmetrySite[] {
    // Unused positions hold zeros and must stay zero under permutation, or two symmetric states
    // would differ in their padding: a site at position i is live only while the length exceeds i.
    const out: SymmetrySite[] = [];
    for (let i = 0; i < this.maxLen; i++) {
      for (const s of this.element.sites(at + 1 + i * this.element.width)) {
        out.push(s.kind === 'value' && !s.liveIf ? { ...s, liveIf: { slot: at, min: i + 1 } } : s);
      }
    }
    return out;
  }
  scalarsets(): Scalarset[] {
    return this.element.scalarsets();
  }
  toITF(value: Infer<E>[]): unknown {
    return value.map((v) => this.element.toITF(v));
  }
  fromITF(json: unknown, path: string): Infer<E>[] {
    if (!Array.isArray(json) || json.length > this.maxLen) throw new TypeViolation(path, json, this.describe());
    return json.map((v, i) => this.element.fromITF(v, `${path}[${i}]`) as Infer<E>);
  }
}

type KeyOf<K> = K extends number ? number : K extends string ? K : string;

/** A total function from a finite key type to values, like TLA+'s [K -> V]: a JS object keyed by the keys. */
export class MapSchema<K extends FiniteSchema<any>, V extends Schema<unknown>> extends Schema<
  Record<KeyOf<Infer<K>>, Infer<V>>
> {
  readonly width: number;
  private readonly keyNames: string[];
  constructor(
    readonly key: K,
    readonly value: V,
  ) {
    super();
    if (!(key instanceof FiniteSchema)) throw new Error('mapOf(key, value): the key must be int(), bool(), enumOf() or scalarset()');
    this.keyNames = key.values.map((k) => key.keyOf(k));
    this.width = value.width * key.size;
  }
  override slotBounds(out: number[]): void {
    for (let i = 0; i < this.key.size; i++) this.value.slotBounds(out);
  }
  describe(): string {
    return `mapOf(${this.key.describe()}, ${this.value.describe()})`;
  }
  count(): number {
    return this.value.count() ** this.key.size;
  }
  countedRegions(at: number): number[] {
    const w = this.value.width;
    return this.keyNames.flatMap((_, i) => this.value.countedRegions(at + i * w));
  }
  product(): Product<Record<KeyOf<Infer<K>>, Infer<V>>> {
    const values = this.value.enumerate();
    return { parts: this.keyNames.map(() => values), names: this.keyNames, make: listedMapMaker(this.keyNames) as never };
  }
  protected list(): Record<KeyOf<Infer<K>>, Infer<V>>[] {
    const values = this.value.enumerate();
    const make = listedMapMaker(this.keyNames);
    return tuples(this.keyNames.map(() => values)).map(make) as never;
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TypeViolation(path, value, this.describe());
    const v = value as Record<string, unknown>;
    const w = this.value.width;
    for (let i = 0; i < this.keyNames.length; i++) {
      const k = this.keyNames[i];
      const fv = v[k];
      if (fv === undefined) throw new TypeViolation(`${path}[${k}]`, undefined, `${this.value.describe()} (the key is missing)`);
      this.value.encode(fv, out, at + i * w, `${path}[${k}]`);
    }
    if (Object.keys(v).length !== this.keyNames.length) {
      const extra = Object.keys(v).find((k) => !this.keyNames.includes(k));
      throw new TypeViolation(`${path}[${extra}]`, v[extra ?? ''], `the key type ${this.key.describe()}`);
    }
  }
  decode(from: Int32Array, at: number): Record<KeyOf<Infer<K>>, Infer<V>> {
    const o: Record<string, unknown> = {};
    const w = this.value.width;
    for (let i = 0; i < this.keyNames.length; i++) o[this.keyNames[i]] = this.value.decode(from, at + i * w);
    return o as Record<KeyOf<Infer<K>>, Infer<V>>;
  }
  sites(at: number): SymmetrySite[] {
    const inner: SymmetrySite[] = [];
    for (let i = 0; i < this.key.size; i++) inner.push(...this.value.sites(at + i * this.value.width));
    if (this.key instanceof Scalarset && this.key.symmetric) {
      return [{ kind: 'blocks', set: this.key.name, slot: at, blockWidth: this.value.width, count: this.key.size }, ...inner];
    }
    return inner;
  }
  scalarsets(): Scalarset[] {
    return [...this.key.scalarsets(), ...this.value.scalarsets()];
  }
  toITF(value: Record<KeyOf<Infer<K>>, Infer<V>>): unknown {
    const m = value as Record<string, Infer<V>>;
    return { '#map': this.key.values.map((k, i) => [this.key.toITF(k), this.value.toITF(m[this.keyNames[i]])]) };
  }
  fromITF(json: unknown, path: string): Record<KeyOf<Infer<K>>, Infer<V>> {
    const pairs = json && typeof json === 'object' ? (json as { '#map'?: unknown })['#map'] : undefined;
    if (!Array.isArray(pairs)) throw new TypeViolation(path, json, `${this.describe()} as {"#map": [[k, v], ...]}`);
    const o: Record<string, unknown> = {};
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new TypeViolation(path, pair, 'a [key, value] pair');
      const k = this.key.fromITF(pair[0], `${path} key`);
      o[this.key.keyOf(k)] = this.value.fromITF(pair[1], `${path}[${String(k)}]`);
    }
    for (const k of this.keyNames) if (!(k in o)) throw new TypeViolation(`${path}[${k}]`, undefined, `${this.value.describe()} (missing)`);
    return o as Record<KeyOf<Infer<K>>, Infer<V>>;
  }
}

const BITS = 30;

/** A subset of a finite type: a JS Set of its (primitive) values, encoded as bit masks. */
export class SetSchema<E extends FiniteSchema<any>> extends Schema<Set<Infer<E>>> {
  readonly width: number;
  constructor(readonly element: E) {
    super();
    if (!(element instanceof FiniteSchema)) throw new Error('setOf(element): the element must be int(), bool(), enumOf() or scalarset()');
    if (element.size > 1024) throw new Error(`setOf(${element.describe()}): at most 1024 possible elements`);
    this.width = Math.max(1, Math.ceil(element.size / BITS));
  }
  override slotBounds(out: number[]): void {
    // BITS elements to a word, the last word holding the rest.
    for (let i = 0; i < this.width; i++) out.push(2 ** Math.min(BITS, Math.max(0, this.element.size - i * BITS)) - 1);
  }
  describe(): string {
    return `setOf(${this.element.describe()})`;
  }
  count(): number {
    return 2 ** this.element.size;
  }
  protected list(): Set<Infer<E>>[] {
    return subsets(this.element.values as Infer<E>[], this.element.size).map((e) => new Set(e));
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    if (!(value instanceof Set)) throw new TypeViolation(path, value, `${this.describe()} (a JS Set)`);
    out.fill(0, at, at + this.width);
    for (const e of value) {
      const i = this.element.indexOf(e);
      if (i < 0) throw new TypeViolation(`${path} element`, e, this.element.describe());
      out[at + ((i / BITS) | 0)] |= 1 << i % BITS;
    }
  }
  decode(from: Int32Array, at: number): Set<Infer<E>> {
    const s = new Set<Infer<E>>();
    for (let i = 0; i < this.element.size; i++) {
      if (from[at + ((i / BITS) | 0)] & (1 << i % BITS)) s.add(this.element.values[i]);
    }
    return s;
  }
  sites(at: number): SymmetrySite[] {
    const e: FiniteSchema<unknown> = this.element;
    if (!(e instanceof Scalarset && e.symmetric)) return [];
    return e.values.map((_, i) => ({ kind: 'bits' as const, set: e.name, slot: at + ((i / BITS) | 0), bit: i }));
  }
  scalarsets(): Scalarset[] {
    return this.element.scalarsets();
  }
  toITF(value: Set<Infer<E>>): unknown {
    return { '#set': [...value].sort((a, b) => this.element.indexOf(a) - this.element.indexOf(b)).map((e) => this.element.toITF(e)) };
  }
  fromITF(json: unknown, path: string): Set<Infer<E>> {
    const items = json && typeof json === 'object' ? (json as { '#set'?: unknown })['#set'] : undefined;
    if (!Array.isArray(items)) throw new TypeViolation(path, json, `${this.describe()} as {"#set": [...]}`);
    return new Set(items.map((e) => this.element.fromITF(e, `${path} element`)));
  }
}

type InferTuple<T extends readonly Schema<unknown>[]> = { -readonly [K in keyof T]: Infer<T[K]> };

/** A tuple of values of fixed, possibly different types (TLA+'s `<<b, v>>`): a JS array. */
export class TupleSchema<const T extends readonly Schema<unknown>[]> extends Schema<InferTuple<T>> {
  readonly width: number;
  private readonly offsets: number[] = [];
  constructor(readonly items: T) {
    super();
    let w = 0;
    items.forEach((t, i) => {
      if (!(t instanceof Schema)) throw new Error(`tuple(): item ${i} is not a type (use int(), bool(), enumOf() ...)`);
      this.offsets.push(w);
      w += t.width;
    });
    this.width = w;
  }
  override slotBounds(out: number[]): void {
    for (const t of this.items) t.slotBounds(out);
  }
  describe(): string {
    return `tuple(${this.items.map((t) => t.describe()).join(', ')})`;
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    if (!Array.isArray(value) || value.length !== this.items.length) throw new TypeViolation(path, value, this.describe());
    for (let i = 0; i < this.items.length; i++) this.items[i].encode(value[i], out, at + this.offsets[i], `${path}[${i}]`);
  }
  decode(from: Int32Array, at: number): InferTuple<T> {
    return this.items.map((t, i) => t.decode(from, at + this.offsets[i])) as InferTuple<T>;
  }
  sites(at: number): SymmetrySite[] {
    return this.items.flatMap((t, i) => t.sites(at + this.offsets[i]));
  }
  scalarsets(): Scalarset[] {
    return this.items.flatMap((t) => t.scalarsets());
  }
  count(): number {
    return this.items.reduce((n, t) => n * t.count(), 1);
  }
  protected list(): InferTuple<T>[] {
    return tuples(this.items.map((t) => t.enumerate())) as InferTuple<T>[];
  }
  countedRegions(at: number): number[] {
    return this.items.flatMap((t, i) => t.countedRegions(at + this.offsets[i]));
  }
  product(): Product<InferTuple<T>> {
    return { parts: this.items.map((t) => t.enumerate()), make: (vs) => [...vs] as unknown as InferTuple<T> };
  }
  toITF(value: InferTuple<T>): unknown {
    return { '#tup': this.items.map((t, i) => t.toITF((value as unknown[])[i])) };
  }
  fromITF(json: unknown, path: string): InferTuple<T> {
    const items = json && typeof json === 'object' ? (json as { '#tup'?: unknown })['#tup'] : undefined;
    if (!Array.isArray(items) || items.length !== this.items.length) throw new TypeViolation(path, json, `${this.describe()} as {"#tup": [...]}`);
    return this.items.map((t, i) => t.fromITF(items[i], `${path}[${i}]`)) as InferTuple<T>;
  }
}

/** Default bound on the elements of a sorted collection whose element type has at most this many values. */
const DEFAULT_MAX_LIMIT = 64;

/**
 * The layout shared by sets and bags of structured values: a count slot, then `max` rows in ascending
 * order (the unused ones zero), each row one element (and, for a bag, its number of copies). Equal
 * elements encode to equal rows, so sorting and dropping repeats gives value equality.
 */
abstract class SortedSchema<E extends Schema<unknown>, T> extends Schema<T> {
  readonly width: number;
  readonly max: number;
  /** Slots per row. */
  readonly row: number;
  constructor(
    readonly element: E,
    max: number | undefined,
    extra: number,
    what: string,
  ) {
    super();
    if (!(element instanceof Schema)) throw new Error(`${what}(element): the element is not a type (use int(), record(), tuple() ...)`);
    if (max === undefined) {
      const n = element.count();
      if (n > DEFAULT_MAX_LIMIT) {
        throw new Error(`${what}(${element.describe()}): give { max: n }, the most elements it may hold; the element type has ${n} values`);
      }
      max = n;
    }
    if (!Number.isInteger(max) || max < 0) throw new Error(`${what}(_, { max: ${max} }): max must be a non-negative integer`);
    this.max = max;
    this.row = element.width + extra;
    this.width = 1 + this.row * max;
  }
  override slotBounds(out: number[]): void {
    out.push(this.max);
    const element: number[] = [];
    this.element.slotBounds(element);
    for (let r = 0; r < this.max; r++) {
      out.push(...element);
      for (let x = element.length; x < this.row; x++) out.push(this.extraBound());
    }
  }
  /** The bound of a row's slots after its element's (a bag's number of copies). */
  protected extraBound(): number {
    return ANY_SLOT;
  }
  /** Its number of rows, the rows, then zeros (writeRows). */
  countedRegions(at: number): number[] {
    return this.width >= COUNTED_WIDTH && this.row > 0 ? [at, this.width, this.row] : [];
  }
  /** Writes the rows (each already encoded, unsorted, maybe repeated) as the sorted, unique layout. */
  protected writeRows(rows: Int32Array[], out: Int32Array, at: number, path: string, value: unknown, unit: string): void {
    rows.sort(compareRows);
    let n = 0;
    for (let i = 0; i < rows.length; i++) if (i === 0 || compareRows(rows[i], rows[n - 1]) !== 0) rows[n++] = rows[i];
    if (n > this.max) throw new TypeViolation(path, value, `${this.describe()} (it has ${n} ${unit}, at most ${this.max})`);
    out[at] = n;
    for (let i = 0; i < n; i++) out.set(rows[i], at + 1 + i * this.row);
    out.fill(0, at + 1 + n * this.row, at + this.width);
  }
  /**
   * One `normalise` site per scalarset inside the elements: the ids in a row are renamed by the
   * element's own sites, then the rows are sorted again. Inner sites are not listed on their own:
   * where an element lands depends on the ids in it, which only the normaliser knows.
   */
  sites(at: number): SymmetrySite[] {
    const inner = this.element.sites(0);
    const names = [...new Set(inner.map((s) => s.set))];
    const sizes = new Map(this.element.scalarsets().map((x) => [x.name, x.size]));
    return names.map((set) => {
      const rename = compileRenamer(inner.filter((s) => s.set === set), sizes.get(set) ?? 0);
      const row = this.row;
      const scratch = new Int32Array(row);
      const normalise = (v: Int32Array, from: number, perm: ArrayLike<number>): void => {
        const n = v[from];
        for (let i = 0; i < n; i++) rename(v, from + 1 + i * row, perm);
        sortRows(v, from, row, scratch);
      };
      return { kind: 'normalise' as const, set, slot: at, width: this.width, normalise };
    });
  }
  scalarsets(): Scalarset[] {
    return this.element.scalarsets();
  }
}

function compareRows(a: Int32Array, b: Int32Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function setLike(value: unknown): Iterable<unknown> | undefined {
  return value instanceof ValueSet || value instanceof Set ? value : undefined;
}

/**
 * A set of structured values (records, tuples, sequences, sets): a ValueSet, whose elements compare
 * by value. At most `max` elements (by default the number of values of the element type).
 */
export class ValueSetSchema<E extends Schema<unknown>> extends SortedSchema<E, ValueSet<Infer<E>>> {
  constructor(element: E, max?: number) {
    super(element, max, 0, 'setOf');
  }
  describe(): string {
    return `setOf(${this.element.describe()}, { max: ${this.max} })`;
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    const items = setLike(value);
    if (!items) throw new TypeViolation(path, value, `${this.describe()} (a ValueSet)`);
    const rows: Int32Array[] = [];
    for (const e of items) {
      const row = new Int32Array(this.row);
      this.element.encode(e, row, 0, `${path} element`);
      rows.push(row);
    }
    this.writeRows(rows, out, at, path, value, 'elements');
  }
  decode(from: Int32Array, at: number): ValueSet<Infer<E>> {
    // The rows of an encoding are different from each other: their elements need no comparing.
    const n = from[at];
    const items: Infer<E>[] = new Array(n);
    for (let i = 0; i < n; i++) items[i] = this.element.decode(from, at + 1 + i * this.row) as Infer<E>;
    return ValueSet.ofDistinct(items);
  }
  count(): number {
    return sumOfChoices(this.element.count(), this.max, 1);
  }
  protected list(): ValueSet<Infer<E>>[] {
    return subsets(this.element.enumerate() as Infer<E>[], this.max).map((e) => new ValueSet(e));
  }
  toITF(value: ValueSet<Infer<E>>): unknown {
    return { '#set': this.sortedValues(value).map((e) => this.element.toITF(e)) };
  }
  fromITF(json: unknown, path: string): ValueSet<Infer<E>> {
    const items = json && typeof json === 'object' ? (json as { '#set'?: unknown })['#set'] : undefined;
    if (!Array.isArray(items)) throw new TypeViolation(path, json, `${this.describe()} as {"#set": [...]}`);
    return new ValueSet(items.map((e) => this.element.fromITF(e, `${path} element`) as Infer<E>));
  }
  /** The elements in the order of their encoding, so a value always prints the same way. */
  private sortedValues(value: Iterable<Infer<E>>): Infer<E>[] {
    const slots = new Int32Array(this.width);
    this.encode(value, slots, 0, '');
    return [...this.decode(slots, 0)];
  }
}

/**
 * A multiset (TLA+'s bag) of any value type: a ValueBag. At most `max` different elements, each with
 * 1..`copies` copies. In ITF a bag is the function from its elements to their numbers of copies, as
 * TLA+'s Bags module defines it: `{"#map": [[element, copies], ...]}`.
 */
export class BagSchema<E extends Schema<unknown>> extends SortedSchema<E, ValueBag<Infer<E>>> {
  constructor(
    element: E,
    max: number | undefined,
    readonly copies: number,
  ) {
    super(element, max, 1, 'bagOf');
    if (!Number.isInteger(copies) || copies < 1) throw new Error(`bagOf(_, { copies: ${copies} }): copies must be a positive integer`);
  }
  protected override extraBound(): number {
    return this.copies;
  }
  describe(): string {
    return `bagOf(${this.element.describe()}, { max: ${this.max}, copies: ${this.copies} })`;
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    if (!(value instanceof ValueBag)) throw new TypeViolation(path, value, `${this.describe()} (a ValueBag)`);
    const rows: Int32Array[] = [];
    const w = this.element.width;
    for (const [e, n] of value.entries()) {
      if (!(n >= 1 && n <= this.copies)) throw new TypeViolation(`${path} copies of ${show(e)}`, n, `1..${this.copies}`);
      const row = new Int32Array(this.row);
      this.element.encode(e, row, 0, `${path} element`);
      row[w] = n;
      rows.push(row);
    }
    this.writeRows(rows, out, at, path, value, 'different elements');
  }
  decode(from: Int32Array, at: number): ValueBag<Infer<E>> {
    const b = new ValueBag<Infer<E>>();
    const n = from[at];
    const w = this.element.width;
    for (let i = 0; i < n; i++) b.add(this.element.decode(from, at + 1 + i * this.row) as Infer<E>, from[at + 1 + i * this.row + w]);
    return b;
  }
  count(): number {
    return sumOfChoices(this.element.count(), this.max, this.copies);
  }
  protected list(): ValueBag<Infer<E>>[] {
    const out: ValueBag<Infer<E>>[] = [];
    for (const chosen of subsets(this.element.enumerate() as Infer<E>[], this.max)) {
      for (const counts of tuples(chosen.map(() => Array.from({ length: this.copies }, (_, i) => i + 1)))) {
        const b = new ValueBag<Infer<E>>();
        chosen.forEach((e, i) => b.add(e, counts[i] as number));
        out.push(b);
      }
    }
    return out;
  }
  toITF(value: ValueBag<Infer<E>>): unknown {
    const slots = new Int32Array(this.width);
    this.encode(value, slots, 0, '');
    return { '#map': [...this.decode(slots, 0).entries()].map(([e, n]) => [this.element.toITF(e), n]) };
  }
  fromITF(json: unknown, path: string): ValueBag<Infer<E>> {
    const pairs = json && typeof json === 'object' ? (json as { '#map'?: unknown })['#map'] : undefined;
    if (!Array.isArray(pairs)) throw new TypeViolation(path, json, `${this.describe()} as {"#map": [[element, copies], ...]}`);
    const b = new ValueBag<Infer<E>>();
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2 || !Number.isInteger(pair[1]) || pair[1] < 1) {
        throw new TypeViolation(path, pair, 'an [element, copies] pair with copies >= 1');
      }
      b.add(this.element.fromITF(pair[0], `${path} element`) as Infer<E>, pair[1]);
    }
    return b;
  }
}

/** Sum over k = 0..max of C(n, k) * copies^k: the collections of at most `max` of n values. */
function sumOfChoices(n: number, max: number, copies: number): number {
  let total = 0;
  let choose = 1;
  for (let k = 0; k <= Math.min(max, n); k++) {
    total += choose * copies ** k;
    choose = (choose * (n - k)) / (k + 1);
  }
  return total;
}

/** A value that may be absent: null, or a value of the inner type. A tag slot, then the inner slots. */
export class OptionalSchema<E extends Schema<unknown>> extends Schema<Infer<E> | null> {
  readonly width: number;
  constructor(readonly inner: E) {
    super();
    this.width = 1 + inner.width;
  }
  override slotBounds(out: number[]): void {
    out.push(1);
    this.inner.slotBounds(out);
  }
  describe(): string {
    return `optional(${this.inner.describe()})`;
  }
  count(): number {
    return 1 + this.inner.count();
  }
  protected list(): (Infer<E> | null)[] {
    return [null, ...(this.inner.enumerate() as Infer<E>[])];
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    if (value === null) {
      out.fill(0, at, at + this.width);
      return;
    }
    out[at] = 1;
    this.inner.encode(value, out, at + 1, path);
  }
  decode(from: Int32Array, at: number): Infer<E> | null {
    return from[at] === 0 ? null : (this.inner.decode(from, at + 1) as Infer<E>);
  }
  sites(at: number): SymmetrySite[] {
    return this.inner.sites(at + 1).map((s) => (s.kind === 'value' && !s.liveIf ? { ...s, liveIf: { slot: at, min: 1 } } : s));
  }
  scalarsets(): Scalarset[] {
    return this.inner.scalarsets();
  }
  toITF(value: Infer<E> | null): unknown {
    return value === null ? { tag: 'None', value: { '#tup': [] } } : { tag: 'Some', value: this.inner.toITF(value) };
  }
  fromITF(json: unknown, path: string): Infer<E> | null {
    const v = json as { tag?: unknown; value?: unknown } | null;
    if (v && v.tag === 'None') return null;
    if (v && v.tag === 'Some') return this.inner.fromITF(v.value, path) as Infer<E>;
    throw new TypeViolation(path, json, `${this.describe()} as {"tag": "None"|"Some", "value": ...}`);
  }
}

/** Types with at most this many values are checked for values they share with another (oneOf). */
const SHARED_VALUES_CHECKED = 10_000;

/**
 * A value of one of several types (TLA+'s union of sets of values, `[type: {"1a"}, bal: B] \cup
 * [type: {"1b"}, ...]`): a tag slot saying which, then that type's slots, padded with zeros to the
 * widest. A value belongs to the first type that accepts it, so equal values encode alike.
 */
export class UnionSchema<const M extends readonly Schema<unknown>[]> extends Schema<Infer<M[number]>> {
  /** Whether the members were checked to share no value (each can list its values): a value is then of the one member that takes it. */
  get disjoint(): boolean {
    return this.members.slice(1).every((t) => t.count() <= SHARED_VALUES_CHECKED);
  }
  readonly width: number;
  private readonly scratch: Int32Array;
  constructor(readonly members: M) {
    super();
    if (members.length < 2) throw new Error(`oneOf() needs two types or more (it has ${members.length})`);
    members.forEach((t, i) => {
      if (!(t instanceof Schema)) throw new Error(`oneOf(): type ${i + 1} is not a type (use int(), record(), enumOf() ...)`);
    });
    const widest = Math.max(...members.map((t) => t.width));
    this.width = 1 + widest;
    this.scratch = new Int32Array(widest);
    // A value two types share would be the first one's, and renaming ids could move a value of the
    // second into the first: refused where the values can be listed.
    members.forEach((t, j) => {
      if (j === 0 || t.count() > SHARED_VALUES_CHECKED) return;
      for (const v of t.enumerate()) {
        const i = this.memberOf(v);
        if (i !== j) throw new Error(`oneOf(): ${show(v)} is a value of type ${i + 1} and of type ${j + 1}; the types must not share values`);
      }
    });
  }
  override slotBounds(out: number[]): void {
    // The member's tag, then each slot's largest over the members (a narrower member leaves zeros).
    out.push(this.members.length - 1);
    const each = this.members.map((t) => {
      const b: number[] = [];
      t.slotBounds(b);
      return b;
    });
    for (let i = 0; i < this.width - 1; i++) out.push(Math.max(0, ...each.map((b) => b[i] ?? 0)));
  }
  describe(): string {
    return `oneOf(${this.members.map((t) => t.describe()).join(', ')})`;
  }
  /** The first member type that accepts `value`, or -1. */
  memberOf(value: unknown): number {
    for (let i = 0; i < this.members.length; i++) {
      if (plainlyOutside(this.members[i], value)) continue;
      try {
        this.members[i].encode(value, this.scratch, 0, '');
        return i;
      } catch (e) {
        if (!(e instanceof TypeViolation)) throw e;
      }
    }
    return -1;
  }
  encode(value: unknown, out: Int32Array, at: number, path: string): void {
    const i = this.memberOf(value);
    if (i < 0) throw new TypeViolation(path, value, this.describe());
    const member = this.members[i];
    out[at] = i;
    member.encode(value, out, at + 1, path);
    out.fill(0, at + 1 + member.width, at + this.width);
  }
  decode(from: Int32Array, at: number): Infer<M[number]> {
    return this.members[from[at]].decode(from, at + 1) as Infer<M[number]>;
  }
  /**
   * One `normalise` site per scalarset inside the members: only the slots of the member a value
   * belongs to hold ids (the rest are padding), so the ids are renamed by that member's own sites.
   */
  sites(at: number): SymmetrySite[] {
    const inner = this.members.map((t) => t.sites(0));
    const sizes = new Map(this.scalarsets().map((x) => [x.name, x.size]));
    const names = [...new Set(inner.flat().map((x) => x.set))];
    return names.map((set) => {
      const renames = inner.map((sites) => {
        const own = sites.filter((x) => x.set === set);
        return own.length > 0 ? compileRenamer(own, sizes.get(set) ?? 0) : undefined;
      });
      const normalise = (v: Int32Array, from: number, perm: ArrayLike<number>): void => {
        renames[v[from]]?.(v, from + 1, perm);
      };
      return { kind: 'normalise' as const, set, slot: at, width: this.width, normalise };
    });
  }
  scalarsets(): Scalarset[] {
    const seen = new Map<string, Scalarset>();
    for (const t of this.members) for (const x of t.scalarsets()) seen.set(x.name, x);
    return [...seen.values()];
  }
  /** The members' values add up: they share none (refused in the constructor where they can be listed). */
  count(): number {
    return this.members.reduce((n, t) => n + t.count(), 0);
  }
  /** Each value once: a value an earlier member accepts is that member's. */
  protected list(): Infer<M[number]>[] {
    return this.members.flatMap((t, i) => t.enumerate().filter((v) => this.memberOf(v) === i)) as Infer<M[number]>[];
  }
  /** As its member writes it: TLA+'s union is untagged. */
  toITF(value: Infer<M[number]>): unknown {
    return this.members[this.memberOf(value)].toITF(value);
  }
  fromITF(json: unknown, path: string): Infer<M[number]> {
    for (let i = 0; i < this.members.length; i++) {
      try {
        const v = this.members[i].fromITF(json, path);
        if (this.memberOf(v) === i) return v as Infer<M[number]>;
      } catch (e) {
        if (!(e instanceof TypeViolation)) throw e;
      }
    }
    throw new TypeViolation(path, json, this.describe());
  }
}

/**
 * Whether `value` is outside `type` at a glance (not an object for a record, a tag field with another
 * tag): oneOf() tries its types in turn, and a TypeViolation (its message formatted) for each type
 * that does not take a value would cost more than the encoding. False when it takes a closer look.
 */
function plainlyOutside(type: Schema<unknown>, value: unknown): boolean {
  if (type instanceof FiniteSchema) return type.indexOf(value) < 0;
  if (type instanceof RecordSchema) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return true;
    for (const k of type.keys) {
      const field = type.fields[k];
      if (field instanceof FiniteSchema && field.indexOf((value as Record<string, unknown>)[k]) < 0) return true;
    }
    return false;
  }
  if (type instanceof SetSchema) return !(value instanceof Set);
  if (type instanceof ArraySchema || type instanceof SeqSchema || type instanceof TupleSchema) return !Array.isArray(value);
  if (type instanceof OptionalSchema) return value !== null && plainlyOutside(type.inner, value);
  return false;
}

/** Every way to pick one value from each list, in order. */
export function tuples(lists: readonly (readonly unknown[])[]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const l of lists) out = out.flatMap((t) => l.map((v) => [...t, v]));
  return out;
}

/** The subsets of `values` with at most `max` elements, smallest first. */
export function subsets<T>(values: readonly T[], max: number): T[][] {
  const out: T[][] = [];
  const pick = (from: number, chosen: T[]): void => {
    out.push(chosen);
    if (chosen.length === max) return;
    for (let i = from; i < values.length; i++) pick(i + 1, [...chosen, values[i]]);
  };
  pick(0, []);
  return out.sort((a, b) => a.length - b.length);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
