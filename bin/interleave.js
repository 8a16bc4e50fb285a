#!/usr/bin/env node
// Runs the TypeScript sources (and the user's .ts specs) directly through tsx: no build step.
import { refuseExit } from '../checker/refuse-exit.js';
import { startEarly } from '../src/cli/search-thread-start.js';
import { registerTypeScript } from '../checker/typescript-hooks.js';

// The command line never calls process.exit: it sets process.exitCode and lets the process end.
refuseExit();
// The search thread first (plain JavaScript, before anything else loads): it loads the checker, and
// starts the worker threads of a parallel search, while this thread loads the command line.
startEarly(process.argv.slice(2));
// The command line's JavaScript dependencies load before the TypeScript hooks exist: each module
// loaded after them costs two round trips to the hooks' thread, and these are about forty modules.
await Promise.all([import('yargs'), import('yargs/helpers'), import('chalk')]);
await registerTypeScript();
(await import('../src/cli/main.ts')).run();
