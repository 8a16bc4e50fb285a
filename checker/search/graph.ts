// The reachable state graph of a small system, every concrete state and every transition, for
// drawing (`interleave graph`). It takes each step with the one step the search takes, but keeps
// concrete states (no symmetry) and every edge, has a hard size limit, and goes on past violations:
// a state that breaks an invariant is drawn as such, and one outside its type is drawn as a leaf.
import type { Violation } from '../result.ts';
import { show } from '../show.ts';
import { errorText } from '../error-text.ts';
import { isTrue, Step, type StepHandler, TYPE_OK } from '../step.ts';
import type { ActionInstance, ChoicePath, State, TransitionSystem } from '../system.ts';

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

class GraphBuilder implements StepHandler {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  readonly queue: { id: number; encoded: Int32Array }[] = [];
  private readonly index = new Map<string, number>();
  /** The node being expanded (-1 while the initial states are added). */
  from = -1;
  error?: Violation;
  tooBig = false;

  constructor(
    private readonly system: TransitionSystem,
    private readonly maxNodes: number,
  ) {}

  stored(_next: State, _v: Int32Array, _hi: number, _lo: number, action: ActionInstance | undefined, _choice: ChoicePath, encoded: Int32Array): void {
    this.add(encoded.join(','), () => this.system.decode(encoded, 0), action, encoded);
  }

  violation(v: Violation): void {
    const next = v.step?.next;
    if (v.outcome === 'error') this.error ??= v;
    else if (v.property === TYPE_OK && next) this.add(`!${show(next)}`, () => next, v.step?.action, undefined, `TypeOK: ${this.system.encode(next, new Int32Array(this.system.width), 0)}`);
    else if (v.outcome === 'action-property' && next) {
      // A graph draws the step anyway: the property is about the edge, which the counterexample marks.
      const encoded = new Int32Array(this.system.width);
      if (this.system.encode(next, encoded, 0) === undefined) this.add(encoded.join(','), () => this.system.decode(encoded, 0), v.step?.action, encoded);
    }
  }

  private add(key: string, state: () => State, action: ActionInstance | undefined, encoded: Int32Array | undefined, bad?: string): void {
    let id = this.index.get(key);
    if (id === undefined) {
      if (this.nodes.length >= this.maxNodes) {
        // Thrown once the step returns (an exception here would read as the spec's).
        this.tooBig = true;
        return;
      }
      id = this.nodes.length;
      const s = state();
      this.nodes.push({ id, state: s, initial: !action, bad: bad ?? this.broken(s) });
      this.index.set(key, id);
      if (encoded && !bad) this.queue.push({ id, encoded: encoded.slice() });
    }
    if (action) this.edges.push({ from: this.from, to: id, label: action.label });
  }

  /** The invariants a state breaks, for its label. */
  private broken(s: State): string | undefined {
    const names: string[] = [];
    for (const inv of this.system.invariants) {
      try {
        if (!isTrue(inv.holds(s))) names.push(inv.name);
      } catch (e) {
        this.error ??= { outcome: 'error', message: `invariant '${inv.name}' threw: ${errorText(e)}`, stateIndex: -1 };
      }
    }
    return names.length ? `violates ${names.join(', ')}` : undefined;
  }
}

export function exploreGraph(system: TransitionSystem, maxNodes: number): StateGraph {
  const g = new GraphBuilder(system, maxNodes);
  const step = new Step(system, g, { deadlock: false });
  const fail = () => {
    if (g.tooBig) {
      throw new GraphTooBig(`the state graph of '${system.title}' has more than ${maxNodes} states; raise --max-nodes, or draw a variant with smaller bounds`);
    }
    if (g.error) throw new GraphSpecError(g.error.message);
  };
  system.initial.forEach((s, i) => step.initial(s, i));
  fail();
  for (let q = 0; q < g.queue.length; q++) {
    g.from = g.queue[q].id;
    step.expand(g.queue[q].encoded, 0, -1);
    fail();
  }
  return { nodes: g.nodes, edges: g.edges };
}

/**
 * Identifies a concrete state: its slot vector, or for a state outside its type (which has none) its
 * printed form. Leaves the encoding in `scratch` when there is one.
 */
export function stateKey(system: TransitionSystem, s: State, scratch = new Int32Array(system.width)): string {
  return system.encode(s, scratch, 0) === undefined ? scratch.join(',') : `!${show(s)}`;
}
