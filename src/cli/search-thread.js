// Entry point of the thread that runs `check` and `simulate` searches for the command line: register
// tsx in this thread (loader hooks are per thread), then run the TypeScript module.
import { workerData } from 'node:worker_threads';
import { refuseExit } from '../../checker/refuse-exit.js';
import { warmUp } from '../../checker/search/warm.js';
import { registerTypeScript } from '../../checker/typescript-hooks.js';
import { REBUILD_MODULE } from '../compile/rebuild-module.js';

// The worker threads of a parallel search first, before this thread registers the hooks: they load
// while this thread does, each with the builder that will rebuild the system it is sent.
refuseExit();
if (workerData.warmWorkers > 0) warmUp(workerData.warmWorkers, [REBUILD_MODULE]);
await registerTypeScript();
await import('./search-worker.ts');
