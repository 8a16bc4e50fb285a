// Among the shortest counterexamples to one violation, the one with the fewest switches between
// actors: kernel developers read a race as "A does this, then B does that", and breadth-first search
// returns whichever shortest trace it met first, often with needless switches.
//
// Exact, by dynamic programming over the layered graph of shortest paths. Layer k holds the states
// first reached at depth k (a state on a shortest counterexample sits at its breadth-first depth,
// or a shorter counterexample would exist); only edges from layer k to layer k + 1 can be on one,
// and the last edge must end the same violation. Backwards, each (state, actor of the step into it)
// gets the fewest switches still needed to reach an end; forwards, the trace follows optimal edges,
// breaking ties by the least action label, so the result does not depend on the order in which a
// search met states: it is the same with any number of workers and with symmetry on or off (the
// graph is searched over concrete states, and every end the caller accepts competes).
//
// Cost: one breadth-first search of the concrete states up to the trace's depth (no symmetry
// reduction), keeping those states and their edges, and a pass back over them; `limit` bounds the
// states kept, past which the caller keeps the trace it had.

/** What the search needs of a system: concrete states as opaque nodes with a key, and their steps. */
export interface SwitchGraph<N> {
  /** The initial states (inside the constraint and their type), in a fixed order. */
  initial: readonly N[];
  /** Equal for equal states: how nodes are deduplicated. */
  key(n: N): string;
  /**
   * Every step from `n`: the action instance, its choice path, the successor, and whether it is
   * stored (inside the constraint and its type; only stored states are expanded further).
   */
  steps(n: N): readonly SwitchStep<N>[];
  /** Whether this step ends a counterexample to the violation being reproduced. */
  ends(from: N, step: SwitchStep<N>): boolean;
  /** The column of an action instance: who takes the step. */
  actor(action: number): string;
  /** How a trace names an action instance; ties are broken by it. */
  label(action: number): string;
}

export interface SwitchStep<N> {
  action: number;
  choice: readonly number[];
  next: N;
  stored: boolean;
}

export interface FewestSwitches<N> {
  initial: N;
  steps: SwitchStep<N>[];
  switches: number;
  /** States the search kept. */
  explored: number;
}

/** The number of times consecutive steps are taken by different actors. */
export function countSwitches(actors: readonly string[]): number {
  let n = 0;
  for (let i = 1; i < actors.length; i++) if (actors[i] !== actors[i - 1]) n++;
  return n;
}

const FAR = 0x3fffffff;

/**
 * A counterexample of `length` states (the initial one included) ending as `ends` says, with the
 * fewest actor switches; undefined when more than `limit` states would have to be kept, or when no
 * such counterexample exists (the caller's trace then stands).
 */
export function fewestSwitches<N>(g: SwitchGraph<N>, length: number, limit = 2_000_000): FewestSwitches<N> | undefined {
  if (length < 2) return undefined;
  const last = length - 1; // index of the final state in the trace
  const depth = new Map<string, number>();
  const layers: N[][] = [[]];
  for (const n of g.initial) {
    const k = g.key(n);
    if (!depth.has(k)) {
      depth.set(k, 0);
      layers[0].push(n);
    }
  }
  // Actors as small numbers; -1 before the first step.
  const actorIds = new Map<string, number>();
  const actorId = (action: number) => {
    const a = g.actor(action);
    let id = actorIds.get(a);
    if (id === undefined) actorIds.set(a, (id = actorIds.size));
    return id;
  };
  // Forward: the layers of first-reached states up to the one before the final state, with the
  // steps from each layer into the next (steps back to earlier layers cannot be on a shortest path).
  type Edge = { actor: number; to: number; step: SwitchStep<N> };
  const edges: Edge[][][] = [];
  let kept = layers[0].length;
  for (let k = 0; k + 1 < last; k++) {
    const next: N[] = [];
    const at = new Map<string, number>();
    edges.push(
      layers[k].map((n) => {
        const out: Edge[] = [];
        for (const s of g.steps(n)) {
          if (!s.stored) continue;
          const key = g.key(s.next);
          let to = at.get(key);
          if (to === undefined) {
            if (depth.has(key)) continue;
            depth.set(key, k + 1);
            at.set(key, (to = next.length));
            next.push(s.next);
            kept++;
          }
          out.push({ actor: actorId(s.action), to, step: s });
        }
        return out;
      }),
    );
    if (kept > limit) return undefined;
    layers.push(next);
  }
  // The last layer's steps that end the violation.
  edges.push(layers[last - 1].map((n) => g.steps(n).filter((s) => g.ends(n, s)).map((step) => ({ actor: actorId(step.action), to: -1, step }))));

  // Backward: which states still reach an end in the steps left; the others' edges are dropped.
  const endsHere: boolean[][] = layers.map((l) => l.map(() => false));
  for (let k = last - 1; k >= 0; k--) {
    edges[k] = edges[k].map((out) => (k === last - 1 ? out : out.filter((e) => endsHere[k + 1][e.to])));
    edges[k].forEach((out, i) => (endsHere[k][i] = out.length > 0));
  }
  // best[k][i] maps the actor of the step into state i of layer k (or -1) to the fewest switches
  // from there to an end, filled in as the walk asks.
  const best: Map<number, number>[][] = layers.map((l) => l.map(() => new Map()));
  function cost(k: number, i: number, before: number): number {
    const memo = best[k][i];
    const known = memo.get(before);
    if (known !== undefined) return known;
    let least = FAR;
    for (const e of edges[k][i]) {
      const c = (before >= 0 && e.actor !== before ? 1 : 0) + (e.to < 0 ? 0 : cost(k + 1, e.to, e.actor));
      if (c < least) least = c;
    }
    memo.set(before, least);
    return least;
  }

  // Forward again: the first initial state (in key order) with the least cost, then at each state
  // the optimal step with the least label (and choice path).
  const starts = layers[0].map((n, i) => ({ i, key: g.key(n) })).filter(({ i }) => endsHere[0][i]);
  if (starts.length === 0) return undefined;
  starts.sort((a, b) => cost(0, a.i, -1) - cost(0, b.i, -1) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const first = starts[0].i;
  const switches = cost(0, first, -1);
  const steps: SwitchStep<N>[] = [];
  let i = first;
  let before = -1;
  for (let k = 0; k < last; k++) {
    const need = cost(k, i, before);
    const options = edges[k][i].filter((e) => (before >= 0 && e.actor !== before ? 1 : 0) + (e.to < 0 ? 0 : cost(k + 1, e.to, e.actor)) === need);
    options.sort((a, b) => compareLabels(g.label(a.step.action), g.label(b.step.action)) || compareChoices(a.step.choice, b.step.choice));
    const e = options[0];
    steps.push(e.step);
    before = e.actor;
    i = e.to;
  }
  return { initial: layers[0][first], steps, switches, explored: kept };
}

function compareLabels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareChoices(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
