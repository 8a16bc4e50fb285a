// Peterson's mutual exclusion for two processes, as in the TLA+ Examples
// (specifications/locks_auxiliary_vars/Peterson.tla, a PlusCal algorithm). TLC: 42 distinct
// states, 77 generated, depth 11. The ids 1 and 2 are not interchangeable here (turn starts at 1).
import { bool, defineSpec, enumOf, int, mapOf, type InferShape } from '../../src/index.ts';
import { process } from '../../src/process.ts';

const Proc = int(1, 2);
const other = (p: number) => (p === 1 ? 2 : 1);
const state = {
  pc: mapOf(Proc, enumOf('a0', 'a1', 'a2', 'a3', 'cs', 'a4')),
  c: mapOf(Proc, bool()),
  turn: int(1, 2),
};
type S = InferShape<typeof state>;

const proc = process<S>()('proc', Proc, {
  pc: 'pc',
  steps: {
    a0: {},
    a1: { do: (s, self) => { s.c[self] = true; } },
    a2: { do: (s, self) => { s.turn = other(self); } },
    a3: { when: (s, self) => !s.c[other(self)] || s.turn === self },
    cs: {},
    a4: { do: (s, self) => { s.c[self] = false; }, next: 'a0' },
  },
});

const inCs = (s: S, p: number) => s.pc[p] === 'cs' || s.pc[p] === 'a4';

export default defineSpec({
  name: 'peterson',
  description: "Peterson's algorithm: two processes never both in the critical section.",
  state,
  init: { pc: { 1: 'a0', 2: 'a0' }, c: { 1: false, 2: false }, turn: 1 },
  actions: proc,
  invariants: {
    MutualExclusion: (s) => !(inCs(s, 1) && inCs(s, 2)),
    Inv: (s) =>
      [1, 2].every((p) => s.c[p] === ['a2', 'a3', 'cs', 'a4'].includes(s.pc[p])) &&
      [1, 2].every((p) => !inCs(s, p) || s.turn === p || ['a0', 'a1', 'a2'].includes(s.pc[other(p)])),
  },
  expect: 'holds',
});
