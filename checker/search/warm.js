// Worker threads started ahead of a parallel search. A thread takes a few tenths of a second to load
// tsx and the checker, and then to rebuild the system it is sent; started when the search starts,
// it would leave the first levels to one thread. Plain JavaScript that imports nothing of the engine
// (its types are in the .d.ts beside it), so that the thread running a search starts them first,
// before it registers the TypeScript hooks: a thread started after them joined Counters' search a
// fifth of a second after the search began.
import { Worker } from 'node:worker_threads';

const warm = [];
const workerUrl = new URL('./worker-thread.js', import.meta.url);

/**
 * Starts `count` worker threads now, for the next parallel search to use; they do not keep the
 * process alive. Each also starts loading the `preload` module URLs (the front end's system builder,
 * which the thread will import to rebuild the system it is sent) while it waits for its setup.
 */
export function warmUp(count, preload = []) {
  while (warm.length < count) {
    const w = { worker: new Worker(workerUrl, { workerData: { preload } }) };
    w.worker.once('error', (e) => (w.failed = e));
    w.worker.unref();
    warm.push(w);
  }
}

/**
 * Tells the warm threads what the next parallel search will check, as soon as that is known (before
 * the audits that precede a search): each rebuilds the system meanwhile.
 */
export function prepareWorkers(source) {
  if (!source) return;
  for (const w of warm) w.worker.postMessage({ prepare: source });
}

/** A warm thread for a search to take, or a new one. */
export function takeWarm() {
  return warm.shift() ?? { worker: new Worker(workerUrl) };
}
