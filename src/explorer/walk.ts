// Walking a state space by hand: a path (an initial state's index, then steps: an action instance
// id, with its choice path when the action has choices, `7-1`) is replayed through the engine's step
// into the explorer's document, with what can happen at one of its states. A path that does not
// replay is refused with the step where it stops.
import { flattenItf } from '../report/itf-values.ts';
import { laneOf, stepName } from '../report/lanes.ts';
import type { ExploreAnswer, ExploreBlocked, ExploreChoice, ExplorerDoc, ExplorerStep } from './document.ts';
import type { ExploreState, ExploreSuccessor, ExploreSystem } from './engine-adapter.ts';

export class PathError extends Error {}

/** One step of a path: the action instance, and the choice path inside it. */
export interface PathStep {
  id: number;
  choice: number[];
}

export interface Path {
  init: number;
  steps: PathStep[];
}

interface Walked {
  states: ExploreState[];
  doc: ExplorerDoc;
}

const sameChoice = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/** How a step is written in a path. */
export const stepText = (s: PathStep) => [s.id, ...s.choice].join('-');

export function walk(sys: ExploreSystem, path: Path): Walked {
  const { init, steps: ids } = path;
  if (init >= sys.initial.length) throw new PathError(`the path starts at initial state ${init + 1}, but the spec has ${sys.initial.length}`);
  const states: ExploreState[] = [sys.initial[init]];
  const steps: ExplorerStep[] = [{ label: 'initial state', name: 'initial state', state: sys.toItf(states[0]), violates: sys.violations(states[0]) }];
  ids.forEach((want, k) => {
    const a = sys.actions[want.id];
    if (!a) throw new PathError(`step ${k + 2} of the path names action ${want.id}, but the spec has actions 0 to ${sys.actions.length - 1}`);
    const { successors, blocked } = sys.expand(states[k]);
    const found = successors.find((s) => s.action === want.id && sameChoice(s.choice, want.choice));
    if (!found) {
      const why = blocked.get(want.id);
      throw new PathError(
        why !== undefined
          ? `step ${k + 2} of the path: ${a.label} is not enabled in state ${k + 1} (${why})`
          : `step ${k + 2} of the path: ${a.label} has no choice ${want.choice.join('-') || '(none)'} in state ${k + 1}`,
      );
    }
    states.push(found.next);
    steps.push({ ...describe(sys, found), state: sys.toItf(found.next), violates: found.violates });
  });
  return { states, doc: { title: sys.title, vars: sys.vars, steps } };
}

function describe(sys: ExploreSystem, s: ExploreSuccessor): Omit<ExplorerStep, 'state'> {
  const a = sys.actions[s.action];
  const label = s.choice.length ? `${a.label} [choice ${s.choice.join('-')}]` : a.label;
  const lane = laneOf({ action: a.name, params: a.params, actor: a.actor, label: a.label });
  return { label, name: stepName({ action: a.name, params: a.params, label: a.label }), lane: lane.title, self: lane.self };
}

export function answer(sys: ExploreSystem, path: Path, at: number): ExploreAnswer {
  const { states, doc } = walk(sys, path);
  const here = Math.max(0, Math.min(at, states.length - 1));
  const before = new Map<string, string>();
  for (const [k, v] of Object.entries(doc.steps[here].state)) flattenItf(v, k, before);
  const { successors, blocked: why } = sys.expand(states[here]);
  const enabled: ExploreChoice[] = successors.map((s) => {
    const after = new Map<string, string>();
    for (const [k, v] of Object.entries(sys.toItf(s.next))) flattenItf(v, k, after);
    const changes = [...after].filter(([p, v]) => before.get(p) !== v).length;
    const d = describe(sys, s);
    return { id: s.action, choice: s.choice, step: stepText({ id: s.action, choice: s.choice }), label: d.label, lane: d.lane, changes, violates: s.violates };
  });
  const blocked: ExploreBlocked[] = [...why].map(([id, reason]) => {
    const a = sys.actions[id];
    return { id, label: a.label, lane: laneOf({ action: a.name, params: a.params, actor: a.actor, label: a.label }).title, reason };
  });
  // A process step blocked by its own program counter says little: list real guards first.
  const byPc = (b: ExploreBlocked) => (/^\S+\[[^\]]+\] is '/.test(b.reason) ? 1 : 0);
  blocked.sort((x, y) => byPc(x) - byPc(y) || x.id - y.id);
  return { doc, at: here, initialStates: sys.initial.length, enabled, blocked };
}

/** Parses a path as the page's address writes it: `0.4.9-1` (an initial state, then steps). */
export function parsePath(text: string | null): Path {
  if (text === null || text === '') return { init: 0, steps: [] };
  if (!/^\d+(\.\d+(-\d+)*)*$/.test(text)) {
    throw new PathError(`'${text}' is not a path (an initial state's number, then steps separated by dots: an action id, with its choices after dashes)`);
  }
  const [init, ...steps] = text.split('.');
  return { init: Number(init), steps: steps.map((s) => s.split('-').map(Number)).map(([id, ...choice]) => ({ id, choice })) };
}

/** A path as the page's address writes it. */
export const pathText = (p: Path) => [String(p.init), ...p.steps.map(stepText)].join('.');
