#!/usr/bin/env node
// Runs the TypeScript sources (and the user's .ts specs) directly through tsx: no build step.
import { refuseExit } from '../checker/refuse-exit.js';
import { registerTypeScript } from '../checker/typescript-hooks.js';

// The command line never calls process.exit: it sets process.exitCode and lets the process end.
refuseExit();
await registerTypeScript();
// The search thread first: it loads the checker while this thread loads the command line.
(await import('../src/cli/search-thread-start.ts')).startEarly(process.argv.slice(2));
(await import('../src/cli/main.ts')).run();
