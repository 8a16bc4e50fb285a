// A saved trace as a path the live explorer can walk: the initial state it starts from, then for
// each step the action instance that leads to its next state (the one the trace names, else any).
import type { State } from './engine-adapter.ts';
import type { ItfFile } from '../report/itf-read.ts';
import type { ExploreSystem } from './engine-adapter.ts';
import { PathError } from './walk.ts';

export function pathOfTrace(sys: ExploreSystem, t: ItfFile): number[] {
  const raw = (t.json as { states: Record<string, unknown>[] }).states;
  const want = (i: number) => JSON.stringify(sys.vars.map((v) => raw[i][v]));
  const have = (s: State) => JSON.stringify(sys.vars.map((v) => sys.toItf(s)[v]));
  const init = sys.initial.findIndex((s) => have(s) === want(0));
  if (init < 0) throw new PathError(`${t.file}: its first state is not an initial state of ${sys.title}`);
  const path = [init];
  let here = sys.initial[init];
  for (let k = 1; k < t.steps.length; k++) {
    const named = t.steps[k];
    const candidates = sys.actions.filter(
      (a) => !named.action || (a.name === named.action && JSON.stringify(a.params) === JSON.stringify(named.params)),
    );
    const target = want(k);
    let found: { id: number; next: State } | undefined;
    for (const a of candidates) {
      const out = sys.step(here, a.id);
      if (out.enabled && have(out.next) === target) {
        found = { id: a.id, next: out.next };
        break;
      }
    }
    if (!found) {
      throw new PathError(
        `${t.file}: state ${k + 1} (${named.label}) does not follow from state ${k} in ${sys.title}; \`interleave trace --replay\` says why`,
      );
    }
    path.push(found.id);
    here = found.next;
  }
  return path;
}
