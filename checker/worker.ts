// One worker thread of the parallel search (see parallel.ts). It loads the spec file itself, then
// expands the states of the current level that it claims, a chunk at a time, inserting successors
// into the shared store and keeping the new ones in its own frontier for the next level.
import { parentPort, workerData } from 'node:worker_threads';
import { loadSpec } from '../src/load.ts';
import { Expander, Frontier } from './bfs.ts';
import { canonicaliserFor } from './check.ts';
import { compileModel } from './model.ts';
import { CONTROL, type FromWorker, type Setup, type ToWorker, toWire } from './parallel.ts';
import { FingerprintStore } from './store.ts';

const setup = workerData as Setup;
const { spec } = await loadSpec(setup.file);
const model = compileModel(spec, setup.variant, setup.file);
const control = new Int32Array(setup.control);
const counts = new Float64Array(setup.counts);
const block = new Int32Array(2);
let inserted = 0;
let store: FingerprintStore | undefined;
let next = new Frontier(model.width + 1, true);
const expander = new Expander(model, canonicaliserFor(model, setup.symmetry), setup.deadlock, (hi, lo, parent, action) => {
  const index = store!.insertShared(hi, lo, parent, action, control, block);
  if (index >= 0) inserted++;
  return index;
}, false);

parentPort!.on('message', (m: ToWorker) => {
  if (m.store) {
    store = FingerprintStore.view(m.store, m.storeSize);
    // Indices handed out before the store grew stay valid: the per-state arrays only gain chunks.
  }
  if (m.newLevel) {
    next = new Frontier(model.width + 1, true);
    expander.violations.clear();
  }
  const frontiers = m.frontiers.map((f) => ({ data: new Int32Array(f.buffer), count: f.count }));
  const total = frontiers.reduce((n, f) => n + f.count, 0);
  const record = model.width + 1;
  let paused = false;
  for (;;) {
    if (Atomics.load(control, CONTROL.stop) !== 0) break;
    if (Atomics.load(control, CONTROL.nextIndex) > m.roomLimit) {
      // The store needs to grow before more states go in: ask every thread to pause.
      Atomics.store(control, CONTROL.stop, 1);
      paused = true;
      break;
    }
    const first = Atomics.add(control, CONTROL.cursor, m.chunk);
    if (first >= total) break;
    const last = Math.min(first + m.chunk, total);
    let f = 0;
    let base = 0;
    for (let p = first; p < last; p++) {
      while (p - base >= frontiers[f].count) base += frontiers[f++].count;
      expander.expand(frontiers[f].data, (p - base) * record, next);
    }
    counts[2 * setup.id] = expander.generated;
    counts[2 * setup.id + 1] = inserted;
  }
  const best = expander.violations.best;
  const reply: FromWorker = {
    paused,
    next: { buffer: next.data.buffer as SharedArrayBuffer, count: next.count },
    violation: best && { wire: toWire(best), key: expander.violations.keyOfBest(), inNextLevel: expander.violations.bestInNextLevel },
  };
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true });
