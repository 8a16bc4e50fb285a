// --continue (TLC's -continue): the search goes on past violations and reports every violated
// property with its own shortest trace; the exit code is the one a plain run gives; a gate compares
// the set of violated properties with the set an expectation names.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, scratch, writeSpec } from './helpers.ts';

const TWO_WAYS = 'test/fixtures/two-ways.ts';

describe('--continue', () => {
  it('reports each violated property with its own shortest trace, and the exit code of a plain run', () => {
    const out = scratch();
    const plain = cli(['check', TWO_WAYS, '--variant', 'deadlock', '--json', '--out', out]);
    const all = cli(['check', TWO_WAYS, '--variant', 'deadlock', '--continue', '--json', '--out', out]);
    expect(plain.code).toBe(11);
    expect(all.code).toBe(11);
    const [p] = JSON.parse(plain.stdout).results;
    const [r] = JSON.parse(all.stdout).results;
    expect([p.property, p.complete, p.violations]).toEqual(['deadlock', false, undefined]);
    // The whole space (a <= 2, b <= 1, incA only while b = 0) was searched.
    expect([r.property, r.complete, r.distinct, r.queue]).toEqual(['deadlock', true, 6, 0]);
    expect(r.violations.map((v: { property: string; traceLength: number }) => [v.property, v.traceLength])).toEqual([
      ['deadlock', 2],
      ['SmallA', 3],
      ['SmallSum', 3],
    ]);
    for (const v of r.violations) expect(existsSync(v.traceFile)).toBe(true);
    expect(existsSync(join(out, 'two-ways.deadlock.SmallA.itf.json'))).toBe(true);
  });

  it('prints every trace, and finds the same with several workers', () => {
    const one = cli(['check', TWO_WAYS, '--variant', 'no-deadlock', '--continue', '--out', scratch()]);
    expect(one.code).toBe(12);
    expect(one.stdout).toContain("✗ two-ways [no-deadlock]: violates SmallSum, SmallA\n  invariant 'SmallSum' is violated");
    expect(one.stdout).toContain("  also violates SmallA: invariant 'SmallA' is violated\n  Counterexample, 3 states");
    const rows = [1, 2].map((w) => {
      const r = cli(['check', TWO_WAYS, '--variant', 'no-deadlock', '--continue', '--workers', String(w), '--json', '--out', scratch()]);
      const [res] = JSON.parse(r.stdout).results;
      return [r.code, res.property, res.distinct, res.generated, res.violations.map((v: { property: string; traceLength: number }) => `${v.property}:${v.traceLength}`)];
    });
    expect(rows[0]).toEqual([12, 'SmallSum', 6, 6, ['SmallSum:3', 'SmallA:3']]);
    expect(rows[1]).toEqual(rows[0]);
  });

  it('checks the temporal properties after a complete search that found safety violations, and reports each violated one with its lasso, as TLC -continue does', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'both.ts', `import { defineSpec, eventually, int, weakFair } from 'interleave';
export default defineSpec({
  name: 'both',
  state: { x: int(0, 3) },
  init: { x: 0 },
  actions: { inc: { when: (s) => s.x < 3, do: (s) => { s.x++; } }, reset: { when: (s) => s.x === 3, do: (s) => { s.x = 0; } } },
  invariants: { Small: (s) => s.x < 2 },
  temporal: { ReachTwo: eventually((s) => s.x === 2), ReachThree: eventually((s) => s.x === 3), ReachFour: eventually((s) => s.x === 3 && s.x === 0) },
  fairness: [],
  deadlock: false,
  expect: { violates: ['Small', 'ReachTwo', 'ReachThree', 'ReachFour'] },
});\n`);
    const plain = cli(['check', f, '--json', '--out', dir]);
    expect(plain.code).toBe(12);
    expect(JSON.parse(plain.stdout).results[0].liveness).toBeUndefined();
    const all = cli(['check', f, '--continue', '--json', '--out', dir]);
    // The exit code a plain run gives: the safety violation comes first.
    expect(all.code).toBe(12);
    const [r] = JSON.parse(all.stdout).results;
    expect([r.property, r.complete, r.asExpected]).toEqual(['Small', true, true]);
    // Without fairness every temporal property fails by stuttering in the first state: a lasso of one state.
    expect(r.violations.map((v: { property: string; result: string; traceLength: number; lasso?: { loop: number } }) => [v.property, v.result, v.traceLength, v.lasso?.loop])).toEqual([
      ['Small', 'invariant', 3, undefined],
      ['ReachTwo', 'temporal', 1, 0],
      ['ReachThree', 'temporal', 1, 0],
      ['ReachFour', 'temporal', 1, 0],
    ]);
    for (const v of r.violations) expect(existsSync(v.traceFile)).toBe(true);
    // On the console each temporal one is introduced as what it is, a lasso.
    expect(cli(['check', f, '--continue', '--out', dir]).stdout).toContain(
      "  also violates ReachTwo: temporal property 'ReachTwo' is violated\n  Counterexample (a lasso: a prefix, then a cycle repeated forever), 1 state",
    );
    // With fairness, ReachTwo and ReachThree hold; ReachFour still fails, on the cycle 0..3.
    const fair = writeSpec(dir, 'fair.ts', readFileSync(f, 'utf8').replace('fairness: []', "fairness: [weakFair(['inc', 'reset'])]").replace("['Small', 'ReachTwo', 'ReachThree', 'ReachFour']", "['Small', 'ReachFour']"));
    const [q] = JSON.parse(cli(['check', fair, '--continue', '--json', '--out', dir]).stdout).results;
    expect([q.asExpected, q.violations.map((v: { property: string; traceLength: number }) => [v.property, v.traceLength])]).toEqual([true, [['Small', 3], ['ReachFour', 4]]]);
  });

  it('goes on from a step that violates an action property, as TLC -continue does: its successor is stored and its invariants checked', () => {
    // x: 0 -> 1 -> 2 -> 3; the step to 1 violates Act ([][x' # 1]_x) and reaches a state where Inv (x # 1)
    // is false. TLC -continue reports both, with 4 distinct states, 4 generated and depth 4.
    const dir = scratch();
    const f = writeSpec(dir, 'step-and-state.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({
  name: 'step-and-state',
  state: { x: int(0, 3) },
  init: { x: 0 },
  actions: { Next: { when: (s) => s.x < 3, do: (s) => { s.x += 1; } } },
  invariants: { Inv: (s) => s.x !== 1 },
  actionProperties: { Act: (_s, t) => t.x !== 1 },
  deadlock: false,
  expect: { violates: ['Inv', 'Act'] },
});\n`);
    const [r] = JSON.parse(cli(['check', f, '--continue', '--json', '--out', dir]).stdout).results;
    expect([r.complete, r.distinct, r.generated, r.depth, r.asExpected]).toEqual([true, 4, 4, 4, true]);
    expect(r.violations.map((v: { property: string; traceLength: number }) => `${v.property}:${v.traceLength}`).sort()).toEqual(['Act:2', 'Inv:2']);
  });

  it('an expectation naming several properties: the gate compares the set', () => {
    const dir = scratch();
    const spec = (violates: string) =>
      writeSpec(dir, `two-${violates.length}.ts`, `import { defineSpec, int } from 'interleave';
export default defineSpec({
  name: 'two',
  state: { a: int(0, 2), b: int(0, 1) },
  init: { a: 0, b: 0 },
  actions: {
    incA: { when: (s) => s.a < 2 && s.b === 0, do: (s) => { s.a++; } },
    incB: { when: (s) => s.b === 0, do: (s) => { s.b++; } },
  },
  invariants: { SmallA: (s) => s.a < 2, SmallSum: (s) => s.a + s.b < 2 },
  deadlock: false,
  expect: { violates: ${violates} },
});
`);
    const both = spec(`['SmallA', 'SmallSum']`);
    expect(cli(['check', both, '--gate', '--continue', '--out', dir]).code).toBe(0);
    // Without --continue one violation is found: it must be one of those named.
    expect(cli(['check', both, '--gate', '--out', dir]).code).toBe(0);
    const one = spec(`['SmallSum']`);
    expect(cli(['check', one, '--gate', '--out', dir]).code).toBe(0);
    const r = cli(['check', one, '--gate', '--continue', '--out', dir]);
    expect(r.code).toBe(12);
    expect(r.stdout).toMatch(/^two +default +violates SmallSum, SmallA +violates SmallSum +6 +6 +4 +3 +NO$/m);
  });
});
