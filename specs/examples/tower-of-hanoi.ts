// The Tower of Hanoi (TLA+ Examples, specifications/tower_of_hanoi/Hanoi.tla), written as the TLA+
// module is: each tower is a number whose bits are the disks on it (disk d is the power of two 2^k),
// and one Move action chooses the disk and the two towers (the module's \E d, \E idx1, idx2). The
// module's CanMoveTo is a disjunction, "no smaller disk on the target, or the target is empty": both
// hold for an empty tower, and TLC counts a successor for each, so it is a branch here too.
// TLC with D = 5 disks, N = 3 towers, without the NotSolved invariant: 243 distinct states (3^5),
// 913 generated, depth 32. With NotSolved the shortest solution is found: 2^5 - 1 moves.
import { choose, defineSpec, either, int, mapOf, when } from '../../src/index.ts';

type C = { D: number; N: number };
const Tower = (c: C) => int(1, c.N);
const disks = (c: C) => Array.from({ length: c.D }, (_, k) => 2 ** k);
const full = (c: C) => 2 ** c.D - 1;

export default defineSpec({
  name: 'tower-of-hanoi',
  description: 'Moving D disks between N towers, never a bigger disk on a smaller one.',
  constants: { D: 5, N: 3 } as C,
  assumptions: { AtLeastTwoTowers: (c) => c.N >= 2, SomeDisks: (c) => c.D >= 1 && c.D <= 20 },
  state: (c) => ({ towers: mapOf(Tower(c), int(0, full(c))) }),
  init: (c) => ({ towers: Tower(c).mapTo((i) => (i === 1 ? full(c) : 0)) }),
  actions: {
    Move: {
      do: (s, _, c) => {
        const d = choose(disks(c), 'disk');
        const from = choose(Tower(c), 'from');
        const to = choose(Tower(c), 'to');
        when(from !== to);
        // CanMoveOff: d is on `from`, and it is the smallest disk there.
        when((s.towers[from] & d) === d && (s.towers[from] & (d - 1)) === 0);
        // CanMoveTo: no smaller disk on `to`, or `to` is empty.
        either(
          () => when((s.towers[to] & (d - 1)) === 0),
          () => when(s.towers[to] === 0),
        );
        s.towers[from] -= d;
        s.towers[to] += d;
      },
    },
  },
  invariants: {
    NotSolved: (s, c) => s.towers[c.N] !== full(c),
  },
  variants: {
    full: { properties: [], expect: 'holds' },
    solve: { properties: ['NotSolved'], expect: { violates: 'NotSolved' } },
  },
});
