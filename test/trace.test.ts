// interleave trace: reading a saved counterexample step by step, per thread, and replaying it
// against its spec; and the message every kind of bad trace file gets.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, scratch } from './helpers.ts';

const SPEC = 'specs/examples/refcount-race.ts';
let dir: string;
let racy: string;

/** Writes a modified copy of the racy trace. */
function tampered(name: string, change: (doc: any) => unknown): string {
  const doc = JSON.parse(readFileSync(racy, 'utf8'));
  const out = change(doc) ?? doc;
  const file = join(dir, name);
  writeFileSync(file, typeof out === 'string' ? out : JSON.stringify(out));
  return file;
}

beforeAll(() => {
  dir = scratch();
  // The trace the search met first (t1 stores first), which these tests show in every view.
  const r = cli(['check', SPEC, '--variant', 'racy', '--out', dir, '--no-fewest-switches']);
  expect(r.code).toBe(12);
  racy = join(dir, 'refcount-race.racy.NoLeak.itf.json');
});

describe('interleave trace', () => {
  it('prints each step with only the variables it changed', () => {
    const r = cli(['trace', racy]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`refcount-race [racy]: invariant 'NoLeak' is violated\n5 states, from ${SPEC} (${racy})`);
    expect(r.stdout).toContain(
      [
        "  3  put.load(self=t2)  [put]",
        "       pc[t2]: 'load' -> 'store'",
        '       seen[t2]: 0 -> 2',
        '  4  put.store(self=t1)  [put]',
        '       refcount: 2 -> 1',
        "       pc[t1]: 'store' -> 'Done'",
        '  5  put.store(self=t2)  [put]',
        "       pc[t2]: 'store' -> 'Done'",
      ].join('\n'),
    );
    expect(r.stdout).not.toContain('freed = false\n       pc[t1]: ');
  });

  it('--full prints whole states, the changed variables as before -> after', () => {
    const r = cli(['trace', racy, '--full']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        '  5  put.store(self=t2)  [put]',
        '       refcount = 1',
        '       freed = false',
        "       pc[t1] = 'Done'",
        "       pc[t2]: 'store' -> 'Done'",
        '       seen[t1] = 2',
        '       seen[t2] = 2',
      ].join('\n'),
    );
  });

  it('--swimlane puts each step in its thread\'s column with what it changed', () => {
    const r = cli(['trace', racy, '--swimlane']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n\n').slice(1).join('\n\n')).toBe(
      [
        'initial state:',
        '  refcount = 2',
        '  freed = false',
        "  pc[t1] = 'load'",
        "  pc[t2] = 'load'",
        '  seen[t1] = 0',
        '  seen[t2] = 0',
        '',
        '   put t1             | put t2',
        '   -------------------+-------------------------',
        '2  load               |',
        '     seen[t1]: 0 -> 2 |',
        '     -> store         |',
        '3                     | load',
        '                      |   seen[t2]: 0 -> 2',
        '                      |   -> store',
        '4  store              |',
        '     refcount: 2 -> 1 |',
        '     -> Done          |',
        '5                     | store',
        '                      |   (nothing else changed)',
        '                      |   -> Done',
        '',
      ].join('\n'),
    );
  });

  it('--swimlane on a kernel trace: one column per thread, the late wake-up in the completion\'s', () => {
    const r = cli(['trace', 'counterexamples/pg-fscache.V0-wait_F2.WokenBitClear.itf.json', '--swimlane']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const head = lines.findIndex((l) => l.includes('reader rd'));
    expect(lines[head].split('|').map((x) => x.trim())).toEqual(['reader rd', 'completion cw', 'truncate truncate1', 'newuser nu']);
    const row = (n: number) => lines.find((l) => l.startsWith(`${String(n).padStart(2)}  `))!.split('|').map((x) => x.trim());
    expect(row(4)).toEqual(['4', 'folio_clear_private_2', '', '']);
    expect(row(13)).toEqual(['13', '', 'folio_put', '']);
    expect(row(17)).toEqual(['17', 'folio_wake_bit', '', '']);
    expect(row(18)).toEqual(['18', '', '', 'io_schedule']);
    expect(r.stdout).toMatch(/\|\s+staleTouch: false -> true\s+\|/);
  });

  it('shows a set of records changing as the elements added and removed, as check does', () => {
    const dir = scratch();
    const checked = cli(['check', 'specs/examples/leader-election.ts', '--variant', 'forgetful', '--out', dir, '--no-fewest-switches']);
    const file = join(dir, 'leader-election.forgetful.OneLeaderPerTerm.itf.json');
    const fromFile = cli(['trace', file]);
    expect(fromFile.code).toBe(0);
    const msgLines = (out: string) => out.split('\n').filter((l) => /^\s+msgs[: ]/.test(l)).map((l) => l.trim());
    expect(msgLines(fromFile.stdout)[1]).toBe("msgs: + { type: 'RequestVote', term: 1, from: 'n1', to: 'n2' }, + { type: 'RequestVote', term: 1, from: 'n1', to: 'n3' }");
    expect(msgLines(fromFile.stdout)).toEqual(msgLines(checked.stdout));
  });

  it('shows a tuple as check does, as the JS array the spec writes', () => {
    const dir = scratch();
    const checked = cli(['check', 'test/fixtures/tla-examples/bcast-folklore.ts', '--variant', 'acceptNoMsg', '--const', 'N=3', '--out', dir]);
    expect(checked.code).toBe(13);
    const fromFile = cli(['trace', join(dir, 'bcastFolklore.acceptNoMsg.N=3.UnforgLtl.itf.json')]);
    const sentLines = (out: string) => out.split('\n').filter((l) => /^\s+(sent|rcvd\[1\])[: ]/.test(l)).map((l) => l.trim());
    expect(sentLines(fromFile.stdout)).toEqual(["rcvd[1] = {}", "sent = {}", "sent: + [1, 'ECHO']", "sent: + [2, 'ECHO']", "rcvd[1]: + [1, 'ECHO'], + [2, 'ECHO']"]);
    expect(sentLines(fromFile.stdout)).toEqual(sentLines(checked.stdout));
  });

  it('reads ITF written by other tools: no #meta, steps named by number', () => {
    const foreign = tampered('foreign.itf.json', (doc) => ({ vars: doc.vars, states: doc.states.map(({ '#meta': _, ...s }: any) => s) }));
    const r = cli(['trace', foreign]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${foreign}\n5 states (${foreign})`);
    expect(r.stdout).toContain('  4  state 4\n       refcount: 2 -> 1');
    const lanes = cli(['trace', foreign, '--swimlane']);
    expect(lanes.code).toBe(0);
    expect(lanes.stdout).toContain('(the trace names no actions, so its steps cannot be put in threads; showing it step by step)');
    const replay = cli(['trace', foreign, '--replay', SPEC, '--variant', 'racy']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('  4  ok  put.store(self=t1)');
    expect(replay.stdout).toContain('All 5 states replay: the trace is a behaviour of refcount-race [racy].');
  });

  it('--replay confirms a counterexample is a behaviour of its spec, and that it still fails', () => {
    const r = cli(['trace', racy, '--replay', SPEC]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `Replaying ${racy} against refcount-race [racy] (${SPEC}):`,
        '  1  ok  initial state',
        '  2  ok  put.load(self=t1)',
        '  3  ok  put.load(self=t2)',
        '  4  ok  put.store(self=t1)',
        '  5  ok  put.store(self=t2)',
        'All 5 states replay: the trace is a behaviour of refcount-race [racy].',
        'Its last state violates NoLeak.',
        '',
      ].join('\n'),
    );
  });

  it('--replay says where a trace first stops being a legal step (exit 1)', () => {
    const bad = tampered('bad.itf.json', (doc) => {
      doc.states[3].refcount = 0;
    });
    const r = cli(['trace', bad, '--replay', SPEC]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  3  ok  put.load(self=t2)\n  4  NO  put.store(self=t1) does not lead from state 3 to state 4');
    expect(r.stdout).toContain("the spec's put.store(self=t1) gives refcount = 1 (the trace has 0)");
    expect(r.stdout).toContain('The trace does not replay: state 4 of 5 is not reachable by a legal step');
    const other = cli(['trace', racy, '--replay', SPEC, '--variant', 'atomic']);
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('Replaying');
    expect(other.stdout).toContain('against refcount-race [atomic]');
    expect(other.stdout).toContain('  2  NO  put.load(self=t1) does not lead from state 1 to state 2');
    const disabled = tampered('disabled.itf.json', (doc) => {
      doc.states[1]['#meta'] = { action: 'put.free', params: { self: 't1' } };
    });
    const d = cli(['trace', disabled, '--replay', SPEC]);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('  2  NO  put.free(self=t1) is not enabled in state 1');
  });

  it('a corrupt file is refused with what is wrong (exit 150)', () => {
    const cut = tampered('cut.itf.json', () => readFileSync(racy, 'utf8').slice(0, 200));
    const r = cli(['trace', cut]);
    expect(r.code).toBe(150);
    expect(r.stderr).toMatch(new RegExp(`^interleave: ${cut}: not valid JSON \\(.+\\); an ITF trace is a JSON document\\n$`));
    const notItf = tampered('list.itf.json', () => '[1, 2, 3]');
    expect(cli(['trace', notItf]).stderr).toBe(`interleave: ${notItf}: not an ITF trace (expected an object with a "states" array)\n`);
    const hole = tampered('hole.itf.json', (doc) => {
      delete doc.states[2].seen;
    });
    const h = cli(['trace', hole]);
    expect(h.code).toBe(150);
    expect(h.stderr).toBe(`interleave: ${hole}: state 3 has no value for variable 'seen'\n`);
    const missing = cli(['trace', join(dir, 'nope.itf.json')]);
    expect(missing.code).toBe(150);
    expect(missing.stderr).toContain('nope.itf.json: no such file');
  });

  it('a trace whose variables or values do not fit the spec is refused naming them (exit 150)', () => {
    const r = cli(['trace', 'counterexamples/die-hard.NotSolved.itf.json', '--replay', SPEC, '--variant', 'racy']);
    expect(r.code).toBe(150);
    expect(r.stderr).toBe(
      "interleave: counterexamples/die-hard.NotSolved.itf.json: its variables do not fit spec 'refcount-race'; missing: refcount, freed, pc, seen; not in the spec: small, big\n",
    );
    const wide = tampered('wide.itf.json', (doc) => {
      doc.states[1].refcount = 7;
    });
    const w = cli(['trace', wide, '--replay', SPEC]);
    expect(w.code).toBe(150);
    expect(w.stderr).toBe(`interleave: ${wide}: state 2: refcount = 7 is outside int(0, 2)\n`);
  });

  it('an unknown or missing variant, and clashing options, are usage errors (exit 151)', () => {
    const r = cli(['trace', racy, '--replay', SPEC, '--variant', 'v9']);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain(`${SPEC}: spec 'refcount-race' has no variant 'v9' (variants: atomic, racy)`);
    const unnamed = tampered('unnamed.itf.json', (doc) => {
      delete doc['#meta'];
    });
    const u = cli(['trace', unnamed, '--replay', SPEC]);
    expect(u.code).toBe(151);
    expect(u.stderr).toContain("spec 'refcount-race' has several variants; pick one for trace --replay with --variant (atomic, racy)");
    const both = cli(['trace', racy, '--full', '--swimlane']);
    expect(both.code).toBe(151);
    expect(both.stderr).toContain('interleave: --full and --swimlane are two ways to print a trace; give one of them\n');
    const alone = cli(['trace', racy, '--variant', 'racy']);
    expect(alone.code).toBe(151);
    expect(alone.stderr).toContain('interleave: --variant goes with --replay SPEC: it picks what the trace is replayed against\n');
  });
});

describe('trace --replay against spec code that throws', () => {
  it('exits 75 and says spec code threw, naming the step (not 1, which is for a trace that is not a behaviour)', () => {
    const dir = scratch();
    const counter = (recipe: string) => `import { defineSpec, int } from '${join(import.meta.dirname, '..', 'src', 'index.ts')}';
export default defineSpec({ name: 'count', state: { x: int(0, 5) }, init: { x: 0 }, actions: { inc: { when: (s) => s.x < 5, do: ${recipe} } }, invariants: { Small: (s) => s.x < 3 }, deadlock: false });\n`;
    writeFileSync(join(dir, 'count.ts'), counter('(s) => { s.x += 1; }'));
    expect(cli(['check', join(dir, 'count.ts'), '--out', dir]).code).toBe(12);
    writeFileSync(join(dir, 'count.ts'), counter("(s) => { if (s.x === 1) throw new Error('no'); s.x += 1; }"));
    const r = cli(['trace', join(dir, 'count.Small.itf.json'), '--replay', join(dir, 'count.ts')]);
    expect(r.code).toBe(75);
    expect(r.stdout).toContain('The trace does not replay: spec code threw on the way to state 3 of 4 (the recipe of inc threw: no (in state 2)).');
  });
});
