// Entry point of the thread that runs `check` and `simulate` searches for the command line: register
// tsx in this thread (loader hooks are per thread), then run the TypeScript module.
import { refuseExit } from '../../checker/refuse-exit.js';
import { registerTypeScript } from '../../checker/typescript-hooks.js';

refuseExit();
await registerTypeScript();
// The worker threads of a parallel search first: they load while this thread does, each with the
// builder that rebuilds the system it is sent (the module src/compile/model.ts names as the builder).
const { warmWorkers } = (await import('node:worker_threads')).workerData;
const builder = new URL('../compile/rebuild.ts', import.meta.url).href;
if (warmWorkers > 0) (await import('../../checker/search/warm.ts')).warmUp(warmWorkers, [builder]);
await import('./search-worker.ts');
