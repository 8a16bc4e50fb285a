// What the page derives from a document: the columns, and what each step changed (by variable path,
// as the terminal view finds it), so the swimlane and the state panel agree on every highlight.
import { flattenItf } from '../../report/itf-values.ts';
import type { ExplorerDoc, ExplorerStep } from '../document.ts';

export interface Change {
  path: string;
  before?: string;
  after: string;
}

export interface StepView {
  step: ExplorerStep;
  /** Variable paths to printed values. */
  values: Map<string, string>;
  /** What changed from the state before (nothing for the first). */
  changes: Change[];
  /** A process step's own program counter: the column says it, so it is shown as where it goes next. */
  pc?: Change;
}

export function stepViews(doc: ExplorerDoc): StepView[] {
  const out: StepView[] = [];
  doc.steps.forEach((step, i) => {
    const values = new Map<string, string>();
    for (const v of doc.vars) flattenItf(step.state[v], v, values);
    if (i === 0) {
      out.push({ step, values, changes: [] });
      return;
    }
    const before = out[i - 1].values;
    const all: Change[] = [];
    for (const [path, after] of values) if (before.get(path) !== after) all.push({ path, before: before.get(path), after });
    const isPc = (c: Change) => step.self !== undefined && c.path.endsWith(`[${step.self}]`) && c.before === `'${step.name}'`;
    out.push({ step, values, changes: all.filter((c) => !isPc(c)), pc: all.find(isPc) });
  });
  return out;
}

/** The columns in the order their actors first act. */
export function lanesOf(doc: ExplorerDoc): string[] {
  const lanes: string[] = [];
  for (const s of doc.steps) if (s.lane !== undefined && !lanes.includes(s.lane)) lanes.push(s.lane);
  return lanes;
}

/** `'Done'` for a program counter value, as the terminal view prints where a thread goes next. */
export const unquote = (v: string) => v.replace(/^'(.*)'$/, '$1');
