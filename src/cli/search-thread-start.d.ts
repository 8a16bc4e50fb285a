import type { Worker } from 'node:worker_threads';

/** Slots of the shared statistics. `searching` is 1 once the audits before a search or simulation are done and it has begun. */
export declare const STATS: { readonly generated: 0; readonly distinct: 1; readonly queue: 2; readonly depth: 3; readonly elapsedMs: 4; readonly walks: 5; readonly searching: 6; readonly length: 7 };

export interface SearchThread {
  worker: Worker;
  control: SharedArrayBuffer;
  stats: SharedArrayBuffer;
  warmWorkers: number;
}

/** Starts a search thread that will start `warmWorkers` worker threads ahead of a parallel search. */
export function startSearchThread(warmWorkers: number): SearchThread;
/** For `check` and `simulate`, from the raw arguments; an option it cannot read is the parser's to report. */
export function startEarly(argv: string[]): void;
/** The thread started early, if it was started for as many worker threads; taken once. */
export function takeEarly(warmWorkers: number): SearchThread | undefined;
/** Ends the thread started early if no search took it. */
export function discardEarly(): void;
