// Entry point of the thread that runs `check` and `simulate` searches for the command line: register
// tsx in this thread (loader hooks are per thread), then run the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./search-worker.ts');
