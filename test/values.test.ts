// Sets and bags of structured values, tuples, sequences of records: value equality, the bounded
// sorted encoding, what they print and how they are written to ITF; and listing a type's values.
import { describe, expect, it } from 'vitest';
import {
  array, bagOf, bool, eachValueOf, enumOf, int, mapOf, optional, record, RecordSchema, scalarset, seqOf, setOf, show, tuple, TypeViolation,
  ValueBag, ValueSet, valueKey, valuesOf, oneOf, type Infer, type Schema,
} from '../src/schema/index.ts';
import { mulberry32 } from '../checker/random.ts';
import { compileCodec } from '../src/schema/compile.ts';

function slots<T>(schema: Schema<T>, value: unknown): number[] {
  const out = new Int32Array(schema.width);
  schema.encode(value, out, 0, 'x');
  return [...out];
}

function roundTrip<T>(schema: Schema<T>, value: unknown): T {
  const out = new Int32Array(schema.width);
  schema.encode(value, out, 0, 'x');
  return schema.decode(out, 0);
}

function violation(schema: Schema<unknown>, value: unknown): string {
  try {
    compileCodec(schema).encode(value, new Int32Array(schema.width), 0);
  } catch (e) {
    if (e instanceof TypeViolation) return e.message;
    throw e;
  }
  return 'no violation';
}

const RM = scalarset('rm', 3);
const Msg = record({ type: enumOf('Prepared', 'Commit', 'Abort'), rm: optional(RM) });
type M = Infer<typeof Msg>;

describe('ValueSet and ValueBag', () => {
  it('compare elements by value: an equal record added twice is one element', () => {
    const s = new ValueSet<{ type: string; rm: string | null }>();
    s.add({ type: 'Prepared', rm: 'rm1' }).add({ rm: 'rm1', type: 'Prepared' }).add({ type: 'Commit', rm: null });
    expect(s.size).toBe(2);
    expect(s.has({ type: 'Commit', rm: null })).toBe(true);
    expect(s.has({ type: 'Commit', rm: 'rm1' })).toBe(false);
    expect(s.delete({ type: 'Prepared', rm: 'rm1' })).toBe(true);
    expect([...s]).toEqual([{ type: 'Commit', rm: null }]);
    expect(new ValueSet([[1, 'a'], [1, 'a'], ['1', 'a']]).size).toBe(2);
    expect(new ValueSet([new Set([1, 2]), new Set([2, 1])]).size).toBe(1);
  });

  it('count copies in a bag; removing more than there are leaves none', () => {
    const b = new ValueBag<[number, string]>();
    b.add([0, 'v']).add([0, 'v']).add([1, 'w'], 3);
    expect(b.copies([0, 'v'])).toBe(2);
    expect(b.distinct).toBe(2);
    expect(b.total).toBe(5);
    b.remove([1, 'w'], 5);
    expect(b.has([1, 'w'])).toBe(false);
    expect([...b.entries()]).toEqual([[[0, 'v'], 2]]);
  });

  it('a bag of many elements keeps each count with its element as others come and go', () => {
    // Past eight elements its set of elements looks them up through an index: removals in the middle
    // move the later elements down, and their counts with them. The reference keys by valueKey.
    const b = new ValueBag<{ to: number; n: number[] }>();
    const ref = new Map<string, number>();
    const msg = (i: number) => ({ n: [i % 3], to: i });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 20; i++) {
        b.add(msg(i), 1 + (i % 4));
        ref.set(valueKey(msg(i)), (ref.get(valueKey(msg(i))) ?? 0) + 1 + (i % 4));
      }
      for (const i of [3, 11, 0, 19, 7]) {
        b.remove({ to: i, n: [i % 3] }, 2 + round);
        const left = (ref.get(valueKey(msg(i))) ?? 0) - (2 + round);
        if (left > 0) ref.set(valueKey(msg(i)), left);
        else ref.delete(valueKey(msg(i)));
      }
    }
    expect(new Map([...b.entries()].map(([e, n]) => [valueKey(e), n]))).toEqual(ref);
    expect(b.distinct).toBe(ref.size);
    expect(b.total).toBe([...ref.values()].reduce((x, y) => x + y, 0));
    for (let i = 0; i < 20; i++) expect(b.copies(msg(i))).toBe(ref.get(valueKey(msg(i))) ?? 0);
  });

  it('a loop may delete from the set or bag it walks: each element is visited once', () => {
    // A recipe that delivers every message to a crashed node deletes as it goes, small sets and
    // indexed ones alike.
    for (const n of [5, 40]) {
      const s = new ValueSet(Array.from({ length: n }, (_, i) => ({ id: i })));
      const seen: number[] = [];
      for (const m of s) {
        seen.push(m.id);
        if (m.id % 2 === 0) s.delete(m);
      }
      expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
      expect([...s].map((m) => m.id)).toEqual(Array.from({ length: n / 2 }, (_, i) => 2 * i + 1).filter((i) => i < n));
      const b = new ValueBag(Array.from({ length: n }, (_, i) => ({ id: i })));
      b.add({ id: 1 }, 2);
      const walked: [number, number][] = [];
      for (const [m, copies] of b.entries()) {
        walked.push([m.id, copies]);
        b.remove(m);
      }
      expect(walked).toEqual(Array.from({ length: n }, (_, i) => [i, i === 1 ? 3 : 1]));
      expect([...b.entries()]).toEqual([[{ id: 1 }, 2]]);
    }
  });

  it('refuses to add or remove a number of copies that is not a whole number of at least 1', () => {
    const b = new ValueBag(['m']);
    expect(() => b.add('m', 0)).toThrow('ValueBag.add(): 0 copies: the number of copies is a whole number, at least 1');
    expect(() => b.add('m', -1)).toThrow('ValueBag.add(): -1 copies');
    expect(() => b.remove('m', 1.5)).toThrow('ValueBag.remove(): 1.5 copies');
    expect([...b.entries()]).toEqual([['m', 1]]);
  });
});

describe('structured values in the state', () => {
  it('a set of records encodes sorted and without repeats, so equal sets give equal slots', () => {
    const schema = setOf(Msg);
    expect(schema.max).toBe(12);
    const a = slots(schema, new ValueSet([{ type: 'Commit', rm: null }, { type: 'Prepared', rm: 'rm2' }]));
    const b = slots(schema, new Set([{ type: 'Prepared', rm: 'rm2' }, { rm: null, type: 'Commit' }, { type: 'Prepared', rm: 'rm2' }]));
    expect(a).toEqual(b);
    expect(a.slice(0, 7)).toEqual([2, 0, 1, 1, 1, 0, 0]);
    const back = roundTrip(schema, new Set([{ type: 'Abort', rm: null }, { type: 'Prepared', rm: 'rm1' }]));
    expect(back).toBeInstanceOf(ValueSet);
    expect(back.has({ type: 'Abort', rm: null })).toBe(true);
    expect(back.size).toBe(2);
  });

  it('tuples of mixed types, sequences of records, sets of sets and sets of sequences round-trip', () => {
    const schema = record({
      votes: mapOf(RM, setOf(tuple(int(0, 1), enumOf('v1', 'v2')))),
      log: seqOf(record({ term: int(0, 2), cmd: bool() }), 3),
      quorums: setOf(setOf(RM)),
      paths: setOf(seqOf(RM, 2), { max: 4 }),
      inFlight: bagOf(Msg, { max: 4, copies: 3 }),
    });
    const value = {
      votes: { rm1: new ValueSet<[number, 'v1' | 'v2']>([[0, 'v2'], [1, 'v1']]), rm2: new ValueSet<[number, 'v1' | 'v2']>(), rm3: new ValueSet<[number, 'v1' | 'v2']>([[1, 'v2']]) },
      log: [{ term: 1, cmd: true }, { term: 2, cmd: false }],
      quorums: new ValueSet([new Set(['rm1', 'rm2']), new Set(['rm2', 'rm3'])]),
      paths: new ValueSet([['rm1'], ['rm2', 'rm1'], []]),
      inFlight: new ValueBag<M>([{ type: 'Commit', rm: null }]).add({ type: 'Prepared', rm: 'rm3' }, 3),
    };
    const back = roundTrip(schema, value);
    expect(back).toEqual(roundTrip(schema, back));
    expect(back.votes.rm1.has([1, 'v1'])).toBe(true);
    expect(back.quorums.has(new Set(['rm3', 'rm2']))).toBe(true);
    expect(back.paths.has(['rm2', 'rm1'])).toBe(true);
    expect(back.inFlight.copies({ type: 'Prepared', rm: 'rm3' })).toBe(3);
    // The compiled codec and the schema agree, also on these types.
    const codec = compileCodec(schema);
    const out = new Int32Array(schema.width);
    codec.encode(value, out, 0);
    expect([...out]).toEqual(slots(schema, value));
    expect(codec.decode(out, 0)).toEqual(back);
  });

  it('say which value is outside which type, with the whole path', () => {
    const schema = record({ msgs: setOf(Msg, { max: 2 }), net: bagOf(int(0, 3), { max: 2, copies: 2 }), t: tuple(int(0, 1), bool()) });
    const ok = { msgs: new ValueSet(), net: new ValueBag(), t: [0, true] };
    expect(violation(schema, { ...ok, msgs: new ValueSet([{ type: 'Abort', rm: null }, { type: 'Commit', rm: null }, { type: 'Prepared', rm: 'rm1' }]) })).toBe(
      "msgs = {{ type: 'Abort', rm: null }, { type: 'Commit', rm: null }, { type: 'Prepared', rm: 'rm1' }} is outside " +
        "setOf(record { type: enumOf('Prepared', 'Commit', 'Abort'), rm: optional(scalarset('rm', 3)) }, { max: 2 }) (it has 3 elements, at most 2)",
    );
    expect(violation(schema, { ...ok, msgs: new ValueSet([{ type: 'Abort', rm: 'rm4' }]) })).toBe("msgs element.rm = 'rm4' is outside scalarset('rm', 3)");
    expect(violation(schema, { ...ok, msgs: [] })).toMatch(/^msgs = \[\] is outside setOf\(.*\) \(a ValueSet\)$/);
    expect(violation(schema, { ...ok, net: new ValueBag([3]).add(3, 2) })).toBe('net copies of 3 = 3 is outside 1..2');
    expect(violation(schema, { ...ok, t: [0, 1] })).toBe('t[1] = 1 is outside bool');
    expect(() => setOf(seqOf(int(0, 9), 3))).toThrow('setOf(seqOf(int(0, 9), 3)): give { max: n }, the most elements it may hold; the element type has 1111 values');
  });

  it('print as a reader expects and write ITF sets, tuples, and bags as functions to copies', () => {
    const schema = record({ votes: setOf(tuple(int(0, 1), enumOf('a', 'b'))), net: bagOf(Msg, { max: 3 }) });
    const value = { votes: new ValueSet<[number, 'a' | 'b']>([[1, 'a'], [0, 'b']]), net: new ValueBag([{ type: 'Commit' as const, rm: null }, { type: 'Commit' as const, rm: null }]) };
    const itf = schema.toITF(value);
    expect(itf).toEqual({
      votes: { '#set': [{ '#tup': [0, 'b'] }, { '#tup': [1, 'a'] }] },
      net: { '#map': [[{ type: 'Commit', rm: { tag: 'None', value: { '#tup': [] } } }, 2]] },
    });
    expect(schema.fromITF(JSON.parse(JSON.stringify(itf)), '')).toEqual(roundTrip(schema, value));
    expect(show(roundTrip(schema, value))).toBe("{ votes: {[0, 'b'], [1, 'a']}, net: bag{{ type: 'Commit', rm: null }: 2} }");
  });
});

describe('listing values', () => {
  it('enumerates every type, a state shape included', () => {
    expect(valuesOf(tuple(bool(), enumOf('a', 'b')))).toEqual([[false, 'a'], [false, 'b'], [true, 'a'], [true, 'b']]);
    expect(valuesOf(setOf(int(1, 2))).map((s) => [...s])).toEqual([[], [1], [2], [1, 2]]);
    expect(valuesOf(seqOf(bool(), 2))).toHaveLength(1 + 2 + 4);
    expect(valuesOf(optional(int(0, 1)))).toEqual([null, 0, 1]);
    expect(valuesOf(setOf(tuple(int(0, 1), bool()), { max: 2 }))).toHaveLength(1 + 4 + 6);
    expect(valuesOf(bagOf(bool(), { copies: 2 }))).toHaveLength(1 + 2 * 2 + 4);
    const state = { pc: mapOf(scalarset('p', 2), enumOf('idle', 'cs')), n: int(0, 2) };
    const all = valuesOf(state);
    expect(all).toHaveLength(4 * 3);
    expect(all.filter((s) => s.n === 0 && s.pc.p1 === 'cs')).toEqual([{ pc: { p1: 'cs', p2: 'idle' }, n: 0 }, { pc: { p1: 'cs', p2: 'cs' }, n: 0 }]);
    expect(() => valuesOf(mapOf(scalarset('p', 5), int(0, 99)))).toThrow(
      "mapOf(scalarset('p', 5), int(0, 99)) has 10000000000 values; enumerate() lists at most 1000000; eachValueOf() walks them one at a time, with no limit",
    );
  });

  it('walks every value one at a time, in the order valuesOf lists them, each given value a fresh one', () => {
    const types: Schema<any>[] = [
      new RecordSchema({ pc: mapOf(scalarset('p', 2), enumOf('idle', 'cs')), n: int(0, 2), s: setOf(int(1, 2)) }),
      mapOf(int(-1, 1), bool()),
      array(int(0, 2), 3),
      tuple(bool(), enumOf('a', 'b'), int(0, 1)),
      setOf(int(1, 3)),
      new RecordSchema({ ['__proto__']: int(0, 1), x: bool() }),
      new RecordSchema({}),
    ];
    for (const t of types) {
      const walk = eachValueOf(t);
      expect([...walk]).toEqual(valuesOf(t));
      // Each iteration walks them afresh.
      expect([...walk]).toEqual(valuesOf(t));
      const keep = (v: unknown) => valueKey(v).length % 3 !== 0;
      const given = [...eachValueOf(t, keep)];
      expect(given).toEqual(valuesOf(t).filter(keep));
      expect(new Set(given).size).toBe(given.length);
    }
    expect(Object.keys([...eachValueOf(types[5] as RecordSchema<any>)][1])).toEqual(['__proto__', 'x']);
    // `where` sees each value in turn; what it is given is not the value changed for the next.
    const seen: string[] = [];
    const odd = [...eachValueOf({ a: int(0, 1), b: int(0, 2) }, (v) => (seen.push(`${v.a}${v.b}`), (v.a + v.b) % 2 === 1))];
    expect(seen).toEqual(['00', '01', '02', '10', '11', '12']);
    expect(odd).toEqual([{ a: 0, b: 1 }, { a: 1, b: 0 }, { a: 1, b: 2 }]);
  });

  it('walks more values than valuesOf lists', () => {
    const shape = { a: int(0, 999), b: int(0, 999), c: bool() };
    expect(() => valuesOf(shape)).toThrow('has 2000000 values; enumerate() lists at most 1000000; eachValueOf() walks them one at a time');
    let n = 0;
    for (const s of eachValueOf(shape, (s) => s.a === s.b)) {
      expect(s.a).toBe(s.b);
      n++;
    }
    expect(n).toBe(2000);
  });

  it('builds a total map over a scalarset from a function, typed without a cast', () => {
    const Node = scalarset('n', 3);
    const pc: Record<string, 'idle' | 'cs'> = Node.mapTo(() => 'idle' as const);
    expect(pc).toEqual({ n1: 'idle', n2: 'idle', n3: 'idle' });
    const Phase = enumOf('a', 'b');
    const m: Record<'a' | 'b', number> = Phase.mapTo((p) => (p === 'a' ? 1 : 2));
    expect(m).toEqual({ a: 1, b: 2 });
  });
});

describe('ValueSet against sets keyed by valueKey', () => {
  // Values equal as TLA+ values in many spellings: records with their keys in any order, -0 and 0,
  // NaN, JS Sets and ValueSets of the same elements, nested arrays.
  type Rng = () => number;
  const pick = <T,>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const value = (rng: Rng, depth: number): unknown => {
    const kind = depth > 2 ? Math.floor(rng() * 3) : Math.floor(rng() * 7);
    switch (kind) {
      case 0:
        return pick(rng, [0, -0, 1, 2, NaN, 1.5]);
      case 1:
        return pick(rng, ['a', 'b', '1', '']);
      case 2:
        return pick(rng, [true, false, null]);
      case 3:
        return Array.from({ length: Math.floor(rng() * 3) }, () => value(rng, depth + 1));
      case 4: {
        const keys = ['x', 'y', 'z'].filter(() => rng() < 0.6);
        if (rng() < 0.5) keys.reverse();
        // Few values, so that equal records spelt in another key order recur in one set.
        return Object.fromEntries(keys.map((k) => [k, depth > 0 ? value(rng, depth + 1) : pick(rng, [0, -0, 'a', [1]])]));
      }
      case 5: {
        const items = Array.from({ length: Math.floor(rng() * 3) }, () => pick(rng, [1, 2, 'a']));
        return rng() < 0.5 ? new Set(items) : new ValueSet(items);
      }
      default:
        return { type: pick(rng, ['req', 'ack']), clock: pick(rng, [0, 1]) };
    }
  };
  it('has, add, delete, size and the order of iteration agree over random operations, small sets and indexed large ones', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rng = mulberry32(seed);
      const s = new ValueSet<unknown>();
      const ref = new Map<string, unknown>();
      for (let op = 0; op < 300; op++) {
        const v = value(rng, 0);
        const k = valueKey(v);
        const r = rng();
        if (r < 0.5) {
          s.add(v);
          if (!ref.has(k)) ref.set(k, v);
        } else if (r < 0.7) {
          expect(s.delete(v)).toBe(ref.delete(k));
        } else {
          expect(s.has(v)).toBe(ref.has(k));
        }
        expect(s.size).toBe(ref.size);
      }
      expect([...s].map(valueKey)).toEqual([...ref.keys()]);
      expect(new ValueSet([...ref.values()].reverse()).size).toBe(ref.size);
    }
  });
});

describe('compiled codecs of unions and sets of structured values', () => {
  const Msg = oneOf(record({ type: enumOf('req'), clock: int(0, 2) }), record({ type: enumOf('ack'), from: enumOf('p', 'q') }), enumOf('none'));
  const schema = record({ msgs: setOf(Msg, { max: 4 }), last: Msg });
  const codec = compileCodec(schema);
  const run = (f: (out: Int32Array) => void) => {
    const out = new Int32Array(schema.width).fill(7);
    try {
      f(out);
      return `slots ${[...out].join(',')}`;
    } catch (e) {
      return (e as Error).message;
    }
  };
  it('write the slots the schema writes and say what it says, and read back the same values', () => {
    const rng = mulberry32(7);
    const msg = (): unknown => {
      const r = rng();
      if (r < 0.35) return rng() < 0.5 ? { type: 'req', clock: Math.floor(rng() * 4) } : { clock: Math.floor(rng() * 3), type: 'req' };
      if (r < 0.7) return { type: 'ack', from: rng() < 0.9 ? (rng() < 0.5 ? 'p' : 'q') : 'r' };
      if (r < 0.85) return 'none';
      return rng() < 0.5 ? { type: 'req', clock: 1, extra: 1 } : 7;
    };
    let fitted = 0;
    for (let i = 0; i < 2000; i++) {
      const items = Array.from({ length: Math.floor(rng() * 7) }, msg);
      const value = { msgs: rng() < 0.5 ? new ValueSet(items) : new Set(items), last: msg() };
      const generic = run((o) => schema.encode(value, o, 0, ''));
      expect(run((o) => codec.encode(value, o, 0))).toBe(generic);
      if (generic.startsWith('slots ')) {
        fitted++;
        const out = new Int32Array(generic.slice(6).split(',').map(Number));
        const back = codec.decode(out, 0) as { msgs: ValueSet<unknown>; last: unknown };
        expect(valueKey(back)).toBe(valueKey(schema.decode(out, 0)));
        expect(back.msgs.size).toBe(out[0]);
      }
    }
    expect(fitted).toBeGreaterThan(300);
  });

  it('a set read from slots finds its elements by their encoding, and is written again as the schema writes it after adds and deletes', () => {
    const Entry = record({ type: enumOf('a', 'b'), n: int(0, 9), s: setOf(int(1, 3)) });
    const wide = record({ msgs: setOf(Entry, { max: 60 }) });
    const wideCodec = compileCodec(wide);
    const rng = mulberry32(11);
    const entry = (): Record<string, unknown> => {
      const s = [1, 2, 3].filter(() => rng() < 0.5);
      const e: Record<string, unknown> = rng() < 0.5 ? { type: rng() < 0.5 ? 'a' : 'b', n: Math.floor(rng() * 10), s: new Set(s) } : { s: new Set([...s].reverse()), n: Math.floor(rng() * 10), type: rng() < 0.5 ? 'a' : 'b' };
      // Values equal to a value of the type in another spelling, and values of no value of the type.
      const r = rng();
      if (r < 0.05) e.n = -0 * (e.n as number);
      else if (r < 0.1) e.n = 10;
      else if (r < 0.13) e.extra = 1;
      else if (r < 0.16) e.type = 'c';
      return e;
    };
    const ofType = (e: Record<string, unknown>) => (e.n as number) <= 9 && e.extra === undefined && e.type !== 'c';
    for (let round = 0; round < 60; round++) {
      const items = Array.from({ length: 10 + Math.floor(rng() * 40) }, entry).filter(ofType);
      const slots = new Int32Array(wide.width);
      wideCodec.encode({ msgs: new ValueSet(items) }, slots, 0);
      const read = (wideCodec.decode(slots, 0) as { msgs: ValueSet<unknown> }).msgs;
      const ref = new Map(items.map((e) => [valueKey(e), e]));
      expect(read.size).toBe(ref.size);
      for (let q = 0; q < 40; q++) {
        const e = entry();
        expect(read.has(e)).toBe(ref.has(valueKey(e)));
      }
      for (let op = 0; op < 10; op++) {
        const e = entry();
        if (!ofType(e)) continue;
        if (rng() < 0.7) {
          read.add(e);
          if (!ref.has(valueKey(e))) ref.set(valueKey(e), e);
        } else {
          expect(read.delete(e)).toBe(ref.delete(valueKey(e)));
        }
      }
      for (const e of ref.values()) expect(read.has(e)).toBe(true);
      const again = new Int32Array(wide.width);
      const expected = new Int32Array(wide.width);
      wideCodec.encode({ msgs: read }, again, 0);
      wide.encode({ msgs: new ValueSet(ref.values()) }, expected, 0, '');
      expect([...again]).toEqual([...expected]);
    }
  });
});
