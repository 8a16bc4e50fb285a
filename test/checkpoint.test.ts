// Checkpoints survive SIGKILL at any moment: after a kill, the last manifest names files that hold
// exactly what had been stored when it was written (on raw fingerprints, no spec language), and the
// store resumed from it answers every later lookup as a store that never stopped.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../checker/store/fingerprint.ts';
import { mulberry32 } from '../checker/random.ts';
import { NO_CHOICE } from '../checker/system.ts';
import { MANIFEST, type CheckpointManifest } from '../checker/store/checkpoint.ts';
import { SearchFiles } from '../checker/store/search-files.ts';
import { FingerprintStore } from '../checker/store/memory.ts';
import { draw, IDENTITY, KEYS, RECORD } from './fixtures/checkpoint-sequence.ts';
import { ROOT, testTemp } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts the writer and kills it `ms` after its first checkpoint appears; whether it was killed before it ended. */
function killedAfter(dir: string, ms: number): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/checkpoint-writer.ts'), dir, '3000000'], { cwd: ROOT, stdio: 'ignore' });
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (!existsSync(join(dir, MANIFEST))) return;
      clearInterval(poll);
      timer = setTimeout(() => ((killed = true), child.kill('SIGKILL')), ms);
    }, 5);
    child.on('exit', () => {
      clearInterval(poll);
      clearTimeout(timer);
      done(killed);
    });
  });
}

describe('checkpoints on raw fingerprints', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`hold exactly the draws they record after a SIGKILL at a random moment (seed ${seed})`, async () => {
      const dir = join(mkdtempSync(join(testTemp(), 'interleave-checkpoint-')), 'cp');
      dirs.push(dir);
      const rnd = mulberry32(seed);
      // Up to 1.5 s after the first checkpoint, well before the end of the 3,000,000 draws.
      expect(await killedAfter(dir, Math.floor(rnd() * 1500))).toBe(true);
      expect(existsSync(join(dir, MANIFEST))).toBe(true);
      const m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as CheckpointManifest;
      const draws = m.generated;
      expect(draws % 3000).toBe(0);

      // What a store that never stopped holds after the same draws.
      const memory = new FingerprintStore(4);
      const fp = new Int32Array(2);
      const key = new Int32Array(1);
      const queued: [number, number, number][] = [];
      for (let i = 0; i < draws; i++) {
        key[0] = draw(i) % KEYS;
        fingerprint(key, 1, fp);
        const index = memory.insert(fp[0], fp[1], i - 1, i % 7, NO_CHOICE);
        if (index >= 0) queued.push([index, i, key[0]]);
      }
      const { files, next } = SearchFiles.resume({ dir, frontSlots: 4096, checkpoint: { identity: IDENTITY, everyMs: 0 }, resume: true }, RECORD);
      const store = files.store;
      expect(store.size).toBe(memory.size);
      expect(next.count).toBe(queued.length);
      for (let from = 0; from < next.count; ) {
        const { data, at, n } = next.block(from);
        for (let k = 0; k < n; k++, from++) {
          const [index, i, k0] = queued[from];
          if (data[at + k * 3] !== index || data[at + k * 3 + 1] !== i || data[at + k * 3 + 2] !== k0) expect.fail(`queue record ${from} differs`);
        }
      }
      for (let index = 0; index < memory.size; index += 97) {
        expect([store.parent(index), store.action(index)]).toEqual([memory.parent(index), memory.action(index)]);
      }
      // Going on from the checkpoint, every answer is the one the uninterrupted store gives.
      for (let i = draws; i < draws + 60_000; i++) {
        key[0] = draw(i) % KEYS;
        fingerprint(key, 1, fp);
        const want = memory.insert(fp[0], fp[1], i - 1, i % 7, NO_CHOICE);
        const got = store.insert(fp[0], fp[1], i - 1, i % 7);
        if (got !== want) expect.fail(`draw ${i}: resumed store gives ${got}, uninterrupted ${want}`);
      }
      const sample = [0, Math.floor(memory.size / 2), memory.size - 1];
      expect(store.fingerprints(sample)).toEqual(memory.fingerprints(sample));
      store.close();
    }, 180_000);
  }
});
