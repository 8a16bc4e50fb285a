// Walking a state space by hand: a path (an initial state's index, then action instance ids) is
// replayed through the engine's step into the explorer's document, with what can happen at one of
// its states. A path that does not replay is refused with the step where it stops.
import type { State } from './engine-adapter.ts';
import { flattenItf } from '../report/itf-values.ts';
import type { ExploreAnswer, ExploreBlocked, ExploreChoice, ExplorerDoc, ExplorerStep } from './document.ts';
import type { ExploreSystem } from './engine-adapter.ts';
import { laneOf, stepName } from '../report/lanes.ts';

export class PathError extends Error {}

interface Walked {
  states: State[];
  doc: ExplorerDoc;
}

export function walk(sys: ExploreSystem, path: number[]): Walked {
  if (path.length === 0) throw new PathError('the path is empty: it starts with the index of an initial state');
  const [init, ...ids] = path;
  if (!Number.isInteger(init) || init < 0 || init >= sys.initial.length) {
    throw new PathError(`the path starts at initial state ${init + 1}, but the spec has ${sys.initial.length}`);
  }
  const states: State[] = [sys.initial[init]];
  const steps: ExplorerStep[] = [{ label: 'initial state', name: 'initial state', state: sys.toItf(states[0]), violates: sys.violations(states[0]) }];
  ids.forEach((id, k) => {
    const a = sys.actions[id];
    if (!a) throw new PathError(`step ${k + 2} of the path names action ${id}, but the spec has actions 0 to ${sys.actions.length - 1}`);
    const out = sys.step(states[k], id);
    if (!out.enabled) throw new PathError(`step ${k + 2} of the path: ${a.label} is not enabled in state ${k + 1} (${out.reason})`);
    states.push(out.next);
    const lane = laneOf({ action: a.name, params: a.params, actor: a.actor, label: a.label });
    steps.push({
      label: a.label,
      name: stepName({ action: a.name, params: a.params, label: a.label }),
      lane: lane.title,
      self: lane.self,
      state: sys.toItf(out.next),
      violates: out.violates,
    });
  });
  return { states, doc: { title: sys.title, vars: sys.vars, steps } };
}

export function answer(sys: ExploreSystem, path: number[], at: number): ExploreAnswer {
  const { states, doc } = walk(sys, path);
  const here = Math.max(0, Math.min(at, states.length - 1));
  const before = new Map<string, string>();
  for (const [k, v] of Object.entries(doc.steps[here].state)) flattenItf(v, k, before);
  const enabled: ExploreChoice[] = [];
  const blocked: ExploreBlocked[] = [];
  for (const a of sys.actions) {
    const out = sys.step(states[here], a.id);
    const lane = laneOf({ action: a.name, params: a.params, actor: a.actor, label: a.label }).title;
    if (!out.enabled) {
      blocked.push({ id: a.id, label: a.label, lane, reason: out.reason });
      continue;
    }
    const after = new Map<string, string>();
    for (const [k, v] of Object.entries(sys.toItf(out.next))) flattenItf(v, k, after);
    const changes = [...after].filter(([p, v]) => before.get(p) !== v).length;
    enabled.push({ id: a.id, label: a.label, lane, changes, violates: out.violates });
  }
  // A process step blocked by its own program counter says little: list real guards first.
  const byPc = (b: ExploreBlocked) => (/^\S+\[[^\]]+\] is '/.test(b.reason) ? 1 : 0);
  blocked.sort((x, y) => byPc(x) - byPc(y) || x.id - y.id);
  return { doc, at: here, initialStates: sys.initial.length, enabled, blocked };
}

/** Parses a path as the page's address writes it: `0.4.9`. */
export function parsePath(text: string | null): number[] {
  if (text === null || text === '') return [0];
  if (!/^\d+(\.\d+)*$/.test(text)) throw new PathError(`'${text}' is not a path (numbers separated by dots: an initial state, then action ids)`);
  return text.split('.').map(Number);
}
