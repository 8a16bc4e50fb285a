// Actors: which swimlane column a step belongs to. A spec names an action's actor parameter, or
// declares a scalarset's ids to be actors; the trace file records it, and the terminal swimlane (and
// the browser's) draws each step there. Also a lasso's cycle in the terminal views.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, scratch, writeSpec } from './helpers.ts';

/** A request from one node to another: only the receiver's state changes when it is handled. */
const messages = (handle: string, nodeOpts = '') => `
import { defineSpec, int, mapOf, scalarset, setOf, enumOf } from 'interleave';
const Node = scalarset('n', 2${nodeOpts});
export default defineSpec({
  name: 'requests',
  state: { sent: mapOf(Node, setOf(Node)), got: mapOf(Node, int(0, 2)) },
  init: { sent: { n1: new Set(), n2: new Set() }, got: { n1: 0, n2: 0 } },
  actions: {
    send: { params: { from: Node, to: Node }, when: (s, p) => p.from !== p.to && !s.sent[p.from].has(p.to), do: (s, p) => { s.sent[p.from].add(p.to); } },
    handleReq: { params: { from: Node, to: Node }, ${handle} when: (s, p) => s.sent[p.from].has(p.to), do: (s, p) => { s.sent[p.from].delete(p.to); s.got[p.to] += 1; } },
  },
  invariants: { OneEach: (s) => s.got.n1 + s.got.n2 < 1 },
  deadlock: false,
  symmetry: false,
});
`;

function traceOf(source: string): { dir: string; file: string; itf: any } {
  const dir = scratch();
  const spec = writeSpec(dir, 'requests.ts', source);
  const r = cli(['check', spec, '--out', dir]);
  expect(r.code).toBe(12);
  const file = join(dir, 'requests.OneEach.itf.json');
  return { dir, file, itf: JSON.parse(readFileSync(file, 'utf8')) };
}

describe('actors', () => {
  it("an action's declared actor parameter is its column: handleReq(from=n1, to=n2) is drawn under n2", () => {
    const { file, itf } = traceOf(messages("actor: 'to',"));
    expect(itf.states.slice(1).map((s: any) => s['#meta'].label)).toEqual(['send(from=n1, to=n2)', 'handleReq(from=n1, to=n2)']);
    expect(itf.states[1]['#meta'].actor).toBe('n1');
    expect(itf.states[2]['#meta'].actor).toBe('n2');
    const r = cli(['trace', file, '--swimlane']);
    expect(r.code).toBe(0);
    // send declares no actor, so it stays in its first parameter's column (n1); handleReq goes to n2's.
    expect(r.stdout).toContain(
      [
        '   n1                       | n2',
        '   -------------------------+--------------------------',
        '2  send(from=n1, to=n2)     |',
        "     sent[n1]: {} -> {'n2'} |",
        '3                           | handleReq(from=n1, to=n2)',
        "                            |   sent[n1]: {'n2'} -> {}",
        '                            |   got[n2]: 0 -> 1',
      ].join('\n'),
    );
  });

  it('without a declaration an action goes in the column of its first parameter, as before', () => {
    const { file, itf } = traceOf(messages(''));
    expect(itf.states[2]['#meta'].actor).toBe('n1');
    const r = cli(['trace', file, '--swimlane']);
    expect(r.stdout).toMatch(/^3 {2}handleReq\(from=n1, to=n2\)/m);
    expect(r.stdout).not.toContain('| n2');
  });

  it('a scalarset declared { actor: true } makes its parameter the actor', () => {
    const { itf } = traceOf(messages('', ', { actor: true }'));
    // Both parameters are of the actor scalarset: the first one declared is the actor.
    expect(itf.states[1]['#meta'].actor).toBe('n1');
    expect(itf.states[2]['#meta'].actor).toBe('n1');
  });

  it('process steps name their process and thread as the actor', () => {
    const dir = scratch();
    const r = cli(['check', 'specs/examples/refcount-race.ts', '--variant', 'racy', '--out', dir]);
    expect(r.code).toBe(12);
    const itf = JSON.parse(readFileSync(join(dir, 'refcount-race.racy.NoLeak.itf.json'), 'utf8'));
    expect(itf.states.slice(1).map((s: any) => s['#meta'].actor)).toEqual(['put t1', 'put t2', 'put t2', 'put t1']);
  });

  it('an actor that is not a parameter of its action is refused when the spec loads (exit 150)', () => {
    const dir = scratch();
    const spec = writeSpec(dir, 'requests.ts', messages("actor: 'node',"));
    const r = cli(['check', spec, '--out', dir]);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain("spec 'requests': action 'handleReq' names 'node' as its actor, which is not one of its parameters (from, to)");
  });
});

describe('a lasso in the terminal views', () => {
  it('marks where the cycle starts and where the last state goes back to', () => {
    const { dir, file } = traceOf(messages("actor: 'to',"));
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.loop = 1;
    const lasso = join(dir, 'lasso.itf.json');
    writeFileSync(lasso, JSON.stringify(doc));
    const steps = cli(['trace', lasso]);
    expect(steps.code).toBe(0);
    // State 2 is the cycle's first: the step into it (send) comes before the mark, the next step after it.
    expect(steps.stdout).toMatch(/\s+2 {2}send\(from=n1, to=n2\)[^]*\n {2}--- the cycle starts at state 2: the steps below and the step back repeat forever ---\n\s+3 {2}/);
    expect(steps.stdout.trimEnd().endsWith('--- back to state 2: the cycle repeats forever ---')).toBe(true);
    const lane = cli(['trace', lasso, '--swimlane']);
    expect(lane.stdout).toMatch(/\n2 {2}send[^]*\n {2}--- the cycle starts at state 2: the steps below and the step back repeat forever ---\n3 {2}/);
    expect(lane.stdout.trimEnd().endsWith('--- back to state 2: the cycle repeats forever ---')).toBe(true);
  });

  it('refuses a loop index outside the trace (exit 150)', () => {
    const { dir, file } = traceOf(messages("actor: 'to',"));
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.loop = 3;
    const bad = join(dir, 'bad-loop.itf.json');
    writeFileSync(bad, JSON.stringify(doc));
    const r = cli(['trace', bad]);
    expect(r.code).toBe(150);
    expect(r.stderr).toBe(`interleave: ${bad}: "loop" must be the index of a state of the trace (0 to 2), not 3\n`);
  });
});
