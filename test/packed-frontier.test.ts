// The packed level queue: where each slot goes, that every state comes back as it went in, and that
// the bounds the schema gives hold for every value of a type (a bound too small would merge slots).
import { describe, expect, it } from 'vitest';
import { PackedFrontier, packedLayout } from '../checker/store/packed-frontier.ts';
import { mulberry32 } from '../checker/random.ts';
import { ANY_SLOT, bagOf, show, bool, enumOf, int, mapOf, oneOf, optional, record, scalarset, type Schema, seqOf, setOf, tuple } from '../src/schema/index.ts';
import { checkModel, type CheckResult } from '../src/compile/check.ts';
import { compileModel, type Model } from '../src/compile/model.ts';
import { loadSpec } from '../src/load.ts';
import { ROOT } from './helpers.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What two searches of one model must agree on: the verdict, the counts and the trace. */
const summary = (r: CheckResult) => ({
  outcome: r.outcome,
  property: r.property,
  distinct: r.stats.distinct,
  generated: r.stats.generated,
  depth: r.stats.depth,
  trace: r.trace?.map((t) => `${t.action?.label ?? 'init'}: ${show(t.state)}`),
});

const boundsOf = (s: Schema<unknown>): number[] => {
  const out: number[] = [];
  s.slotBounds(out);
  return out;
};

describe('packed layout', () => {
  it('gives each slot the bits of its bound, in order, never across two words', () => {
    const layout = packedLayout(Uint32Array.from([2, 0, 12, ANY_SLOT, 1, 2 ** 30 - 1, 3]));
    expect(layout.bits).toEqual([2, 0, 4, 32, 1, 30, 2]);
    expect(layout.word).toEqual([1, 1, 1, 2, 3, 3, 4]);
    expect(layout.shift).toEqual([0, 2, 2, 0, 0, 1, 0]);
    expect(layout.words).toBe(5);
  });

  it('keeps a state of zero-bit slots in its index word alone', () => {
    expect(packedLayout(Uint32Array.from([0, 0])).words).toBe(1);
  });

  it('packs only where it saves a quarter of the words', () => {
    expect(PackedFrontier.pays(Uint32Array.from([ANY_SLOT, ANY_SLOT, ANY_SLOT]))).toBe(false);
    expect(PackedFrontier.pays(Uint32Array.from([ANY_SLOT, ANY_SLOT, 1]))).toBe(false);
    expect(PackedFrontier.pays(Uint32Array.from([3, 3, 3]))).toBe(true);
  });
});

describe('PackedFrontier', () => {
  const bounds = Uint32Array.from([2, 0, 12, ANY_SLOT, 1, 2 ** 30 - 1, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]);
  const random = mulberry32(7);
  const state = (): Int32Array =>
    Int32Array.from(bounds, (b) => (b === ANY_SLOT ? (random() * 2 ** 32) | 0 : Math.floor(random() * (b + 1))));

  it('gives back every state as it was pushed, with its index, past several growths and after clear()', () => {
    const q = new PackedFrontier(bounds);
    expect(q.words).toBe(6);
    const n = 60_000;
    for (let round = 0; round < 2; round++) {
      q.clear();
      const pushed: Int32Array[] = [];
      for (let i = 0; i < n; i++) {
        const v = state();
        if (i === 0) v.set([2, 0, 12, -1, 1, 2 ** 30 - 1, 7]);
        if (i === 1) v[3] = -(2 ** 31);
        pushed.push(v);
        // From an offset into a larger array (the batched expander's vectors), or from the start.
        if (i % 2 === 0) q.push(i * 3 + round, v);
        else {
          const batch = new Int32Array(bounds.length * 3);
          batch.set(v, bounds.length);
          q.pushFrom(i * 3 + round, batch, bounds.length);
        }
      }
      expect(q.count).toBe(n);
      const out = new Int32Array(q.record + 5);
      for (let i = 0; i < n; i++) {
        q.read(i, out, 5);
        expect(out[5]).toBe(i * 3 + round);
        if (!out.subarray(6).every((x, k) => x === pushed[i][k])) expect([...out.subarray(6)]).toEqual([...pushed[i]]);
      }
    }
  });
});

describe('slot bounds', () => {
  const Proc = scalarset('Proc', 2);
  const mixed = record({
    n: int(-1, 2),
    flag: bool(),
    s: setOf(int(0, 40)),
    q: seqOf(enumOf('a', 'b', 'c'), 2),
    o: optional(int(0, 4)),
    m: mapOf(Proc, bool()),
    u: oneOf(int(0, 5), record({ a: bool(), b: int(0, 9) })),
    t: tuple(bool(), int(3, 4)),
    msgs: setOf(record({ from: Proc, k: int(0, 2) }), { max: 2 }),
    bag: bagOf(enumOf('x', 'y'), { max: 2, copies: 3 }),
  });

  it('are what each type writes at most, slot by slot', () => {
    expect(boundsOf(mixed)).toEqual([
      3, // n: int(-1, 2), encoded from 0
      1, // flag
      2 ** 30 - 1, 2 ** 11 - 1, // s: 41 elements, 30 to a word
      2, 2, 2, // q: its length, then two elements
      1, 4, // o: present or not, then the value
      1, 1, // m
      1, 5, 9, // u: which member, then each slot's largest over the members
      1, 1, // t: bool, int(3, 4)
      2, 1, 2, 1, 2, // msgs: how many, then two rows
      2, 1, 3, 1, 3, // bag: how many, then two rows of element and copies
    ]);
    expect(boundsOf(mixed).length).toBe(mixed.width);
  });

  it('hold for every value the types list', () => {
    const types: Schema<unknown>[] = [
      record({ n: int(-1, 2), s: setOf(int(0, 3)), q: seqOf(enumOf('a', 'b', 'c'), 2) }),
      record({ o: optional(int(0, 4)), m: mapOf(Proc, bool()), u: oneOf(int(0, 5), record({ a: bool(), b: int(0, 2) })) }),
      record({ msgs: setOf(record({ from: Proc, k: int(0, 2) }), { max: 2 }), bag: bagOf(enumOf('x', 'y'), { max: 2, copies: 3 }) }),
    ];
    for (const type of types) {
      const bounds = boundsOf(type);
      const slots = new Int32Array(type.width);
      const values = type.enumerate();
      expect(values.length).toBeGreaterThan(10);
      for (const v of values) {
        slots.fill(0);
        type.encode(v, slots, 0, '');
        slots.forEach((x, i) => {
          if (x >>> 0 > bounds[i]) expect({ value: v, slot: i, x }).toBe(`within ${bounds[i]}`);
        });
      }
    }
  });
});

describe('a search over packed levels', () => {
  // The same model with its bounds hidden: its levels are then kept slot for slot.
  const unbounded = (m: Model): Model => Object.create(m, { slotBounds: { value: undefined } }) as Model;
  const cases: [file: string, variant: string, workers: number][] = [
    ['specs/examples/lamport-mutex.ts', 'default', 1],
    ['specs/kernel/folio-mapcount-total.ts', 'total-Q1', 1],
    ['specs/kernel/folio-mapcount-total.ts', 'total-Q1', 2],
    ['specs/kernel/folio-mapcount-total.ts', 'total-Q2process', 1],
    ['specs/kernel/folio-mapcount-total.ts', 'total-Q2process', 2],
  ];
  for (const [file, variant, workers] of cases) {
    it(`finds what a search over plain levels finds: ${file} [${variant}], ${workers} worker(s)`, async () => {
      const path = join(ROOT, file);
      const model = compileModel((await loadSpec(path)).spec, variant, path);
      expect(model.slotBounds).toBeDefined();
      const packed = await checkModel(model, { workers });
      const plain = await checkModel(unbounded(model), { workers: 1 });
      expect(summary(packed)).toEqual(summary(plain));
      // A search of some size, or a violation with a trace of some length.
      if (packed.outcome === 'ok') expect(packed.stats.distinct).toBeGreaterThan(100);
      else expect(packed.trace!.length).toBeGreaterThanOrEqual(3);
    }, 120_000);
  }
});

describe('a packed level that moves to disk', () => {
  it('is unpacked run by run, wider than a run, and the search finds what it finds in memory', async () => {
    const path = join(ROOT, 'test/fixtures/wide-start.ts');
    const model = compileModel((await loadSpec(path)).spec, 'default', path);
    // Three slots of 7, 7 and 2 bits: packed into one word beside the index.
    expect(model.slotBounds && PackedFrontier.pays(model.slotBounds)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'interleave-spill-'));
    try {
      const inMemory = await checkModel(model);
      // Past any size: the search moves to disk at the end of its first level with states to expand,
      // the second, of 10,000 states (unpacked in runs of 4,096).
      const spilled = await checkModel(model, { disk: { dir, frontSlots: 1 << 12, spillAt: 0 } });
      expect(spilled.stats.disk?.spilledAtStates).toBe(20_000);
      expect(summary(spilled)).toEqual(summary(inMemory));
      expect(summary(inMemory)).toMatchObject({ outcome: 'invariant', property: 'NotLastCorner', depth: 4 });
      expect(inMemory.trace).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
