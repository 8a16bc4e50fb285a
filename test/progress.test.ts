// The progress line of a long run: memory, disk, and an estimate of the time left only when the
// level sizes allow one.
import { describe, expect, it } from 'vitest';
import { estimateTimeLeft } from '../checker/store/time-left.ts';
import { formatProgress } from '../src/cli/check.ts';

describe('estimate of the time left', () => {
  it('is given only once the last levels shrink', () => {
    expect(estimateTimeLeft([1, 5, 20], 40, 0, 0, 1)).toBeUndefined();
    expect(estimateTimeLeft([100, 50], 25, 0, 0, 1)).toBeUndefined();
    // Levels of 100, 50, 25: each half the last. 20 of the 25 states of this level are left, the
    // next holds 12.5 and those after it 12.5 more, at one state per millisecond.
    expect(estimateTimeLeft([100, 50, 25], 25, 5, 0, 1)).toBeCloseTo(45, 6);
    // What the next level already holds counts when it is more than the guess.
    expect(estimateTimeLeft([100, 50, 25], 25, 5, 20, 1)).toBeCloseTo(20 + 20 + 20, 6);
    // Levels that barely shrink give no estimate: the tail cannot be told.
    expect(estimateTimeLeft([100, 99, 98], 98, 0, 0, 1)).toBeUndefined();
  });

  it('shows in the progress line with the memory and the disk in use', () => {
    const base = { depth: 57, distinct: 18_346_817, generated: 106_250_317, queue: 638_431, elapsedMs: 190_000, storeBytes: 1, rssBytes: 227 * 2 ** 20 };
    expect(formatProgress({ ...base, diskBytes: 320 * 2 ** 20, leftMs: 185_000 })).toBe(
      'depth 57, 18,346,817 distinct, 106,250,317 generated, 638,431 on queue, 96,562 distinct/s, 227 MB memory, 320 MB on disk, about 3 min left',
    );
    expect(formatProgress(base)).toBe('depth 57, 18,346,817 distinct, 106,250,317 generated, 638,431 on queue, 96,562 distinct/s, 227 MB memory');
  });
});
