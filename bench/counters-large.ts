// Counters (bench/counters.ts) with K = 16 and K = 18: 17^6 = 24,137,569 and 19^6 = 47,045,881
// distinct states, every state with six successors. Bigger than a 300 MB memory limit allows in
// memory: the disk benchmark (npm run bench -- --disk) checks them with the visited set on disk.
import { array, defineSpec, int } from '../src/index.ts';

const N = 6;
type C = { K: number };

export default defineSpec({
  name: 'counters-large',
  description: 'Counters with K = 16 or 18 (the counters wrap from K to 0).',
  constants: { K: 16 } as C,
  state: { c: array(int(0, 18), N) },
  init: { c: Array(N).fill(0) },
  actions: {
    Inc: {
      params: { i: int(0, N - 1) },
      do: (s, { i }, { K }) => { s.c[i] = s.c[i] === K ? 0 : s.c[i] + 1; },
    },
  },
  variants: { k16: {}, k18: { constants: { K: 18 } } },
  expect: 'holds',
});
