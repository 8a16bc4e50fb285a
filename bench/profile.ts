// Where a real check spends its time, by phase of the step: runs `interleave check` under
// `node --cpu-prof` and sorts the search thread's samples into guards, recipes, encode, decode, the
// store, canonicalisation and the rest, each sample by the innermost frame that says which it is.
//   npx tsx bench/profile.ts specs/examples/lamport-mutex.ts --const N=3 --const maxClock=5 --const MaxNat=6
// Arguments after the spec file go to `interleave check` (one worker unless --workers is given).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface Frame { functionName: string; url: string }
interface Node { id: number; callFrame: Frame; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; startTime: number; endTime: number }

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: npx tsx bench/profile.ts <spec> [check options]');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'interleave-profile-'));
const checkArgs = ['check', ...args, ...(args.includes('--workers') ? [] : ['--workers', '1'])];
const run = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, join(ROOT, 'bin', 'interleave.js'), ...checkArgs], { cwd: ROOT, encoding: 'utf8' });
process.stdout.write(run.stdout.split('\n').filter((l) => !l.includes('distinct/s')).join('\n'));

/** The phase a sample belongs to, from its stack (innermost frame first). */
function phaseOf(stack: Frame[]): string {
  const leaf = stack[0];
  if (leaf.functionName === '(garbage collector)') return 'garbage collection';
  if (!stack.some((f) => f.url.includes('checker/search/'))) return 'outside the search (start-up, loading, report)';
  const under = (name: string) => stack.some((f) => f.functionName === name);
  for (const f of stack) {
    const name = f.functionName;
    const url = f.url;
    if (name === 'fits' || name === 'encode' || /^e\d+$/.test(name)) {
      // The step re-encodes a state after spec code has seen it, to find writes by predicates.
      return under('differs') ? 'encode: checking predicates wrote nothing' : 'encode (with the type checks)';
    }
    if (name === 'decode' || /^d\d+$/.test(name)) return under('draft') ? "decode: the recipe's copy" : 'decode: the pre-state';
    if (url.includes('checker/store/')) return 'store (fingerprint, insert)';
    if (url.includes('checker/symmetry/')) return 'canonicalise';
    if (url.includes('/specs/') || url.includes('/bench/') || url.includes('src/choice.ts')) {
      if (under('guard')) return 'guards';
      if (under('constraint')) return 'state constraint';
      if (under('invariantViolation') || under('checkInvariants')) return 'invariants';
      return 'recipes (with the choice paths)';
    }
  }
  return 'the step and search loop';
}

const totals = new Map<string, number>();
let all = 0;
for (const file of readdirSync(dir)) {
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Only the thread that searched: the others idle while it runs.
  if (!p.nodes.some((n) => n.callFrame.url.includes('checker/search/') && n.callFrame.functionName === 'expand')) continue;
  for (const s of p.samples) {
    const stack: Frame[] = [];
    for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) stack.push(byId.get(id)!.callFrame);
    if (stack[0].functionName === '(idle)' || stack[0].functionName === '(program)') continue;
    const phase = phaseOf(stack);
    totals.set(phase, (totals.get(phase) ?? 0) + 1);
    all++;
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`\nCPU samples of the searching thread(s): ${all}`);
for (const [phase, count] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`  ${phase.padEnd(48)} ${((100 * count) / all).toFixed(1).padStart(5)}%`);
