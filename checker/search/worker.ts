// One worker thread of the parallel search (see parallel.ts). It rebuilds the system from the source
// it is sent (by importing the builder the source names: the engine knows no front end), then takes
// part in each round: it expands the states of the current level that it claims, inserting
// successors into the shared store and keeping the new ones in its own frontier for the next level.
import { once } from 'node:events';
import { parentPort } from 'node:worker_threads';
import type { SystemSource, TransitionSystem } from '../system.ts';
import { CONTROL, Participant, type Setup, threadCanonicaliser, type ToWorker } from './parallel.ts';

// The thread may start before the search knows what to check (parallel.ts, warmUp): its first message says.
const [setup] = (await once(parentPort!, 'message')) as [Setup];
const builder = (await import(setup.source.builder)) as { rebuildSystem: (s: SystemSource) => Promise<TransitionSystem> };
const system = await builder.rebuildSystem(setup.source);
const control = new Int32Array(setup.control);
const self = new Participant(
  system,
  { canonicalise: threadCanonicaliser(system, setup.symmetry), deadlock: setup.deadlock },
  control,
  new Float64Array(setup.counts),
  setup.id,
  setup.participants,
);

parentPort!.on('message', (m: ToWorker) => {
  if (m.rehash) {
    self.rehash(m.rehash);
    parentPort!.postMessage(self.reply(false));
    return;
  }
  self.begin(m);
  parentPort!.postMessage(self.reply(self.work() === 'paused'));
});
Atomics.store(control, CONTROL.ready + setup.id, 1);
