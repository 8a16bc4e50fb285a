// Records the state graph of a compiled model for the liveness checker: every concrete state (no
// symmetry reduction), every transition that changes the state (also to states already seen), the
// state predicates, the action forms on each step, and which fairness units are enabled in each
// state. ENABLED is judged on the action, as TLC does: a unit is enabled in s when one of its
// instances has a step out of s that changes the state, whether or not the state constraint keeps
// the successor.
//
// This is its own breadth-first pass over the model, after the search: a narrow adapter that goes
// away when the search's successor step reports every transition to an observer.
import { TypeViolation } from '../../src/schema/index.ts';
import { isTrue, errorText } from '../bfs.ts';
import { fingerprint } from '../fingerprint.ts';
import type { Model, State } from '../model.ts';
import { GraphBuilder, type LivenessGraph } from './graph.ts';

export interface RecordedGraph {
  graph: LivenessGraph;
  /** Each state's slot vector, `width` slots per state, by index. */
  encodings: Int32Array;
  width: number;
  /** Bytes per edge while recording (from, to, action and the action-form bits). */
  bytesPerEdge: number;
  durationMs: number;
}

/** Spec code threw while the graph was recorded (a temporal predicate, or a step past the search's checks). */
export class LivenessSpecError extends Error {}

export function recordGraph(model: Model): RecordedGraph {
  const start = Date.now();
  const t = model.temporal;
  if (!t) throw new Error('recordGraph: the model has no temporal properties');
  const { width, encode, decode, actions, constraint, constants: c } = model;
  const stateWords = Math.ceil((t.stateAtoms.length + t.units.length) / 32) || 1;
  const edgeWords = Math.ceil(t.edgeAtoms.length / 32);
  const builder = new GraphBuilder(stateWords, edgeWords);
  const index = new IndexTable();
  let encodings = new Int32Array(width * 1024);
  const fp = new Int32Array(2);
  const v = new Int32Array(width);
  // Which units each action instance belongs to.
  const unitsOf: number[][] = actions.map(() => []);
  t.units.forEach((u, i) => u.actions.forEach((a) => unitsOf[a].push(i)));
  const enabledBase = t.stateAtoms.length;
  const { stateAtoms, edgeAtoms } = t;

  // Where spec code runs, for the message when it throws (one try around the whole pass: closures
  // and try blocks per call would cost more than the calls).
  let phase: 'predicate' | 'step predicate' | 'constraint' | 'guard' | 'recipe' = 'constraint';
  let current = actions[0];
  const where = () =>
    phase === 'predicate'
      ? "a temporal property's predicate"
      : phase === 'step predicate'
        ? `a temporal property's step predicate, on a step of ${current.label}`
        : phase === 'constraint'
          ? 'the constraint'
          : `the ${phase} of ${current.label}`;

  /** The index of the state encoded in `v`, adding it (and its predicate bits) when new; `known` is that state decoded, if it is at hand. */
  function indexOf(known: State | undefined): number {
    fingerprint(v, width, fp);
    const found = index.get(fp[0], fp[1]);
    if (found >= 0) return found;
    const i = builder.stateCount;
    index.set(fp[0], fp[1], i);
    builder.addState(i);
    if ((i + 1) * width > encodings.length) {
      const bigger = new Int32Array(encodings.length * 2);
      bigger.set(encodings);
      encodings = bigger;
    }
    encodings.set(v, i * width);
    if (stateAtoms.length) {
      const s = known ?? decode(v, 0);
      for (let b = 0; b < stateAtoms.length; b++) {
        const p = stateAtoms[b];
        phase = 'predicate';
        if (isTrue(p(s, c))) builder.setStateBit(i, b);
      }
    }
    fresh = true;
    return i;
  }
  /** Whether the last indexOf() added the state. */
  let fresh = false;

  try {
    for (const s0 of model.init) {
      try {
        encode(s0, v, 0);
      } catch (e) {
        if (e instanceof TypeViolation) continue;
        throw e;
      }
      const s = decode(v, 0);
      phase = 'constraint';
      if (constraint && !isTrue(constraint(s, c))) continue;
      fresh = false;
      const i = indexOf(s);
      if (fresh) builder.markInitial(i);
    }

    const pre = new Int32Array(width);
    for (let q = 0; q < builder.stateCount; q++) {
      pre.set(encodings.subarray(q * width, (q + 1) * width));
      const s = decode(pre, 0);
      for (let a = 0; a < actions.length; a++) {
        const action = actions[a];
        current = action;
        phase = 'guard';
        if (action.when && !isTrue(action.when(s, action.params, c))) continue;
        const draft = decode(pre, 0);
        phase = 'recipe';
        const returned = action.do(draft, action.params, c);
        const next = (returned === undefined ? draft : returned) as State;
        let inType = true;
        try {
          encode(next, v, 0);
        } catch (e) {
          if (!(e instanceof TypeViolation)) throw e;
          inType = false;
        }
        if (inType && same(v, pre, width)) continue; // a stutter step: not a step of <<A>>_vars
        const units = unitsOf[a];
        for (let k = 0; k < units.length; k++) builder.setStateBit(q, enabledBase + units[k]);
        if (!inType) continue;
        phase = 'constraint';
        if (constraint && !isTrue(constraint(next, c))) continue;
        // The successor as the store holds it, decoded only when a step predicate reads it (no
        // closures here: this runs once per transition).
        const target = edgeAtoms.length ? decode(v, 0) : undefined;
        const to = indexOf(target);
        const e = builder.addEdge(q, to, action.id);
        phase = 'step predicate';
        for (let b = 0; b < edgeAtoms.length; b++) if (edgeAtoms[b](s, target!, action, c) === true) builder.setEdgeBit(e, b);
      }
    }
  } catch (e) {
    throw new LivenessSpecError(`${where()} threw while the liveness graph was recorded: ${errorText(e)}`);
  }
  const bytesPerEdge = builder.bytesPerEdge();
  const graph = builder.build();
  return { graph, encodings: encodings.slice(0, graph.stateCount * width), width, bytesPerEdge, durationMs: Date.now() - start };
}

function same(a: Int32Array, b: Int32Array, width: number): boolean {
  for (let i = 0; i < width; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Fingerprint -> state index, open addressing in one Int32Array of [hi, lo, index + 1] slots. */
class IndexTable {
  private bits = 12;
  private table = new Int32Array(3 << 12);
  private size = 0;

  get(hi: number, lo: number): number {
    const table = this.table;
    const mask = (1 << this.bits) - 1;
    for (let slot = Math.imul(lo, 0x9e3779b1) >>> (32 - this.bits); ; slot = (slot + 1) & mask) {
      const at = slot * 3;
      if (table[at + 2] === 0) return -1;
      if (table[at] === hi && table[at + 1] === lo) return table[at + 2] - 1;
    }
  }

  set(hi: number, lo: number, index: number): void {
    if ((this.size + 1) * 4 > 3 << this.bits) this.grow();
    const table = this.table;
    const mask = (1 << this.bits) - 1;
    let slot = Math.imul(lo, 0x9e3779b1) >>> (32 - this.bits);
    while (table[slot * 3 + 2] !== 0) slot = (slot + 1) & mask;
    table[slot * 3] = hi;
    table[slot * 3 + 1] = lo;
    table[slot * 3 + 2] = index + 1;
    this.size++;
  }

  private grow(): void {
    const old = this.table;
    this.bits++;
    this.table = new Int32Array(3 << this.bits);
    this.size = 0;
    for (let at = 0; at < old.length; at += 3) if (old[at + 2] !== 0) this.set(old[at], old[at + 1], old[at + 2] - 1);
  }
}
