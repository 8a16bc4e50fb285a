// `interleave trace`: a saved trace step by step (changed variables only, or whole states), and the
// swimlane view: one column per thread, each step in its thread's column with what it changed.
import type { ChalkInstance } from 'chalk';
import { itfChanges, type ItfChange, type ItfFile } from './itf-read.ts';
import { isOwnPc, laneOf, stepName } from './lanes.ts';
import { escapeControl } from './terminal.ts';

export function formatHeader(t: ItfFile, c: ChalkInstance): string {
  const m = t.meta;
  const title = typeof m.spec === 'string' ? (m.variant && m.variant !== 'default' ? `${m.spec} [${String(m.variant)}]` : m.spec) : t.file;
  const what = typeof m.description === 'string' ? `: ${m.description}` : '';
  const from = typeof m.source === 'string' ? `, from ${m.source}` : '';
  return `${c.bold(escapeControl(String(title)))}${escapeControl(what)}\n${c.dim(escapeControl(`${t.steps.length} state${t.steps.length === 1 ? '' : 's'}${from} (${t.file})`))}`;
}

/**
 * A change after the path: the elements added and removed for a set of records, else `before -> after`;
 * without colours when `c` is not given.
 */
function changeText(ch: ItfChange, c?: ChalkInstance): string {
  const [green, red, dim] = c ? [c.green, c.red, c.dim] : [String, String, String];
  return ch.added && ch.removed
    ? [...ch.added.map((e) => green(`+ ${e}`)), ...ch.removed.map((e) => red(`- ${e}`))].join(', ')
    : `${red(ch.before!)} ${dim('->')} ${green(ch.after)}`;
}

const changeLine = (ch: ItfChange, c: ChalkInstance) => (ch.before === undefined ? `${ch.path} = ${ch.after}` : `${c.cyan(ch.path)}: ${changeText(ch, c)}`);

/** Every step with only the variables it changed; with `full`, every variable (changed ones as `before -> after`). */
export function formatSteps(t: ItfFile, c: ChalkInstance, full: boolean): string {
  const width = String(t.steps.length).length;
  const pad = ' '.repeat(width);
  const out: string[] = [];
  t.steps.forEach((step, i) => {
    const prev = i === 0 ? undefined : t.steps[i - 1];
    const lane = step.process ? c.dim(`  [${step.process}]`) : '';
    if (i === t.loop) out.push(c.magenta(cycleStarts));
    out.push(`  ${c.dim(String(i + 1).padStart(width))}  ${c.bold(i === 0 && !step.action ? 'initial state' : step.label)}${lane}`);
    const changed = itfChanges(prev, step);
    if (full && prev) {
      const byPath = new Map(changed.map((ch) => [ch.path, ch]));
      for (const [path, v] of step.values) {
        const ch = byPath.get(path);
        out.push(`  ${pad}    ${ch ? changeLine(ch, c) : c.dim(`${path} = ${v}`)}`);
      }
    } else {
      if (prev && changed.length === 0) out.push(`  ${pad}    ${c.dim('(no variable changed)')}`);
      for (const ch of changed) out.push(`  ${pad}    ${changeLine(ch, c)}`);
    }
  });
  if (t.loop !== undefined) out.push(c.magenta(lassoEnd(t)));
  return out.join('\n');
}

/** A lasso's cycle: where it starts, and how the last state goes back to its first state. */
const cycleStarts = '  --- the cycle starts here ---';
export function lassoEnd(t: { loop?: number; back?: string; steps: unknown[] }, onView = false): string {
  const k = t.loop! + 1;
  if (t.back === undefined && t.loop === t.steps.length - 1) return `  --- stutters forever in state ${k} ---`;
  // With a view, the search keeps one state per view value: the step back reaches one equal to state k there.
  return `  --- ${t.back ? `${t.back}: ` : ''}back to state ${k}${onView ? ' (a state equal to it on the view)' : ''}: the cycle repeats forever ---`;
}

export function formatSwimlane(t: ItfFile, c: ChalkInstance): string {
  const [init, ...rest] = t.steps;
  if (rest.length > 0 && rest.every((s) => !s.action)) {
    return `${c.dim('(the trace names no actions, so its steps cannot be put in threads; showing it step by step)')}\n${formatSteps(t, c, false)}`;
  }
  const lanes: string[] = [];
  const rows = rest.map((step, k) => {
    const lane = laneOf(step);
    if (!lanes.includes(lane.title)) lanes.push(lane.title);
    const all = itfChanges(t.steps[k], step);
    const changes = all.filter((ch) => !isOwnPc(ch, step, lane));
    const pc = all.find((ch) => isOwnPc(ch, step, lane));
    // Columns are padded by length: no colours inside them.
    const lines = [stepName(step), ...changes.map((ch) => `  ${ch.path}: ${changeText(ch)}`)];
    if (changes.length === 0) lines.push(pc ? '  (nothing else changed)' : '  (no variable changed)');
    // Where the thread goes next, as a label: `-> Done` where `-> free` was due is often the bug.
    if (pc) lines.push(`  -> ${pc.after.replace(/^'(.*)'$/, '$1')}`);
    return { n: k + 2, lane: lane.title, lines };
  });
  // A loop, not Math.max(...lines): a long trace has more lines than a call may have arguments.
  const widths = lanes.map((l) => rows.filter((r) => r.lane === l).reduce((w, r) => r.lines.reduce((v, x) => Math.max(v, x.length), w), l.length));
  const num = String(t.steps.length).length;
  const cell = (text: string, i: number) => text.padEnd(widths[i]);
  const out: string[] = [];
  out.push('initial state:');
  for (const [path, v] of init.values) out.push(`  ${path} = ${v}`);
  out.push('');
  out.push(`${' '.repeat(num)}  ${lanes.map((l, i) => c.bold(cell(l, i))).join(' | ')}`.trimEnd());
  out.push(`${' '.repeat(num)}  ${lanes.map((_, i) => '-'.repeat(widths[i])).join('-+-')}`);
  if (t.loop === 0) out.push(c.magenta(cycleStarts));
  for (const row of rows) {
    const col = lanes.indexOf(row.lane);
    if (row.n - 1 === t.loop) out.push(c.magenta(cycleStarts));
    row.lines.forEach((line, j) => {
      const cells = lanes.map((_, i) => (i === col ? (j === 0 ? c.bold(cell(line, i)) : cell(line, i)) : cell('', i)));
      const n = j === 0 ? c.dim(String(row.n).padStart(num)) : ' '.repeat(num);
      out.push(`${n}  ${cells.join(' | ')}`.trimEnd());
    });
  }
  if (t.loop !== undefined) out.push(c.magenta(lassoEnd(t)));
  return out.join('\n');
}
