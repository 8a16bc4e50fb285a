// One folder under the system's temporary folder for everything the tests write there (spec files,
// traces, checkpoints), removed when the run ends: a run made a few hundred folders and left them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'interleave-tests-'));
  // Read by test/helpers.ts (testTemp) in the test workers, which start after this.
  process.env.INTERLEAVE_TEST_TMP = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
