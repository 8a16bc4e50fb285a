// Choices inside a recipe: the recipe runs once per choice path, in a fixed order, and a false guard
// or an empty domain yields no successor.
import { describe, expect, it } from 'vitest';
import { choose, either, enumerateChoices, followChoices, majorities, subsetsOf, when } from '../src/choice.ts';
import { enumOf, int, ValueSet } from '../src/schema/index.ts';

function all<R>(run: () => R): [R, readonly number[], string[]][] {
  const out: [R, readonly number[], string[]][] = [];
  enumerateChoices(run, (r, path, taken) => out.push([r, path, taken().map((t) => t.shown)]));
  return out;
}

describe('choices', () => {
  it('a recipe without choices runs once, with the empty path', () => {
    expect(all(() => 7)).toEqual([[7, [], []]]);
  });

  it('every path of nested branches and choices, depth first in option order', () => {
    const out = all(() => {
      const x = choose([1, 2], 'x');
      return either(
        () => `a${x}`,
        () => {
          const y = choose(new Set(['p', 'q']), 'y');
          return `b${x}${y}`;
        },
      );
    });
    expect(out.map(([r, p]) => [r, p])).toEqual([
      ['a1', [0, 0]],
      ['b1p', [0, 1, 0]],
      ['b1q', [0, 1, 1]],
      ['a2', [1, 0]],
      ['b2p', [1, 1, 0]],
      ['b2q', [1, 1, 1]],
    ]);
    expect(out[2][2]).toEqual(['x = 1', 'branch 2', "y = 'q'"]);
  });

  it('a false guard or an empty domain drops that path only', () => {
    const out = all(() =>
      either({
        inc: () => {
          const n = choose(int(0, 3), 'n');
          when(n % 2 === 1);
          return n;
        },
        none: () => choose([] as number[]),
        reset: () => 0,
      }),
    );
    expect(out.map(([r, , shown]) => [r, shown.join(', ')])).toEqual([
      [1, 'inc, n = 1'],
      [3, 'inc, n = 3'],
      [0, 'reset'],
    ]);
  });

  it('a domain may be a set of records from the state, a type, or a list of subsets', () => {
    const msgs = new ValueSet([{ to: 'a' }, { to: 'b' }]);
    expect(all(() => choose(msgs, 'm').to).map(([r]) => r)).toEqual(['a', 'b']);
    expect(all(() => choose(enumOf('x', 'y'))).map(([r]) => r)).toEqual(['x', 'y']);
    expect(majorities(['a1', 'a2', 'a3']).map((q) => [...q])).toEqual([['a1', 'a2'], ['a1', 'a3'], ['a2', 'a3'], ['a1', 'a2', 'a3']]);
    expect(subsetsOf([1, 2, 3], { max: 1 }).map((q) => [...q])).toEqual([[], [1], [2], [3]]);
    // Smallest first, each size in the order of the items' positions.
    expect(subsetsOf([1, 2, 3]).map((q) => [...q])).toEqual([[], [1], [2], [3], [1, 2], [1, 3], [2, 3], [1, 2, 3]]);
    expect(subsetsOf([1, 2, 3, 4], { min: 2, max: 3 }).map((q) => [...q])).toEqual([
      [1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4], [1, 2, 3], [1, 2, 4], [1, 3, 4], [2, 3, 4],
    ]);
    // The domain is a set: a repeated item counts once, as in SUBSET {a, b, a}.
    expect(subsetsOf(['a', 'b', 'a']).map((q) => [...q])).toEqual([[], ['a'], ['b'], ['a', 'b']]);
    expect(subsetsOf(['a', 'b', 'a'], { min: 2 }).map((q) => [...q])).toEqual([['a', 'b']]);
    expect(majorities(['a', 'b', 'c', 'a']).map((q) => [...q])).toEqual([['a', 'b'], ['a', 'c'], ['b', 'c'], ['a', 'b', 'c']]);
    // Sizes are whole numbers: at least 1.5 elements is at least 2, at most 2.5 is at most 2.
    expect(subsetsOf([1, 2, 3], { min: 1.5, max: 2.5 }).map((q) => [...q])).toEqual([[1, 2], [1, 3], [2, 3]]);
    expect(() => subsetsOf([1, 2], { min: Number.NaN })).toThrow('subsetsOf(): min is NaN, not a number of elements');
  });

  it('subsets of tuples and records are ValueSets: they find an element by its value, as a state set does', () => {
    const sent: [number, string][] = [[1, 'ECHO'], [2, 'ECHO']];
    const subsets = subsetsOf(sent);
    expect(subsets.map((q) => q instanceof ValueSet)).toEqual([true, true, true, true]);
    expect(subsets.map((q) => q.has([2, 'ECHO']))).toEqual([false, false, true, true]);
    expect(subsets.map((q) => [...q])).toEqual([[], [[1, 'ECHO']], [[2, 'ECHO']], [[1, 'ECHO'], [2, 'ECHO']]]);
    // A subset is a set like any other: adding an element it holds changes nothing.
    const one = subsets[1];
    one.add([1, 'ECHO']);
    one.add([3, 'ECHO']);
    expect([one.size, one.has([3, 'ECHO']), one.delete([1, 'ECHO']), one.size]).toEqual([2, true, true, 1]);
    // Equal records made apart are one value: counted once, as 'a' is above.
    const byValue = subsetsOf([{ p: 1 }, { p: 1 }], { min: 1 });
    expect(byValue.map((q) => [...q])).toEqual([[{ p: 1 }]]);
    // Subsets of an empty set from the state are ValueSets too: `every` and `has` work on them.
    const none = subsetsOf(new ValueSet<[number, string]>());
    expect(none.map((q) => [q instanceof ValueSet, q.every(() => false), q.size])).toEqual([[true, true, 0]]);
    expect(majorities([{ a: 1 }, { a: 2 }, { a: 3 }]).every((q) => q instanceof ValueSet && q.has({ a: 1 }) === [...q].some((x) => x.a === 1))).toBe(true);
    // Primitive values stay JS Sets.
    expect(subsetsOf([1, 2]).every((q) => q instanceof Set)).toBe(true);
  });

  it('refuses to make more than a million subsets, saying how to bound them', () => {
    expect(() => subsetsOf(int(1, 25))).toThrow(
      'subsetsOf() of 25 items would make 33,554,432 subsets, more than the 1,000,000 it makes: bound their size with { min, max }, or choose the elements one at a time',
    );
    // 1 + 25 + 300 + 2,300 subsets of at most three of the 25.
    expect(subsetsOf(int(1, 25), { max: 3 })).toHaveLength(2626);
    expect(subsetsOf(int(1, 40), { min: 39 })).toHaveLength(41);
  });

  it('int(lo, hi) is one schema per range, its values shared and so frozen', () => {
    expect(int(1, 3)).toBe(int(1, 3));
    expect(() => (int(1, 3).values as number[]).reverse()).toThrow(TypeError);
    expect(int(1, 3).values).toEqual([1, 2, 3]);
  });

  it('one path can be followed again, for traces', () => {
    const run = () => either(() => choose([5, 6], 'k'), () => 0);
    expect(followChoices(run, [0, 1])).toEqual({ result: 6, taken: [{ index: 0, shown: 'branch 1' }, { index: 1, shown: 'k = 6' }] });
  });

  it('refuses choices outside a recipe, and says so', () => {
    expect(() => choose([1])).toThrow("choose() is only allowed inside an action's recipe (its `do`) or a process step, where the checker enumerates the choices");
    expect(() => all(() => when(1 as never))).toThrow('when() needs a boolean, not 1');
  });
});
