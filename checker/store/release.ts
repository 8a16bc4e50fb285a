// Frees the memory of SharedArrayBuffers a thread no longer refers to. V8 counts a shared buffer in
// no thread's external memory (a buffer seen by several threads would be counted several times), so
// dropping the last reference to one never brings on a full collection: a grown-out-of table or
// frontier stays resident until one happens for other reasons, which in a search that allocates
// little may be never (two workers on 24 million states held 2.2 GB against one worker's 1.07).
// A buffer is freed once every thread that saw it has dropped it and collected; the parallel search
// calls this in each thread right after dropping a large one, the search on disk after dropping its
// Bloom filter or the in-memory store it moved out of.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** A full garbage collection in this thread, now. */
export function collectGarbage(): void {
  try {
    if (!gc) {
      // --expose-gc takes effect for contexts made after it is set: a fresh one hands out gc().
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
    gc();
  } catch {
    // Without it the buffers go at V8's next full collection.
  }
}

/** Buffers below this size are left to the ordinary collections: a full one costs a few milliseconds. */
export const RELEASE_BYTES = 32 << 20;
