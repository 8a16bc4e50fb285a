// Starts the command line's search thread. bin/interleave.js asks for it first, for `check` and
// `simulate`, so that the thread, and the worker threads of a parallel search that it starts in turn,
// load the checker while the main thread loads the command line: a worker thread then joins the
// search at its start rather than a few tenths of a second into it. The SearchHost takes it.
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { STATS, type ThreadSetup } from './search-jobs.ts';

export interface SearchThread {
  worker: Worker;
  control: SharedArrayBuffer;
  stats: SharedArrayBuffer;
  warmWorkers: number;
}

const threadUrl = new URL('./search-thread.js', import.meta.url);
/**
 * The search thread's heap may grow as large as this thread's may (V8's default limit), but, set
 * explicitly, filling it ends the thread with an error the command line reports, where a thread
 * without limits aborts the whole process with no report.
 */
const HEAP_MB = Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20);
let early: SearchThread | undefined;

export function startSearchThread(warmWorkers: number): SearchThread {
  const control = new SharedArrayBuffer(4);
  const stats = new SharedArrayBuffer(STATS.length * 8);
  const setup: ThreadSetup = { control, stats, warmWorkers };
  // What spec code prints in the thread goes where this thread's prints go (stderr, with --json):
  // written through process.stdout.write at the time it arrives, not piped once at the start.
  const worker = new Worker(threadUrl, { workerData: setup, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
  worker.stdout.on('data', (d: Buffer) => process.stdout.write(d));
  worker.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  worker.unref();
  return { worker, control, stats, warmWorkers };
}

/** For `check` and `simulate`, from the raw arguments; an option it cannot read is the parser's to report. */
export function startEarly(argv: string[]): void {
  if (argv[0] !== 'check' && argv[0] !== 'simulate') return;
  const at = argv.findIndex((a) => a === '--workers' || a.startsWith('--workers='));
  const n = at < 0 ? 1 : Number(argv[at].includes('=') ? argv[at].slice('--workers='.length) : argv[at + 1]);
  early = startSearchThread(argv[0] === 'check' && Number.isInteger(n) && n > 1 && n <= 64 ? n - 1 : 0);
}

/** The thread started early, if it was started for as many worker threads; taken once. */
export function takeEarly(warmWorkers: number): SearchThread | undefined {
  const thread = early;
  early = undefined;
  if (thread?.warmWorkers === warmWorkers) return thread;
  if (thread) void thread.worker.terminate();
  return undefined;
}

/** Ends the thread started early if no search took it. */
export function discardEarly(): void {
  void early?.worker.terminate();
  early = undefined;
}
