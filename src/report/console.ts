// How results reach a person on a terminal: one verdict line per variant, TLC's statistics, the
// counterexample with only what changed at each step, and a summary table.
import { relative, resolve } from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckResult } from '../compile/check.ts';
import type { DiskUse } from '../../checker/result.ts';
import { expectedViolations, type Expectation } from '../spec.ts';
import { show } from '../schema/index.ts';
import { chosen } from './choices.ts';
import { changes } from './diff.ts';
import { escapeControl } from './terminal.ts';
import { cycleHasSteps, cycleStarts, fairnessLine, lassoEnd } from './trace-view.ts';

/** `1 state`, `2 states`. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Colours only on a terminal, and never when NO_COLOR is set. */
export function makeChalk(stream: NodeJS.WriteStream = process.stdout): ChalkInstance {
  const off = 'NO_COLOR' in process.env || !stream.isTTY;
  return new Chalk({ level: off ? 0 : Math.max(1, new Chalk().level) as 1 | 2 | 3 });
}

export function describeExpectation(e: Expectation | undefined): string {
  if (!e || e === 'holds') return 'holds';
  return `violates ${expectedViolations(e).map((x) => escapeControl(x)).join(', ')}`;
}

export function describeOutcome(r: CheckResult): string {
  const also = r.violated?.filter((v) => v.violation !== r.violation).map((v) => (v.outcome === 'error' ? 'error' : v.property)) ?? [];
  return also.length ? `${describeOne(r)}, ${also.join(', ')}` : describeOne(r);
}

function describeOne(r: CheckResult): string {
  switch (r.outcome) {
    case 'ok':
      return r.stats.complete ? 'holds' : `no violation (incomplete: ${r.stopped})`;
    case 'invariant':
      return `violates ${escapeControl(String(r.property))}`;
    case 'action-property':
    case 'temporal':
      return `violates ${escapeControl(String(r.property))}`;
    case 'deadlock':
      return 'deadlock';
    case 'error':
      return r.violation?.assertion ? 'assertion failed' : 'error in spec';
  }
}

/** `spec [variant]`; names come from the spec, so their control characters are escaped. */
export function variantTitle(r: CheckResult): string {
  return escapeControl(r.model.variant === 'default' ? r.model.specName : `${r.model.specName} [${r.model.variant}]`);
}

export function formatStats(r: CheckResult): string {
  const s = r.stats;
  const lines = [
    `${s.generated} states generated, ${s.distinct} distinct states found, ${s.queue} states left on queue.`,
    `Depth ${s.depth} (initial states are depth 1). Fingerprint collision probability ${s.collisionProbability.toExponential(1)}. ${(s.durationMs / 1000).toFixed(2)} s.`,
  ];
  if (r.symmetryReduced.length) lines.push(formatSymmetry(r));
  if (s.disk) lines.push(formatDiskUse(s.disk));
  if (r.switches) {
    const { before, after, explored } = r.switches;
    lines.push(
      `Actor switches: ${after}, the fewest among the shortest counterexamples (the first one found had ${before}; ${plural(explored, 'state')} searched for it).`,
    );
  }
  if (r.liveness) lines.push(formatLiveness(r.liveness));
  else if (r.model.liveness && r.outcome !== 'error') {
    const names = r.model.liveness.properties.map((p) => p.name).join(', ');
    lines.push(`Temporal properties ${names} not checked: they are checked after a complete search that finds no other violation.`);
  }
  if (r.stopped) lines.push(`Stopped early (${r.stopped}): the state space was not exhausted.`);
  return lines.join('\n');
}

/** How much of a search went to disk. */
export function formatDiskUse(d: DiskUse): string {
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(b < 10 * 2 ** 20 ? 1 : 0)} MB`;
  const when = d.spilledAtStates ? `moved there at ${d.spilledAtStates} distinct states` : 'from the start';
  const checkpoints = d.checkpoints ? `, ${d.checkpoints} checkpoint${d.checkpoints === 1 ? '' : 's'}` : '';
  return `On disk (${when}): ${mb(d.bytes)} of fingerprints and parent links, ${d.merges} merge${d.merges === 1 ? '' : 's'} of the front table (${(d.mergeMs / 1000).toFixed(1)} s), ${d.pageReads} page reads${checkpoints}.`;
}

/** What the liveness check did: its graph, and symmetry switched off for it. */
export function formatLiveness(l: NonNullable<CheckResult['liveness']>): string {
  const off = l.symmetryOff ? ' Symmetry is off for temporal properties: the graph has every concrete state.' : '';
  return `Temporal properties ${l.properties.join(', ')}: checked on a graph of ${plural(l.states, 'state')} and ${plural(l.edges, 'transition')} (${l.bytesPerEdge} bytes per transition), ${(l.durationMs / 1000).toFixed(2)} s.${off}`;
}

/** Which scalarsets were reduced and, after --symmetry-compare, what that saved. */
export function formatSymmetry(r: CheckResult): string {
  let line = `Symmetry reduction over: ${r.symmetryReduced.join(', ')}.`;
  const w = r.withoutSymmetry;
  if (w) {
    const saved = w.distinct - r.stats.distinct;
    const ratio = r.stats.distinct ? ` (${(w.distinct / r.stats.distinct).toFixed(2)}x)` : '';
    line += ` Without symmetry: ${w.distinct} distinct states; symmetry saved ${saved}${ratio}.`;
    if (!w.complete || !r.stats.complete) line += ' (A search stopped early, so the counts cover different parts of the state space.)';
  }
  return line;
}

export function formatTrace(r: CheckResult, c: ChalkInstance): string {
  const trace = r.trace ?? [];
  const out: string[] = [];
  const width = String(trace.length).length;
  const view = { ...r.model.spec.def.trace, constants: r.model.constants };
  // Trace expressions are spec code: enabled() in them asks this spec, whichever was compiled last.
  r.model.activate();
  /** What a step changed, one indented line per variable path. */
  const changeLines = (before: unknown, after: unknown): string[] => {
    const diff = changes(r.model.codec, before, after, view);
    if (before !== undefined && diff.length === 0) return [`  ${' '.repeat(width)}    ${c.dim('(no variable changed)')}`];
    return diff.map((raw) => {
      const ch = { path: escapeControl(raw.path), before: raw.before === undefined ? undefined : escapeControl(raw.before), after: escapeControl(raw.after), added: raw.added?.map((x) => escapeControl(x)), removed: raw.removed?.map((x) => escapeControl(x)) };
      const line =
        ch.before === undefined
          ? `${ch.path} = ${ch.after}`
          : ch.added && ch.removed && ch.added.length + ch.removed.length <= 4
            ? `${c.cyan(ch.path)}: ${[...ch.added.map((e) => c.green(`+ ${e}`)), ...ch.removed.map((e) => c.red(`- ${e}`))].join(', ')}`
            : `${c.cyan(ch.path)}: ${c.red(ch.before)} ${c.dim('->')} ${c.green(ch.after)}`;
      return `  ${' '.repeat(width)}    ${line}`;
    });
  };
  const lasso = r.lasso && { loop: r.lasso.loop, back: r.lasso.back?.label, steps: trace };
  trace.forEach((step, i) => {
    const n = String(i + 1).padStart(width);
    const picks = chosen(step, trace[i - 1]?.state).map((x) => escapeControl(x));
    const title = (step.action ? c.bold(escapeControl(step.action.label)) : c.bold(step.stutter ? 'stutter' : 'initial state')) + (picks.length ? ` ${c.dim(`[${picks.join(', ')}]`)}` : '');
    const lane = step.action?.process ? c.dim(`  [${escapeControl(step.action.process)}]`) : '';
    out.push(`  ${c.dim(n)}  ${title}${lane}`);
    out.push(...changeLines(i === 0 ? undefined : trace[i - 1].state, step.state));
    if (lasso && i === lasso.loop && cycleHasSteps(lasso)) out.push(c.magenta(cycleStarts(lasso.loop)));
  });
  const last = r.violation?.step && !r.violation.step.next && r.violation.step.action;
  if (last) out.push(`  ${c.dim(String(trace.length + 1).padStart(width))}  ${c.bold(escapeControl(last.label))} ${c.red(r.violation?.assertion ? 'fails its assertion' : 'throws')}`);
  if (r.lasso && lasso) {
    out.push(c.magenta(escapeControl(lassoEnd(lasso, !!r.model.view))));
    if (r.lasso.back && !r.model.view) out.push(...changeLines(trace[trace.length - 1].state, trace[r.lasso.loop].state));
    out.push(fairnessLine(r.lasso.fairness));
  }
  return out.join('\n');
}

/** Another violated property of a run gone on past violations (--continue): its message and trace. */
export function formatViolation(r: CheckResult, c: ChalkInstance, traceFile?: string): string {
  const lines = [`  ${c.red(`also violates ${r.property ?? r.outcome}`)}: ${r.message ?? ''}`];
  if (r.trace?.length) {
    lines.push(`  ${counterexampleKind(r)}${traceFile ? ` (${traceFile})` : ''}:`);
    lines.push(formatTrace(r, c));
  }
  return lines.join('\n');
}

/** `Counterexample, 5 states`, or for a temporal violation what its trace is: a lasso. */
function counterexampleKind(r: CheckResult): string {
  const states = plural(r.trace!.length, 'state');
  return r.lasso ? `Counterexample (a lasso: a prefix, then a cycle repeated forever), ${states}` : `Counterexample, ${states}`;
}

/** The full report of one variant: verdict, message, trace, statistics. */
export function formatResult(r: CheckResult, c: ChalkInstance, traceFile?: string): string {
  const ok = r.outcome === 'ok' && r.stats.complete;
  const mark = r.matchesExpectation ? c.green('✓') : c.red('✗');
  const verdict = ok ? c.green(describeOutcome(r)) : r.outcome === 'ok' ? c.yellow(describeOutcome(r)) : c.red(describeOutcome(r));
  const expected = r.expected && r.expected !== 'holds' ? c.dim(` (expected: ${describeExpectation(r.expected)})`) : '';
  const lines = [`${mark} ${c.bold(variantTitle(r))}: ${verdict}${expected}`];
  if (r.message) lines.push(`  ${escapeControl(r.message)}`);
  const failedIn = r.outcome === 'error' ? r.trace?.at(r.violation?.step?.next ? -2 : -1)?.state : undefined;
  if (failedIn) lines.push(`  in state: ${escapeControl(show(failedIn))}`);
  if (r.outcome === 'error' && r.violation?.error instanceof Error && r.violation.error.stack) {
    const file = r.model.file ? resolve(r.model.file) : '\0';
    const where = r.violation.error.stack.split('\n').find((l) => l.includes(file))?.match(/\(?(\S+:\d+:\d+)\)?\s*$/)?.[1];
    if (where) lines.push(`  ${c.dim(`thrown at ${relative(process.cwd(), where.replace(/^file:\/\//, '')) || where}`)}`);
  }
  if (r.trace?.length) {
    lines.push(`  ${counterexampleKind(r)}${traceFile ? ` (${traceFile})` : ''}:`);
    lines.push(formatTrace(r, c));
  }
  lines.push(...formatStats(r).split('\n').map((l) => `  ${c.dim(l)}`));
  return lines.join('\n');
}

/** What a run did not get to: spec files that did not load or type-check, variants left unchecked by an interrupt. */
export interface NotRun {
  notLoaded?: number;
  /** Files that loaded (and may have been checked) but fail the type-check. */
  notTypeChecked?: number;
  notChecked?: number;
}


export function formatSummary(results: CheckResult[], c: ChalkInstance, gate: boolean, notRun: NotRun = {}): string {
  const rows = results.map((r) => [
    escapeControl(r.model.specName),
    escapeControl(r.model.variant),
    describeOutcome(r),
    describeExpectation(r.expected),
    String(r.stats.distinct),
    String(r.stats.generated),
    String(r.stats.depth),
    r.trace ? String(r.trace.length) : '',
    r.matchesExpectation ? 'yes' : 'NO',
  ]);
  const head = ['spec', 'variant', 'result', 'expected', 'distinct', 'generated', 'depth', 'trace', 'as expected'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = new Set([4, 5, 6, 7]);
  const fmt = (cells: string[]) => cells.map((x, i) => (numeric.has(i) ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join('  ').trimEnd();
  const lines = results.length ? [c.bold(fmt(head)), ...rows.map((r, i) => (results[i].matchesExpectation ? fmt(r) : c.red(fmt(r))))] : [];
  const mismatched = results.filter((r) => !r.matchesExpectation).length;
  const { notLoaded = 0, notTypeChecked = 0, notChecked = 0 } = notRun;
  // What was not run is said in every summary: a gate must never look green for specs it never saw.
  const missing = [
    notLoaded ? `${plural(notLoaded, 'spec file')} did not load` : '',
    notTypeChecked ? `${plural(notTypeChecked, 'spec file')} ${notTypeChecked === 1 ? 'does' : 'do'} not type-check` : '',
    notChecked ? `${plural(notChecked, 'variant')} not checked (the run was stopped)` : '',
  ].filter(Boolean);
  const checked = `${plural(results.length, 'variant')} checked`;
  if (gate) {
    if (mismatched === 0 && missing.length === 0) lines.push(c.green(`Gate passed: all ${plural(results.length, 'variant')} behave as their specs expect.`));
    else if (results.length === 0) lines.push(c.red(`Gate failed: ${missing.join('; ')}; no variant was checked.`));
    else if (mismatched === 0) lines.push(c.red(`Gate failed: ${missing.join('; ')}. ${checked}, all as expected.`));
    else lines.push(c.red(`Gate failed: ${mismatched} of ${checked} did not behave as expected${missing.length ? `; ${missing.join('; ')}` : ''}.`));
  } else if (missing.length) {
    lines.push(c.red(`${checked}; ${missing.join('; ')}.`));
  }
  return lines.join('\n');
}
