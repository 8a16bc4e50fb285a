// A saved trace as a path the live explorer can walk: the initial state it starts from, then for
// each step the successor (action instance and choice path) that leads to its next state, the one
// of the action the trace names when it names one.
import type { ItfFile } from '../report/itf-read.ts';
import type { ExploreState, ExploreSystem } from './engine-adapter.ts';
import { PathError, type Path } from './walk.ts';

export function pathOfTrace(sys: ExploreSystem, t: ItfFile): Path {
  const raw = (t.json as { states: Record<string, unknown>[] }).states;
  const want = (i: number) => JSON.stringify(sys.vars.map((v) => raw[i][v]));
  const have = (s: ExploreState) => {
    const itf = sys.toItf(s);
    return JSON.stringify(sys.vars.map((v) => itf[v]));
  };
  const init = sys.initial.findIndex((s) => have(s) === want(0));
  if (init < 0) throw new PathError(`${t.file}: its first state is not an initial state of ${sys.title}`);
  const path: Path = { init, steps: [] };
  let here = sys.initial[init];
  for (let k = 1; k < t.steps.length; k++) {
    const named = t.steps[k];
    const target = want(k);
    const found = sys
      .expand(here)
      .successors.find((s) => {
        const a = sys.actions[s.action];
        const fits = !named.action || (a.name === named.action && JSON.stringify(a.params) === JSON.stringify(named.params));
        return fits && have(s.next) === target;
      });
    if (!found) {
      throw new PathError(`${t.file}: state ${k + 1} (${named.label}) does not follow from state ${k} in ${sys.title}; \`interleave trace --replay\` says why`);
    }
    path.steps.push({ id: found.action, choice: found.choice });
    here = found.next;
  }
  return path;
}
