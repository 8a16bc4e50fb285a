// The generated parts of specs/README.md: the table of every kernel spec's variants, and each
// counterexample a block asks for. A block sits between `<!-- generated: KEY -->` and
// `<!-- end generated -->`; everything outside the blocks is written by hand and left alone.
// KEY is `table`, `findings` (each failing variant's kind, consequence and fix), `bounds` (the
// verdicts at the other bounds variants declare), or `trace <spec> <variant>` for the
// counterexample of one variant.
import { join } from 'node:path';
import type { CheckResult } from '../../src/compile/check.ts';
import { describeExpectation, describeOutcome, formatTrace, makeChalk } from '../../src/report/console.ts';
import { ROOT, type VariantRun } from './kernel-runs.ts';

export const README = join(ROOT, 'specs', 'README.md');

const BLOCK = /(<!-- generated: ([^>]+?) -->\n)([\s\S]*?)(<!-- end generated -->)/g;

/** The generated blocks of a README, by key. */
export function readmeBlocks(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(BLOCK)) out[m[2]] = m[3];
  return out;
}

/** The README with every generated block rewritten from `runs`. */
export function renderBlocks(text: string, runs: VariantRun[]): string {
  return text.replace(BLOCK, (_all, open: string, key: string, _old: string, close: string) => `${open}${render(key, runs)}${close}`);
}

function render(key: string, runs: VariantRun[]): string {
  if (key === 'table') return table(runs);
  if (key === 'findings') return findings(runs);
  if (key === 'bounds') return boundsTable(runs);
  const [kind, spec, variant] = key.split(/\s+/);
  const run = runs.find((r) => r.spec === spec && r.variant === variant);
  if (kind !== 'trace' || !run) return `(no variant '${variant}' of spec '${spec}' in specs/kernel/)\n`;
  return trace(run.on);
}

function table(runs: VariantRun[]): string {
  const head = ['spec', 'variant', 'expected', 'result', 'trace (states)', 'distinct, symmetry on', 'distinct, symmetry off', 'as expected'];
  const rows = runs.map((r) => [
    `\`${r.spec}\``,
    r.variant,
    describeExpectation(r.on.expected),
    describeOutcome(r.on),
    r.on.trace ? String(r.on.trace.length) : '',
    String(r.on.stats.distinct),
    String(r.off.stats.distinct),
    r.on.matchesExpectation && r.off.matchesExpectation ? 'yes' : 'NO',
  ]);
  return [line(head), line(head.map((_, i) => (i >= 4 && i <= 6 ? '---:' : '---'))), ...rows.map(line)].join('\n') + '\n';
}

const line = (cells: string[]) => `| ${cells.join(' | ')} |`;

function findings(runs: VariantRun[]): string {
  const head = ['spec', 'variant', 'fails', 'kind', 'threads', 'consequence', 'minimal fix', 'fix checked', 'what happens'];
  const rows = runs.flatMap((r) => {
    const f = r.on.model.spec.def.variants?.[r.variant]?.finding;
    if (!f) return [];
    const fix = runs.find((x) => x.spec === r.spec && x.variant === f.fix);
    return [[
      `\`${r.spec}\``,
      r.variant,
      describeOutcome(r.on),
      f.kind,
      f.threads.join(', '),
      f.consequence,
      f.fix,
      fix ? describeOutcome(fix.on) : 'missing',
      f.explain.replace(/\|/g, '\\|').replace(/\s+/g, ' '),
    ]];
  });
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

function boundsTable(runs: VariantRun[]): string {
  const head = ['spec', 'variant', 'constant', 'value', 'result', 'trace (states)', 'distinct'];
  const rows = runs.flatMap((r) =>
    r.bounds.map((b) => [
      `\`${r.spec}\``,
      r.variant,
      b.constant,
      JSON.stringify(b.value),
      describeOutcome(b.result),
      b.result.trace ? String(b.result.trace.length) : '',
      String(b.result.stats.distinct),
    ]),
  );
  return [line(head), line(head.map((_, i) => (i >= 5 ? '---:' : '---'))), ...rows.map(line)].join('\n') + '\n';
}

/** The counterexample as `interleave check` prints it (without colours, statistics or timings). */
function trace(r: CheckResult): string {
  const c = makeChalk({ isTTY: false } as NodeJS.WriteStream);
  const title = `${r.model.specName} [${r.model.variant}]: ${describeOutcome(r)}`;
  return ['```', title, `  ${r.message ?? ''}`, `  Counterexample, ${r.trace?.length ?? 0} states:`, formatTrace(r, c), '```', ''].join('\n');
}
