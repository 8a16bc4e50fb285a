// The fewest-switches search on hand-written systems: threads as counters of steps taken, so every
// interleaving is a path and the answer can be counted by hand.
import { describe, expect, it } from 'vitest';
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
