// DieHard (TLA+ Examples, specifications/DieHard): with a 3-gallon and a 5-gallon jug, measure
// exactly 4 gallons. The invariant `big /= 4` is "violated" by the solution: its shortest
// counterexample (7 states) is the answer. TLC finds 16 distinct states.
import { defineSpec, int } from '../../src/index.ts';

const min = (a: number, b: number) => (a < b ? a : b);

export default defineSpec({
  name: 'die-hard',
  description: 'Bruce Willis measures 4 gallons with a 3- and a 5-gallon jug.',
  state: { small: int(0, 3), big: int(0, 5) },
  init: { small: 0, big: 0 },
  actions: {
    FillSmall: { do: (s) => { s.small = 3; } },
    FillBig: { do: (s) => { s.big = 5; } },
    EmptySmall: { do: (s) => { s.small = 0; } },
    EmptyBig: { do: (s) => { s.big = 0; } },
    SmallToBig: {
      do: (s) => {
        const poured = min(s.small, 5 - s.big);
        s.big += poured;
        s.small -= poured;
      },
    },
    BigToSmall: {
      do: (s) => {
        const poured = min(s.big, 3 - s.small);
        s.small += poured;
        s.big -= poured;
      },
    },
  },
  invariants: {
    NotSolved: (s) => s.big !== 4,
  },
  expect: { violates: 'NotSolved' },
});
