// The constructors a spec uses to declare its state. The state type is inferred from them.
import {
  ArraySchema,
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
  type Shape,
} from './types.ts';

export * from './types.ts';

export const int = (lo: number, hi: number): IntSchema => new IntSchema(lo, hi);
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
export const setOf = <E extends FiniteSchema<any>>(element: E): SetSchema<E> => new SetSchema(element);
export const optional = <E extends Schema<any>>(inner: E): OptionalSchema<E> => new OptionalSchema(inner);
