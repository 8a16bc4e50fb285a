// `interleave trace`: a saved trace step by step (changed variables only, or whole states), and the
// swimlane view: one column per thread, each step in its thread's column with what it changed.
import type { ChalkInstance } from 'chalk';
import { itfChanges, type ItfChange, type ItfFile, type ItfStep } from './itf-read.ts';
import { isOwnPc, laneOf, stepName, type StepLike } from './lanes.ts';
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
    if (i === t.loop && cycleHasSteps(t)) out.push(c.magenta(cycleStarts(i)));
  });
  if (t.loop !== undefined) {
    out.push(c.magenta(lassoEnd(t, t.onView)));
    const back = backChanges(t);
    if (back?.length === 0) out.push(`  ${pad}    ${c.dim('(no variable changed)')}`);
    for (const ch of back ?? []) out.push(`  ${pad}    ${changeLine(ch, c)}`);
    if (t.fairness) out.push(fairnessLine(t.fairness));
  }
  return out.join('\n');
}

/**
 * A lasso's cycle starts at state `loop`, after the step into it, which is not part of the cycle;
 * the steps printed below the mark, and the step back, repeat forever.
 */
export function cycleStarts(loop: number): string {
  return `  --- the cycle starts at state ${loop + 1}: the steps below and the step back repeat forever ---`;
}

/** False when the cycle is its last state stuttering: the end line says all there is. */
export function cycleHasSteps(t: { loop?: number; back?: string; steps: unknown[] }): boolean {
  return !(t.back === undefined && t.loop === t.steps.length - 1);
}

/**
 * What the step back changed, from the last state to state `loop`; undefined when it stutters, or
 * with a view, where the state it reaches equals state `loop` on the view's variables only.
 */
function backChanges(t: ItfFile): ItfChange[] | undefined {
  if (t.loop === undefined || t.back === undefined || t.onView) return undefined;
  return itfChanges(t.steps[t.steps.length - 1], t.steps[t.loop]);
}

const fairnessHow = new Map([
  ['taken', 'is taken in the cycle'],
  ['disabled', 'is disabled in a state of the cycle'],
  ['never enabled', 'is never enabled in the cycle'],
]);

/** Which fairness conditions the cycle meets, and how: why the behaviour may stay in it forever. */
export function fairnessLine(fairness: readonly { unit: string; how: string }[]): string {
  if (fairness.length === 0) return '  No fairness is assumed, so a behaviour may stop (stutter) anywhere.';
  return `  Fairness the cycle meets: ${fairness.map((f) => `${escapeControl(f.unit)} ${fairnessHow.get(f.how) ?? escapeControl(f.how)}`).join('; ')}.`;
}

/** A lasso's end: how the last state goes back to its first state. */
export function lassoEnd(t: { loop?: number; back?: string; steps: unknown[] }, onView = false): string {
  const k = t.loop! + 1;
  if (!cycleHasSteps(t)) return `  --- stutters forever in state ${k} ---`;
  // With a view, the search keeps one state per view value: the step back reaches one equal to state k there.
  return `  --- ${t.back ? `${t.back}: ` : ''}back to state ${k}${onView ? ' (a state equal to it on the view)' : ''}: the cycle repeats forever ---`;
}

export function formatSwimlane(t: ItfFile, c: ChalkInstance): string {
  const [init, ...rest] = t.steps;
  if (rest.length > 0 && rest.every((s) => !s.action)) {
    return `${c.dim('(the trace names no actions, so its steps cannot be put in threads; showing it step by step)')}\n${formatSteps(t, c, false)}`;
  }
  const lanes: string[] = [];
  /** A step's row: its column, its name and what it changed (its own program counter as `-> label`). */
  const rowOf = (step: StepLike, before: ItfStep, after: ItfStep, n: string) => {
    const lane = laneOf(step);
    if (!lanes.includes(lane.title)) lanes.push(lane.title);
    const all = itfChanges(before, after);
    const changes = all.filter((ch) => !isOwnPc(ch, step, lane));
    const pc = all.find((ch) => isOwnPc(ch, step, lane));
    // Columns are padded by length: no colours inside them.
    const lines = [stepName(step), ...changes.map((ch) => `  ${ch.path}: ${changeText(ch)}`)];
    if (changes.length === 0) lines.push(pc ? '  (nothing else changed)' : '  (no variable changed)');
    // Where the thread goes next, as a label: `-> Done` where `-> free` was due is often the bug.
    if (pc) lines.push(`  -> ${pc.after.replace(/^'(.*)'$/, '$1')}`);
    return { n, lane: lane.title, lines };
  };
  const rows = rest.map((step, k) => rowOf(step, t.steps[k], step, String(k + 2)));
  // The step back, in its thread's column (with a view, the state it reaches is only equal on the view).
  const back = t.loop !== undefined && t.backStep && !t.onView ? rowOf(t.backStep, t.steps[t.steps.length - 1], t.steps[t.loop], '') : undefined;
  // A loop, not Math.max(...lines): a long trace has more lines than a call may have arguments.
  const all = back ? [...rows, back] : rows;
  const widths = lanes.map((l) => all.filter((r) => r.lane === l).reduce((w, r) => r.lines.reduce((v, x) => Math.max(v, x.length), w), l.length));
  const num = String(t.steps.length).length;
  const cell = (text: string, i: number) => text.padEnd(widths[i]);
  const out: string[] = [];
  out.push('initial state:');
  for (const [path, v] of init.values) out.push(`  ${path} = ${v}`);
  out.push('');
  out.push(`${' '.repeat(num)}  ${lanes.map((l, i) => c.bold(cell(l, i))).join(' | ')}`.trimEnd());
  out.push(`${' '.repeat(num)}  ${lanes.map((_, i) => '-'.repeat(widths[i])).join('-+-')}`);
  const cycleMarked = t.loop !== undefined && cycleHasSteps(t);
  if (cycleMarked && t.loop === 0) out.push(c.magenta(cycleStarts(0)));
  const push = (row: { n: string; lane: string; lines: string[] }) => {
    const col = lanes.indexOf(row.lane);
    row.lines.forEach((line, j) => {
      const cells = lanes.map((_, i) => (i === col ? (j === 0 ? c.bold(cell(line, i)) : cell(line, i)) : cell('', i)));
      const n = j === 0 ? c.dim(row.n.padStart(num)) : ' '.repeat(num);
      out.push(`${n}  ${cells.join(' | ')}`.trimEnd());
    });
  };
  rows.forEach((row, k) => {
    push(row);
    // Row k shows state k + 2; the cycle starts after the step into its first state.
    if (cycleMarked && t.loop === k + 1) out.push(c.magenta(cycleStarts(k + 1)));
  });
  if (back) push(back);
  if (t.loop !== undefined) {
    out.push(c.magenta(lassoEnd(t, t.onView)));
    if (t.fairness) out.push(fairnessLine(t.fairness));
  }
  return out.join('\n');
}
