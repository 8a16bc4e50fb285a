// Temporal violations on the command line: exit code 13, the lasso printed and saved as ITF with its
// loop index, replayed by `trace --replay`, marked in the swimlane; --json, --junit, --gate and the
// vitest helper know temporal properties.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/vitest.ts';
import { cli, scratch, writeSpec } from './helpers.ts';

const SPIN = 'test/fixtures/spinlock.ts';

describe('temporal violations on the command line', () => {
  const out = scratch();
  const run = cli(['check', SPIN, '--variant', 'weak', '--out', out]);
  const file = join(out, 'spinlock.weak.Acquires.itf.json');

  it('exits 13 and prints the lasso: where the cycle starts, the step back, the fairness it meets', () => {
    expect(run.code).toBe(13);
    const text = run.stdout;
    expect(text).toContain("✓ spinlock [weak]: violates Acquires (expected: violates Acquires)\n  temporal property 'Acquires' (cpu1) is violated\n");
    expect(text).toContain('  Counterexample (a lasso: a prefix, then a cycle repeated forever), 2 states');
    // The mark comes after the cycle's first state; the step back is shown with what it changed.
    expect(text).toContain("       pc[cpu2] = 'acquire'\n  --- the cycle starts at state 1: the steps below and the step back repeat forever ---\n  2  cpu.acquire(self=cpu2)  [cpu]\n");
    expect(text).toContain("  --- cpu.release(self=cpu2): back to state 1: the cycle repeats forever ---\n       held: true -> false\n       pc[cpu2]: 'release' -> 'acquire'\n");
    expect(text).toContain('  Fairness the cycle meets: WF(cpu cpu1) is disabled in a state of the cycle; WF(cpu cpu2) is taken in the cycle.\n');
    expect(text).toContain('Temporal properties Acquires: checked on a graph of 3 states and 4 transitions (9 bytes per transition)');
    expect(text).toContain('Symmetry is off for temporal properties: the graph has every concrete state.');
  });

  it('saves the lasso as ITF with its loop index and its step back', () => {
    const itf = JSON.parse(readFileSync(file, 'utf8'));
    expect(itf.loop).toBe(0);
    expect(itf.states).toHaveLength(2);
    expect(itf['#meta'].back).toEqual({ action: 'cpu.release', params: { self: 'cpu2' }, label: 'cpu.release(self=cpu2)', process: 'cpu', actor: 'cpu cpu2' });
    expect(itf['#meta'].fairness).toEqual([
      { unit: 'WF(cpu cpu1)', kind: 'weak', how: 'disabled' },
      { unit: 'WF(cpu cpu2)', kind: 'weak', how: 'taken' },
    ]);
  });

  it('trace --replay replays the prefix, the cycle and the step back', () => {
    const r = cli(['trace', file, '--replay', SPIN]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  2  ok  cpu.acquire(self=cpu2)\n     ok  cpu.release(self=cpu2): back to state 1\n');
    expect(r.stdout).toContain('All 2 states and the step back replay: the lasso is a behaviour of spinlock [weak].');
  });

  it('trace --replay refuses a lasso whose step back is not a step of the spec', () => {
    const itf = JSON.parse(readFileSync(file, 'utf8'));
    itf['#meta'].back = { action: 'cpu.acquire', params: { self: 'cpu1' } };
    const bad = join(out, 'bad.itf.json');
    writeFileSync(bad, JSON.stringify(itf));
    const r = cli(['trace', bad, '--replay', SPIN]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('The trace does not replay: its last state does not lead back to state 1 (cpu.acquire(self=cpu1) is not enabled in state 2).');
  });

  it('the swimlane marks the cycle, shows the step back in its column, and the fairness the cycle meets', () => {
    const r = cli(['trace', file, '--swimlane']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('   ---------------------\n  --- the cycle starts at state 1: the steps below and the step back repeat forever ---\n2  acquire\n');
    expect(r.stdout).toContain('     -> release\n   release\n     held: true -> false\n     -> acquire\n  --- cpu.release(self=cpu2): back to state 1: the cycle repeats forever ---\n');
    expect(r.stdout.trimEnd().endsWith('  Fairness the cycle meets: WF(cpu cpu1) is disabled in a state of the cycle; WF(cpu cpu2) is taken in the cycle.')).toBe(true);
  });

  it('trace shows the step back with its changes and the fairness the cycle meets, as check does', () => {
    const r = cli(['trace', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  --- cpu.release(self=cpu2): back to state 1: the cycle repeats forever ---\n       held: true -> false\n       pc[cpu2]: 'release' -> 'acquire'\n  Fairness the cycle meets: WF(cpu cpu1) is disabled in a state of the cycle; WF(cpu cpu2) is taken in the cycle.");
  });

  it('--json gives the lasso and the liveness check; --gate exits 0; --junit has a case per temporal property', () => {
    const junit = join(out, 'junit.xml');
    const r = cli(['check', SPIN, '--json', '--gate', '--junit', junit, '--out', out]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const [weak, strong] = doc.results;
    expect(weak).toMatchObject({ variant: 'weak', result: 'temporal', property: 'Acquires', asExpected: true, traceLength: 2 });
    expect(weak.lasso).toEqual({ loop: 0, back: 'cpu.release(self=cpu2)', conjunct: 'cpu1', fairness: [{ unit: 'WF(cpu cpu1)', kind: 'weak', how: 'disabled' }, { unit: 'WF(cpu cpu2)', kind: 'weak', how: 'taken' }] });
    expect(weak.liveness).toMatchObject({ properties: ['Acquires'], holds: [], states: 3, edges: 4, bytesPerEdge: 9, symmetryOff: true });
    expect(strong).toMatchObject({ variant: 'strong', result: 'ok', asExpected: true, liveness: { holds: ['Acquires'] } });
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testcase name="Acquires" classname="spinlock.weak"[^>]*>\s*<system-out>violated as expected/);
    expect(xml).toMatch(/<testcase name="Acquires" classname="spinlock.strong"[^>]*\/>/);
  });

  it('--gate fails with 13 when a variant that should hold violates a temporal property', () => {
    const dir = scratch();
    const spec = writeSpec(
      dir,
      'ticker.ts',
      `import { defineSpec, int, eventually } from 'interleave';
export default defineSpec({
  name: 'ticker',
  state: { x: int(0, 1) },
  init: { x: 0 },
  actions: { tick: { do: (s) => { s.x = 1 - s.x; } } },
  temporal: { ReachesOne: eventually((s) => s.x === 1) },
});
`,
    );
    const r = cli(['check', spec, '--gate', '--out', dir]);
    expect(r.code).toBe(13);
    expect(r.stdout).toContain("✗ ticker: violates ReachesOne\n  temporal property 'ReachesOne' is violated\n");
    expect(r.stdout).toContain('  --- stutters forever in state 1 ---\n  No fairness is assumed, so a behaviour may stop (stutter) anywhere.\n');
    const replay = cli(['trace', join(dir, 'ticker.ReachesOne.itf.json'), '--replay', spec]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('     ok  stutters forever in state 1 (always allowed)\n');
  });

  it('--starvation checks every spec with processes for starvation, and leaves the others alone', () => {
    const r = cli(['check', 'specs/examples/refcount-race.ts', 'specs/examples/die-hard.ts', '--starvation', '--json', '--out', out]);
    const results = JSON.parse(r.stdout).results as { spec: string; variant: string; result: string; liveness?: { properties: string[]; holds: string[] } }[];
    expect(results.map((x) => [x.spec, x.variant, x.result, x.liveness?.holds])).toEqual([
      ['refcount-race', 'atomic', 'ok', ['Starvation']],
      ['refcount-race', 'racy', 'invariant', undefined],
      ['die-hard', 'default', 'invariant', undefined],
    ]);
  });

  it('the vitest helper: toViolate and toHold', async () => {
    expect(await check(SPIN, { variant: 'weak' })).toViolate('Acquires');
    expect(await check(SPIN, { variant: 'strong' })).toHold();
  });
});
