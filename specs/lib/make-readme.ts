// `npm run specs:readme`: checks every kernel spec variant (symmetry on and off) and rewrites the
// generated blocks of specs/README.md from that run.
import { readFileSync, writeFileSync } from 'node:fs';
import { runKernelSpecs } from './kernel-runs.ts';
import { README, renderBlocks } from './readme.ts';

const runs = await runKernelSpecs();
const before = readFileSync(README, 'utf8');
const after = renderBlocks(before, runs);
writeFileSync(README, after);
const unexpected = runs.filter((r) => !r.on.matchesExpectation || !r.off.matchesExpectation);
process.stdout.write(
  `specs/README.md: ${runs.length} variants${before === after ? ', unchanged' : ', updated'}` +
    (unexpected.length ? `; NOT as expected: ${unexpected.map((r) => `${r.spec} [${r.variant}]`).join(', ')}` : '') +
    '\n',
);
process.exitCode = unexpected.length ? 1 : 0;
