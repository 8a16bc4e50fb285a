// Checks a system's temporal properties on the state graph recorded from its search: the fair-cycle
// search for each property in turn, and the first violation's lasso turned into a concrete trace.
import type { SearchResult, TraceStep } from '../result.ts';
import { search, type SearchOptions } from '../search/bfs.ts';
import type { ActionInstance, TransitionSystem } from '../system.ts';
import { checkLiveness, type LivenessViolation } from './check.ts';
import type { LivenessSystem } from './formula.ts';
import { GraphRecorder, type RecordedGraph } from './recorder.ts';

export { LivenessRefused, LivenessSpecError } from './errors.ts';

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

/**
 * Records the graph by a search of its own: every concrete state (no symmetry), in this thread.
 * A search stopped early (--max-states, Ctrl-C, the memory bound) gives no graph, only why: a
 * property judged on part of the graph could be said to hold where it does not.
 */
export async function recordBySearch(system: TransitionSystem, live: LivenessSystem, opts: SearchOptions): Promise<{ recorded?: RecordedGraph; stopped?: SearchResult['stopped'] }> {
  const recorder = new GraphRecorder(system, live);
  // The search before this one judged every state already (its invariants, action properties and
  // deadlocks are symmetric, so a representative's verdict is its permutations'): this one only
  // records the graph, and does not judge the states again (deadlocks included: `deadlock: false`
  // below). Constraints stay: they shape the graph.
  const recordOnly: TransitionSystem = { ...system, invariants: [], actionProperties: [] };
  const { result } = await search(recordOnly, {
    ...opts,
    deadlock: false,
    canonicalise: undefined,
    workers: 1,
    store: undefined,
    onProgress: undefined,
    observer: (from, to, action, _choice, next) => recorder.observe(from, to, action, next),
    control: recorder.searchControl(opts.control),
  });
  // finish() first: a predicate that threw stopped the search, and that is the error to report.
  const recorded = recorder.finish();
  return result.stopped ? { stopped: result.stopped } : { recorded };
}

export function checkTemporal(
  system: TransitionSystem,
  live: LivenessSystem,
  recorded: RecordedGraph,
): { info: LivenessInfo; violation?: TemporalViolation; violations: TemporalViolation[] } {
  const start = Date.now();
  const g = recorded.graph;
  const holds: string[] = [];
  const violations: TemporalViolation[] = [];
  // Every property is checked (reports name each one's verdict), each violated one with its lasso;
  // the first violated is the one reported (--continue reports them all).
  for (const p of live.properties) {
    const v = checkLiveness(g, p);
    if (!v) {
      holds.push(p.name);
      continue;
    }
    const label = p.labels[v.conclusion];
    const { states, steps, back, loop } = v.lasso;
    const trace: TraceStep[] = states.map((index, i) => ({
      state: system.decode(recorded.encodings, index * recorded.width),
      action: i === 0 || steps[i - 1] < 0 ? undefined : system.actions[g.action[steps[i - 1]]],
      ...(i > 0 && steps[i - 1] < 0 ? { stutter: true } : {}),
    }));
    const backAction = back >= 0 ? system.actions[g.action[back]] : undefined;
    const named = label ? `'${p.name}' (${label})` : `'${p.name}'`;
    violations.push({
      property: p.name,
      label,
      message: `temporal property ${named} is violated`,
      trace,
      loop,
      fairness: v.fairness,
      ...(backAction ? { back: backAction } : {}),
    });
  }
  const info: LivenessInfo = {
    properties: live.properties.map((p) => p.name),
    holds,
    states: g.stateCount,
    edges: g.edgeCount,
    bytesPerEdge: recorded.bytesPerEdge,
    durationMs: Date.now() - start,
  };
  return { info, violation: violations[0], violations };
}
