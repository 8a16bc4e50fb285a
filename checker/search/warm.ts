// Worker threads started ahead of a parallel search. A thread takes a few tenths of a second to load
// tsx and the checker, and then to rebuild the system it is sent; started when the search starts,
// it would leave the first levels to one thread. This module imports nothing of the engine, so that
// the thread running a search can start them before it loads anything else.
import { Worker } from 'node:worker_threads';
import type { SystemSource } from '../system.ts';

/** Sent to a warm worker thread before its setup, when the system is known early (prepareWorkers). */
export interface Prepare {
  prepare: SystemSource;
}

interface Warm {
  worker: Worker;
  /** What the thread threw while it started, kept for the search that takes it, which reports it. */
  failed?: Error;
}

const warm: Warm[] = [];
const workerUrl = new URL('./worker-thread.js', import.meta.url);

/**
 * Starts `count` worker threads now, for the next parallel search to use; they do not keep the
 * process alive. Each also starts loading the `preload` module URLs (the front end's system builder,
 * which the thread will import to rebuild the system it is sent) while it waits for its setup.
 */
export function warmUp(count: number, preload: string[] = []): void {
  while (warm.length < count) {
    const w: Warm = { worker: new Worker(workerUrl, { workerData: { preload } }) };
    w.worker.once('error', (e) => (w.failed = e));
    w.worker.unref();
    warm.push(w);
  }
}

/**
 * Tells the warm threads what the next parallel search will check, as soon as that is known (before
 * the audits that precede a search): each rebuilds the system meanwhile.
 */
export function prepareWorkers(source: SystemSource | undefined): void {
  if (!source) return;
  for (const w of warm) w.worker.postMessage({ prepare: source } satisfies Prepare);
}

/** A warm thread for a search to take, or a new one. */
export function takeWarm(): Warm {
  return warm.shift() ?? { worker: new Worker(workerUrl) };
}
