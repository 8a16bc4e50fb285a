// Specs must be pure and deterministic, and the checker says so when they are not: states given to
// guards, invariants, properties and the constraint are read-only (a write, found by re-encoding
// the state after the predicate, or by a frozen state where a property sees two, is a spec error
// naming the predicate, exit 75), and a quick audit before every check takes sampled steps twice and names
// an action whose successors differ.
import { describe, expect, it } from 'vitest';
import { auditDeterminism } from '../checker/determinism-audit.ts';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { defineSpec, int, seqOf, setOf, enumOf } from '../src/index.ts';
import { cli, scratch, writeSpec } from './helpers.ts';

const counter = (parts: { when?: (s: any) => boolean; invariant?: (s: any) => boolean; constraint?: (s: any) => boolean }) =>
  defineSpec({
    name: 'counter',
    state: { x: int(0, 2), q: seqOf(int(0, 2), 2), seen: setOf(enumOf('a', 'b')) },
    init: { x: 0, q: [1, 0], seen: new Set<'a' | 'b'>() },
    actions: { inc: { when: parts.when ?? ((s) => s.x < 2), do: (s) => { s.x++; } } },
    invariants: { Fine: parts.invariant ?? (() => true) },
    constraint: parts.constraint,
    deadlock: false,
  });

describe('predicates see read-only states', () => {
  it('an action property that writes to the next state is an error naming it (frozen states)', async () => {
    const spec = defineSpec({
      name: 'prop',
      state: { x: int(0, 2) },
      init: { x: 0 },
      actions: { inc: { when: (s) => s.x < 2, do: (s) => { s.x++; } } },
      actionProperties: { Up: (_s, t) => { (t as { x: number }).x = 0; return true; } },
      deadlock: false,
    });
    const r = await checkModel(compileModel(spec, 'default'));
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(/^action property 'Up' after inc threw: TypeError: Cannot assign to read only property 'x' of object .* \(states given to guards, invariants, properties and constraints are read-only\)$/);
  });

  it('a guard that writes its state is an error naming the guard', async () => {
    const r = await checkModel(compileModel(counter({ when: (s) => ((s.x = 1), true) }), 'default'));
    expect([r.outcome, r.message]).toEqual(['error', 'the guard of inc changed the state it was given (states given to guards, invariants, properties and constraints are read-only)']);
  });

  it('an invariant that sorts an array in place is an error naming the invariant', async () => {
    const r = await checkModel(compileModel(counter({ invariant: (s) => (s.q.sort(), true) }), 'default'));
    expect([r.outcome, r.message]).toEqual(['error', "invariant 'Fine' changed the state it was given (states given to guards, invariants, properties and constraints are read-only)"]);
  });

  it('a constraint that adds to a set is an error naming the constraint', async () => {
    const r = await checkModel(compileModel(counter({ constraint: (s) => (s.seen.add('a'), true) }), 'default'));
    expect([r.outcome, r.message]).toEqual([
      'error',
      'the constraint changed the state it was given (states given to guards, invariants, properties and constraints are read-only), on an initial state',
    ]);
  });

  it('a write on a successor alone is found, in the constraint and in an invariant', async () => {
    const constraint = await checkModel(compileModel(counter({ constraint: (s) => (s.x === 1 && s.q.push(2), true) }), 'default'));
    expect([constraint.outcome, constraint.message]).toEqual([
      'error',
      'the constraint after inc changed the state it was given (states given to guards, invariants, properties and constraints are read-only)',
    ]);
    const invariant = await checkModel(compileModel(counter({ invariant: (s) => (s.x === 2 && (s.x = 0), true) }), 'default'));
    expect([invariant.outcome, invariant.message, invariant.trace?.length]).toEqual([
      'error',
      "invariant 'Fine' changed the state it was given (states given to guards, invariants, properties and constraints are read-only)",
      3,
    ]);
  });

  it("a search's initial states are sampled as its successors are: every one of the first 64, then one in eight", async () => {
    // 2000 initial states and nothing else; the invariant writes in one of them. Each initial state
    // is the next one judged, so the 1,008th (x = 1007) is sampled and the 1,001st (x = 1000) is not.
    const writesAt = (k: number) =>
      defineSpec({
        name: 'many',
        state: { x: int(0, 1999), q: seqOf(int(0, 2), 2) },
        init: function* () {
          for (let x = 0; x < 2000; x++) yield { x, q: [] };
        },
        actions: {},
        invariants: { Fine: (s) => (s.x === k && s.q.push(1), true) },
        deadlock: false,
      });
    const results = await Promise.all([10, 1007, 1000].map((k) => checkModel(compileModel(writesAt(k), 'default'))));
    expect(results.map((r) => [r.outcome, r.stats.distinct])).toEqual([
      ['error', 2000],
      ['error', 2000],
      ['ok', 2000],
    ]);
    expect(results[1].message).toBe("invariant 'Fine' changed the state it was given (states given to guards, invariants, properties and constraints are read-only)");
  });

  it('the check exits 75', () => {
    const dir = scratch();
    const file = writeSpec(dir, 'writes.ts', `
      import { defineSpec, int } from 'interleave';
      export default defineSpec({ name: 'writes', state: { x: int(0, 2) }, init: { x: 0 },
        actions: { inc: { when: (s) => { s.x = 2; return true; }, do: (s) => { s.x = 1; } } } });`);
    const r = cli(['check', file, '--out', dir]);
    expect(r.code).toBe(75);
    expect(r.stdout).toContain('the guard of inc changed the state it was given');
  });
});

describe('the determinism audit', () => {
  it('names an action whose successors differ when taken twice, and the state', () => {
    let calls = 0;
    const spec = defineSpec({
      name: 'hidden',
      state: { x: int(0, 3) },
      init: { x: 0 },
      actions: {
        tick: { when: (s) => s.x < 3, do: (s) => { s.x++; } },
        drift: { do: (s) => { s.x = calls++ % 2; } },
      },
      deadlock: false,
    });
    const a = auditDeterminism(compileModel(spec, 'default'));
    expect(a.passed).toBe(false);
    expect(a.problem!.culprit).toBe('drift');
    expect(a.problem!.message.split('\n').slice(0, 2)).toEqual([
      'hidden: drift is not deterministic: taken twice from the same state it gave different results.',
      'state:  { x: 0 }',
    ]);
  });

  it('passes a deterministic spec, and the command line refuses a random one with exit 75', () => {
    expect(auditDeterminism(compileModel(counter({}), 'default')).passed).toBe(true);
    const dir = scratch();
    const file = writeSpec(dir, 'dice.ts', `
      import { defineSpec, int } from 'interleave';
      export default defineSpec({ name: 'dice', state: { x: int(0, 999) }, init: { x: 0 },
        actions: { roll: { do: (s) => { s.x = Math.floor(Math.random() * 1000); } } }, deadlock: false });`);
    const r = cli(['check', file, '--out', dir]);
    expect(r.code).toBe(75);
    expect(r.stdout).toContain('dice: roll is not deterministic');
    expect(r.stdout).toMatch(/\nstate:  { x: \d+ }\nfirst:   /);
    expect(r.stdout).toContain('Not checked, not deterministic: dice (exit 75).');
    // --json: the document says why, with the variant.
    const json = cli(['check', file, '--json', '--out', dir]);
    expect(json.code).toBe(75);
    const doc = JSON.parse(json.stdout);
    expect(doc.notDeterministic).toEqual([{ spec: 'dice', variant: 'default', message: expect.stringMatching(/^dice: roll is not deterministic: taken twice from the same state it gave different results.\nstate:  { x: \d+ }\n/) }]);
    // simulate too: walks of such a spec could not be repeated from their seed.
    const walks = cli(['simulate', file, '--seed', '1', '--json', '--out', dir]);
    expect([walks.code, JSON.parse(walks.stdout).notDeterministic?.[0]?.message.split(':')[0]]).toEqual([75, 'dice']);
  });
});
