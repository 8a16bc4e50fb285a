// The in-memory visited set across its growth steps: a table grows in place, in the room left after
// it in its buffer, or moves into a new buffer with room when that is used up, and after either must
// find every state with its index, including runs of entries that wrap around the end of the table
// and entries displaced far from their home.
import { describe, expect, it } from 'vitest';
import { FingerprintStore } from '../checker/store/memory.ts';
import { mulberry32 } from '../checker/random.ts';

const NO_CHOICE: number[] = [];

/**
 * `n` fingerprints [hi, lo], distinct by their lo (`firstLo` onwards): a table places by hi alone.
 * hi is uniform, or for one in fifty crowded into the first or the last home of the table.
 */
function fingerprints(n: number, seed: number, crowded: boolean, firstLo = 1): Int32Array {
  const random = mulberry32(seed);
  const out = new Int32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const r = (random() * 2 ** 32) | 0;
    // Crowded at the end, their run wraps around to the start; at the start, they are displaced far.
    out[2 * k] = !crowded ? r : k % 100 === 0 ? -1 - (r >>> 20) : k % 100 === 1 ? r >>> 20 : r;
    out[2 * k + 1] = firstLo + k;
  }
  return out;
}

/** Inserts every fingerprint in turn; returns the capacity after each growth step, and whether it kept its buffer. */
function fill(store: FingerprintStore, fps: Int32Array): { capacities: number[]; inPlace: boolean[] } {
  const capacities: number[] = [];
  const inPlace: boolean[] = [];
  let wrong = 0;
  for (let k = 0; k < fps.length / 2; k++) {
    const { capacity, table } = store;
    if (store.insert(fps[2 * k], fps[2 * k + 1], k - 1, k & 3, NO_CHOICE) !== k) wrong++;
    if (store.capacity !== capacity) {
      capacities.push(store.capacity);
      inPlace.push(store.table.buffer === table.buffer);
    }
  }
  expect(wrong).toBe(0);
  return { capacities, inPlace };
}

function expectAllFound(store: FingerprintStore, fps: Int32Array): void {
  const n = fps.length / 2;
  let wrong = 0;
  for (let k = 0; k < n; k++) {
    if (store.find(fps[2 * k], fps[2 * k + 1]) !== k) wrong++;
    if (store.insert(fps[2 * k], fps[2 * k + 1], 0, 0, NO_CHOICE) !== -1) wrong++;
  }
  expect(wrong).toBe(0);
  expect(store.size).toBe(n);
  let occupied = 0;
  for (let s = 2; s < store.table.length; s += 3) if (store.table[s] !== 0) occupied++;
  expect(occupied).toBe(n);
}

describe('FingerprintStore growth', () => {
  for (const crowded of [false, true]) {
    it(`grows in place or into a new buffer, and finds every state with its index (${crowded ? 'crowded at both ends' : 'uniform'})`, () => {
      const fps = fingerprints(150_000, crowded ? 11 : 7, crowded);
      const inPlace = new FingerprintStore(1);
      const shared = new FingerprintStore(1, { shared: true });
      const steps = fill(inPlace, fps);
      expect(fill(shared, fps)).toEqual(steps);
      expect(steps.capacities).toEqual([8999, 19771, 43437, 95432, 209665]);
      // Steps each way: in the table's own buffer, and into a new one with room.
      expect(steps.inPlace).toEqual([true, true, false, true, true]);
      expectAllFound(inPlace, fps);
      expectAllFound(shared, fps);
      for (let k = 0; k < 1000; k++) expect(inPlace.parent(k * 100)).toBe(k * 100 - 1);
      // Fingerprints never stored are not found.
      const others = fingerprints(2000, 99, crowded, 1 + fps.length);
      for (let k = 0; k < 2000; k++) expect(inPlace.find(others[2 * k], others[2 * k + 1])).toBe(-1);
    });
  }

  it('grows in place by 1.3x steps past 4M slots', () => {
    const store = new FingerprintStore(1, { initialCapacity: 1 << 22 });
    const fps = fingerprints(3_800_000, 5, false);
    expect(fill(store, fps)).toEqual({ capacities: [Math.ceil((1 << 22) * 1.3)], inPlace: [true] });
    expectAllFound(store, fps);
  }, 60_000);
});
