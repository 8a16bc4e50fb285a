// The engine on its own, with a hand-written transition system (./grid.ts): the store, the level
// loop, workers, the observer and trace rebuild, without the spec language.
import { describe, expect, it } from 'vitest';
import { search } from '../../checker/search/bfs.ts';
import { fingerprint } from '../../checker/store/fingerprint.ts';
import { Frontier } from '../../checker/store/frontier.ts';
import { FingerprintStore, packChoice, unpackChoice } from '../../checker/store/memory.ts';
import type { ChoicePath } from '../../checker/system.ts';
import { rebuildTrace } from '../../checker/trace/rebuild.ts';
import { grid } from './grid.ts';

describe('fingerprints', () => {
  it('differ for every vector of a small space, whichever slots differ (even, odd, the last of an odd width); the low word is never 0', () => {
    const out = new Uint32Array(2);
    for (const width of [1, 2, 3, 4, 5]) {
      const base = width <= 2 ? 256 : width === 3 ? 40 : 12;
      const seen = new Set<bigint>();
      const v = new Int32Array(width);
      let zeroLow = 0;
      for (let k = 0; k < base ** width; k++) {
        for (let i = 0, x = k; i < width; i++, x = Math.floor(x / base)) v[i] = x % base - (base >> 1);
        fingerprint(v, width, out);
        if (out[1] === 0) zeroLow++;
        seen.add((BigInt(out[0]) << 32n) | BigInt(out[1]));
      }
      expect([width, seen.size, zeroLow]).toEqual([width, base ** width, 0]);
    }
    // The width takes part: a vector and its prefix padded with zeros differ.
    const a = new Uint32Array(2);
    fingerprint(new Int32Array([1, 2, 0]), 3, a);
    fingerprint(new Int32Array([1, 2, 0, 0]), 4, out);
    expect([...a]).not.toEqual([...out]);
  });

  it('skip the zeros past the rows of a counted region, and tell apart every vector with its zeros in place', () => {
    // Slot 0, then a region at 1 of 9 slots: a count and up to 4 rows of 2, then slot 10.
    const counted = new Int32Array([1, 9, 2]);
    const key = (v: number[]) => {
      const out = new Uint32Array(2);
      fingerprint(Int32Array.from(v), 11, out, counted);
      return `${out[0]}:${out[1]}`;
    };
    const seen = new Set<string>();
    let vectors = 0;
    for (let first = 0; first < 3; first++) {
      for (let n = 0; n <= 4; n++) {
        for (let k = 0; k < 3 ** (2 * n); k++) {
          const rows = Array.from({ length: 8 }, (_, i) => (i < 2 * n ? Math.floor(k / 3 ** i) % 3 : 0));
          seen.add(key([first, n, ...rows, 5]));
          vectors++;
        }
      }
    }
    expect(seen.size).toBe(vectors);
    // What lies past the rows is not read: a vector whose unused rows were not zeroed has the same fingerprint.
    expect(key([0, 1, 7, 7, 9, 9, 9, 9, 9, 9, 5])).toBe(key([0, 1, 7, 7, 0, 0, 0, 0, 0, 0, 5]));
    // Without regions every slot counts.
    const plain = (v: number[]) => {
      const out = new Uint32Array(2);
      fingerprint(Int32Array.from(v), 11, out);
      return `${out[0]}:${out[1]}`;
    };
    expect(plain([0, 1, 7, 7, 9, 9, 9, 9, 9, 9, 5])).not.toBe(plain([0, 1, 7, 7, 0, 0, 0, 0, 0, 0, 5]));
  });
});

describe('the in-memory store', () => {
  it('inserts if new, returning the index, or -1; finds a stored fingerprint', () => {
    const store = new FingerprintStore(1, { choices: true });
    expect(store.insert(1, 2, -1, -1, [])).toBe(0);
    expect(store.insert(3, 4, 0, 5, [1, 0])).toBe(1);
    expect(store.insert(3, 4, 0, 6, [])).toBe(-1);
    expect([store.find(3, 4), store.find(1, 2), store.find(5, 6)]).toEqual([1, 0, -1]);
    expect([store.size, store.parent(1), store.action(1), store.choice(1), store.action(0), store.parent(0)]).toEqual([2, 0, 5, [1, 0], -1, -1]);
    expect(store.fingerprints([1, 0])).toEqual([[3, 4], [1, 2]]);
  });

  it('keeps every state through growth', () => {
    const store = new FingerprintStore(4);
    const wrong: number[] = [];
    for (let i = 0; i < 200_000; i++) if (store.insert(Math.imul(i, 0x9e3779b1), i + 1, i - 1, i % 7, []) !== i) wrong.push(i);
    for (let i = 0; i < 200_000; i += 997) if (store.insert(Math.imul(i, 0x9e3779b1), i + 1, 0, 0, []) !== -1 || store.find(Math.imul(i, 0x9e3779b1), i + 1) !== i) wrong.push(i);
    expect(wrong).toEqual([]);
    expect([store.size, store.parent(150_000), store.action(150_000)]).toEqual([200_000, 149_999, 150_000 % 7]);
  });

  it('packs short choice paths into one word, and says when it did not keep one', () => {
    for (const path of [[], [0], [5, 1022], [1, 2, 3]] as ChoicePath[]) expect(unpackChoice(packChoice(path))).toEqual(path);
    expect(unpackChoice(packChoice([1, 2, 3, 4]))).toBeUndefined();
    expect(unpackChoice(packChoice([5000]))).toBeUndefined();
  });
});

describe('the level queue', () => {
  it('keeps every record, in order, as it grows eightfold, and again after clear()', () => {
    const f = new Frontier(3);
    const first = f.data.length;
    const v = new Int32Array(2);
    for (let round = 0; round < 2; round++) {
      f.clear();
      for (let i = 0; i < 20_000; i++) {
        v[0] = i;
        v[1] = -i;
        if (i % 2 === 0) f.push(i + round, v);
        else f.pushFrom(i + round, new Int32Array([0, i, -i]), 1);
      }
      expect(f.count).toBe(20_000);
      const bad = Array.from({ length: 20_000 }, (_, i) => i).filter((i) => f.data[3 * i] !== i + round || f.data[3 * i + 1] !== i || f.data[3 * i + 2] !== -i);
      expect(bad).toEqual([]);
    }
    // 1024 records of 3 slots at first, 8192 after one growth, 65,536 after two.
    expect([first, f.data.length]).toEqual([3 * 1024, 3 * 65_536]);
  });
});

describe('the level loop', () => {
  it('counts as TLC counts: n^2 distinct, every successor generated, depth 2(n - 1) + 1', async () => {
    const { result } = await search(grid({ n: 4 }), {});
    // Initial state, two moves from each state off the edges, one from each edge state, one reset.
    expect([result.stats.distinct, result.stats.generated, result.stats.depth, result.stats.complete]).toEqual([16, 1 + 2 * 4 * 3 + 1, 7, true]);
    expect([...result.coverage!.fired]).toEqual([24, 1]);
  });

  it('an observer is told of every transition with its choice path, also to states already seen', async () => {
    const edges: [number, number, number, string][] = [];
    await search(grid({ n: 3 }), { observer: (from, to, action, choice) => edges.push([from, to, action, choice.join('.')]) });
    expect(edges[0]).toEqual([-1, 0, -1, '']);
    expect(edges.length).toBe(1 + 2 * 3 * 2 + 1);
    expect(edges.filter((e) => e[2] === 1)).toEqual([[8, 0, 1, '']]);
    expect(new Set(edges.filter((e) => e[2] === 0).map((e) => e[3]))).toEqual(new Set(['0', '1']));
  });

  it('a deadlock is reported at the state with no successor', async () => {
    const { result } = await search(grid({ n: 3, noReset: true }), {});
    expect([result.violation?.outcome, result.stats.depth, result.stats.distinct]).toEqual(['deadlock', 5, 9]);
  });

  it('the same counts, verdicts and trace lengths with 1, 2 and 3 workers', async () => {
    // The first is big enough (250,000 states) for the worker threads to join the levels.
    for (const o of [{ n: 500 }, { n: 120, limit: 150 }, { n: 40, noReset: true }]) {
      const runs = [];
      for (const workers of [1, 2, 3]) {
        const sys = grid(o);
        const { result, store } = await search(sys, { workers });
        const trace = result.violation && rebuildTrace(sys, store, result.violation).steps.length;
        runs.push([result.violation?.outcome, result.violation?.property, result.stats.distinct, result.stats.generated, result.stats.depth, trace]);
      }
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    }
  }, 180_000);
});

describe('lookups in batches', () => {
  it('change nothing: the counts, the coverage and the violation reported equal those of a search that looks each successor up at once', async () => {
    // --max-states makes the search look each successor up at once (it stops at the state that reaches the bound).
    for (const o of [{ n: 120, limit: 150 }, { n: 60 }, { n: 30, noReset: true }]) {
      const runs = [];
      for (const maxStates of [undefined, 1e12]) {
        const sys = grid(o);
        const { result, store } = await search(sys, { maxStates });
        const v = result.violation;
        const trace = v && rebuildTrace(sys, store, v).steps.map((t) => `${t.state.x},${t.state.y}`);
        runs.push({ stats: [result.stats.distinct, result.stats.generated, result.stats.depth, result.stats.queue], fired: [...result.coverage!.fired], found: [...result.coverage!.found], v: [v?.outcome, v?.property, v?.stateIndex], trace });
      }
      expect(runs[0]).toEqual(runs[1]);
    }
  });
});

describe('trace rebuild', () => {
  it('replays the stored transitions, choice paths included, to a shortest trace', async () => {
    const sys = grid({ n: 5, limit: 3 });
    const { result, store } = await search(sys, {});
    expect([result.violation?.property, result.stats.depth]).toEqual(['Near', 4]);
    const { steps } = rebuildTrace(sys, store, result.violation!);
    const states = steps.map((s) => [s.state.x, s.state.y]);
    expect(states.length).toBe(4);
    expect(states[0]).toEqual([0, 0]);
    expect((states[3][0] as number) + (states[3][1] as number)).toBe(3);
    // Each step's choice path says which way it moved.
    for (let k = 1; k < steps.length; k++) {
      const moved = steps[k].state.x !== steps[k - 1].state.x ? 0 : 1;
      expect(steps[k].choice).toEqual([moved]);
    }
  });
});
