// Coverage: how often each action fired, which never did, and a gate that fails on dead actions
// when a spec asks for it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import peterson from '../specs/examples/peterson.ts';
import { cli, scratch, writeSpec } from './helpers.ts';

const spec = (extra: string) => `
import { defineSpec, int } from 'interleave';
export default defineSpec({
  name: 'counter',
  state: { n: int(0, 3) },
  init: { n: 0 },
  actions: {
    inc: { params: { k: int(1, 2) }, when: (s, { k }) => s.n + k <= 3, do: (s, { k }) => { s.n += k; } },
    reset: { when: (s) => s.n > 5, do: (s) => { s.n = 0; } },
  },
  deadlock: false,
  ${extra}
});
`;

describe('coverage', () => {
  it('counts every transition once: the firings add up to the generated states', async () => {
    const r = await checkModel(compileModel(peterson, 'default'));
    expect(r.coverage!.map((a) => [a.name, a.instances, a.fired, a.found])).toEqual([
      ['proc.a0', 2, 18, 6],
      ['proc.a1', 2, 18, 10],
      ['proc.a2', 2, 18, 8],
      ['proc.a3', 2, 6, 6],
      ['proc.cs', 2, 8, 8],
      ['proc.a4', 2, 8, 3],
    ]);
    expect(r.coverage!.reduce((t, a) => t + a.fired, 0)).toBe(r.stats.generated - 1);
    expect(r.coverage!.reduce((t, a) => t + a.found, 0)).toBe(r.stats.distinct - 1);
    expect(r.deadActions).toBeUndefined();
  });

  it('--coverage prints the table and names the actions that never fired', () => {
    const r = cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'atomic', '--coverage']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        'Coverage of refcount-race [atomic]:',
        '  action     instances  fired  new states',
        '  put.load           2      3           2',
        '  put.store          2      0           0',
        '  put.free           2      1           1',
        '  Never fired: put.store',
      ].join('\n'),
    );
    const racy = cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'racy', '--coverage', '--out', scratch()]);
    expect(racy.stdout).toContain('  Never fired (so far: the run did not explore every state): put.free');
  });

  it("a spec asking for 'all-actions-fire' fails the gate on a dead action (exit 1), in text, JSON and JUnit", () => {
    const dir = scratch();
    const f = writeSpec(dir, 'dead.ts', spec(`coverage: 'all-actions-fire', expect: 'holds',`));
    const junit = join(dir, 'j.xml');
    const r = cli(['check', f, '--gate', '--junit', junit, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  counter: never fired: reset (the spec asks that every action fires)');
    expect(r.stdout).toMatch(/counter\s+default\s+holds\s+holds\s+4\s+6\s+3\s+NO/);
    expect(readFileSync(junit, 'utf8')).toContain(
      '<testcase name="coverage: all actions fire" classname="counter.default"',
    );
    expect(readFileSync(junit, 'utf8')).toContain('<failure message="never fired: reset" type="PropertyViolation">');
    const j = cli(['check', f, '--json', '--out', dir]);
    expect(JSON.parse(j.stdout).results[0]).toMatchObject({
      asExpected: false,
      deadActions: ['reset'],
      coverage: [
        { name: 'inc', instances: 2, fired: 5, found: 3 },
        { name: 'reset', instances: 1, fired: 0, found: 0 },
      ],
    });
    // Without the request the same spec passes.
    const plain = writeSpec(dir, 'plain.ts', spec(`expect: 'holds',`));
    expect(cli(['check', plain, '--gate', '--out', dir]).code).toBe(0);
  });

  it('an unknown coverage requirement is a spec error (exit 150)', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'typo.ts', spec(`coverage: 'all-actions' as any,`));
    const r = cli(['check', f]);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain("spec 'counter': `coverage` must be 'all-actions-fire', not \"all-actions\"");
  });
});
