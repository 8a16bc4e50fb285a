// Counters whose owners are interchangeable ids (a scalarset): under symmetry a state is the multiset
// of counter values, so with N owners and values 0..K there are C(N + K, N) orbits.
// N = 4, K = 40: C(44, 4) = 135,751 distinct orbits, 543,005 generated (1 + 4 x 135,751), depth 161.
import { defineSpec, int, mapOf, scalarset } from '../src/index.ts';

const N = 4;
const K = 40;
const Owner = scalarset('p', N);

export default defineSpec({
  name: 'symmetric-counters',
  description: 'Symmetry reduction at work: which owner holds which value does not matter.',
  state: { c: mapOf(Owner, int(0, K)) },
  init: { c: Object.fromEntries(Owner.values.map((p) => [p, 0])) },
  actions: {
    Inc: {
      params: { p: Owner },
      do: (s, { p }) => { s.c[p] = s.c[p] === K ? 0 : s.c[p] + 1; },
    },
  },
  expect: 'holds',
});
