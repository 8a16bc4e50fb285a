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
  TupleSchema,
  UnionSchema,
  ValueSetSchema,
  BagSchema,
  ValueBag,
  ValueSet,
  array,
  bagOf,
  tuple,
  bool,
  enumOf,
  int,
  mapOf,
  oneOf,
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
    () => setOf(record({ from: A, to: A })),
    () => setOf(tuple(A, int(0, 1))),
    () => bagOf(record({ who: A, ok: bool() }), { copies: 2 }),
    () => mapOf(A, setOf(tuple(B, bool()))),
    () => setOf(setOf(A)),
    () => setOf(seqOf(A, 2), { max: 3 }),
    () => setOf(record({ to: optional(A), held: setOf(B) }), { max: 3 }),
    () => oneOf(enumOf('none'), A, setOf(A)),
    () => mapOf(A, oneOf(B, bool())),
    () => setOf(oneOf(record({ kind: enumOf('ask'), who: A }), record({ kind: enumOf('tell'), who: A, to: B, n: int(0, 1) })), { max: 3 }),
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
  if (s instanceof TupleSchema) return s.items.map((t: Schema<unknown>) => randomValue(r, t));
  if (s instanceof UnionSchema) return randomValue(r, pick(r, s.members));
  if (s instanceof ValueSetSchema) return new ValueSet(Array.from({ length: Math.floor(r() * (s.max + 1)) }, () => randomValue(r, s.element)));
  if (s instanceof BagSchema) {
    const b = new ValueBag();
    for (let k = Math.floor(r() * (s.max + 1)); k > 0; k--) b.add(randomValue(r, s.element), 1 + Math.floor(r() * s.copies));
    while (b.distinct > s.max) b.remove([...b][0], s.copies);
    for (const [e, n] of [...b.entries()]) if (n > s.copies) b.remove(e, n - s.copies);
    return b;
  }
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

/**
 * The value with every id of each scalarset renamed by its permutation (`perms[name][i]` is the new
 * index of element i), done on values rather than slots: the oracle for Permuter.apply.
 */
export function renameValue(s: Schema<unknown>, v: unknown, perms: Record<string, number[]>): unknown {
  if (s instanceof Scalarset) return perms[s.name] ? s.values[perms[s.name][s.indexOf(v)]] : v;
  if (s instanceof IntSchema || s instanceof BoolSchema || s instanceof EnumSchema) return v;
  if (s instanceof RecordSchema) return Object.fromEntries(s.keys.map((k) => [k, renameValue(s.fields[k], (v as Record<string, unknown>)[k], perms)]));
  if (s instanceof ArraySchema || s instanceof SeqSchema) return (v as unknown[]).map((e) => renameValue(s.element, e, perms));
  if (s instanceof TupleSchema) return (v as unknown[]).map((e, i) => renameValue(s.items[i], e, perms));
  if (s instanceof MapSchema) {
    const m = v as Record<string, unknown>;
    return Object.fromEntries(s.key.values.map((k: unknown) => [s.key.keyOf(renameValue(s.key, k, perms)), renameValue(s.value, m[s.key.keyOf(k)], perms)]));
  }
  if (s instanceof SetSchema) return new Set([...(v as Set<unknown>)].map((e) => renameValue(s.element, e, perms)));
  if (s instanceof ValueSetSchema) return new ValueSet([...(v as ValueSet<unknown>)].map((e) => renameValue(s.element, e, perms)));
  if (s instanceof BagSchema) {
    const b = new ValueBag();
    for (const [e, n] of (v as ValueBag<unknown>).entries()) b.add(renameValue(s.element, e, perms), n);
    return b;
  }
  if (s instanceof OptionalSchema) return v === null ? null : renameValue(s.inner, v, perms);
  if (s instanceof UnionSchema) return renameValue(s.members[s.memberOf(v)], v, perms);
  throw new Error(`no renaming for ${s.describe()}`);
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
