// Every value type: what it accepts, how it round-trips through its slots, and what it says when a
// value does not fit.
import { describe, expect, it } from 'vitest';
import {
  array, bool, enumOf, int, mapOf, optional, record, scalarset, seqOf, setOf, TypeViolation, type Schema,
} from '../src/schema/index.ts';

function roundTrip<T>(schema: Schema<T>, value: T): T {
  const slots = new Int32Array(schema.width);
  schema.encode(value, slots, 0, 'x');
  return schema.decode(slots, 0);
}

function violation(schema: Schema<unknown>, value: unknown): string {
  try {
    schema.encode(value, new Int32Array(schema.width), 0, 'x');
  } catch (e) {
    if (e instanceof TypeViolation) return e.message;
    throw e;
  }
  return 'no violation';
}

describe('schemas', () => {
  it('round-trip every type through fixed-width slots', () => {
    const T = scalarset('t', 3);
    const schema = record({
      n: int(-2, 5),
      b: bool(),
      e: enumOf('a', 'b'),
      who: T,
      arr: array(int(0, 3), 2),
      q: seqOf(T, 3),
      m: mapOf(T, optional(enumOf('x', 'y'))),
      held: setOf(T),
      mi: mapOf(int(1, 2), bool()),
    });
    const value = {
      n: -2, b: true, e: 'b' as const, who: 't3', arr: [3, 0], q: ['t2', 't1'],
      m: { t1: null, t2: 'y' as const, t3: 'x' as const }, held: new Set(['t1', 't3']), mi: { 1: true, 2: false },
    };
    expect(roundTrip(schema, value)).toEqual(value);
    expect(schema.width).toBe(1 + 1 + 1 + 1 + 2 + 4 + 6 + 1 + 2);
  });

  it('two equal values always encode to the same slots (unused sequence positions are zeroed)', () => {
    const s = seqOf(int(0, 9), 3);
    const a = new Int32Array(s.width).fill(7);
    const b = new Int32Array(s.width);
    s.encode([4], a, 0, 'q');
    s.encode([4], b, 0, 'q');
    expect([...a]).toEqual([...b]);
  });

  it('say which value is outside which type', () => {
    expect(violation(int(0, 8), -1)).toBe('x = -1 is outside int(0, 8)');
    expect(violation(int(0, 8), 2.5)).toBe('x = 2.5 is outside int(0, 8)');
    expect(violation(bool(), 1)).toBe('x = 1 is outside bool');
    expect(violation(enumOf('a', 'b'), 'c')).toBe("x = 'c' is outside enumOf('a', 'b')");
    expect(violation(scalarset('t', 2), 't3')).toBe("x = 't3' is outside scalarset('t', 2)");
    expect(violation(seqOf(int(0, 1), 2), [0, 1, 0])).toBe('x = [0, 1, 0] is outside seqOf(int(0, 1), 2)');
    expect(violation(array(int(0, 1), 2), [0])).toBe('x = [0] is outside array(int(0, 1), 2)');
    expect(violation(record({ a: int(0, 1) }), {})).toBe('x.a = undefined is outside int(0, 1) (the field is missing)');
    expect(violation(mapOf(scalarset('t', 2), int(0, 1)), { t1: 0, t2: 3 })).toBe('x[t2] = 3 is outside int(0, 1)');
    expect(violation(mapOf(scalarset('t', 2), int(0, 1)), { t1: 0, t2: 0, t9: 0 })).toBe("x[t9] = 0 is outside the key type scalarset('t', 2)");
    expect(violation(setOf(enumOf('a')), new Set(['b']))).toBe("x element = 'b' is outside enumOf('a')");
    expect(violation(setOf(enumOf('a')), ['a'])).toBe("x = ['a'] is outside setOf(enumOf('a')) (a JS Set)");
  });

  it('refuse impossible declarations when the spec is defined', () => {
    expect(() => int(3, 1)).toThrow('int(3, 1): bounds must be integers with lo <= hi');
    expect(() => enumOf('a', 'a')).toThrow('labels repeat');
    expect(() => mapOf(seqOf(int(0, 1), 1) as never, bool())).toThrow('the key must be int(), bool(), enumOf() or scalarset()');
    expect(() => record({ a: 3 as never })).toThrow("record field 'a' is not a type");
  });

  it('name scalarset elements after the set, or as given', () => {
    expect(scalarset('t', 3).values).toEqual(['t1', 't2', 't3']);
    expect(scalarset('cpu', ['a', 'b']).values).toEqual(['a', 'b']);
  });

  it('list where scalarsets occur, for symmetry reduction', () => {
    const T = scalarset('t', 2);
    const schema = record({ owner: optional(T), pc: mapOf(T, int(0, 1)), held: setOf(T), q: seqOf(T, 2) });
    expect(schema.sites(0)).toEqual([
      { kind: 'value', set: 't', slot: 1, liveIf: { slot: 0, min: 1 } },
      { kind: 'blocks', set: 't', slot: 2, blockWidth: 1, count: 2 },
      { kind: 'bits', set: 't', slot: 4, bit: 0 },
      { kind: 'bits', set: 't', slot: 4, bit: 1 },
      { kind: 'value', set: 't', slot: 6, liveIf: { slot: 5, min: 1 } },
      { kind: 'value', set: 't', slot: 7, liveIf: { slot: 5, min: 2 } },
    ]);
  });

  it('write and read ITF values', () => {
    const T = scalarset('t', 2);
    const schema = record({ m: mapOf(T, setOf(int(0, 2))), o: optional(bool()), q: seqOf(int(0, 3), 2) });
    const value = { m: { t1: new Set([2, 0]), t2: new Set<number>() }, o: null, q: [3] };
    const itf = schema.toITF(value);
    expect(itf).toEqual({ m: { '#map': [['t1', { '#set': [0, 2] }], ['t2', { '#set': [] }]] }, o: { tag: 'None', value: { '#tup': [] } }, q: [3] });
    expect(schema.fromITF(JSON.parse(JSON.stringify(itf)), '')).toEqual(value);
  });
});
