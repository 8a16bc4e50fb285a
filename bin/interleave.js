#!/usr/bin/env node
// Runs the TypeScript sources (and the user's .ts specs) directly through tsx: no build step.
import { registerTypeScript } from '../checker/typescript-hooks.js';

await registerTypeScript();
// The search thread first: it loads the checker while this thread loads the command line.
(await import('../src/cli/search-thread-start.ts')).startEarly(process.argv.slice(2));
(await import('../src/cli/main.ts')).run();
