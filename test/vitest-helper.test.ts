// The vitest helper as a project uses it, on the bundled specs, and the messages a failed
// expectation prints.
import { describe, expect, it } from 'vitest';
import { check } from '../src/vitest.ts';
import refcountRace from '../specs/examples/refcount-race.ts';
import boss from './fixtures/boss.ts';

describe("interleave/vitest", () => {
  it('toHold and toViolate on the two variants of refcount-race', async () => {
    expect(await check('specs/examples/refcount-race.ts', { variant: 'atomic' })).toHold();
    expect(await check('specs/examples/refcount-race.ts', { variant: 'racy' })).toViolate('NoLeak');
    expect(await check(refcountRace, { variant: 'racy' })).not.toHold();
  });

  it('refuses options of the wrong kind, and the command line\'s own, with a message, rather than ignore them', async () => {
    const cases: [unknown, string][] = [
      [null, 'check(): the options are an object ({ variant, symmetry, ... }), not null'],
      [{ variant: 'atomic', symmetry: 'off' }, "check(): symmetry is true or false, not 'off'"],
      [{ variant: 'atomic', maxStates: 0 }, 'check(): maxStates is a whole number above 0, not 0'],
      [{ variant: 'atomic', maxDepth: 1.5 }, 'check(): maxDepth is a whole number above 0, not 1.5'],
      [{ variant: 'atomic', workers: 2 }, "check(): workers above 1 need the spec's file, which each worker thread loads: check('path/to/spec.ts', { workers: 2 })"],
      [{ variant: 'atomic', maxState: 1 }, "check(): no option 'maxState' (the options: variant, auditSymmetry, deadlock, symmetry, compareSymmetry, fewestSwitches, continue, maxStates, maxDepth, workers, maxMemory)"],
      [{ variant: 'atomic', resume: '/tmp/ck' }, 'check(): resume is an option of the command line (interleave check); check() searches in memory'],
      [{ variant: 'atomic', storage: 'disk' }, 'check(): storage is an option of the command line (interleave check); check() searches in memory'],
    ];
    for (const [opts, message] of cases) await expect(check(refcountRace, opts as never)).rejects.toThrow(message);
  });

  it('a spec with one variant needs no variant; the classic examples keep their verdicts', async () => {
    expect(await check('specs/examples/peterson.ts')).toHold();
    expect(await check('specs/examples/two-phase.ts')).toHold();
    expect(await check('specs/examples/die-hard.ts')).toViolate('NotSolved');
  });

  it('a failed toHold prints the counterexample', async () => {
    const r = await check('specs/examples/refcount-race.ts', { variant: 'racy' });
    let message = '';
    try {
      expect(r).toHold();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("expected refcount-race [racy] to hold, but it violates NoLeak:\n  invariant 'NoLeak' is violated\n");
    expect(message).toContain('Counterexample, 5 states:');
    // The trace with the fewest thread switches: t2 stores first, then t1.
    expect(message).toContain('4  put.store(self=t2)  [put]');
    expect(message).toContain('5  put.store(self=t1)  [put]');
    expect(message).toContain('refcount: 2 -> 1');
  });

  it('a failed toViolate says what was found instead', async () => {
    const held = await check('specs/examples/refcount-race.ts', { variant: 'atomic' });
    expect(() => expect(held).toViolate('NoLeak')).toThrow('expected refcount-race [atomic] to violate NoLeak, but it holds (4 distinct states)');
    const other = await check('specs/examples/refcount-race.ts', { variant: 'racy' });
    expect(() => expect(other).toViolate('TypeOK')).toThrow(/to violate TypeOK, but it violates NoLeak:\n\s+invariant 'NoLeak' is violated\n\s+Counterexample, 5 states/);
  });

  it('with { continue: true } toViolate sees every property violated; a deadlock reads as one', async () => {
    const two = await check('test/fixtures/two-ways.ts', { variant: 'no-deadlock', continue: true });
    const names = [two.property, ...(two.violated ?? []).map((v) => v.property)].filter((p, i, all) => all.indexOf(p) === i);
    expect(names.length).toBeGreaterThan(1);
    for (const p of names) expect(two).toViolate(p!);
    const stuck = await check('test/fixtures/two-ways.ts', { variant: 'deadlock' });
    expect(() => expect(stuck).toHold()).toThrow(/to hold, but it deadlocks:\n/);
  });

  it('refuses a spec that is not symmetric in the scalarset it would be reduced by', async () => {
    await expect(check(boss)).rejects.toThrow("check(): not checked, symmetry reduction would be unsound.\nboss: start(t=t1) breaks the symmetry of scalarset 't'.");
    expect((await check(boss, { symmetry: false })).stats.distinct).toBe(4);
    expect((await check(boss, { auditSymmetry: false })).stats.distinct).toBe(3);
  });

  it('says which variants there are when one is needed or unknown', async () => {
    await expect(check('specs/examples/refcount-race.ts')).rejects.toThrow(
      "check(): spec 'refcount-race' has several variants; pass { variant } (one of atomic, racy)",
    );
    await expect(check('specs/examples/refcount-race.ts', { variant: 'v9' })).rejects.toThrow(
      "spec 'refcount-race' has no variant 'v9' (variants: atomic, racy)",
    );
  });
});
