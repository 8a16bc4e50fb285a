// Runs the command line as bin/interleave.js does, and on exit writes this process's peak resident
// memory (bytes) to the file named by BENCH_RSS_FILE, so the bench can report it per run.
import { writeFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});
register();
(await import('../src/cli/main.ts')).run();
