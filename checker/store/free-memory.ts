// After the in-memory store moved to disk, its buffers are garbage, but V8 frees a large buffer only
// at a full collection, which may come late while the process sits at its memory budget. A full
// collection is asked for once, here, when the command line can expose it.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

export function freeMemory(): void {
  try {
    if (!collect) {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
    collect();
  } catch {
    // Without it the buffers go at V8's next full collection.
  }
}
