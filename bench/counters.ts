// Counters (bench-models.md): N counters, each incremented modulo K + 1; every state has N successors.
// TLC with N = 6, K = 11: 2,985,984 distinct states, 17,915,905 generated, depth 67. The environment
// variable COUNTERS_K scales it (the memory bench uses K = 16: 17^6 = 24,137,569 distinct states);
// distinct (K + 1)^N, generated N (K + 1)^N + 1, depth N K + 1.
import { array, defineSpec, int } from '../src/index.ts';

const N = 6;
const K = Number(process.env.COUNTERS_K ?? 11);

export default defineSpec({
  name: 'counters',
  description: 'The wide, trivial benchmark: c[i] counts up to K and wraps to 0.',
  state: { c: array(int(0, K), N) },
  init: { c: Array(N).fill(0) },
  actions: {
    Inc: {
      params: { i: int(0, N - 1) },
      do: (s, { i }) => { s.c[i] = s.c[i] === K ? 0 : s.c[i] + 1; },
    },
  },
  expect: 'holds',
});
