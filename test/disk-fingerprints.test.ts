// The disk-backed visited set answers exactly as the in-memory table does, on raw fingerprints
// (no spec language): many merges of a small front table into the sorted run on disk.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../checker/store/fingerprint.ts';
import { mulberry32 } from '../checker/random.ts';
import { NO_CHOICE } from '../checker/system.ts';
import { BlockedBloom } from '../checker/store/bloom.ts';
import { DiskFingerprints, FrontTable } from '../checker/store/disk-fingerprints.ts';
import { FingerprintStore } from '../checker/store/memory.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'interleave-disk-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Fingerprints of keys drawn at random from [0, space): about a third of the draws repeat one. */
function draws(seed: number, count: number, space: number): Int32Array {
  const rnd = mulberry32(seed);
  const out = new Int32Array(count * 2);
  const key = new Int32Array(1);
  const fp = new Int32Array(2);
  for (let i = 0; i < count; i++) {
    key[0] = Math.floor(rnd() * space);
    fingerprint(key, 1, fp);
    out[i * 2] = fp[0];
    out[i * 2 + 1] = fp[1];
  }
  return out;
}

describe('disk fingerprint set', () => {
  it.each([false, true])('gives the in-memory table’s answer for each of 3 million random fingerprints, across many merges (keeping recent levels: %s)', (keepLevels) => {
    const n = 3_000_000;
    let levelStart = 0;
    const fps = draws(7, n, 2_200_000);
    const memory = new FingerprintStore(4);
    const disk = new DiskFingerprints({ dir: tempDir(), frontSlots: 1 << 16 });
    let added = 0;
    for (let i = 0; i < n; i++) {
      const hi = fps[i * 2], lo = fps[i * 2 + 1];
      // "Levels" of 20,000 draws: a merge keeps the states added in this one and the last.
      if (keepLevels && i % 20_000 === 0) {
        disk.setRecent(levelStart, disk.size);
        levelStart = disk.size;
      }
      const index = memory.insert(hi, lo, -1, 0, NO_CHOICE);
      const isNew = disk.add(hi, lo, disk.size);
      if (isNew !== index >= 0) expect.fail(`draw ${i}: disk says ${isNew ? 'new' : 'seen'}, memory says ${index >= 0 ? 'new' : 'seen'}`);
      if (isNew) added++;
    }
    expect(disk.size).toBe(memory.size);
    expect(added).toBe(memory.size);
    // About 1.4 million distinct keys, so the front table (52,428 entries) was merged many times.
    expect(memory.size).toBeGreaterThan(1_300_000);
    expect(disk.merges).toBeGreaterThan(20);
    // Every fingerprint is found again, and each keeps the index it was given.
    for (let i = 0; i < n; i += 37) expect(disk.has(fps[i * 2], fps[i * 2 + 1])).toBe(true);
    const sample = [0, 1, 12_345, 700_000, memory.size - 1];
    expect(disk.fingerprints(sample)).toEqual(memory.fingerprints(sample));
    // Fingerprints never added are not found.
    const others = draws(8, 100_000, 2 ** 31);
    let falseHits = 0;
    for (let i = 0; i < 100_000; i++) if (disk.has(others[i * 2], others[i * 2 + 1]) !== memory.find(others[i * 2], others[i * 2 + 1]) >= 0) falseHits++;
    expect(falseHits).toBe(0);
    disk.close();
  }, 180_000);

  it('keeps one run file: each merge replaces the last', () => {
    const dir = tempDir();
    const disk = new DiskFingerprints({ dir, frontSlots: 1024 });
    const fps = draws(3, 20_000, 1 << 30);
    for (let i = 0; i < 20_000; i++) disk.add(fps[i * 2], fps[i * 2 + 1], i);
    expect(disk.merges).toBeGreaterThan(10);
    expect(readdirSync(dir)).toEqual([`fingerprints-${disk.runGeneration}.run`]);
    disk.close();
  });

  it('reads a page only for lookups the Bloom filter cannot rule out', () => {
    const disk = new DiskFingerprints({ dir: tempDir(), frontSlots: 1 << 14 });
    const fps = draws(11, 400_000, 2 ** 31);
    for (let i = 0; i < 400_000; i++) disk.add(fps[i * 2], fps[i * 2 + 1], i);
    disk.merge();
    const before = disk.pageReads();
    const fresh = draws(12, 100_000, 2 ** 31);
    for (let i = 0; i < 100_000; i++) disk.has(fresh[i * 2], fresh[i * 2 + 1]);
    // 10 bits per fingerprint, six probes in a 512-bit block: well under 3% false positives.
    expect(disk.pageReads() - before).toBeLessThan(3000);
    disk.close();
  });
});

describe('front table', () => {
  it('sorts its entries by (hi, lo) unsigned, with their indices', () => {
    const t = new FrontTable(5000);
    const fps = draws(5, 3900, 2 ** 31);
    const want: [number, number, number][] = [];
    for (let i = 0; i < 3900; i++) {
      const slot = t.find(fps[i * 2], fps[i * 2 + 1]);
      if (slot < 0) continue;
      t.put(slot, fps[i * 2], fps[i * 2 + 1], i);
      want.push([fps[i * 2] >>> 0, fps[i * 2 + 1] >>> 0, i]);
    }
    want.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const n = t.sortInPlace();
    const got: [number, number, number][] = [];
    for (let k = 0; k < n; k++) got.push([t.slots[k * 3] >>> 0, t.slots[k * 3 + 1] >>> 0, t.slots[k * 3 + 2]]);
    expect(got).toEqual(want);
  });
});

describe('blocked Bloom filter', () => {
  it('never forgets a fingerprint it was given', () => {
    const b = new BlockedBloom(50_000);
    const fps = draws(9, 50_000, 2 ** 31);
    for (let i = 0; i < 50_000; i++) b.add(fps[i * 2], fps[i * 2 + 1]);
    for (let i = 0; i < 50_000; i++) if (!b.mayContain(fps[i * 2], fps[i * 2 + 1])) expect.fail(`forgot ${i}`);
  });
});
