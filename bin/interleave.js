#!/usr/bin/env node
// Runs the TypeScript sources (and the user's .ts specs) directly through tsx: no build step.
import { register } from 'tsx/esm/api';

register();
(await import('../src/cli/main.ts')).run();
