// A sleeping lock with a FIFO wait queue, as a kernel mutex slow path: a thread that finds the lock
// held queues itself and sleeps; the unlocker hands the lock straight to the first waiter. The
// threads are interchangeable, and they occur everywhere symmetry has to look: as map keys (pc), as
// an optional value (owner), in a set (asleep) and in a sequence (queue).
// The `lost-wakeup` variant drops the waiter it dequeues instead of handing it the lock.
import { defineSpec, enumOf, mapOf, optional, scalarset, seqOf, setOf } from '../../src/index.ts';

const Thread = scalarset('t', 4);
type C = { handOff: boolean };

export default defineSpec({
  name: 'queued-lock',
  description: 'Mutual exclusion, and every sleeping thread is queued to be woken.',
  constants: { handOff: true } as C,
  state: {
    pc: mapOf(Thread, enumOf('idle', 'asleep', 'locked')),
    owner: optional(Thread),
    queue: seqOf(Thread, 3),
    asleep: setOf(Thread),
  },
  init: {
    pc: Object.fromEntries(Thread.values.map((t) => [t, 'idle' as const])),
    owner: null,
    queue: [],
    asleep: new Set<string>(),
  },
  actions: {
    lock: {
      params: { t: Thread },
      when: (s, { t }) => s.pc[t] === 'idle',
      do: (s, { t }) => {
        if (s.owner === null) {
          s.owner = t;
          s.pc[t] = 'locked';
        } else {
          s.queue.push(t);
          s.asleep.add(t);
          s.pc[t] = 'asleep';
        }
      },
    },
    unlock: {
      params: { t: Thread },
      when: (s, { t }) => s.pc[t] === 'locked',
      do: (s, { t }, c) => {
        s.pc[t] = 'idle';
        const next = s.queue.shift();
        if (next === undefined || !c.handOff) {
          s.owner = null;
          return;
        }
        s.owner = next;
        s.asleep.delete(next);
        s.pc[next] = 'locked';
      },
    },
  },
  invariants: {
    Mutex: (s) => Thread.values.filter((t) => s.pc[t] === 'locked').length <= 1,
    OwnerHoldsIt: (s) => (s.owner === null ? Thread.values.every((t) => s.pc[t] !== 'locked') : s.pc[s.owner] === 'locked'),
    SleepersQueued: (s) => [...s.asleep].every((t) => s.queue.includes(t)) && s.queue.every((t) => s.asleep.has(t)),
  },
  variants: {
    'hand-off': { expect: 'holds' },
    'lost-wakeup': { constants: { handOff: false }, expect: { violates: 'SleepersQueued' } },
  },
});
