// Builds the liveness graph from the transitions a search reports, in the shape of the engine's
// transition observer: observe(from, to, action, next) for every transition, also to states seen
// before, with `to` the successor's store index (-1 when the state constraint prunes it) and `next`
// its encoding, valid during the call; the initial states come from -1 by action -1. States must be
// numbered 0, 1, 2 ... in the order they are first reported, as a one-thread search stores them.
//
// What it keeps: each state's slot vector (the trace of a lasso is decoded from them), the state
// predicates of each new state, which fairness units are enabled in each state, and each edge with
// its action forms. ENABLED is judged on the action, as TLC does: a unit is enabled in s when one of
// its instances has a step out of s that changes the state, whether or not the constraint keeps the
// successor. A step that changes nothing is a stutter step: not stored, not a step of <<A>>_vars.
import type { ActionInstance, State } from '../model.ts';
import type { Constants } from '../../src/spec.ts';
import { isTrue } from '../bfs.ts';
import { GraphBuilder, type LivenessGraph } from './graph.ts';
import type { FairnessUnit } from './formula.ts';

/** The temporal side of a compiled model: what the recorder evaluates. */
export interface RecordedAtoms {
  stateAtoms: ((s: State, c: Constants) => boolean)[];
  edgeAtoms: ((s: State, next: State, action: ActionInstance, c: Constants) => boolean)[];
  units: FairnessUnit[];
}

export interface RecordedGraph {
  graph: LivenessGraph;
  /** Each state's slot vector, `width` slots per state, by index. */
  encodings: Int32Array;
  width: number;
  /** Bytes per edge while recording (from, to, action and the action-form bits). */
  bytesPerEdge: number;
}

/** Spec code threw while the graph was recorded. */
export class LivenessSpecError extends Error {}

export class GraphRecorder {
  private readonly builder: GraphBuilder;
  private encodings: Int32Array;
  /** Which units each action instance belongs to. */
  private readonly unitsOf: number[][];
  private readonly enabledBase: number;
  /** The decoded pre-state of the transitions being reported (they come grouped by their source). */
  private preIndex = -1;
  private pre: State | undefined;

  constructor(
    private readonly width: number,
    private readonly decode: (from: Int32Array, at: number) => State,
    private readonly actions: readonly ActionInstance[],
    private readonly atoms: RecordedAtoms,
    private readonly constants: Constants,
  ) {
    this.builder = new GraphBuilder(Math.ceil((atoms.stateAtoms.length + atoms.units.length) / 32) || 1, Math.ceil(atoms.edgeAtoms.length / 32), actions.length);
    this.encodings = new Int32Array(width * 1024);
    this.unitsOf = actions.map(() => []);
    atoms.units.forEach((u, i) => u.actions.forEach((a) => this.unitsOf[a].push(i)));
    this.enabledBase = atoms.stateAtoms.length;
  }

  get stateCount(): number {
    return this.builder.stateCount;
  }

  /** The slot vector of state `index` (a view, valid until the next state is added). */
  encodingOf(index: number): Int32Array {
    return this.encodings.subarray(index * this.width, (index + 1) * this.width);
  }

  /**
   * One transition. `next` undefined: a successor outside its type, which the constraint pruned (it
   * has no encoding, and it changes the state).
   */
  observe(from: number, to: number, action: number, next: Int32Array | undefined): void {
    const { width, builder } = this;
    if (to >= 0 && to === builder.stateCount) this.addState(to, next!);
    if (from < 0) {
      if (to >= 0) builder.markInitial(to);
      return;
    }
    if (next !== undefined && this.sameAs(from, next)) return;
    const units = this.unitsOf[action];
    for (let k = 0; k < units.length; k++) builder.setStateBit(from, this.enabledBase + units[k]);
    if (to < 0) return;
    const e = builder.addEdge(from, to, action);
    const { edgeAtoms } = this.atoms;
    if (edgeAtoms.length === 0) return;
    if (this.preIndex !== from) {
      this.pre = this.decode(this.encodings, from * width);
      this.preIndex = from;
    }
    const post = this.decode(next!, 0);
    const a = this.actions[action];
    try {
      for (let b = 0; b < edgeAtoms.length; b++) if (edgeAtoms[b](this.pre!, post, a, this.constants) === true) builder.setEdgeBit(e, b);
    } catch (err) {
      throw new LivenessSpecError(`a temporal property's step predicate threw on a step of ${a.label} while the liveness graph was recorded: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  finish(): RecordedGraph {
    const bytesPerEdge = this.builder.bytesPerEdge();
    const graph = this.builder.build();
    return { graph, encodings: this.encodings.slice(0, graph.stateCount * this.width), width: this.width, bytesPerEdge };
  }

  private addState(index: number, v: Int32Array): void {
    const { width, builder } = this;
    builder.addState(index);
    if ((index + 1) * width > this.encodings.length) {
      const bigger = new Int32Array(this.encodings.length * 2);
      bigger.set(this.encodings);
      this.encodings = bigger;
    }
    this.encodings.set(v.subarray(0, width), index * width);
    const { stateAtoms } = this.atoms;
    if (stateAtoms.length === 0) return;
    const s = this.decode(v, 0);
    for (let b = 0; b < stateAtoms.length; b++) {
      let holds: boolean;
      try {
        holds = isTrue(stateAtoms[b](s, this.constants));
      } catch (e) {
        throw new LivenessSpecError(`a temporal property's predicate threw while the liveness graph was recorded: ${(e as Error)?.message ?? String(e)}`);
      }
      if (holds) builder.setStateBit(index, b);
    }
  }

  private sameAs(index: number, v: Int32Array): boolean {
    const { encodings, width } = this;
    const at = index * width;
    for (let i = 0; i < width; i++) if (encodings[at + i] !== v[i]) return false;
    return true;
  }
}
