// The fewest-switches search: on hand-written systems (threads as counters of steps taken, so every
// interleaving is a path and the answer can be counted by hand), then on the bundled specs, against a
// brute-force search and across symmetry and workers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { State } from '../checker/system.ts';
import { compileModel } from '../src/compile/model.ts';
import { loadSpec } from '../src/load.ts';
import { cli, ROOT, scratch } from './helpers.ts';
import { countSwitches, fewestSwitches, type SwitchGraph, type SwitchStep } from '../checker/trace/fewest-switches.ts';

/** Threads named by letter, each with `steps[t]` steps; a state is how far each has got. */
function threads(steps: Record<string, number>, ends: (s: Record<string, number>) => boolean, order: (xs: SwitchStep<Record<string, number>>[]) => SwitchStep<Record<string, number>>[] = (x) => x) {
  const names = Object.keys(steps);
  const actions = names.flatMap((t) => Array.from({ length: steps[t] }, (_, i) => ({ t, i })));
  const g: SwitchGraph<Record<string, number>> = {
    initial: [Object.fromEntries(names.map((t) => [t, 0]))],
    key: (s) => names.map((t) => s[t]).join(','),
    steps: (s) =>
      order(
        actions
          .map((a, id) => ({ a, id }))
          .filter(({ a }) => s[a.t] === a.i)
          .map(({ a, id }) => ({ action: id, choice: [], next: { ...s, [a.t]: a.i + 1 }, stored: true })),
      ),
    ends: (_from, step) => ends(step.next),
    actor: (id) => actions[id].t,
    label: (id) => `${actions[id].t}.${actions[id].i + 1}`,
  };
  return { g, label: g.label };
}

const labels = (r: { steps: SwitchStep<unknown>[] } | undefined, label: (id: number) => string) => r?.steps.map((s) => label(s.action));

describe('fewest switches', () => {
  it('counts switches between consecutive actors', () => {
    expect(countSwitches([])).toBe(0);
    expect(countSwitches(['a', 'a', 'b', 'a', 'a'])).toBe(2);
  });

  it('finds the interleaving with the fewest switches, ties broken by the least labels', () => {
    // A must take 2 steps and B 1: a1 a2 b1 and b1 a1 a2 switch once, a1 b1 a2 twice.
    const { g, label } = threads({ A: 2, B: 1 }, (s) => s.A === 2 && s.B === 1);
    const r = fewestSwitches(g, 4);
    expect(r?.switches).toBe(1);
    expect(labels(r, label)).toEqual(['A.1', 'A.2', 'B.1']);
  });

  it('gives the same trace whatever order the steps come in', () => {
    const ends = (s: Record<string, number>) => s.A === 2 && s.B === 2 && s.C === 1;
    const a = threads({ A: 3, B: 2, C: 2 }, ends);
    const b = threads({ A: 3, B: 2, C: 2 }, ends, (xs) => [...xs].reverse());
    const ra = fewestSwitches(a.g, 6);
    const rb = fewestSwitches(b.g, 6);
    expect(ra?.switches).toBe(2);
    expect(labels(ra, a.label)).toEqual(['A.1', 'A.2', 'B.1', 'B.2', 'C.1']);
    expect(labels(rb, b.label)).toEqual(labels(ra, a.label));
  });

  it('keeps to shortest paths: only steps into the next breadth-first layer count', () => {
    // A counter that A bumps by one and B by two (mod 4); the end is 3, two steps away
    // (A then B, or B then A): no longer, switch-free path (A A A) is taken instead.
    const g: SwitchGraph<number> = {
      initial: [0],
      key: (n) => String(n),
      steps: (n) => [
        { action: 0, choice: [], next: (n + 1) % 4, stored: true },
        { action: 1, choice: [], next: (n + 2) % 4, stored: true },
      ],
      ends: (_f, s) => s.next === 3,
      actor: (a) => (a === 0 ? 'A' : 'B'),
      label: (a) => (a === 0 ? 'a' : 'b'),
    };
    const r = fewestSwitches(g, 3);
    expect(r?.switches).toBe(1);
    expect(r?.steps.map((s) => s.action)).toEqual([0, 1]);
    expect(fewestSwitches(g, 2)).toBeUndefined();
  });

  it('gives up, so the caller keeps its trace, past the limit of states kept', () => {
    const { g } = threads({ A: 3, B: 3, C: 3 }, (s) => s.A === 3 && s.B === 3 && s.C === 3);
    expect(fewestSwitches(g, 10, 10)).toBeUndefined();
    const r = fewestSwitches(g, 10);
    expect(r?.switches).toBe(2);
    expect(r?.explored).toBe(63);
  });
});

describe('fewest switches on the bundled specs', () => {
  const steps = (file: string) => JSON.parse(readFileSync(file, 'utf8')).states.slice(1).map((s: any) => s['#meta'].label);

  it('prints the racy refcount drop as "t1 loads, t2 loads and stores, t1 stores"; --no-fewest-switches as met first', () => {
    const dir = scratch();
    const file = join(dir, 'refcount-race.racy.NoLeak.itf.json');
    expect(cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'racy', '--out', dir]).code).toBe(12);
    expect(steps(file)).toEqual(['put.load(self=t1)', 'put.load(self=t2)', 'put.store(self=t2)', 'put.store(self=t1)']);
    expect(cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'racy', '--out', dir, '--no-fewest-switches']).code).toBe(12);
    expect(steps(file)).toEqual(['put.load(self=t1)', 'put.load(self=t2)', 'put.store(self=t1)', 'put.store(self=t2)']);
  });

  it('writes the same golden kernel traces with symmetry off and with two workers', () => {
    for (const extra of [['--symmetry', 'off'], ['--workers', '2']]) {
      const dir = scratch();
      const r = cli(['check', 'specs/kernel', '--gate', '--quiet', '--out', dir, ...extra]);
      expect(r.code).toBe(0);
      const golden = readdirSync(join(ROOT, 'counterexamples')).filter((f) => readdirSync(dir).includes(f));
      expect(golden.length).toBe(59);
      for (const f of golden) expect([f, readFileSync(join(dir, f), 'utf8')]).toEqual([f, readFileSync(join(ROOT, 'counterexamples', f), 'utf8')]);
    }
    // Two runs of every kernel spec, liveness included: about 20 s on an idle machine.
  }, 180_000);

  it('is exact: a search of every path of the same length finds no trace with fewer switches', async () => {
    for (const [spec, variant, trace, length, switches] of [
      ['specs/kernel/zap-ordering.ts', 'v4-fools-compaction', 'zap-ordering.v4-fools-compaction.O2.itf.json', 16, 4],
      ['specs/kernel/pg-fscache.ts', 'V3-nowait', 'pg-fscache.V3-nowait.NoStaleWake.itf.json', 15, 2],
      ['specs/kernel/zap-ordering.ts', 'ksm-twostep', 'zap-ordering.ksm-twostep.O2.itf.json', 15, 3],
      ['specs/kernel/pagecache-readahead.ts', 'precheck-no-cmpxchg', 'pagecache-readahead.precheck-no-cmpxchg.Conservation.itf.json', 13, 3],
    ] as const) {
      const itf = JSON.parse(readFileSync(join(ROOT, 'counterexamples', trace), 'utf8'));
      expect(itf.states.length).toBe(length);
      expect(countSwitches(itf.states.slice(1).map((s: any) => s['#meta'].actor))).toBe(switches);
      expect(await leastSwitchesByBruteForce(spec, variant, itf['#meta'].property, length)).toBe(switches);
    }
  });
});

/**
 * The fewest switches over every path of `length` states from an initial state to a state that
 * breaks `property`, by depth-first search with memo on (state, steps left, actor): no layers, no
 * shortest-path pruning, so it checks the layered search's reasoning rather than repeating it.
 */
async function leastSwitchesByBruteForce(specFile: string, variant: string, property: string, length: number): Promise<number> {
  const { spec, file } = await loadSpec(specFile);
  const model = compileModel(spec, variant, file);
  const inv = model.invariants.find((i) => i.name === property)!;
  const encode = (s: unknown) => {
    const v = new Int32Array(model.width);
    return model.encode(s, v, 0) === undefined ? v : undefined;
  };
  /** Every successor inside its type and the constraint, straight from the action instances. */
  const successors = (v: Int32Array) => {
    const out: { actor: string; next: Int32Array }[] = [];
    for (const a of model.actions) {
      const pre = model.decode(v, 0);
      if (a.guard && a.guard(pre) !== true) continue;
      a.successors({ pre, draft: () => model.decode(v, 0) }, (next) => {
        const e = encode(next);
        if (e && (!model.constraint || model.constraint(model.decode(e, 0)) === true)) out.push({ actor: a.actor!, next: e });
      });
    }
    return out;
  };
  const memo = new Map<string, number>();
  const best = (v: Int32Array, left: number, actor: string): number => {
    if (left === 0) return inv.holds(model.decode(v, 0) as State) ? Infinity : 0;
    const k = `${v.join(',')}|${left}|${actor}`;
    const known = memo.get(k);
    if (known !== undefined) return known;
    let least = Infinity;
    for (const { actor: who, next } of successors(v)) least = Math.min(least, (actor && who !== actor ? 1 : 0) + best(next, left - 1, who));
    memo.set(k, least);
    return least;
  };
  return Math.min(...model.initial.map((s) => best(encode(s)!, length - 1, '')));
}
