// The specialised codecs (src/schema/compile.ts) must behave exactly like the schemas they are
// compiled from: the same slots, the same decoded values, the same TypeViolation messages.
import { describe, expect, it } from 'vitest';
import { array, bagOf, bool, enumOf, int, mapOf, optional, record, scalarset, seqOf, setOf, tuple, ValueBag, ValueSet } from '../src/schema/index.ts';
import { compileCodec } from '../src/schema/compile.ts';

const P = scalarset('p', 3);
const Big = enumOf('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
const schema = record({
  n: int(-2, 5),
  flag: bool(),
  mode: enumOf('idle', 'busy'),
  big: Big,
  owner: optional(P),
  pcs: mapOf(P, enumOf('start', 'done')),
  byInt: mapOf(int(0, 1), seqOf(int(0, 2), 2)),
  held: setOf(P),
  letters: setOf(Big),
  nums: setOf(int(2, 6)),
  wide: setOf(int(0, 40)),
  queue: seqOf(record({ from: P, v: int(0, 3) }), 3),
  grid: array(array(bool(), 2), 2),
  pair: tuple(int(1, 3), enumOf('ECHO', 'INIT')),
  sent: setOf(tuple(P, int(0, 2), optional(bool()))),
  msgs: bagOf(record({ to: P, n: int(0, 1) }), { max: 3, copies: 2 }),
});
const good = {
  n: -1, flag: true, mode: 'busy', big: 'h', owner: 'p2',
  pcs: { p1: 'start', p2: 'done', p3: 'start' },
  byInt: { 0: [2, 1], 1: [] },
  held: new Set(['p3', 'p1']),
  letters: new Set(['j', 'a']),
  nums: new Set([6, 2]),
  wide: new Set([0, 33, 40]),
  queue: [{ from: 'p1', v: 3 }, { from: 'p3', v: 0 }],
  grid: [[true, false], [false, false]],
  pair: [2, 'INIT'],
  sent: new ValueSet([['p1', 2, true], ['p2', 1, null]]),
  msgs: new ValueBag([{ to: 'p1', n: 1 }, { to: 'p3', n: 0 }, { to: 'p3', n: 0 }]),
};
const codec = compileCodec(schema);

function encodeBoth(value: unknown): [Int32Array | string, Int32Array | string] {
  const run = (f: (out: Int32Array) => void) => {
    const out = new Int32Array(schema.width).fill(7);
    try {
      f(out);
      return out;
    } catch (e) {
      return (e as Error).message;
    }
  };
  return [run((o) => schema.encode(value, o, 0, '')), run((o) => codec.encode(value, o, 0))];
}

describe('compiled codecs', () => {
  it('encode to the same slots and decode to the same values', () => {
    const [generic, compiled] = encodeBoth(good);
    expect(compiled).toEqual(generic);
    const slots = generic as Int32Array;
    expect(codec.decode(slots, 0)).toEqual(schema.decode(slots, 0));
    expect(codec.decode(slots, 0)).toEqual({ ...good, byInt: { 0: [2, 1], 1: [] } });
    expect({ ...good, owner: null }).toEqual(codec.decode(encodeBoth({ ...good, owner: null })[1] as Int32Array, 0));
    // Over slots that held something else: a null optional, a sequence's unused tail and a set's
    // words are written as zeros, as the schema writes them.
    for (const value of [{ ...good, owner: null }, { ...good, queue: [] }, { ...good, nums: new Set(), wide: new Set([1]) }]) {
      const [g, c] = encodeBoth(value);
      expect(c).toEqual(g);
    }
  });

  it('reject what the schema rejects, with the same message', () => {
    const bad: [string, unknown][] = [
      ['n below its range', { ...good, n: -3 }],
      ['n not an integer', { ...good, n: 1.5 }],
      ['a missing field', (({ flag: _f, ...rest }) => rest)(good)],
      ['an extra field', { ...good, extra: 1 }],
      ['a bad enum', { ...good, mode: 'gone' }],
      ['a bad big enum', { ...good, big: 'z' }],
      ['a bad bool', { ...good, flag: 1 }],
      ['a bad id', { ...good, owner: 'p9' }],
      ['a missing map key', { ...good, pcs: { p1: 'start', p2: 'done' } }],
      ['an extra map key', { ...good, pcs: { ...good.pcs, p4: 'start' } }],
      ['a too long sequence', { ...good, queue: [...good.queue, ...good.queue] }],
      ['a bad element deep inside', { ...good, queue: [{ from: 'p1', v: 4 }] }],
      ['a set that is an array', { ...good, held: ['p1'] }],
      ['a set with a stranger', { ...good, letters: new Set(['q']) }],
      ['a set of integers with one out of range', { ...good, nums: new Set([2, 7]) }],
      ['a set of integers with a string', { ...good, nums: new Set(['3']) }],
      ['a set of integers with a fraction', { ...good, wide: new Set([1.5]) }],
      ['a short fixed array', { ...good, grid: [[true, false]] }],
      ['a short tuple', { ...good, pair: [2] }],
      ['a long tuple', { ...good, pair: [2, 'INIT', 1] }],
      ['a tuple with a bad item', { ...good, pair: [2, 'ACK'] }],
      ['a tuple that is a record', { ...good, pair: { 0: 2, 1: 'INIT' } }],
      ['a bad tuple inside a set', { ...good, sent: new ValueSet([['p2', 3, null]]) }],
      ['a bag that is a set', { ...good, msgs: new ValueSet([{ to: 'p1', n: 0 }]) }],
      ['a bag with too many copies', { ...good, msgs: new ValueBag([{ to: 'p1', n: 0 }]).add({ to: 'p1', n: 0 }, 2) }],
      ['a bag with too many elements', { ...good, msgs: new ValueBag(['p1', 'p2', 'p3'].map((to) => ({ to, n: 1 }))).add({ to: 'p1', n: 0 }) }],
      ['a bag with a bad message', { ...good, msgs: new ValueBag([{ to: 'p1', n: 2 }]) }],
      ['not a record', [1, 2]],
    ];
    for (const [what, value] of bad) {
      const [generic, compiled] = encodeBoth(value);
      expect(typeof generic, what).toBe('string');
      expect(compiled, what).toBe(generic);
    }
  });
});
