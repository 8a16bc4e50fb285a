// The constructors a spec uses to declare its state. The state type is inferred from them.
import {
  ArraySchema,
  BagSchema,
  BoolSchema,
  EnumSchema,
  FiniteSchema,
  IntSchema,
  MapSchema,
  OptionalSchema,
  RecordSchema,
  Scalarset,
  Schema,
  SeqSchema,
  SetSchema,
  type InferShape,
  type Shape,
  TupleSchema,
  UnionSchema,
  ValueSetSchema,
  ENUMERATE_LIMIT,
} from './types.ts';

export * from './types.ts';
export { equalValues, ValueBag, ValueSet, valueKey } from './values.ts';

/**
 * `int(lo, hi)`, one schema per range: specs write `int(1, c.N)` where TLA+ writes `1..N`, often in
 * a helper that runs on every state, and a schema (with its list of values) is immutable.
 */
export const int = (lo: number, hi: number): IntSchema => {
  // Bounds that are not small integers are not kept (the constructor names what is wrong with them).
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && Math.abs(lo) < RANGE && Math.abs(hi) < RANGE)) return new IntSchema(lo, hi);
  // Both bounds in one number, exact below 2^53.
  const key = (lo + RANGE) * RANGE * 2 + (hi + RANGE);
  let schema = ints.get(key);
  if (schema === undefined) {
    schema = new IntSchema(lo, hi);
    if (ints.size >= 4096) ints.clear();
    ints.set(key, schema);
  }
  return schema;
};
const RANGE = 2 ** 24;
const ints = new Map<number, IntSchema>();
export const bool = (): BoolSchema => new BoolSchema();
export const enumOf = <const L extends string>(...labels: L[]): EnumSchema<L> => new EnumSchema<L>(labels);
/**
 * `scalarset('t', 2)` has the values 't1' and 't2'; pass names to choose them: `scalarset('cpu', ['a', 'b'])`.
 * Its elements are interchangeable, so the checker reduces by symmetry over them (pass
 * `{ symmetric: false }` for ids that a spec tells apart). `{ actor: true }` says its ids are the actors of
 * the protocol (nodes, CPUs): an action with a parameter of it is drawn in that id's swimlane column.
 */
export const scalarset = (name: string, n: number | readonly string[], opts: { symmetric?: boolean; actor?: boolean } = {}): Scalarset =>
  new Scalarset(name, typeof n === 'number' ? Array.from({ length: n }, (_, i) => `${name}${i + 1}`) : n, opts.symmetric ?? true, opts.actor ?? false);
export const record = <Sh extends Shape>(fields: Sh): RecordSchema<Sh> => new RecordSchema(fields);
export const array = <E extends Schema<any>>(element: E, length: number): ArraySchema<E> => new ArraySchema(element, length);
export const seqOf = <E extends Schema<any>>(element: E, maxLen: number): SeqSchema<E> => new SeqSchema(element, maxLen);
export const mapOf = <K extends FiniteSchema<any>, V extends Schema<any>>(key: K, value: V): MapSchema<K, V> =>
  new MapSchema(key, value);
/**
 * A set of values of `element`. Over int, bool, enumOf or scalarset it is a JS `Set` (a bit mask in the
 * state); over any other type (records, tuples, sequences, sets) a `ValueSet`, whose elements compare
 * by value, of at most `max` elements (by default as many as the element type has values, when that is
 * at most 64).
 */
export function setOf<E extends FiniteSchema<any>>(element: E): SetSchema<E>;
export function setOf<E extends Schema<any>>(element: E, opts?: { max?: number }): ValueSetSchema<E>;
export function setOf(element: Schema<unknown>, opts: { max?: number } = {}): Schema<unknown> {
  return element instanceof FiniteSchema && opts.max === undefined ? new SetSchema(element) : new ValueSetSchema(element, opts.max);
}
/**
 * A multiset (TLA+'s bag) of values of `element`, as a `ValueBag`: at most `max` different elements
 * (default as for setOf), each with 1..`copies` copies (default 1,000,000: bound a growing bag with
 * the spec's `constraint`).
 */
export const bagOf = <E extends Schema<any>>(element: E, opts: { max?: number; copies?: number } = {}): BagSchema<E> =>
  new BagSchema(element, opts.max, opts.copies ?? 1_000_000);
/** A tuple of values of the given types, TLA+'s `<<a, b>>`: a JS array `[a, b]`. */
export const tuple = <const T extends readonly Schema<any>[]>(...items: T): TupleSchema<T> => new TupleSchema(items);
/** Every value of a state shape or a type, e.g. for an initial predicate: `valuesOf(state).filter(Inv)`. */
export function valuesOf<Sh extends Shape>(shape: Sh): InferShape<Sh>[];
export function valuesOf<T>(type: Schema<T>): T[];
export function valuesOf(x: Schema<unknown> | Shape): unknown[] {
  const type = x instanceof Schema ? x : new RecordSchema(x);
  try {
    return type.enumerate();
  } catch (e) {
    // Too many to list: the one-at-a-time walk has no limit.
    if (e instanceof Error && type.count() > ENUMERATE_LIMIT && type.product() !== undefined) {
      throw new Error(`${e.message}; eachValueOf() walks them one at a time, with no limit`);
    }
    throw e;
  }
}

/**
 * Every value of a state shape or a type, one at a time and in valuesOf's order (the last field
 * changing fastest), with no limit on how many: an initial predicate over more states than valuesOf
 * lists, such as Bakery's `Init == Inv` (`init: (c) => eachValueOf(shape(c), (s) => Inv(s, c))`).
 * Each iteration walks them afresh, so `init` may be the walk itself. With `where`, only the values
 * it holds for are given, each a fresh object: `where` is asked of one value that is changed in place
 * for the next, so it must keep nothing of it. The values of each field (entry, item) are listed
 * once, as valuesOf lists them, and shared by the values given.
 */
export function eachValueOf<Sh extends Shape>(shape: Sh, where?: (value: InferShape<Sh>) => unknown): Iterable<InferShape<Sh>>;
export function eachValueOf<T>(type: Schema<T>, where?: (value: T) => unknown): Iterable<T>;
export function eachValueOf(x: Schema<unknown> | Shape, where?: (value: never) => unknown): Iterable<unknown> {
  const type = x instanceof Schema ? x : new RecordSchema(x);
  return { [Symbol.iterator]: () => walk(type, where as ((value: unknown) => unknown) | undefined) };
}

function* walk(type: Schema<unknown>, where?: (value: unknown) => unknown): Generator<unknown> {
  const product = type.product();
  if (product === undefined) {
    for (const v of type.enumerate()) if (where === undefined || where(v)) yield v;
    return;
  }
  const { parts, names, make } = product;
  if (parts.some((p) => p.length === 0)) return;
  const at = parts.map(() => 0);
  const values = parts.map((p) => p[0]);
  // The value `where` is asked of, changed in place part by part: a fresh one is made only to be given.
  const scratch = where === undefined ? undefined : make(values);
  for (;;) {
    if (where === undefined) yield make(values);
    else if (where(scratch)) yield make(values);
    // The odometer: the last part fastest.
    let k = parts.length - 1;
    for (; k >= 0; k--) {
      const more = ++at[k] < parts[k].length;
      if (!more) at[k] = 0;
      values[k] = parts[k][at[k]];
      if (scratch !== undefined) (scratch as Record<string, unknown>)[names !== undefined ? names[k] : k] = values[k];
      if (more) break;
    }
    if (k < 0) return;
  }
}
export const optional = <E extends Schema<any>>(inner: E): OptionalSchema<E> => new OptionalSchema(inner);
/**
 * A value of one of these types, TLA+'s union of sets of values: messages of different kinds
 * (`oneOf(record({ type: enumOf('1a'), bal: Ballot }), record({ type: enumOf('2b'), ... }))`), or
 * `{none} \cup Proc \cup SUBSET Proc` as `oneOf(enumOf('none'), Proc, setOf(Proc))`.
 */
export const oneOf = <const M extends readonly Schema<any>[]>(...members: M): UnionSchema<M> => new UnionSchema(members);
