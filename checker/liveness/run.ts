// Checks a model's temporal properties after its safety search: records the state graph, runs the
// fair-cycle search for each property in turn, and turns the first violation's lasso into a trace.
import type { ActionInstance, Model } from '../model.ts';
import type { TraceStep } from '../result.ts';
import { checkLiveness, type LivenessViolation } from './check.ts';
import { LivenessSpecError, recordGraph, type RecordedGraph } from './record.ts';

export interface LivenessInfo {
  /** Properties checked, in order. */
  properties: string[];
  /** Those that hold. */
  holds: string[];
  states: number;
  edges: number;
  bytesPerEdge: number;
  durationMs: number;
}

export interface TemporalViolation {
  property: string;
  /** Which conjunct failed, when the property has several: `t1`, `put t2`. */
  label: string;
  message: string;
  trace: TraceStep[];
  /** The index of the state the last state of the trace goes back to; the last index itself: it stutters forever. */
  loop: number;
  fairness: LivenessViolation['fairness'];
  /** The action of the step from the last state back to `loop` (none when it stutters). */
  back?: ActionInstance;
}

export type TemporalResult =
  | { ok: true; info: LivenessInfo; violation?: TemporalViolation }
  | { ok: false; info?: LivenessInfo; error: string };

export function checkTemporal(model: Model): TemporalResult {
  const t = model.temporal!;
  let recorded: RecordedGraph & { durationMs: number };
  try {
    recorded = recordGraph(model);
  } catch (e) {
    if (e instanceof LivenessSpecError) return { ok: false, error: e.message };
    throw e;
  }
  const start = Date.now();
  const g = recorded.graph;
  const holds: string[] = [];
  let first: TemporalViolation | undefined;
  const info = (): LivenessInfo => ({
    properties: t.properties.map((p) => p.name),
    holds,
    states: g.stateCount,
    edges: g.edgeCount,
    bytesPerEdge: recorded.bytesPerEdge,
    durationMs: recorded.durationMs + Date.now() - start,
  });
  // Every property is checked (reports name each one's verdict); the first violated is the one reported.
  for (const p of t.properties) {
    const v = checkLiveness(g, p);
    if (!v) {
      holds.push(p.name);
      continue;
    }
    if (first) continue;
    const label = p.labels[v.conclusion];
    const { states, steps, back, loop } = v.lasso;
    const stateAt = (i: number) => model.decode(recorded.encodings, states[i] * recorded.width);
    const trace: TraceStep[] = states.map((_, i) => ({
      state: stateAt(i),
      action: i === 0 || steps[i - 1] < 0 ? undefined : model.actions[g.action[steps[i - 1]]],
      ...(i > 0 && steps[i - 1] < 0 ? { stutter: true } : {}),
    }));
    const backAction = back >= 0 ? model.actions[g.action[back]] : undefined;
    const named = label ? `'${p.name}' (${label})` : `'${p.name}'`;
    first = {
      property: p.name,
      label,
      message: `temporal property ${named} is violated`,
      trace,
      loop,
      fairness: v.fairness,
      ...(backAction ? { back: backAction } : {}),
    };
  }
  return { ok: true, info: info(), violation: first };
}
