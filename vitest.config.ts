import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Bounds that catch a hang, not a speed: on a shared 2-core host under load, a test that starts
    // several checkers (the type-checker's projects, the cluster's broker and workers) took 64 s.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Most tests wait on a checker they started as a child process, so one file per core leaves a
    // core idle much of the time; vitest's default (cores - 1) runs one file at a time on two cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
