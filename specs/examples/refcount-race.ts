// The README's tutorial spec: two threads each drop their reference to a shared object. Dropping
// is `refcount--` and then, if it reached zero, freeing the object. Written as two steps (load,
// then store) the decrement loses an update; as one atomic_dec_and_test it is safe.
import { bool, defineSpec, enumOf, type InferShape, int, mapOf, process, scalarset } from '../../src/index.ts';

const Thread = scalarset('t', 2);
const state = {
  refcount: int(0, 2),
  freed: bool(),
  pc: mapOf(Thread, enumOf('load', 'store', 'free', 'Done')),
  seen: mapOf(Thread, int(0, 2)), // the value each thread loaded
};
type S = InferShape<typeof state>;
type C = { atomic: boolean };

const put = process<S, C>()('put', Thread, {
  pc: 'pc',
  steps: {
    // atomic_dec_and_test() does load and store in one step; the racy version splits them.
    load: {
      do: (s, t, c) => {
        s.seen[t] = s.refcount;
        if (c.atomic) {
          s.refcount -= 1;
          return s.refcount === 0 ? 'free' : 'Done';
        }
      },
    },
    store: {
      do: (s, t) => {
        s.refcount = s.seen[t] - 1;
        return s.refcount === 0 ? 'free' : 'Done';
      },
    },
    free: { do: (s) => { s.freed = true; }, next: 'Done' },
  },
});

export default defineSpec({
  name: 'refcount-race',
  description: 'Two threads drop their references; the object is freed exactly once, when both are gone.',
  constants: { atomic: true } as C,
  state,
  init: { refcount: 2, freed: false, pc: { t1: 'load', t2: 'load' }, seen: { t1: 0, t2: 0 } },
  actions: put,
  invariants: {
    // Once both threads have dropped their references, the object must have been freed.
    NoLeak: (s) => !Thread.values.every((t) => s.pc[t] === 'Done') || s.freed,
  },
  // Both threads finishing is the end of the protocol, not a deadlock.
  terminal: (s) => Thread.values.every((t) => s.pc[t] === 'Done'),
  variants: {
    atomic: { expect: 'holds' },
    racy: { constants: { atomic: false }, expect: { violates: 'NoLeak' } },
  },
});
