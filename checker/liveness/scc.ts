// Strongly connected components of part of a LivenessGraph (Tarjan's algorithm, iterative so that a
// million-state component does not overflow the stack). One Scc per graph: its arrays are sized to
// the graph once and reused by every call, as the strong-fairness decomposition calls it many times.
import type { LivenessGraph } from './graph.ts';

export class Scc {
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  /** Which call numbered a state: a state is unvisited in this call when its stamp differs. */
  private readonly stamp: Int32Array;
  private readonly onStack: Uint8Array;
  private call = 0;

  constructor(private readonly g: LivenessGraph) {
    const n = g.stateCount;
    this.index = new Int32Array(n);
    this.low = new Int32Array(n);
    this.stamp = new Int32Array(n);
    this.onStack = new Uint8Array(n);
  }

  /** The components among `nodes`, following only the edges `follow` accepts (which must stay among `nodes`). */
  components(nodes: ArrayLike<number>, follow: (edge: number) => boolean): number[][] {
    const { g, index, low, stamp, onStack } = this;
    const call = ++this.call;
    const stack: number[] = [];
    const components: number[][] = [];
    let counter = 0;
    const callNode: number[] = [];
    const callEdge: number[] = [];
    const open = (v: number) => {
      stamp[v] = call;
      index[v] = low[v] = counter++;
      stack.push(v);
      onStack[v] = 1;
      callNode.push(v);
      callEdge.push(g.outStart[v]);
    };
    for (let r = 0; r < nodes.length; r++) {
      const root = nodes[r];
      if (stamp[root] === call) continue;
      open(root);
      while (callNode.length) {
        const top = callNode.length - 1;
        const v = callNode[top];
        const i = callEdge[top];
        if (i < g.outStart[v + 1]) {
          callEdge[top] = i + 1;
          const e = g.out[i];
          if (!follow(e)) continue;
          const w = g.to[e];
          if (stamp[w] !== call) open(w);
          else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
          continue;
        }
        callNode.pop();
        callEdge.pop();
        if (low[v] === index[v]) {
          const c: number[] = [];
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = 0;
            c.push(w);
          } while (w !== v);
          components.push(c);
        }
        if (callNode.length) {
          const parent = callNode[callNode.length - 1];
          if (low[v] < low[parent]) low[parent] = low[v];
        }
      }
    }
    return components;
  }
}
