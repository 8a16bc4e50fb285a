#!/usr/bin/env node
// Runs the TypeScript sources (and the user's .ts specs) directly through tsx: no build step.
import { register } from 'tsx/esm/api';

register();
// Worker threads take half a second to start: for `check --workers N`, they start while the rest loads.
(await import('../checker/parallel.ts')).warmUpFor(process.argv.slice(2));
(await import('../src/cli/main.ts')).run();
