// BoundedQueue (bench-models.md): a FIFO of at most Cap values from 0..V-1; Get remembers the head.
// TLC with V = 3, Cap = 12: 3,188,644 distinct states, 6,377,281 generated, depth 15.
import { defineSpec, int, seqOf } from '../src/index.ts';

const V = 3;
const Cap = 12;

export default defineSpec({
  name: 'bounded-queue',
  description: 'The sequence benchmark: Put appends while there is room, Get takes the head.',
  state: { q: seqOf(int(0, V - 1), Cap), last: int(0, V) },
  init: { q: [], last: V },
  actions: {
    Put: {
      params: { v: int(0, V - 1) },
      when: (s) => s.q.length < Cap,
      do: (s, { v }) => { s.q.push(v); },
    },
    Get: {
      when: (s) => s.q.length > 0,
      do: (s) => { s.last = s.q.shift()!; },
    },
  },
  expect: 'holds',
});
