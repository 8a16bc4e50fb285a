// The fast canonicaliser against the brute-force one: on random schemas and states, the canonical
// form does not change under permutation, is a permutation of the state, and two states share it
// exactly when some permutation maps one onto the other.
import { describe, expect, it } from 'vitest';
import { bool, enumOf, int, mapOf, optional, record, scalarset, seqOf, setOf, ValueSet } from '../src/schema/index.ts';
import { bruteForceCanonicaliser, canonicaliser, groupElements, Permuter } from '../checker/symmetry/canonicalise.ts';
import { encode, randomPermutation, randomSchema, randomValue, renameValue, rng, symmetryModel } from './symmetry-random.ts';

const key = (v: Int32Array) => v.join(',');

describe('fast canonicaliser (random schemas, n <= 4)', () => {
  it('is invariant under random permutations and always gives a member of the orbit', () => {
    let checked = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed);
      const schema = randomSchema(r, 2 + Math.floor(r() * 3), 2 + Math.floor(r() * 2));
      const model = symmetryModel(schema);
      if (model.symmetry.size === 0) continue;
      const fast = canonicaliser(model);
      const permuter = new Permuter(model);
      const orbitOf = (v: Int32Array) => {
        const out = new Set<string>();
        const img = new Int32Array(model.width);
        for (const perms of groupElements(permuter.groups.map((g) => g.size))) {
          permuter.apply(v, perms, img);
          out.add(key(img));
        }
        return out;
      };
      for (let k = 0; k < 8; k++) {
        const v = encode(schema, randomValue(r, schema));
        const c = new Int32Array(model.width);
        fast(v, c);
        expect(orbitOf(v).has(key(c)), `seed ${seed}: canonical form outside the orbit (${schema.describe()})`).toBe(true);
        for (let j = 0; j < 4; j++) {
          const perms = permuter.groups.map((g) => randomPermutation(r, g.size));
          const w = new Int32Array(model.width);
          permuter.apply(v, perms, w);
          const cw = new Int32Array(model.width);
          fast(w, cw);
          expect(key(cw), `seed ${seed}: ${schema.describe()}`).toBe(key(c));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('partitions random states into exactly the orbits the brute force finds', () => {
    let classes = 0;
    for (let seed = 1000; seed < 1120; seed++) {
      const r = rng(seed);
      const schema = randomSchema(r, 2 + Math.floor(r() * 3), 2 + Math.floor(r() * 2));
      const model = symmetryModel(schema);
      if (model.symmetry.size === 0) continue;
      const fast = canonicaliser(model);
      const brute = bruteForceCanonicaliser(model);
      const permuter = new Permuter(model);
      // Half the states are permuted copies of earlier ones, so orbits with several members occur.
      const states: Int32Array[] = [];
      for (let k = 0; k < 40; k++) {
        if (k > 0 && r() < 0.5) {
          const w = new Int32Array(model.width);
          permuter.apply(states[Math.floor(r() * states.length)], permuter.groups.map((g) => randomPermutation(r, g.size)), w);
          states.push(w);
        } else states.push(encode(schema, randomValue(r, schema)));
      }
      const byFast = new Map<string, string>();
      const byBrute = new Map<string, string>();
      const c = new Int32Array(model.width);
      for (const v of states) {
        fast(v, c);
        const f = key(c);
        brute(v, c);
        const b = key(c);
        // The pairing fast form <-> brute form must be a bijection.
        expect(byFast.get(f) ?? b, `seed ${seed}: ${schema.describe()}`).toBe(b);
        expect(byBrute.get(b) ?? f, `seed ${seed}: ${schema.describe()}`).toBe(f);
        byFast.set(f, b);
        byBrute.set(b, f);
      }
      classes += byFast.size;
    }
    expect(classes).toBeGreaterThan(1000);
  });

  it('every pair of states of a small schema: same canonical form exactly when one permutes to the other', () => {
    // Exhaustive over all states: owner: optional(a), held: setOf(a), pc: mapOf(a, 2 labels), n = 3.
    const A = scalarset('a', 3);
    const schema = record({ owner: optional(A), held: setOf(A), pc: mapOf(A, enumOf('idle', 'busy')) });
    const model = symmetryModel(schema);
    const fast = canonicaliser(model);
    const brute = bruteForceCanonicaliser(model);
    const forms = new Set<string>();
    const orbits = new Set<string>();
    const c = new Int32Array(model.width);
    let states = 0;
    for (const owner of [null, ...A.values]) {
      for (let held = 0; held < 8; held++) {
        for (let pc = 0; pc < 8; pc++) {
          const value = {
            owner,
            held: new Set(A.values.filter((_, i) => held & (1 << i))),
            pc: Object.fromEntries(A.values.map((a, i) => [a, pc & (1 << i) ? 'busy' : 'idle'])),
          };
          const v = encode(schema, value);
          fast(v, c);
          forms.add(key(c));
          brute(v, c);
          orbits.add(key(c));
          states++;
        }
      }
    }
    expect(states).toBe(256);
    // Each element is one of 4 kinds (held or not, idle or busy). No owner: a multiset of 3 kinds,
    // C(6,3) = 20 orbits; an owner: its kind (4) times a multiset of 2 kinds for the others, 4 * C(5,2) = 40.
    expect(orbits.size).toBe(60);
    expect(forms.size).toBe(60);
  });

  it('handles nested maps keyed by two scalarsets, sequences and larger n', () => {
    const T = scalarset('t', 6);
    const P = scalarset('p', 3);
    const schema = record({
      queue: seqOf(T, 4),
      owner: mapOf(P, optional(T)),
      grants: mapOf(T, mapOf(P, bool())),
      next: mapOf(T, optional(T)),
      count: mapOf(T, int(0, 2)),
    });
    const model = symmetryModel(schema);
    const fast = canonicaliser(model);
    const permuter = new Permuter(model);
    const r = rng(7);
    for (let k = 0; k < 300; k++) {
      const v = encode(schema, randomValue(r, schema));
      const c1 = new Int32Array(model.width);
      fast(v, c1);
      const w = new Int32Array(model.width);
      permuter.apply(v, [randomPermutation(r, 6), randomPermutation(r, 3)], w);
      const c2 = new Int32Array(model.width);
      fast(w, c2);
      expect(key(c2)).toBe(key(c1));
    }
  });

  it('tries one image, not n!, when elements are told apart or are truly interchangeable', () => {
    const T = scalarset('t', 8);
    const schema = record({ pc: mapOf(T, enumOf('idle', 'lock', 'wait', 'cs')), owner: optional(T), queue: seqOf(T, 8), next: mapOf(T, optional(T)) });
    const model = symmetryModel(schema);
    const counters = { images: 0 };
    const fast = canonicaliser(model, counters);
    const out = new Int32Array(model.width);
    const idle = Object.fromEntries(T.values.map((t) => [t, 'idle']));
    const none = Object.fromEntries(T.values.map((t) => [t, null]));
    // All eight threads alike: any order of them is an automorphism.
    fast(encode(schema, { pc: idle, owner: null, queue: [], next: none }), out);
    expect(counters.images).toBe(1);
    // A lock owner and a queue of four: positions tell those apart, the other three are alike.
    counters.images = 0;
    fast(encode(schema, { pc: { ...idle, t3: 'cs', t5: 'wait', t1: 'wait', t8: 'wait', t2: 'wait' }, owner: 't3', queue: ['t5', 't1', 't8', 't2'], next: none }), out);
    expect(counters.images).toBe(1);
    // A ring t1 -> t2 -> ... -> t8 -> t1: every thread looks alike, yet no swap of two is an
    // automorphism; fixing one thread fixes the rest, so 8 images (the rotations), not 8! = 40320.
    counters.images = 0;
    const ring = Object.fromEntries(T.values.map((t, i) => [t, T.values[(i + 1) % 8]]));
    fast(encode(schema, { pc: idle, owner: null, queue: [], next: ring }), out);
    expect(counters.images).toBe(8);
  });
});

describe('sets and bags of structured values under symmetry', () => {
  it('permuting slots equals renaming ids in the value and encoding it again (the collections re-sorted)', () => {
    let checked = 0;
    for (let seed = 2000; seed < 2150; seed++) {
      const r = rng(seed);
      const schema = randomSchema(r, 2 + Math.floor(r() * 3), 2 + Math.floor(r() * 2));
      const model = symmetryModel(schema);
      if (model.symmetry.size === 0) continue;
      const permuter = new Permuter(model);
      for (let k = 0; k < 6; k++) {
        const value = randomValue(r, schema);
        const perms = permuter.groups.map((g) => randomPermutation(r, g.size));
        const byName = Object.fromEntries(permuter.groups.map((g, i) => [g.name, perms[i]]));
        const w = new Int32Array(model.width);
        permuter.apply(encode(schema, value), perms, w);
        expect(key(w), `seed ${seed}: ${schema.describe()}`).toBe(key(encode(schema, renameValue(schema, value, byName))));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('a set of directed edges over 3 nodes has as many canonical forms as there are graphs up to isomorphism', () => {
    // Every subset of the 6 edges between 3 distinct nodes: 64 labelled digraphs, 16 up to isomorphism.
    const N = scalarset('n', 3);
    const Edge = record({ from: N, to: N });
    const schema = record({ edges: setOf(Edge, { max: 6 }) });
    const model = symmetryModel(schema);
    const fast = canonicaliser(model);
    const brute = bruteForceCanonicaliser(model);
    const pairs = N.values.flatMap((a) => N.values.filter((b) => b !== a).map((b) => ({ from: a, to: b })));
    const forms = new Set<string>();
    const orbits = new Set<string>();
    const c = new Int32Array(model.width);
    for (let mask = 0; mask < 64; mask++) {
      const v = encode(schema, { edges: new ValueSet(pairs.filter((_, i) => mask & (1 << i))) });
      fast(v, c);
      forms.add(key(c));
      brute(v, c);
      orbits.add(key(c));
    }
    expect(orbits.size).toBe(16);
    expect(forms.size).toBe(16);
  });
});
