// A variant may check a subset of the spec's properties, as a TLC model lists its INVARIANTs.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { defineSpec, int } from '../src/index.ts';

const counter = (variants: Record<string, object>) =>
  defineSpec({
    name: 'counter',
    state: { n: int(0, 5) },
    init: { n: 0 },
    actions: { inc: { when: (s) => s.n < 5, do: (s) => { s.n += 1; } } },
    invariants: { BelowTwo: (s) => s.n < 2, BelowFour: (s) => s.n < 4 },
    deadlock: false,
    variants,
  });

describe('variant properties', () => {
  it('checks every property by default and only the listed ones when a variant names them', async () => {
    const spec = counter({
      all: { expect: { violates: 'BelowTwo' } },
      four: { properties: ['BelowFour'], expect: { violates: 'BelowFour' } },
      none: { properties: [], expect: 'holds' },
    });
    const all = await checkModel(compileModel(spec, 'all'));
    expect([all.property, all.trace?.length, all.matchesExpectation]).toEqual(['BelowTwo', 3, true]);
    const four = await checkModel(compileModel(spec, 'four'));
    expect([four.property, four.trace?.length, four.matchesExpectation]).toEqual(['BelowFour', 5, true]);
    const none = await checkModel(compileModel(spec, 'none'));
    expect([none.outcome, none.stats.distinct, none.matchesExpectation]).toEqual(['ok', 6, true]);
  });

  it('rejects a property name the spec does not have, naming the variant and the known ones', () => {
    expect(() => counter({ typo: { properties: ['BelowFive'] } })).toThrow(
      "spec 'counter', variant 'typo': checks 'BelowFive', which is not a property of the spec (known: BelowTwo, BelowFour)",
    );
  });
});
