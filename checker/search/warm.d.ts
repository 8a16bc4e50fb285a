import type { Worker } from 'node:worker_threads';
import type { SystemSource } from '../system.ts';

/** Sent to a warm worker thread before its setup, when the system is known early (prepareWorkers). */
export interface Prepare {
  prepare: SystemSource;
}

export interface Warm {
  worker: Worker;
  /** What the thread threw while it started, kept for the search that takes it, which reports it. */
  failed?: Error;
}

/** Starts `count` worker threads now, each loading the `preload` module URLs while it waits for its setup. */
export function warmUp(count: number, preload?: string[]): void;
/** Tells the warm threads what the next parallel search will check, as soon as that is known. */
export function prepareWorkers(source: SystemSource | undefined): void;
/** A warm thread for a search to take, or a new one. */
export function takeWarm(): Warm;
