// Counters whose owners are interchangeable ids (a scalarset): under symmetry a state is the multiset
// of counter values, so with N owners and values 0..K there are C(N + K, N) orbits.
// N = 5, K = 40: C(45, 5) = 1,221,759 distinct orbits, 6,108,796 generated (1 + 5 x 1,221,759), depth 201.
import { defineSpec, int, mapOf, scalarset } from '../src/index.ts';

const N = 5;
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
