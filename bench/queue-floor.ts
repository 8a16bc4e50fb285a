// BoundedQueue (V = 3, Cap = 12) searched by a loop written for it alone, over the checker's own
// store, frontier and fingerprint: no spec, no step, no views. What it takes is the floor under any
// search of this model that keeps its states the way the checker does, to set beside SPIN's pan.
//   npx tsx bench/queue-floor.ts       (TLC's counts: 3,188,644 distinct, 6,377,281 generated, depth 15)
import { fingerprint } from '../checker/store/fingerprint.ts';
import { Frontier } from '../checker/store/frontier.ts';
import { FingerprintStore } from '../checker/store/memory.ts';

const V = 3;
const CAP = 12;
// The checker's layout of { q: seqOf(int(0, 2), 12), last: int(0, 3) }: q's length, its 12 slots, last.
const WIDTH = CAP + 2;
const LAST = CAP + 1;
const counted = new Int32Array([0, CAP + 1, 1]);

const start = performance.now();
const store = new FingerprintStore(1);
let level = new Frontier(WIDTH + 1);
let next = new Frontier(WIDTH + 1);
const fp = new Int32Array(2);
const succ = new Int32Array(WIDTH);
let generated = 0;

function offer(parent: number, action: number): void {
  generated++;
  fingerprint(succ, WIDTH, fp, counted);
  const index = store.insert(fp[0], fp[1], parent, action, []);
  if (index >= 0) next.push(index, succ);
}

succ[LAST] = V;
offer(-1, 0);
let depth = 0;
while (next.count > 0) {
  depth++;
  [level, next] = [next, level.clear()];
  const d = level.data;
  for (let k = 0; k < level.count; k++) {
    const parent = d[k * (WIDTH + 1)];
    const s = k * (WIDTH + 1) + 1;
    const len = d[s];
    // Put(v): q \o <<v>>, while there is room.
    for (let v = 0; v < V && len < CAP; v++) {
      for (let j = 0; j < WIDTH; j++) succ[j] = d[s + j];
      succ[0] = len + 1;
      succ[1 + len] = v;
      offer(parent, v);
    }
    // Get: last' = Head(q), q' = Tail(q).
    if (len > 0) {
      succ.fill(0);
      succ[0] = len - 1;
      for (let j = 1; j < len; j++) succ[j] = d[s + j + 1];
      succ[LAST] = d[s + 1];
      offer(parent, V);
    }
  }
}
const seconds = (performance.now() - start) / 1000;
console.log(`${store.size} distinct, ${generated} generated, depth ${depth}, ${seconds.toFixed(2)} s`);
