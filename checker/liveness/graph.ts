// The state graph liveness is checked on: states by index, edges as typed arrays (from, to, action
// instance), and per state a few bits (state predicates, and for each fairness unit whether it is
// enabled). Nothing here knows about specs: tests build graphs by hand.
//
// Stuttering is implicit: every behaviour may repeat a state, so every state has a stutter step that
// no action takes. A step of an action that changes nothing is a stutter step too, and is not stored.

export interface LivenessGraph {
  stateCount: number;
  initial: Int32Array;
  edgeCount: number;
  from: Int32Array;
  to: Int32Array;
  /** Action instance ids, in 1, 2 or 4 bytes as the number of instances needs. */
  action: Uint8Array | Uint16Array | Int32Array;
  /** Per-state bits, `stateWords` 32-bit words per state. */
  stateBits: Uint32Array;
  stateWords: number;
  /** Per-edge bits (action predicates such as <<A>>_v), `edgeWords` words per edge. */
  edgeBits: Uint32Array;
  edgeWords: number;
  /** Out-edges by state: edges out[outStart[s] .. outStart[s + 1]) are the edge indices leaving s. */
  outStart: Int32Array;
  out: Int32Array;
}

type ActionArray = Uint8Array | Uint16Array | Int32Array;

/** Builds a graph edge by edge, in growable typed arrays (9 to 12 bytes per edge plus its bits). */
export class GraphBuilder {
  stateCount = 0;
  edgeCount = 0;
  private initial: number[] = [];
  private from = new Int32Array(1024);
  private to = new Int32Array(1024);
  private action: ActionArray;
  private stateBits: Uint32Array;
  private edgeBits: Uint32Array;

  constructor(
    readonly stateWords: number,
    readonly edgeWords: number,
    /** How many action instances there are: action ids take 1, 2 or 4 bytes accordingly. */
    actionCount = 2 ** 31,
  ) {
    this.action = actionCount <= 0xff ? new Uint8Array(1024) : actionCount <= 0xffff ? new Uint16Array(1024) : new Int32Array(1024);
    this.stateBits = new Uint32Array(Math.max(1, stateWords) * 1024);
    this.edgeBits = new Uint32Array(Math.max(1, edgeWords) * 1024);
  }

  /** Adds a state (or makes room up to it); returns its index. */
  addState(index = this.stateCount): number {
    if (index >= this.stateCount) {
      this.stateCount = index + 1;
      const need = this.stateCount * this.stateWords;
      if (need > this.stateBits.length) this.stateBits = grow(this.stateBits, need);
    }
    return index;
  }

  markInitial(state: number): void {
    this.initial.push(state);
  }

  setStateBit(state: number, bit: number): void {
    this.stateBits[state * this.stateWords + (bit >>> 5)] |= 1 << (bit & 31);
  }

  /** Adds an edge and returns its index; self-loops are stutter steps and are dropped (-1). */
  addEdge(from: number, to: number, action: number): number {
    if (from === to) return -1;
    const e = this.edgeCount++;
    if (e >= this.from.length) {
      this.from = grow(this.from, e + 1);
      this.to = grow(this.to, e + 1);
      this.action = grow(this.action, e + 1);
    }
    this.from[e] = from;
    this.to[e] = to;
    this.action[e] = action;
    const need = this.edgeCount * this.edgeWords;
    if (need > this.edgeBits.length) this.edgeBits = grow(this.edgeBits, need);
    return e;
  }

  setEdgeBit(edge: number, bit: number): void {
    this.edgeBits[edge * this.edgeWords + (bit >>> 5)] |= 1 << (bit & 31);
  }

  /** Bytes the edges take while recording (from, to, action and their bits). */
  bytesPerEdge(): number {
    return 8 + this.action.BYTES_PER_ELEMENT + 4 * this.edgeWords;
  }

  build(): LivenessGraph {
    const n = this.stateCount;
    const m = this.edgeCount;
    const from = this.from.slice(0, m);
    const outStart = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) outStart[from[e] + 1]++;
    for (let s = 0; s < n; s++) outStart[s + 1] += outStart[s];
    const fill = outStart.slice(0, n);
    const out = new Int32Array(m);
    for (let e = 0; e < m; e++) out[fill[from[e]]++] = e;
    return {
      stateCount: n,
      initial: Int32Array.from(this.initial),
      edgeCount: m,
      from,
      to: this.to.slice(0, m),
      action: this.action.slice(0, m),
      stateBits: this.stateBits.slice(0, n * this.stateWords),
      stateWords: this.stateWords,
      edgeBits: this.edgeBits.slice(0, m * this.edgeWords),
      edgeWords: this.edgeWords,
      outStart,
      out,
    };
  }
}

function grow<T extends Int32Array | Uint32Array | Uint16Array | Uint8Array>(a: T, need: number): T {
  let size = a.length * 2;
  while (size < need) size *= 2;
  const bigger = new (a.constructor as new (n: number) => T)(size);
  bigger.set(a);
  return bigger;
}

export function stateBit(g: LivenessGraph, state: number, bit: number): boolean {
  return (g.stateBits[state * g.stateWords + (bit >>> 5)] & (1 << (bit & 31))) !== 0;
}

export function edgeBit(g: LivenessGraph, edge: number, bit: number): boolean {
  return (g.edgeBits[edge * g.edgeWords + (bit >>> 5)] & (1 << (bit & 31))) !== 0;
}
