// A saved trace as the explorer's document: each state's ITF values and each step's column.
import type { ItfFile } from '../report/itf-read.ts';
import { laneOf, stepName } from '../report/lanes.ts';
import type { ExplorerDoc } from './document.ts';

export function documentFromItf(t: ItfFile): ExplorerDoc {
  const m = t.meta;
  const title = typeof m.spec === 'string' ? (m.variant && m.variant !== 'default' ? `${m.spec} [${String(m.variant)}]` : m.spec) : t.file;
  const raw = (t.json as { states: Record<string, unknown>[] }).states;
  return {
    title,
    description: typeof m.description === 'string' ? m.description : undefined,
    source: t.file,
    vars: t.vars,
    loop: t.loop,
    steps: t.steps.map((step, i) => {
      const state: Record<string, unknown> = {};
      for (const v of t.vars) state[v] = raw[i][v];
      if (i === 0 && !step.action) return { label: 'initial state', name: 'initial state', state, expressions: step.expressions };
      const lane = laneOf(step);
      return { label: step.label, name: stepName(step), lane: lane.title, self: lane.self, state, expressions: step.expressions };
    }),
  };
}
