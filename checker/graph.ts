// The reachable state graph of a small model, every concrete state and every transition, for
// drawing (`interleave graph`). Not the search: no symmetry, no fingerprints, a hard size limit.
import { show, TypeViolation } from '../src/schema/index.ts';
import type { Model, State } from './model.ts';

export interface GraphNode {
  id: number;
  state: State;
  initial: boolean;
  /** Why the state is bad, when it is: a type violation, or the invariants it breaks. */
  bad?: string;
}

export interface GraphEdge {
  from: number;
  to: number;
  label: string;
}

export interface StateGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The graph has more states than allowed. */
export class GraphTooBig extends Error {}

/** Spec code threw while the graph was being built. */
export class GraphSpecError extends Error {}

export function exploreGraph(model: Model, maxNodes: number): StateGraph {
  const { codec, constants: c } = model;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const index = new Map<string, number>();
  const v = new Int32Array(model.width);
  const scratch = new Int32Array(model.width);

  /** The node for a state, added when new; states outside their type are leaves. */
  const nodeOf = (s: State, initial: boolean): { id: number; fresh: boolean } => {
    const key = stateKey(model, s, v);
    let bad: string | undefined;
    let state = s;
    if (key.startsWith('!')) {
      bad = `TypeOK: ${typeViolation(model, s)}`;
    } else {
      state = codec.decode(v, 0);
    }
    const known = index.get(key);
    if (known !== undefined) return { id: known, fresh: false };
    if (nodes.length >= maxNodes) {
      throw new GraphTooBig(`the state graph of '${model.specName}' [${model.variant}] has more than ${maxNodes} states; raise --max-nodes, or draw a variant with smaller bounds`);
    }
    if (!bad) {
      const broken = model.invariants.filter(([name, inv]) => !guard(() => inv(state, c), `invariant '${name}'`)).map(([n]) => n);
      if (broken.length) bad = `violates ${broken.join(', ')}`;
    }
    const id = nodes.length;
    nodes.push({ id, state, initial, bad });
    index.set(key, id);
    return { id, fresh: true };
  };

  const queue: number[] = [];
  for (const s of model.init) {
    if (model.constraint && !guard(() => model.constraint!(s, c), 'the constraint')) continue;
    const { id, fresh } = nodeOf(s, true);
    if (fresh && !nodes[id].bad?.startsWith('TypeOK')) queue.push(id);
  }
  for (let q = 0; q < queue.length; q++) {
    const from = nodes[queue[q]];
    for (const a of model.actions) {
      if (a.when && !guard(() => a.when!(from.state, a.params, c), `the guard of ${a.label}`)) continue;
      // A fresh copy through the codec: values such as ValueSet keep their class (structuredClone would not).
      codec.encode(from.state, scratch, 0, '');
      const draft = codec.decode(scratch, 0);
      const returned = guard(() => a.do(draft, a.params, c), `the recipe of ${a.label}`);
      const next = returned === undefined ? draft : returned;
      if (model.constraint && !guard(() => model.constraint!(next, c), 'the constraint')) continue;
      const { id, fresh } = nodeOf(next, false);
      edges.push({ from: from.id, to: id, label: a.label });
      if (fresh && !nodes[id].bad?.startsWith('TypeOK')) queue.push(id);
    }
  }
  return { nodes, edges };
}

/**
 * Identifies a concrete state: its slot vector, or for a state outside its type (which has none) its
 * printed form. Leaves the encoding in `scratch` when there is one.
 */
export function stateKey(model: Model, s: State, scratch = new Int32Array(model.width)): string {
  try {
    model.codec.encode(s, scratch, 0, '');
    return scratch.join(',');
  } catch (e) {
    if (!(e instanceof TypeViolation)) throw e;
    return `!${show(s)}`;
  }
}

function typeViolation(model: Model, s: State): string {
  try {
    model.codec.encode(s, new Int32Array(model.width), 0, '');
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

function guard<T>(f: () => T, where: string): T {
  try {
    return f();
  } catch (e) {
    throw new GraphSpecError(`${where} threw: ${e instanceof Error ? e.message : String(e)}`);
  }
}
