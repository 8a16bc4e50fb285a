// Records the liveness graph of a compiled model by its own breadth-first pass over the model,
// without symmetry, reporting every transition to a GraphRecorder as the search's transition
// observer would: a narrow adapter, until the search's one successor step reports to an observer.
import { TypeViolation } from '../../src/schema/index.ts';
import { isTrue, errorText } from '../bfs.ts';
import { fingerprint } from '../fingerprint.ts';
import type { Model } from '../model.ts';
import { GraphRecorder, LivenessSpecError, type RecordedGraph } from './recorder.ts';

export { LivenessSpecError, type RecordedGraph } from './recorder.ts';

export function recordGraph(model: Model): RecordedGraph & { durationMs: number } {
  const start = Date.now();
  const t = model.temporal;
  if (!t) throw new Error('recordGraph: the model has no temporal properties');
  const { width, encode, decode, actions, constraint, constants: c } = model;
  const recorder = new GraphRecorder(width, decode, actions, t, c);
  const index = new IndexTable();
  const fp = new Int32Array(2);
  const v = new Int32Array(width);

  /** Encodes into `v`; false for a value outside its type. */
  const encodes = (x: unknown): boolean => {
    try {
      encode(x, v, 0);
      return true;
    } catch (e) {
      if (e instanceof TypeViolation) return false;
      throw e;
    }
  };

  /** The store index of the state encoded in `v`: its index, or the next one when it is new. */
  const indexOf = (): number => {
    fingerprint(v, width, fp);
    const found = index.get(fp[0], fp[1]);
    if (found >= 0) return found;
    const i = index.size;
    index.set(fp[0], fp[1], i);
    return i;
  };

  // Where spec code runs, for the message when it throws (one try around the whole pass: closures
  // and try blocks per call would cost more than the calls).
  let phase: 'constraint' | 'guard' | 'recipe' = 'constraint';
  let current = actions[0];
  try {
    for (const s0 of model.init) {
      if (!encodes(s0)) continue;
      phase = 'constraint';
      if (constraint && !isTrue(constraint(decode(v, 0), c))) continue;
      recorder.observe(-1, indexOf(), -1, v);
    }
    const pre = new Int32Array(width);
    for (let q = 0; q < recorder.stateCount; q++) {
      pre.set(recorder.encodingOf(q));
      const s = decode(pre, 0);
      for (let a = 0; a < actions.length; a++) {
        const action = (current = actions[a]);
        phase = 'guard';
        if (action.when && !isTrue(action.when(s, action.params, c))) continue;
        const draft = decode(pre, 0);
        phase = 'recipe';
        const returned = action.do(draft, action.params, c);
        const next = returned === undefined ? draft : returned;
        if (!encodes(next)) {
          recorder.observe(q, -1, a, undefined); // outside its type: pruned, but a step
          continue;
        }
        phase = 'constraint';
        recorder.observe(q, constraint && !isTrue(constraint(next, c)) ? -1 : indexOf(), a, v);
      }
    }
  } catch (e) {
    if (e instanceof LivenessSpecError) throw e;
    const where = phase === 'constraint' ? 'the constraint' : `the ${phase} of ${current.label}`;
    throw new LivenessSpecError(`${where} threw while the liveness graph was recorded: ${errorText(e)}`);
  }
  return { ...recorder.finish(), durationMs: Date.now() - start };
}

/** Fingerprint -> state index, open addressing in one Int32Array of [hi, lo, index + 1] slots. */
class IndexTable {
  size = 0;
  private bits = 12;
  private table = new Int32Array(3 << 12);

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
