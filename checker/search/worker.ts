// One worker thread of the parallel search (see parallel.ts). It rebuilds the system from the source
// it is sent (by importing the builder the source names: the engine knows no front end), then takes
// part in each round: it expands the states of the current level that it claims, inserting
// successors into the shared store and keeping the new ones in its own frontier for the next level.
import { once } from 'node:events';
import { parentPort } from 'node:worker_threads';
import type { SystemSource, TransitionSystem } from '../system.ts';
import { collectGarbage, RELEASE_BYTES } from '../store/release.ts';
import { CONTROL, Participant, type Setup, threadCanonicaliser, type ToWorker } from './parallel.ts';
import type { Prepare } from './warm.js';

async function rebuild(source: SystemSource): Promise<TransitionSystem> {
  const builder = (await import(source.builder)) as { rebuildSystem: (s: SystemSource) => Promise<TransitionSystem> };
  return builder.rebuildSystem(source);
}

/** Whether two sources name the same system (the same module, export, variant, constants and import graph). */
const same = (a: SystemSource, b: SystemSource) => JSON.stringify(a) === JSON.stringify(b);

// The thread may start before the search knows what to check (warm.js): its first
// message says, or says what to rebuild ahead of it (prepareWorkers).
let [first] = (await once(parentPort!, 'message')) as [Setup | Prepare];
let prepared: { source: SystemSource; system: Promise<TransitionSystem> } | undefined;
while ('prepare' in first) {
  const system = rebuild(first.prepare);
  // Whatever it throws is thrown again when the search asks for this system.
  system.catch(() => undefined);
  prepared = { source: first.prepare, system };
  [first] = (await once(parentPort!, 'message')) as [Setup | Prepare];
}
const setup = first;
const system = await (prepared && same(prepared.source, setup.source) ? prepared.system : rebuild(setup.source));
const control = new Int32Array(setup.control);
const self = new Participant(
  system,
  { canonicalise: threadCanonicaliser(system, setup.symmetry), deadlock: setup.deadlock },
  control,
  new Float64Array(setup.counts),
  setup.id,
  setup.participants,
  undefined,
  setup.outbox,
);

parentPort!.on('message', (m: ToWorker) => {
  if (m.rehash) {
    // The old table's memory is freed once every thread has dropped it and collected (release.ts).
    if (rehash(m)) collectGarbage();
    parentPort!.postMessage(self.reply(false));
    return;
  }
  self.begin(m);
  const reply = self.reply(self.work() === 'paused');
  // An outbox moves to the thread that inserts its successors, without a copy.
  parentPort!.postMessage(reply, reply.handed ? [reply.handed.outbox.buffer] : []);
});
/** Moves this thread's share of the table and drops the message's hold on the old one; whether it was large. */
function rehash(m: ToWorker): boolean {
  const r = m.rehash!;
  m.rehash = undefined;
  self.rehash(r);
  self.dropStore();
  return r.old.byteLength >= RELEASE_BYTES;
}

Atomics.store(control, CONTROL.ready + setup.id, 1);
