// Entry point of a worker thread: register tsx in this thread (loader hooks are per thread), then
// run the TypeScript worker, as bin/interleave.js does for the main thread.
import { refuseExit } from '../refuse-exit.js';
import { registerTypeScript } from '../typescript-hooks.js';

refuseExit();
await registerTypeScript();
await import("./worker.ts");
