// The liveness benchmark: N counters, each incremented modulo K + 1, every increment weakly fair.
// 16^5 = 1,048,576 distinct states, each with 5 successors; the state graph is one strongly connected
// component, so the liveness check records and decomposes all of it. Variant `safety` checks nothing
// temporal (the safety-only run of the same model); `liveness` checks that counter 0 wraps round
// again and again, []<>(c[0] = 0), which holds.
import { always, array, defineSpec, eventually, int, weakFair } from '../src/index.ts';

const N = 5;
const K = 15;

export default defineSpec({
  name: 'liveness-counters',
  description: 'A million-state graph for the liveness check: c[i] counts up to K and wraps to 0.',
  state: { c: array(int(0, K), N) },
  init: { c: Array(N).fill(0) },
  actions: {
    Inc: {
      params: { i: int(0, N - 1) },
      do: (s, { i }) => { s.c[i] = s.c[i] === K ? 0 : s.c[i] + 1; },
    },
  },
  temporal: { Wraps: always(eventually((s) => s.c[0] === 0)) },
  fairness: [weakFair('Inc', { each: true })],
  variants: {
    safety: { properties: [], expect: 'holds' },
    liveness: { properties: ['Wraps'], expect: 'holds' },
  },
});
