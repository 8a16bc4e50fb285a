// Entry point of the thread that runs `check` and `simulate` searches for the command line: register
// tsx in this thread (loader hooks are per thread), then run the TypeScript module.
import { refuseExit } from '../../checker/refuse-exit.js';
import { registerTypeScript } from '../../checker/typescript-hooks.js';

refuseExit();
await registerTypeScript();
// The worker threads of a parallel search first: they load while this thread does, each with the
// builder that will rebuild the system it is sent.
const { warmWorkers } = (await import('node:worker_threads')).workerData;
if (warmWorkers > 0) {
  const { REBUILD_MODULE } = await import('../compile/rebuild-module.ts');
  (await import('../../checker/search/warm.ts')).warmUp(warmWorkers, [REBUILD_MODULE]);
}
await import('./search-worker.ts');
