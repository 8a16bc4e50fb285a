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

describe('variant findings and bounds', () => {
  const finding = { kind: 'sequential', threads: ['inc'], consequence: 'wrong answer', fix: 'fixed', explain: 'n passes 1' };
  const withFinding = (f: object, bounds?: object) =>
    defineSpec({
      name: 'counter',
      constants: { top: 5 },
      state: { n: int(0, 5) },
      init: { n: 0 },
      actions: { inc: { when: (s, _p, c) => s.n < c.top, do: (s) => { s.n += 1; } } },
      invariants: { BelowTwo: (s) => s.n < 2 },
      deadlock: false,
      variants: { broken: { expect: { violates: 'BelowTwo' }, finding: f as never, bounds }, fixed: { constants: { top: 1 }, expect: 'holds' } },
    });

  it('accepts a finding whose fix is a sibling, and bounds over the constants', () => {
    expect(withFinding(finding, { top: [2, 3] }).def.variants!.broken.finding).toEqual(finding);
  });

  it('rejects a finding with an unknown kind, consequence or fix, and bounds over no constant, naming the variant', () => {
    expect(() => withFinding({ ...finding, kind: 'racy' })).toThrow(
      "spec 'counter', variant 'broken': `finding`.kind must be one of race, sequential, not \"racy\"",
    );
    expect(() => withFinding({ ...finding, consequence: 'bad' })).toThrow(
      '`finding`.consequence must be one of corruption, use-after-free, leak, wasted work, deadlock, hang, wrong answer, not "bad"',
    );
    expect(() => withFinding({ ...finding, fix: 'broken' })).toThrow(
      "`finding`.fix names 'broken', which is not another variant of the spec (variants: broken, fixed)",
    );
    expect(() => withFinding({ ...finding, threads: [] })).toThrow('`finding`.threads must name the processes involved');
    expect(() => withFinding(finding, { size: [1] })).toThrow(
      "spec 'counter', variant 'broken': `bounds` names 'size', which is not a constant of the spec (constants: top)",
    );
    expect(() => withFinding(finding, { top: [] })).toThrow('give the values to check it at, as a non-empty list');
  });
});
