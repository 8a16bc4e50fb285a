// Worker threads started ahead of a parallel search (checker/search/warm.js) load the modules they
// will need while they wait for their setup, so that they join the search at its start.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { takeWarm, warmUp } from '../checker/search/warm.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).href;

describe('warm worker threads', () => {
  it('load the modules they are given to preload before they are sent anything, and one that fails to load does not end the thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'interleave-warm-'));
    const marker = join(dir, 'loaded');
    process.env.INTERLEAVE_TEST_PRELOAD_MARKER = marker;
    warmUp(1, [fixture('preload-throws.js'), fixture('preload-marker.js')]);
    const w = takeWarm();
    try {
      for (let waited = 0; !existsSync(marker) && waited < 30_000; waited += 50) await sleep(50);
      expect(readFileSync(marker, 'utf8')).toBe('loaded');
      // The failed import has settled by now; the thread is still waiting for its setup.
      await sleep(300);
      expect(w.failed).toBeUndefined();
    } finally {
      delete process.env.INTERLEAVE_TEST_PRELOAD_MARKER;
      await w.worker.terminate();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
