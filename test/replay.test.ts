// A kept trace must still be a real execution of its spec; a tampered one must say where it breaks.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { replayTrace } from '../checker/trace/replay.ts';
import { ItfError, parseITF, toITF } from '../src/report/itf.ts';
import { defineSpec, int, mapOf, scalarset } from '../src/index.ts';
import dieHard from '../specs/examples/die-hard.ts';
import { cli, scratch, writeSpec } from './helpers.ts';
import refcountRace from '../specs/examples/refcount-race.ts';

describe('trace replay', () => {
  it('a counterexample written as ITF replays, with or without the recorded actions', async () => {
    const model = compileModel(refcountRace, 'racy');
    const r = await checkModel(model);
    const states = parseITF(model, JSON.parse(JSON.stringify(toITF(r))));
    expect(states).toHaveLength(5);
    const replayed = replayTrace(model, states);
    expect(replayed.ok).toBe(true);
    expect(replayTrace(model, states.map((s) => ({ state: s.state }))).ok).toBe(true);
  });

  it('the kept DieHard trace replays', () => {
    const model = compileModel(dieHard, 'default');
    const itf = JSON.parse(readFileSync('counterexamples/die-hard.NotSolved.itf.json', 'utf8'));
    const replayed = replayTrace(model, parseITF(model, itf));
    expect(replayed).toMatchObject({ ok: true });
  });

  it('says which step first breaks', async () => {
    const model = compileModel(dieHard, 'default');
    const states = parseITF(model, toITF(await checkModel(model)));
    states[3].state = { small: 1, big: 2 };
    expect(replayTrace(model, states)).toEqual({ ok: false, step: 4, reason: 'EmptySmall does not lead from state 3 to state 4' });
    states[0].state = { small: 1, big: 0 };
    expect(replayTrace(model, states)).toEqual({ ok: false, step: 1, reason: "state 1 is not an initial state of 'die-hard'" });
  });

  it('a trace whose variables do not fit the spec is refused with the names', () => {
    const model = compileModel(dieHard, 'default');
    expect(() => parseITF(model, { vars: ['small', 'jug'], states: [{ small: 0, jug: 0 }] }, 't.itf.json')).toThrow(
      new ItfError("t.itf.json: its variables do not fit spec 'die-hard'; missing: big; not in the spec: jug"),
    );
    expect(() => parseITF(model, { vars: ['small', 'big'], states: [{ small: 9, big: 0 }, { small: 0, big: 0 }] }, 't')).toThrow(
      "t: state 1: small = 9 is outside int(0, 3)",
    );
    expect(() => parseITF(model, [1, 2], 't')).toThrow('t: not an ITF trace');
  });

  it('from the command line: values outside the types are the file\'s fault (150, named); a step no action takes says so plainly (1)', () => {
    const dir = scratch();
    const file = (states: unknown[]) => {
      const f = join(dir, `t${states.length}-${JSON.stringify(states).length}.itf.json`);
      writeFileSync(f, JSON.stringify({ vars: ['big', 'small'], states }));
      return f;
    };
    const odd = cli(['trace', file([{ big: 'a', small: 0 }]), '--replay', 'specs/examples/die-hard.ts']);
    expect([odd.code, odd.stdout]).toEqual([150, '']);
    expect(odd.stderr).toContain("state 1 does not fit the types of die-hard: big = 'a' is outside int(0, 5)");
    const jump = cli(['trace', file([{ big: 0, small: 0 }, { big: 5, small: 3 }]), '--replay', 'specs/examples/die-hard.ts']);
    expect(jump.code).toBe(1);
    expect(jump.stdout).toContain('  2  NO  no action leads from state 1 to state 2\n');
  });

  it('a lasso found with a view closes on a state equal on the view: the trace says so, and it replays', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'view.ts', `import { defineSpec, eventuallyAlways, int, weakFair } from 'interleave';
export default defineSpec({
  name: 'view',
  state: { x: int(0, 3), n: int(0, 1000) },
  init: { x: 0, n: 0 },
  actions: { Inc: { when: (s) => s.x < 3, do: (s) => { s.x += 1; s.n += 1; } }, Reset: { when: (s) => s.x === 3, do: (s) => { s.x = 0; s.n += 1; } } },
  view: ['x'],
  temporal: { Bad: eventuallyAlways((s) => s.x === 3) },
  fairness: [weakFair('Inc'), weakFair('Reset')],
});\n`);
    const r = cli(['check', f, '--out', dir]);
    expect(r.code).toBe(13);
    // The state the step back reaches differs from state 1 off the view (n), so its changes are not shown.
    expect(r.stdout).toContain('  --- Reset: back to state 1 (a state equal to it on the view): the cycle repeats forever ---\n  Fairness the cycle meets:');
    const shown = cli(['trace', join(dir, 'view.Bad.itf.json')]);
    expect(shown.stdout).toContain('  --- Reset: back to state 1 (a state equal to it on the view): the cycle repeats forever ---\n  Fairness the cycle meets:');
    const back = cli(['trace', join(dir, 'view.Bad.itf.json'), '--replay', f]);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('ok  Reset: back to state 1 (a state equal to it on the view: x)');
  });

  it('a set in a kept trace equals the replayed one whatever order its elements were added in', async () => {
    const { defineSpec, enumOf, setOf } = await import('../src/index.ts');
    const spec = defineSpec({
      name: 'flags',
      state: { f: setOf(enumOf('a', 'b')) },
      init: { f: new Set<'a' | 'b'>() },
      actions: { b: { when: (s) => !s.f.has('b'), do: (s) => { s.f.add('b'); } }, a: { when: (s) => !s.f.has('a'), do: (s) => { s.f.add('a'); } } },
      deadlock: false,
    });
    const model = compileModel(spec, 'default');
    const trace = parseITF(model, {
      vars: ['f'],
      states: [{ f: { '#set': [] } }, { '#meta': { action: 'b' }, f: { '#set': ['b'] } }, { '#meta': { action: 'a' }, f: { '#set': ['a', 'b'] } }],
    });
    expect(replayTrace(model, trace)).toMatchObject({ ok: true });
  });

  it('a TypeOK trace replays even when the value outside its type sits inside a map', async () => {
    const T = scalarset('t', 2);
    const spec = defineSpec({
      name: 'over',
      state: { c: mapOf(T, int(0, 2)) },
      init: { c: { t1: 0, t2: 0 } },
      actions: { inc: { params: { t: T }, do: (s, { t }) => { s.c[t]++; } } },
    });
    const model = compileModel(spec, 'default');
    const r = await checkModel(model, { symmetry: false });
    expect([r.property, r.trace?.length]).toEqual(['TypeOK', 4]);
    const states = parseITF(model, JSON.parse(JSON.stringify(toITF(r))));
    expect(states[3].state).toEqual({ c: { t1: 3, t2: 0 } });
    expect(replayTrace(model, states)).toMatchObject({ ok: true });
  });
});
