// Several successors per action: either/choose inside actions and process steps, counted one per
// path; traces that name the branch and the choice; the action constraint and the view.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { choose, defineSpec, either, enumOf, int, mapOf, scalarset, setOf, when } from '../src/index.ts';
import { process } from '../src/process.ts';
import { cli, scratch, writeSpec } from './helpers.ts';

describe('choices inside actions and process steps', () => {
  it('a process step with PlusCal either/or and with x \\in S gives one successor per path', async () => {
    const T = scalarset('t', 2);
    const state = { pc: mapOf(T, enumOf('pick', 'Done')), got: mapOf(T, int(0, 3)) };
    type S = { pc: Record<string, 'pick' | 'Done'>; got: Record<string, number> };
    const worker = process<S>()('worker', T, {
      pc: 'pc',
      steps: {
        pick: {
          // either got := 0 or with n \in {1, 2, 3} do got := n: four successors per thread.
          do: (s, self) => either(
            () => { s.got[self] = 0; },
            () => { s.got[self] = choose([1, 2, 3], 'n'); },
          ),
        },
      },
    });
    const spec = defineSpec({ name: 'pick', state, init: { pc: T.mapTo(() => 'pick' as const), got: T.mapTo(() => 0) }, actions: worker, deadlock: false });
    const r = await checkModel(compileModel(spec, 'default'), { symmetry: false });
    // 1 initial state; each thread picks one of 4 values in either order: 1 + 2 * 4 + 16 distinct.
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 1 + 8 + 16, 1 + 2 * 4 + 8 * 4, 3]);
    const sym = await checkModel(compileModel(spec, 'default'));
    // With the threads interchangeable: 1 + 4 + the 10 multisets of two picks.
    expect(sym.stats.distinct).toBe(1 + 4 + 10);
  });

  it('a choice over a set in the state, and a false when(), as TLA+ writes \\E m \\in msgs', async () => {
    const spec = defineSpec({
      name: 'inbox',
      state: { msgs: setOf(int(0, 3)), seen: int(0, 3) },
      init: { msgs: new Set([1, 2, 3]), seen: 0 },
      actions: {
        Receive: {
          do: (s) => {
            const m = choose(s.msgs, 'm');
            when(m > s.seen);
            s.seen = m;
            s.msgs.delete(m);
          },
        },
      },
      deadlock: false,
    });
    const r = await checkModel(compileModel(spec, 'default'));
    // Receiving in increasing order only: every subset of {1,2,3} taken in order: seen is its max.
    expect([r.outcome, r.stats.distinct, r.stats.depth]).toEqual(['ok', 8, 4]);
  });

  it('traces name the branch and the choice, and ITF keeps the choice path', () => {
    const dir = scratch();
    const file = writeSpec(
      dir,
      'walk.ts',
      `import { choose, defineSpec, either, int } from 'interleave';
export default defineSpec({
  name: 'walk',
  state: { x: int(0, 9) },
  init: { x: 0 },
  actions: {
    Step: { do: (s) => either({ up: () => { s.x += choose([1, 2], 'by'); }, reset: () => { s.x = 0; } }) },
  },
  invariants: { Small: (s) => s.x < 3 },
});
`,
    );
    const r = cli(['check', file, '--out', dir]);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain(['  2  Step [up, by = 1]', '       x: 0 -> 1', '  3  Step [up, by = 2]', '       x: 1 -> 3'].join('\n'));
    const itf = JSON.parse(readFileSync(join(dir, 'walk.Small.itf.json'), 'utf8'));
    expect(itf.states[2]['#meta']).toMatchObject({ action: 'Step', choice: [0, 1], chosen: ['up', 'by = 2'] });
  });

  it('choose() in a guard is an error in spec code that says where choices belong (exit 75)', () => {
    const dir = scratch();
    const file = writeSpec(dir, 'guard.ts', `import { choose, defineSpec, int } from 'interleave';
export default defineSpec({ name: 'g', state: { x: int(0, 1) }, init: { x: 0 }, actions: { a: { when: (s) => choose([true]), do: () => {} } } });
`);
    const r = cli(['check', file, '--out', dir]);
    expect(r.code).toBe(75);
    expect(r.stdout).toContain("the guard of a threw: choose() is only allowed inside an action's recipe (its `do`) or a process step, where the checker enumerates the choices");
  });
});

describe('action constraint and view', () => {
  const counter = (extra: object) =>
    defineSpec({
      name: 'counter',
      state: { x: int(0, 3), steps: int(0, 9) },
      init: { x: 0, steps: 0 },
      actions: {
        inc: { when: (s) => s.x < 3, do: (s) => { s.x++; s.steps++; } },
        dec: { when: (s) => s.x > 0, do: (s) => { s.x--; s.steps++; } },
      },
      constraint: (s) => s.steps <= 4,
      deadlock: false,
      ...extra,
    });

  it('an action constraint is told which action took the step; its steps are not taken', async () => {
    const r = await checkModel(compileModel(counter({ actionConstraint: (_s: unknown, _t: unknown, _c: unknown, step: { action: string }) => step.action !== 'dec' }), 'default'));
    // Only inc steps: x = steps = 0..3.
    expect([r.stats.distinct, r.stats.depth]).toEqual([4, 4]);
  });

  it('a view over some variables counts states that agree on them as one (TLC VIEW)', async () => {
    const full = await checkModel(compileModel(counter({}), 'default'));
    const viewed = await checkModel(compileModel(counter({ view: ['x'] }), 'default'));
    expect(full.stats.distinct).toBeGreaterThan(4);
    expect(viewed.stats.distinct).toBe(4);
    expect(() => compileModel(counter({ view: ['y'] }), 'default')).toThrow("`view` names 'y', which is not a state variable (variables: x, steps)");
  });
});

describe('the README leader election', () => {
  it('holds with one vote per term; a forgetful voter elects two leaders in a 7-state trace naming the messages and the quorums', () => {
    const ok = cli(['check', 'specs/examples/leader-election.ts', '--variant', 'one-vote', '--out', scratch()]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('916 states generated, 125 distinct states found, 0 states left on queue.\n  Depth 8');
    const out = scratch();
    const bad = cli(['check', 'specs/examples/leader-election.ts', '--variant', 'forgetful', '--out', out]);
    expect(bad.code).toBe(12);
    // The saved trace names the choices, and replays, its set-valued parameters (the quorums) included.
    const file = join(out, 'leader-election.forgetful.OneLeaderPerTerm.itf.json');
    const shown = cli(['trace', file]);
    expect(shown.stdout).toContain("  6  GrantVote(n=n1) [m = { type: 'RequestVote', term: 1, from: 'n2', to: 'n1' }]");
    const replay = cli(['trace', file, '--replay', 'specs/examples/leader-election.ts']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain("  7  ok  BecomeLeader(n=n2, Q={'n1', 'n2'})\nAll 7 states replay");
    expect(bad.stdout).toContain(
      [
        "  4  GrantVote(n=n2) [m = { type: 'RequestVote', term: 1, from: 'n1', to: 'n2' }]",
        "       votedFor[n2]: 'n2' -> 'n1'",
        "       msgs: + { type: 'Vote', term: 1, from: 'n2', to: 'n1' }",
        "  5  BecomeLeader(n=n1, Q={'n1', 'n2'})",
        "       role[n1]: 'candidate' -> 'leader'",
        "  6  GrantVote(n=n1) [m = { type: 'RequestVote', term: 1, from: 'n2', to: 'n1' }]",
        "       votedFor[n1]: 'n1' -> 'n2'",
        "       msgs: + { type: 'Vote', term: 1, from: 'n1', to: 'n2' }",
        "  7  BecomeLeader(n=n2, Q={'n1', 'n2'})",
      ].join('\n'),
    );
  });
});
