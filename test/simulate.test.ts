// interleave simulate: seeded random walks that check the same properties as `check`, save what
// they find like `check` does, and find exactly the same thing again from the same seed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../src/compile/model.ts';
import { simulate } from '../src/compile/simulate.ts';
import { defineSpec, int } from '../src/index.ts';
import dieHard from '../specs/examples/die-hard.ts';
import stuttering from './fixtures/stuttering.ts';
import { cli, scratch, writeSpec } from './helpers.ts';

const counter = (body: string) => `
import { defineSpec, int } from 'interleave';
export default defineSpec({
  name: 'counter',
  state: { n: int(0, 3) },
  init: { n: 0 },
  ${body}
});
`;

describe('interleave simulate', () => {
  it('finds the racy refcount leak, saves the trace, and says how to reproduce it', () => {
    const dir = scratch();
    const r = cli(['simulate', 'specs/examples/refcount-race.ts', '--seed', '7', '--runs', '50', '--steps', '10', '--out', dir]);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain('✓ refcount-race [atomic]: no violation in 50 walks of up to 10 steps, seed 7');
    expect(r.stdout).toContain('  200 states generated, 7 distinct states visited, longest walk 4 states.');
    expect(r.stdout).toContain('✓ refcount-race [racy]: violates NoLeak in walk 4 (4 walks of up to 10 steps, seed 7)');
    const file = join(dir, 'refcount-race.racy.NoLeak.simulate.itf.json');
    expect(r.stdout).toContain(`Counterexample, 5 states (${file}):`);
    expect(r.stdout).toContain('Reproduce: interleave simulate specs/examples/refcount-race.ts --variant racy --seed 7 --steps 10 --runs 4');
    const itf = JSON.parse(readFileSync(file, 'utf8'));
    expect(itf['#meta']).toMatchObject({ property: 'NoLeak', variant: 'racy', simulation: { seed: 7, run: 4, steps: 10 } });
    expect(itf.states).toHaveLength(5);
    // The saved trace is a real behaviour of the spec.
    const replay = cli(['trace', file, '--replay', 'specs/examples/refcount-race.ts']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('All 5 states replay');
    // Walks that miss the violation a spec expects are not a pass, in text as in JSON.
    const missed = cli(['simulate', 'specs/examples/die-hard.ts', '--seed', '1', '--runs', '50', '--out', dir]);
    expect(missed.stdout.split('\n')[0]).toBe('! die-hard: no violation in 50 walks of up to 100 steps, seed 1 (the spec expects: violates NotSolved)');
    // With --const and --deadlock, the line to repeat it gives them too, and gives the same walk.
    const set = cli(['simulate', 'specs/examples/refcount-race.ts', '--variant', 'racy', '--seed', '7', '--runs', '50', '--steps', '10', '--const', 'atomic=false', '--deadlock', '--out', dir]);
    const again = /Reproduce: interleave simulate (.*)\n/.exec(set.stdout)![1];
    expect(again).toBe('specs/examples/refcount-race.ts --variant racy --seed 7 --steps 10 --runs 4 --const atomic=false --deadlock');
    const repeated = cli(['simulate', ...again.split(' '), '--out', dir]);
    expect(/violates NoLeak in walk \d+/.exec(repeated.stdout)?.[0]).toBe('violates NoLeak in walk 4');
  });

  it('the same seed gives the same walks; another seed other walks', () => {
    const model = compileModel(dieHard, 'default');
    const a = simulate(model, { seed: 1, steps: 100, runs: 1000 });
    const b = simulate(model, { seed: 1, steps: 100, runs: 1000 });
    expect([a.outcome, a.property, a.run, a.trace!.length, a.stats.generated]).toEqual(['invariant', 'NotSolved', 93, 87, 9379]);
    expect(b.trace!.map((s) => s.action?.label ?? 'init')).toEqual(a.trace!.map((s) => s.action?.label ?? 'init'));
    expect(b.stats.generated).toBe(a.stats.generated);
    const c = simulate(model, { seed: 2, steps: 100, runs: 1000 });
    expect([c.run, c.trace!.length, c.stats.generated]).toEqual([161, 99, 16259]);
    const dir = scratch();
    const run = () => cli(['simulate', 'specs/examples/die-hard.ts', '--seed', '2', '--json', '--out', dir]);
    const first = run();
    const text = readFileSync(join(dir, 'die-hard.NotSolved.simulate.itf.json'), 'utf8');
    const second = run();
    expect(first.code).toBe(12);
    expect(JSON.parse(first.stdout).results[0]).toMatchObject({ result: 'invariant', property: 'NotSolved', run: 161, traceLength: 99, generated: 16259 });
    expect(readFileSync(join(dir, 'die-hard.NotSolved.simulate.itf.json'), 'utf8')).toBe(text);
    expect(JSON.parse(second.stdout).results[0].run).toBe(161);
  });

  it('checks TypeOK, action properties, deadlock and exceptions, with their exit codes', () => {
    const dir = scratch();
    const under = writeSpec(dir, 'under.ts', counter(`actions: { put: { do: (s) => { s.n--; } } },`));
    const u = cli(['simulate', under, '--seed', '1', '--out', dir]);
    expect(u.code).toBe(12);
    expect(u.stdout).toContain('counter: violates TypeOK in walk 1');
    expect(u.stdout).toContain('put leaves the type: n = -1 is outside int(0, 3)');
    const stuck = writeSpec(dir, 'stuck.ts', counter(`actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n++; } } },`));
    const d = cli(['simulate', stuck, '--seed', '1', '--runs', '3', '--out', dir]);
    expect(d.code).toBe(11);
    expect(d.stdout).toContain('counter: deadlock in walk 1');
    expect(d.stdout).toContain('Counterexample, 4 states');
    expect(cli(['simulate', stuck, '--seed', '1', '--runs', '3', '--no-deadlock', '--out', dir]).code).toBe(0);
    const step = writeSpec(dir, 'step.ts', counter(`actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n++; } }, reset: { when: (s) => s.n === 3, do: (s) => { s.n = 0; } } },
      actionProperties: { NeverDecreases: (s, t) => t.n >= s.n },`));
    const p = cli(['simulate', step, '--seed', '1', '--out', dir]);
    expect(p.code).toBe(13);
    expect(p.stdout).toContain("action property 'NeverDecreases' is violated by reset");
    const boom = writeSpec(dir, 'boom.ts', counter(`actions: { inc: { when: (s) => s.n < 3, do: (s) => { if (s.n === 2) throw new Error('bad pointer'); s.n++; } } },`));
    const e = cli(['simulate', boom, '--seed', '1', '--out', dir]);
    expect(e.code).toBe(75);
    expect(e.stdout).toContain('the recipe of inc threw: bad pointer');
    expect(e.stdout).toContain('in state: { n: 2 }');
    expect(e.stdout).toContain('inc throws');
  });

  it('bad options: an unknown variant, a seed that is not a number (exit 151)', () => {
    const v = cli(['simulate', 'specs/examples/refcount-race.ts', '--variant', 'v9']);
    expect(v.code).toBe(151);
    expect(v.stderr).toContain("spec 'refcount-race' has no variant 'v9' (variants: atomic, racy)");
    const s = cli(['simulate', 'specs/examples/die-hard.ts', '--seed', 'abc']);
    expect(s.code).toBe(151);
    expect(s.stderr).toContain("--seed must be a non-negative whole number, not 'abc'");
    // check's --no-typecheck is accepted, so that one set of flags serves both commands.
    const t = cli(['simulate', 'specs/examples/refcount-race.ts', '--variant', 'atomic', '--no-typecheck', '--runs', '5', '--seed', '1', '--out', scratch()]);
    expect([t.code, t.stderr]).toEqual([0, '']);
  });

  it('a step that changes nothing satisfies action properties, as in check', () => {
    const r = simulate(compileModel(stuttering, 'default'), { seed: 3, steps: 20, runs: 20 });
    expect(r.outcome).toBe('ok');
  });

  it('counts as visited only states inside the constraint, as check does', () => {
    const bounded = defineSpec({
      name: 'bounded',
      state: { n: int(0, 5) },
      init: { n: 0 },
      actions: { inc: { when: (s) => s.n < 5, do: (s) => { s.n++; } } },
      constraint: (s) => s.n <= 2,
      deadlock: false,
    });
    const r = simulate(compileModel(bounded, 'default'), { seed: 1, steps: 10, runs: 3 });
    // Each walk takes 0 -> 1 -> 2 and generates 3, which is outside: 0, 1, 2 are visited.
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 3, 12, 3]);
    expect(r.coverage?.map((a) => [a.name, a.fired, a.found])).toEqual([['inc', 9, 2]]);
  });
});

