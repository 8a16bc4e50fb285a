// The liveness checker's errors, apart from the checker itself, so that code which only names them
// (the command line, a search without temporal properties) does not load it.

/** Temporal properties need the whole graph in this process: a disk-backed or distributed store cannot give it yet. */
export class LivenessRefused extends Error {
  constructor() {
    super('temporal properties are checked on the state graph in memory, on one machine: check them without a disk-backed or distributed store');
  }
}

/** Spec code threw while the state graph was recorded for the temporal properties. */
export class LivenessSpecError extends Error {}
