// oneOf(): a value of one of several types (TLA+'s union of sets of values). Counts are checked
// against a plain breadth-first search written here, and the symmetric count against the orbits of
// that search's states under every permutation of the ids.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { choose, defineSpec, enumOf, int, mapOf, oneOf, record, scalarset, setOf, ValueSet } from '../src/index.ts';

const Proc = scalarset('p', 3);
const Ask = record({ kind: enumOf('ask'), who: Proc });
const Tell = record({ kind: enumOf('tell'), who: Proc, to: Proc });
type Msg = { kind: 'ask'; who: string } | { kind: 'tell'; who: string; to: string };
/** As DijkstraMutex's `temp`: {defaultInitValue} \cup Proc \cup SUBSET Proc. */
type Temp = 'none' | string | Set<string>;

const spec = defineSpec({
  name: 'asks',
  state: {
    temp: mapOf(Proc, oneOf(enumOf('none'), Proc, setOf(Proc))),
    msgs: setOf(oneOf(Ask, Tell), { max: 12 }),
  },
  init: { temp: Proc.mapTo((): Temp => 'none'), msgs: new ValueSet<Msg>() },
  actions: {
    ask: {
      params: { p: Proc },
      when: (s, { p }) => s.temp[p] === 'none',
      do: (s, { p }) => {
        s.temp[p] = new Set(Proc.values.filter((q) => q !== p));
        s.msgs.add({ kind: 'ask', who: p });
      },
    },
    tell: {
      params: { p: Proc, q: Proc },
      when: (s, { p, q }) => {
        const t = s.temp[p];
        return p !== q && t instanceof Set && t.has(q) && s.msgs.has({ kind: 'ask', who: q });
      },
      do: (s, { p, q }) => {
        const t = s.temp[p] as Set<string>;
        if (t.size === 1) s.temp[p] = q;
        else t.delete(q);
        s.msgs.add({ kind: 'tell', who: p, to: q });
      },
    },
  },
  deadlock: false,
});

/** The same protocol on plain values, searched breadth first: the states as canonical strings. */
function plainStates(): string[][] {
  type S = { temp: Record<string, string | string[]>; msgs: string[] };
  const key = (s: S) => JSON.stringify([Proc.values.map((p) => s.temp[p]), [...s.msgs].sort()]);
  const start: S = { temp: { p1: 'none', p2: 'none', p3: 'none' }, msgs: [] };
  const seen = new Map<string, S>([[key(start), start]]);
  let level = [start];
  while (level.length > 0) {
    const next: S[] = [];
    for (const s of level) {
      const successors: S[] = [];
      for (const p of Proc.values) {
        if (s.temp[p] === 'none') {
          successors.push({ temp: { ...s.temp, [p]: Proc.values.filter((q) => q !== p) }, msgs: [...new Set([...s.msgs, `ask ${p}`])] });
        }
        for (const q of Proc.values) {
          const t = s.temp[p];
          if (p === q || !Array.isArray(t) || !t.includes(q) || !s.msgs.includes(`ask ${q}`)) continue;
          const rest = t.filter((x) => x !== q);
          successors.push({ temp: { ...s.temp, [p]: rest.length === 0 ? q : rest }, msgs: [...new Set([...s.msgs, `tell ${p} ${q}`])] });
        }
      }
      for (const n of successors) {
        if (seen.has(key(n))) continue;
        seen.set(key(n), n);
        next.push(n);
      }
    }
    level = next;
  }
  // Each state with its images under the 6 permutations of the ids.
  const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  return [...seen.values()].map((s) =>
    perms.map((perm) => {
      const r = (p: string) => Proc.values[perm[Proc.values.indexOf(p)]];
      const temp: S['temp'] = {};
      for (const p of Proc.values) {
        const t = s.temp[p];
        temp[r(p)] = t === 'none' ? t : Array.isArray(t) ? t.map(r).sort() : r(t);
      }
      const msgs = s.msgs.map((m) => m.split(' ').map((w, i) => (i === 0 ? w : r(w))).join(' '));
      return key({ temp, msgs });
    }),
  );
}

/**
 * Paxos's first phase with its messages as TLA+ writes them, `[type: {"1a"}, bal: Bal] \cup [type:
 * {"1b"}, acc: Acc, bal: Bal]`. TLC (Acc = {a1, a2, a3}, Bal = {0, 1, 2}): 729 distinct states, 4000
 * generated, depth 13; with SYMMETRY Permutations(Acc), 193 distinct and 1048 generated.
 */
const Acc = scalarset('a', 3);
const Bal = int(0, 2);
type PaxosMsg = { type: '1a'; bal: number } | { type: '1b'; acc: string; bal: number };
const phase1 = defineSpec({
  name: 'phase1',
  state: {
    msgs: setOf(oneOf(record({ type: enumOf('1a'), bal: Bal }), record({ type: enumOf('1b'), acc: Acc, bal: Bal })), { max: 12 }),
    maxBal: mapOf(Acc, int(-1, 2)),
  },
  init: { msgs: new ValueSet<PaxosMsg>(), maxBal: Acc.mapTo(() => -1) },
  actions: {
    Phase1a: { params: { b: Bal }, do: (s, { b }) => { s.msgs.add({ type: '1a', bal: b }); } },
    Phase1b: {
      params: { a: Acc },
      do: (s, { a }) => {
        const m = choose([...s.msgs].filter((x) => x.type === '1a' && x.bal > s.maxBal[a]), 'm');
        s.maxBal[a] = m.bal;
        s.msgs.add({ type: '1b', acc: a, bal: m.bal });
      },
    },
  },
  deadlock: false,
});

describe('oneOf', () => {
  it("gives TLC's counts for messages of several kinds, with and without symmetry", async () => {
    // msgs is a counted region (its count, its rows, then zeros): its fingerprints skip the zeros.
    expect([...(compileModel(phase1, 'default').countedRegions ?? [])]).toEqual([0, 49, 4]);
    const off = await checkModel(compileModel(phase1, 'default'), { symmetry: false });
    expect([off.outcome, off.stats.distinct, off.stats.generated, off.stats.depth]).toEqual(['ok', 729, 4000, 13]);
    const on = await checkModel(compileModel(phase1, 'default'), { symmetry: true });
    expect([on.outcome, on.stats.distinct, on.stats.generated, on.stats.depth]).toEqual(['ok', 193, 1048, 13]);
  });

  const states = plainStates();
  const orbits = new Set(states.map((images) => [...images].sort()[0])).size;

  it("counts what a plain search of the same protocol counts, and with symmetry that search's orbits", async () => {
    expect([states.length, orbits]).toEqual([141, 30]);
    const off = await checkModel(compileModel(spec, 'default'), { symmetry: false });
    expect(off.outcome).toBe('ok');
    expect(off.stats.distinct).toBe(states.length);
    const on = await checkModel(compileModel(spec, 'default'), { symmetry: true });
    expect(on.outcome).toBe('ok');
    expect(on.stats.distinct).toBe(orbits);
  });

  it('encodes a value as the first type that takes it, and decodes it as that type', () => {
    const t = oneOf(enumOf('none'), Proc, setOf(Proc), int(0, 3));
    expect(t.width).toBe(2);
    for (const v of ['none', 'p2', new Set(['p1', 'p3']), 3]) {
      const slots = new Int32Array(t.width);
      t.encode(v, slots, 0, 'x');
      expect(t.decode(slots, 0)).toEqual(v);
    }
    expect(t.enumerate()).toHaveLength(1 + 3 + 8 + 4);
  });

  it('a value of none of its types is a TypeOK violation naming them', async () => {
    const bad = defineSpec({
      name: 'bad',
      state: { t: oneOf(enumOf('none'), Proc) },
      init: { t: 'none' },
      actions: { set: { do: (s) => { s.t = 7 as never; } } },
    });
    const r = await checkModel(compileModel(bad, 'default'));
    expect(r.outcome).toBe('invariant');
    expect(r.message).toBe("set leaves the type: t = 7 is outside oneOf(enumOf('none'), scalarset('p', 3))");
  });

  it('refuses types that share values: which one a value is would depend on the order', () => {
    expect(() => oneOf(enumOf('a', 'b'), enumOf('b', 'c'))).toThrow("oneOf(): 'b' is a value of type 1 and of type 2; the types must not share values");
    expect(() => oneOf(int(0, 1))).toThrow('oneOf() needs two types or more (it has 1)');
  });
});
