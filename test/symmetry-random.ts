// Random schemas and values for the symmetry property tests: every way a scalarset can occur
// (map keys and values, set elements, sequence and optional contents, nested maps, records, arrays).
import {
  ArraySchema,
  BoolSchema,
  EnumSchema,
  IntSchema,
  MapSchema,
  OptionalSchema,
  RecordSchema,
  Scalarset,
  Schema,
  SeqSchema,
  SetSchema,
  array,
  bool,
  enumOf,
  int,
  mapOf,
  optional,
  record,
  scalarset,
  seqOf,
  setOf,
  type Shape,
} from '../src/schema/index.ts';
import { symmetryGroups } from '../src/compile/model.ts';
import type { SymmetryModel } from '../checker/symmetry/canonicalise.ts';
import { mulberry32 } from '../checker/random.ts';

/** A small deterministic generator, so a failing case can be reproduced from its seed. */
export const rng = mulberry32;

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** A record of 1-3 fields drawn from the ways scalarsets A (and sometimes B) occur. */
export function randomSchema(r: () => number, nA: number, nB: number): RecordSchema<Shape> {
  const A = scalarset('a', nA);
  const B = scalarset('b', nB);
  const small = () => pick(r, [int(0, 1), bool(), enumOf('x', 'y', 'z')]);
  const makers: (() => Schema<unknown>)[] = [
    () => mapOf(A, small()),
    () => mapOf(A, optional(A)),
    () => A,
    () => optional(A),
    () => setOf(A),
    () => seqOf(A, 3),
    () => mapOf(A, setOf(A)),
    () => mapOf(A, mapOf(B, bool())),
    () => mapOf(A, mapOf(A, bool())),
    () => record({ who: A, n: int(0, 2) }),
    () => array(A, 2),
    () => mapOf(enumOf('p', 'q'), A),
    () => mapOf(A, seqOf(B, 2)),
    () => mapOf(B, record({ owner: optional(A), held: setOf(A) })),
    () => setOf(B),
  ];
  const fields: Shape = {};
  const count = 1 + Math.floor(r() * 3);
  for (let i = 0; i < count; i++) fields[`f${i}`] = pick(r, makers)();
  return record(fields);
}

/** A random value of the schema (small domains, so random states often fall in one orbit). */
export function randomValue(r: () => number, s: Schema<unknown>): unknown {
  if (s instanceof IntSchema || s instanceof BoolSchema || s instanceof EnumSchema || s instanceof Scalarset) return pick(r, s.values);
  if (s instanceof RecordSchema) return Object.fromEntries(s.keys.map((k) => [k, randomValue(r, s.fields[k])]));
  if (s instanceof ArraySchema) return Array.from({ length: s.length }, () => randomValue(r, s.element));
  if (s instanceof SeqSchema) return Array.from({ length: Math.floor(r() * (s.maxLen + 1)) }, () => randomValue(r, s.element));
  if (s instanceof MapSchema) return Object.fromEntries(s.key.values.map((k: unknown) => [s.key.keyOf(k), randomValue(r, s.value)]));
  if (s instanceof SetSchema) return new Set(s.element.values.filter(() => r() < 0.4));
  if (s instanceof OptionalSchema) return r() < 0.3 ? null : randomValue(r, s.inner);
  throw new Error(`no generator for ${s.describe()}`);
}

export function encode(schema: Schema<unknown>, value: unknown): Int32Array {
  const v = new Int32Array(schema.width);
  schema.encode(value, v, 0, '');
  return v;
}

export function symmetryModel(schema: RecordSchema<Shape>): SymmetryModel {
  return { symmetry: symmetryGroups(schema), width: schema.width };
}

/** A random permutation of 0..n-1. */
export function randomPermutation(r: () => number, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
