// Runs the command line itself (bin/interleave.js: the same start-up, hooks and search thread), and
// on exit writes this process's peak resident memory (bytes) to the file named by BENCH_RSS_FILE, so
// the bench can report it per run.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});
await import('../bin/interleave.js');
