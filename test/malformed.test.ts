// One definition of what spec code may return, one set of messages: each malformed spec gives the
// same outcome and message through every part of the engine that runs spec code (the search with
// 1, 2 and 3 workers, trace rebuild, simulation, the state graph, both audits, replay).
import { describe, expect, it } from 'vitest';
import { auditDeterminism } from '../checker/determinism-audit.ts';
import { exploreGraph, GraphSpecError } from '../checker/search/graph.ts';
import { auditSymmetry } from '../checker/symmetry/audit.ts';
import { successorsOf } from '../checker/trace/replay.ts';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { simulate } from '../src/compile/simulate.ts';
import { loadSpec } from '../src/load.ts';
import { scratch, writeSpec } from './helpers.ts';

/** A spec over two interchangeable ids (so that symmetry, the audit and trace rebuild all take part), with one part broken. */
const spec = (broken: { init?: string; when?: string; do?: string; constraint?: string; invariant?: string }) => `
import { defineSpec, int, mapOf, scalarset } from 'interleave';
const T = scalarset('t', 2);
export default defineSpec({
  name: 'malformed',
  state: { x: mapOf(T, int(0, 3)) },
  init: ${broken.init ?? '{ x: { t1: 0, t2: 0 } }'},
  actions: {
    inc: {
      params: { t: T },
      when: ${broken.when ?? '(s, { t }) => s.x[t] < 3'},
      do: ${broken.do ?? '(s, { t }) => { s.x[t]++; }'},
    },
  },
  ${broken.constraint ? `constraint: ${broken.constraint},` : ''}
  invariants: { Fine: ${broken.invariant ?? '() => true'} },
  deadlock: false,
});
`;

const cases: [string, Parameters<typeof spec>[0], [string, string]][] = [
  ['a guard that returns 1', { when: '() => 1' }, ['error', 'the guard of inc(t=t1) threw: TypeError: it returned 1, not a boolean']],
  [
    'a recipe that returns a number',
    { do: '(s, { t }) => (s.x[t] = 1)' },
    ['error', 'the recipe of inc(t=t1) is wrong: it returned 1; a recipe mutates its draft and returns nothing, or returns a whole next state (an arrow with an expression body, `(s) => (s.x = 1)`, returns its value: add braces)'],
  ],
  [
    'an async recipe',
    { do: 'async (s, { t }) => { s.x[t]++; }' },
    ['error', 'the recipe of inc(t=t1) is wrong: it returned a Promise: spec code runs synchronously, inside one atomic step, so an `async` function (or one that returns a Promise) cannot be a guard, recipe or property; remove `async` and `await`'],
  ],
  [
    'an async guard',
    { when: 'async () => true' },
    ['error', 'the guard of inc(t=t1) is wrong: it returned a Promise: spec code runs synchronously, inside one atomic step, so an `async` function (or one that returns a Promise) cannot be a guard, recipe or property; remove `async` and `await`'],
  ],
  [
    'a recipe that changes its draft and returns a state',
    { do: '(s, { t }) => { s.x[t]++; return { x: { ...s.x } }; }' },
    ['error', 'the recipe of inc(t=t1) is wrong: it changed its draft and also returned a state; do one or the other: change the draft and return nothing, or return a new state without changing the draft (as immer requires)'],
  ],
  ['a constraint that returns 1', { constraint: '() => 1' }, ['error', 'the constraint threw on an initial state: TypeError: it returned 1, not a boolean']],
  ['an initial state outside its type', { init: '{ x: { t1: 9, t2: 0 } }' }, ['invariant', 'an initial state is outside its type: x[t1] = 9 is outside int(0, 3)']],
  ['a recipe that throws', { do: "() => { throw new Error('bad pointer'); }" }, ['error', 'the recipe of inc(t=t1) threw: bad pointer']],
  ['an invariant that throws', { invariant: "() => { throw new Error('oops'); }" }, ['error', "invariant 'Fine' threw: oops"]],
];

describe('a malformed spec gives the same outcome and message everywhere', () => {
  const dir = scratch();
  for (const [title, broken, expected] of cases) {
    it(title, async () => {
      const file = writeSpec(dir, `${title.replaceAll(' ', '-')}.ts`, spec(broken));
      const model = compileModel((await loadSpec(file)).spec, 'default', file);
      for (const workers of [1, 2, 3]) {
        for (const symmetry of [true, false]) {
          const r = await checkModel(model, { workers, symmetry });
          expect([r.outcome, r.message], `check, ${workers} worker(s), symmetry ${symmetry}`).toEqual(expected);
        }
      }
      const walk = simulate(model, { seed: 1, runs: 5, steps: 10 });
      expect([walk.outcome, walk.message], 'simulate').toEqual(expected);
      let graph: [string, string];
      try {
        const g = exploreGraph(model, 100);
        const bad = g.nodes.find((n) => n.bad?.startsWith('TypeOK'))!;
        graph = ['invariant', `an initial state is outside its type: ${bad.bad!.slice('TypeOK: '.length)}`];
      } catch (e) {
        if (!(e instanceof GraphSpecError)) throw e;
        graph = ['error', e.message];
      }
      expect(graph, 'graph').toEqual(expected);
      const symmetryAudit = auditSymmetry(model, { samples: 20 }).specProblem;
      expect([symmetryAudit?.outcome, symmetryAudit?.message], 'symmetry audit').toEqual(expected);
      const determinism = auditDeterminism(model).specProblem;
      expect([determinism?.outcome, determinism?.message], 'determinism audit').toEqual(expected);
      // Replay takes the step from the initial state too; a fault there reads the same.
      const fromInit = successorsOf(model, { x: { t1: 0, t2: 0 } }).error;
      if (expected[1].startsWith('the guard') || expected[1].startsWith('the recipe')) expect(fromInit?.message, 'replay').toBe(expected[1]);
    }, 180_000);
  }
});
