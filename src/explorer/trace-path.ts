// A saved trace as a path the live explorer can walk: the initial state it starts from, then for
// each step the successor (action instance and choice path) that leads to its next state, the one
// of the action the trace names when it names one.
import type { ItfFile } from '../report/itf-read.ts';
import type { ExploreSystem } from './engine-adapter.ts';
import { PathError, type Path } from './walk.ts';
import { sameParams } from '../../checker/trace/replay.ts';

export function pathOfTrace(sys: ExploreSystem, t: ItfFile): Path {
  // States compare by their encoding and parameters as the replay compares them (sameParams): a
  // set written in another order, a BigInt in ITF's form, a set-valued parameter are the same.
  const states = sys.readTrace(t.json, t.file);
  const init = sys.initial.findIndex((s) => sys.keyOf(s) === states[0].key);
  if (init < 0) throw new PathError(`${t.file}: its first state is not an initial state of ${sys.title}`);
  const path: Path = { init, steps: [] };
  let here = sys.initial[init];
  for (let k = 1; k < states.length; k++) {
    const named = states[k].action;
    const found = sys
      .expand(here)
      .successors.find((s) => {
        const a = sys.actions[s.action];
        const fits = !named || (a.name === named.name && sameParams(a.params, named.params ?? {}));
        return fits && sys.keyOf(s.next) === states[k].key;
      });
    if (!found) {
      throw new PathError(`${t.file}: state ${k + 1} (${t.steps[k].label}) does not follow from state ${k} in ${sys.title}; \`interleave trace --replay\` says why`);
    }
    path.steps.push({ id: found.action, choice: found.choice });
    here = found.next;
  }
  return path;
}
