// Entry point of a worker thread: register tsx in this thread (loader hooks are per thread), then
// run the TypeScript worker, as bin/interleave.js does for the main thread.
import { register } from 'tsx/esm/api';

register();
await import("./worker.ts");
