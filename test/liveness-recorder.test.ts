// The graph recorder fed as the search's transition observer feeds it: initial states from -1,
// transitions to stored states, to pruned ones (-1), and stutter steps.
import { describe, expect, it } from 'vitest';
import { GraphRecorder } from '../checker/liveness/recorder.ts';
import { stateBit } from '../checker/liveness/graph.ts';
import type { ActionInstance, State, TransitionSystem } from '../checker/system.ts';

const action = (id: number): ActionInstance => ({ id, name: `a${id}`, params: {}, label: `a${id}`, successors: () => {} });
const decode = (v: Int32Array, at: number): State => ({ x: v[at] });
const enc = (x: number) => Int32Array.of(x);

describe('GraphRecorder', () => {
  it('numbers states as reported, drops stutter steps, marks ENABLED also for pruned successors', () => {
    const system = { width: 1, decode, actions: [action(0), action(1), action(2)] } as unknown as TransitionSystem;
    const r = new GraphRecorder(system, {
      stateAtoms: [(s: State) => s.x === 1],
      edgeAtoms: [(s: State, t: State) => (t.x as number) > (s.x as number)],
      units: [
        { name: 'WF(a0)', kind: 'weak', actions: [0], enabledBit: 1 },
        { name: 'WF(a1)', kind: 'weak', actions: [1], enabledBit: 2 },
        { name: 'WF(a2)', kind: 'weak', actions: [2], enabledBit: 3 },
      ],
      properties: [],
    });
    r.observe(-1, 0, -1, enc(0)); // initial state x = 0
    r.observe(0, 1, 0, enc(1)); // a0: 0 -> 1, a new state
    r.observe(0, 0, 1, enc(0)); // a1: a stutter step
    r.observe(0, -1, 2, enc(5)); // a2: pruned by the constraint, but a step that changes the state
    r.observe(1, 0, 0, enc(0)); // a0: 1 -> 0, a state seen before
    const { graph: g, encodings } = r.finish();
    expect([g.stateCount, [...g.initial], [...encodings]]).toEqual([2, [0], [0, 1]]);
    expect([...g.from].map((f, e) => [f, g.to[e], g.action[e]])).toEqual([[0, 1, 0], [1, 0, 0]]);
    const bits = (s: number) => [0, 1, 2, 3].map((b) => stateBit(g, s, b));
    expect(bits(0)).toEqual([false, true, false, true]); // not x = 1; a0 and a2 enabled, a1 only stutters
    expect(bits(1)).toEqual([true, true, false, false]);
    expect([g.edgeBits[0] & 1, g.edgeBits[1] & 1]).toEqual([1, 0]); // the step up, not the step down
  });
});
