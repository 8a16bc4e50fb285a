// Starts the command line's search thread. bin/interleave.js asks for it first, for `check` and
// `simulate`, before it loads the command line or registers the TypeScript hooks, so that the thread,
// and the worker threads of a parallel search that it starts in turn, load the checker while the
// main thread loads the command line: a worker thread then joins the search at its start rather than
// a tenth of a second into it. Plain JavaScript for that reason; its types are in the .d.ts beside it.
// The SearchHost takes the thread.
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';

/** Slots of the shared statistics. `searching` is 1 once the audits before a search or simulation are done and it has begun. */
export const STATS = Object.freeze({ generated: 0, distinct: 1, queue: 2, depth: 3, elapsedMs: 4, walks: 5, searching: 6, length: 7 });

const threadUrl = new URL('./search-thread.js', import.meta.url);
/**
 * The search thread's heap may grow as large as this thread's may (V8's default limit), but, set
 * explicitly, filling it ends the thread with an error the command line reports, where a thread
 * without limits aborts the whole process with no report.
 */
const HEAP_MB = Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20);
let early;

export function startSearchThread(warmWorkers) {
  const control = new SharedArrayBuffer(4);
  const stats = new SharedArrayBuffer(STATS.length * 8);
  const setup = { control, stats, warmWorkers };
  // What spec code prints in the thread goes where this thread's prints go (stderr, with --json):
  // written through process.stdout.write at the time it arrives, not piped once at the start.
  const worker = new Worker(threadUrl, { workerData: setup, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
  worker.stdout.on('data', (d) => process.stdout.write(d));
  worker.stderr.on('data', (d) => process.stderr.write(d));
  worker.unref();
  return { worker, control, stats, warmWorkers };
}

export function startEarly(argv) {
  if (argv[0] !== 'check' && argv[0] !== 'simulate') return;
  const at = argv.findIndex((a) => a === '--workers' || a.startsWith('--workers='));
  const n = at < 0 ? 1 : Number(argv[at].includes('=') ? argv[at].slice('--workers='.length) : argv[at + 1]);
  early = startSearchThread(argv[0] === 'check' && Number.isInteger(n) && n > 1 && n <= 64 ? n - 1 : 0);
}

export function takeEarly(warmWorkers) {
  const thread = early;
  early = undefined;
  if (thread?.warmWorkers === warmWorkers) return thread;
  if (thread) void thread.worker.terminate();
  return undefined;
}

export function discardEarly() {
  void early?.worker.terminate();
  early = undefined;
}
