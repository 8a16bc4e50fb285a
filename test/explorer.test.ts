// The explorer without a browser: the self-contained page `trace --html` writes, and the live
// explorer's walk (a path replayed through the engine's step, the enabled and blocked actions).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exploreSystem } from '../src/explorer/engine-adapter.ts';
import { answer, parsePath, PathError, walk } from '../src/explorer/walk.ts';
import { loadSpec } from '../src/load.ts';
import { cli, ROOT, scratch } from './helpers.ts';

const TRACE = 'counterexamples/refcount-race.racy.NoLeak.itf.json';

/** The JSON a page embeds for its script. */
function embedded(html: string): any {
  const m = /<script type="application\/json" id="interleave-data">(.*?)<\/script>/s.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]);
}

describe('interleave trace --html', () => {
  it('writes one page with everything inline: no file or address it would load', () => {
    const out = join(scratch(), 'race.html');
    const r = cli(['trace', TRACE, '--html', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(/);
    const boot = embedded(html);
    expect(boot.mode).toBe('trace');
    expect(boot.doc.title).toBe('refcount-race [racy]');
    expect(boot.doc.steps.map((s: any) => [s.name, s.lane ?? null])).toEqual([
      ['initial state', null],
      ['load', 'put t1'],
      ['load', 'put t2'],
      ['store', 'put t2'],
      ['store', 'put t1'],
    ]);
    expect(boot.doc.steps[3].state).toEqual({ refcount: 1, freed: false, pc: { '#map': [['t1', 'store'], ['t2', 'Done']] }, seen: { '#map': [['t1', 2], ['t2', 2]] } });
  });

  it('keeps a value that looks like markup inside the data it belongs to', () => {
    const dir = scratch();
    const doc = JSON.parse(readFileSync(TRACE, 'utf8'));
    doc['#meta'].description = '</script><script>alert(1)</script>';
    const file = join(dir, 'tricky.itf.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = join(dir, 'tricky.html');
    expect(cli(['trace', file, '--html', out]).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('<script>alert(1)');
    expect(embedded(html).doc.description).toBe('</script><script>alert(1)</script>');
  });

  it('says so in one line when the page cannot be written (exit 151)', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), '');
    const out = join(dir, 'file', 'race.html');
    const r = cli(['trace', TRACE, '--html', out]);
    expect(r.code).toBe(151);
    expect(r.stderr).toBe(`interleave: --html ${out}: cannot write the page: cannot create its folder: ${join(dir, 'file')} exists and is not a folder\n`);
  });

  it('is a view of its own: not with --swimlane, --full or --replay (exit 151)', () => {
    const r = cli(['trace', TRACE, '--html', 'x.html', '--swimlane']);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain('interleave: --html writes the trace as a page; it does not go with --swimlane\n');
  });
});

describe('the live explorer walk', async () => {
  const { spec, file } = await loadSpec('specs/examples/refcount-race.ts');
  const sys = exploreSystem(spec, 'racy', file);
  const id = (label: string) => sys.actions.find((a) => a.label === label)!.id;
  /** A path from the first initial state through these actions (none of them has choices). */
  const path = (...labels: string[]) => ({ init: 0, steps: labels.map((l) => ({ id: id(l), choice: [] })) });

  it('lists the enabled actions of a state, and why each other one is blocked', () => {
    const a = answer(sys, path('put.load(self=t1)'), 1);
    expect(a.at).toBe(1);
    expect(a.enabled.map((c) => [c.label, c.lane, c.changes, c.violates])).toEqual([
      ['put.load(self=t2)', 'put t2', 2, []],
      ['put.store(self=t1)', 'put t1', 2, []],
    ]);
    expect(a.blocked.map((b) => `${b.label}: ${b.reason}`)).toEqual([
      "put.load(self=t1): pc[t1] is 'store', not 'load'",
      "put.store(self=t2): pc[t2] is 'load', not 'store'",
      "put.free(self=t1): pc[t1] is 'store', not 'free'",
      "put.free(self=t2): pc[t2] is 'load', not 'free'",
    ]);
  });

  it('marks the states and the steps that break a property', () => {
    const race = ['put.load(self=t1)', 'put.load(self=t2)', 'put.store(self=t1)'];
    const a = answer(sys, path(...race), 3);
    expect(a.enabled.map((c) => [c.label, c.step, c.violates])).toEqual([['put.store(self=t2)', String(id('put.store(self=t2)')), ['NoLeak']]]);
    const { doc } = walk(sys, path(...race, 'put.store(self=t2)'));
    expect(doc.steps.map((s) => s.violates)).toEqual([[], [], [], [], ['NoLeak']]);
  });

  it('refuses a path that does not replay, naming the step', () => {
    expect(() => walk(sys, path('put.store(self=t1)'))).toThrow(
      new PathError("step 2 of the path: put.store(self=t1) is not enabled in state 1 (pc[t1] is 'load', not 'store')"),
    );
    expect(() => walk(sys, { init: 1, steps: [] })).toThrow(new PathError('the path starts at initial state 2, but the spec has 1'));
    expect(() => walk(sys, parsePath('0.99'))).toThrow(new PathError('step 2 of the path names action 99, but the spec has actions 0 to 5'));
    expect(() => walk(sys, parsePath(`0.${id('put.load(self=t1)')}-1`))).toThrow(new PathError('step 2 of the path: put.load(self=t1) has no choice 1 in state 1'));
    expect(parsePath('0.4.9-1-0')).toEqual({ init: 0, steps: [{ id: 4, choice: [] }, { id: 9, choice: [1, 0] }] });
    expect(() => parsePath('0.x')).toThrow(
      new PathError("'0.x' is not a path (an initial state's number, then steps separated by dots: an action id, with its choices after dashes)"),
    );
  });
});

describe('a saved trace opened in the explorer', () => {
  it('is followed as replay follows it: set-valued parameters, sets in another order, BigInts in ITF form', async () => {
    const { pathOfTrace } = await import('../src/explorer/trace-path.ts');
    const { readItfFile } = await import('../src/report/itf-read.ts');
    const { spec, file } = await loadSpec(join(ROOT, 'specs/examples/leader-election.ts'));
    const trace = readItfFile(join(ROOT, 'counterexamples/leader-election.forgetful.OneLeaderPerTerm.itf.json'));
    // The election's quorums are sets: BecomeLeader(n=n1, Q={'n1', 'n2'}).
    expect(pathOfTrace(exploreSystem(spec, 'forgetful', file), trace).steps).toHaveLength(trace.steps.length - 1);
    const refcount = await loadSpec(join(ROOT, 'specs/examples/refcount-race.ts'));
    const racy = readItfFile(join(ROOT, 'counterexamples/refcount-race.racy.NoLeak.itf.json'));
    // The same first state with its map's entries in the other order, and a number as {"#bigint"}.
    const json = racy.json as { states: Record<string, unknown>[] };
    const flipped = JSON.parse(JSON.stringify(json), (_k, v) => (v && typeof v === 'object' && Array.isArray(v['#map']) ? { '#map': [...v['#map']].reverse() } : typeof v === 'number' && v === 0 ? { '#bigint': '0' } : v));
    expect(json.states.length).toBe(5);
    expect(pathOfTrace(exploreSystem(refcount.spec, 'racy', refcount.file), { ...racy, json: flipped }).steps).toHaveLength(4);
  });

  it('from a check with --const is explored with the constants it records', async () => {
    const dir = scratch();
    expect(cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'atomic', '--const', 'atomic=false', '--out', dir]).code).toBe(12);
    const file = join(dir, 'refcount-race.atomic.atomic=false.NoLeak.itf.json');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'interleave.js'), 'explore', 'specs/examples/refcount-race.ts', file], { cwd: ROOT });
    let out = '';
    const served = await new Promise<boolean>((done) => {
      child.stdout.on('data', (d) => (out += d) && out.includes('Exploring') && done(true));
      child.on('exit', () => done(false));
    });
    child.kill();
    expect([served, out.split('\n')[0]]).toEqual([true, expect.stringMatching(/^Exploring refcount-race \[atomic\] \(specs\/examples\/refcount-race\.ts\) at http:\/\/127\.0\.0\.1:\d+\/#p=/)]);
  });
});
