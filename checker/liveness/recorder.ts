// Builds the liveness graph from the transitions a search reports to its transition observer:
// observe(from, to, action, next) for every transition, also to states seen before, with `to` the
// successor's store index (-1 when the state constraint prunes it) and `next` its encoding, valid
// during the call; the initial states come from -1 by action -1. States are numbered 0, 1, 2 ... in
// the order they are first reported, as a one-thread search stores them.
//
// What it keeps: each state's slot vector (the trace of a lasso is decoded from them), the state
// predicates of each new state, which fairness units are enabled in each state, and each edge with
// its action forms. ENABLED is judged on the action, as TLC does: a unit is enabled in s when one of
// its instances has a step out of s that changes the state, whether or not the constraint keeps the
// successor. A step that changes nothing is a stutter step: not stored, not a step of <<A>>_vars.
import { LivenessSpecError } from './errors.ts';
import { PHASE, stepWatch } from '../step-probe.ts';
import type { State, TransitionSystem } from '../system.ts';
import { GraphBuilder, type LivenessGraph } from './graph.ts';
import type { LivenessSystem } from './formula.ts';

export interface RecordedGraph {
  graph: LivenessGraph;
  /** Each state's slot vector, `width` slots per state, by index. */
  encodings: Int32Array;
  width: number;
  /** Bytes per edge while recording (from, to, action and the action-form bits). */
  bytesPerEdge: number;
}

/** Spec code threw while the graph was recorded. */


export class GraphRecorder {
  private readonly builder: GraphBuilder;
  private readonly width: number;
  private encodings: Int32Array;
  /** Which units each action instance belongs to. */
  private readonly unitsOf: number[][];
  private readonly enabledBase: number;
  /** The decoded pre-state of the transitions being reported (they come grouped by their source). */
  private preIndex = -1;
  private pre: State | undefined;
  /**
   * The first exception from a temporal predicate. The recorder runs inside the search's step, which
   * must not mistake it for the spec's own: it keeps it, stops recording, and finish() throws it.
   */
  private error?: string;

  constructor(
    private readonly system: TransitionSystem,
    private readonly live: LivenessSystem,
  ) {
    this.width = system.width;
    this.builder = new GraphBuilder(Math.ceil((live.stateAtoms.length + live.units.length) / 32) || 1, Math.ceil(live.edgeAtoms.length / 32), system.actions.length);
    this.encodings = new Int32Array(this.width * 1024);
    this.unitsOf = system.actions.map(() => []);
    live.units.forEach((u, i) => u.actions.forEach((a) => this.unitsOf[a].push(i)));
    this.enabledBase = live.stateAtoms.length;
  }

  /** Whether a temporal predicate threw: the search may stop, finish() says what. */
  get failed(): boolean {
    return this.error !== undefined;
  }

  /**
   * The control of the search that records: it stops as the user's does, and also once a temporal
   * predicate threw (a misspelt action), rather than at the end of the search.
   */
  searchControl(control: { stop?: 'interrupted' | 'max-memory' } | undefined): { stop?: 'interrupted' | 'max-memory' } {
    const failed = () => this.failed;
    return {
      get stop() {
        return failed() ? 'interrupted' : control?.stop;
      },
    };
  }

  get stateCount(): number {
    return this.builder.stateCount;
  }

  /** One transition, as the search's observer reports it. */
  observe(from: number, to: number, action: number, next: Int32Array): void {
    if (this.error !== undefined) return;
    const { builder } = this;
    if (to >= 0 && to === builder.stateCount) this.addState(to, next);
    if (from < 0) {
      if (to >= 0) builder.markInitial(to);
      return;
    }
    if (this.sameAs(from, next)) return;
    const units = this.unitsOf[action];
    const { edgeAtoms } = this.live;
    const a = this.system.actions[action];
    for (let k = 0; k < units.length; k++) {
      const admits = this.live.units[units[k]].admits;
      // A unit whose steps depend on the state: enabled here only by a step it admits from here.
      if (admits !== undefined) {
        const resume = this.watched(action);
        let yes = false;
        try {
          yes = admits(this.preState(from), action);
        } catch (err) {
          this.error = `the fairness of ${this.live.units[units[k]].name} threw on a step of ${a.label} while the liveness graph was recorded: ${message(err)}`;
        }
        resume?.();
        if (!yes) continue;
      }
      builder.setStateBit(from, this.enabledBase + units[k]);
    }
    if (to < 0) return;
    const e = builder.addEdge(from, to, action);
    if (edgeAtoms.length === 0) return;
    this.preState(from);
    const post = this.system.decode(next, 0);
    const resume = this.watched(action);
    try {
      for (let b = 0; b < edgeAtoms.length; b++) if (truth(edgeAtoms[b](this.pre!, post, a))) builder.setEdgeBit(e, b);
    } catch (err) {
      this.error = `a temporal property's step predicate threw on a step of ${a.label} while the liveness graph was recorded: ${message(err)}`;
    }
    resume?.();
  }

  /** The decoded state `from` (the transitions come grouped by their source: decoded once). */
  private preState(from: number): State {
    if (this.preIndex !== from) {
      this.pre = this.system.decode(this.encodings, from * this.width);
      this.preIndex = from;
    }
    return this.pre!;
  }

  finish(): RecordedGraph {
    if (this.error !== undefined) throw new LivenessSpecError(this.error);
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
    const { stateAtoms } = this.live;
    if (stateAtoms.length === 0) return;
    const s = this.system.decode(v, 0);
    const resume = this.watched(-1, v);
    try {
      for (let b = 0; b < stateAtoms.length; b++) if (truth(stateAtoms[b](s))) builder.setStateBit(index, b);
    } catch (err) {
      this.error = `a temporal property's predicate threw while the liveness graph was recorded: ${message(err)}`;
    }
    resume?.();
  }

  /**
   * Tells a step watchdog, if this thread has one, that temporal predicates (spec code) run now, on
   * the step of `action`, or (-1) on the new state `state`, shown in its place meanwhile; gives back
   * what puts the step's own state and phase back.
   */
  private watched(action: number, state?: Int32Array): (() => void) | undefined {
    const probe = stepWatch();
    if (probe === undefined) return undefined;
    const was = probe.action();
    const phase = probe.phase();
    const expanded = state && probe.slots();
    if (state) probe.enter(state, 0);
    probe.at(action, PHASE.temporal);
    return () => {
      if (expanded) probe.enter(expanded, 0);
      probe.at(was, phase);
    };
  }

  private sameAs(index: number, v: Int32Array): boolean {
    const { encodings, width } = this;
    const at = index * width;
    for (let i = 0; i < width; i++) if (encodings[at + i] !== v[i]) return false;
    return true;
  }
}

/** Predicates say true or false; anything else is a bug in the spec. */
function truth(x: unknown): boolean {
  if (x === true || x === false) return x;
  throw new TypeError(`it returned ${String(x)}, not a boolean${x === undefined ? ' (a missing return?)' : ''}`);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
