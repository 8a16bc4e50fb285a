// Entry point of a worker thread: register tsx in this thread (loader hooks are per thread), then
// run the TypeScript worker, as bin/interleave.js does for the main thread.
import { workerData } from 'node:worker_threads';
import { refuseExit } from '../refuse-exit.js';
import { registerTypeScript } from '../typescript-hooks.js';

refuseExit();
await registerTypeScript();
// Modules a warm thread will need (warm.js), loaded beside the worker's own: not awaited, and a
// failure is left to the import that needs the module, which reports it.
for (const url of workerData?.preload ?? []) import(url).catch(() => undefined);
await import('./worker.ts');
