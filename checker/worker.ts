// One worker thread of the parallel search (see parallel.ts). It loads the spec file it is sent, then
// takes part in each round: it expands the states of the current level that it claims, inserting
// successors into the shared store and keeping the new ones in its own frontier for the next level.
import { once } from 'node:events';
import { parentPort } from 'node:worker_threads';
import { loadSpec } from '../src/load.ts';
import { canonicaliserFor } from './check.ts';
import { compileModel } from './model.ts';
import { CONTROL, Participant, type Setup, type ToWorker } from './parallel.ts';

// The thread may start before the search knows what to check (parallel.ts, warmUp): its first message says.
const [setup] = (await once(parentPort!, 'message')) as [Setup];
const { spec } = await loadSpec(setup.file);
const model = compileModel(spec, setup.variant, setup.file, setup.overrides);
const canon = canonicaliserFor(model, setup.symmetry);
const control = new Int32Array(setup.control);
const self = new Participant(model, canon, setup.deadlock, control, new Float64Array(setup.counts), setup.id, setup.participants);

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
