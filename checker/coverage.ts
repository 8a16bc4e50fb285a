// Action coverage: how often each action (for processes, each labelled step) fired during a run,
// summed over its parameter instances. An action that never fires is usually a wrong guard.
import type { TransitionSystem } from './system.ts';
import type { Coverage } from './result.ts';

export interface ActionCoverage {
  /** The action's name as declared (`put.load` for a process step). */
  name: string;
  process?: string;
  /** Number of parameter instances. */
  instances: number;
  /** Transitions the action produced. */
  fired: number;
  /** Of those, transitions that reached a state not seen before. */
  found: number;
}

/** One entry per declared action, in declaration order. */
export function summariseCoverage(model: Pick<TransitionSystem, 'actions'>, coverage: Coverage): ActionCoverage[] {
  const byName = new Map<string, ActionCoverage>();
  for (const a of model.actions) {
    const entry = byName.get(a.name) ?? { name: a.name, process: a.process, instances: 0, fired: 0, found: 0 };
    entry.instances++;
    entry.fired += coverage.fired[a.id];
    entry.found += coverage.found[a.id];
    byName.set(a.name, entry);
  }
  return [...byName.values()];
}

export function neverFired(summary: ActionCoverage[]): string[] {
  return summary.filter((a) => a.fired === 0).map((a) => a.name);
}
