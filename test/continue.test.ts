// --continue (TLC's -continue): the search goes on past violations and reports every violated
// property with its own shortest trace; the exit code is the one a plain run gives; a gate compares
// the set of violated properties with the set an expectation names.
import { existsSync } from 'node:fs';
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
