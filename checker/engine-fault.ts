// A failure of the engine's own work, not of spec code: the disk under a search on disk filling up
// or failing. The step reports whatever spec code throws as that spec's error and goes on; a fault
// of the engine must instead end the search, with the operating system's code (ENOSPC, EIO) kept
// for the message.
export class EngineFault extends Error {
  code?: string;
  syscall?: string;

  static from(cause: unknown): EngineFault {
    if (cause instanceof EngineFault) return cause;
    const io = cause as NodeJS.ErrnoException;
    const fault = new EngineFault(io?.message ?? String(cause));
    fault.code = io?.code;
    fault.syscall = io?.syscall;
    return fault;
  }
}
