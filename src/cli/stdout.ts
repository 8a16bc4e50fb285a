// With --json, stdout carries one JSON document and nothing else. Spec code may print (a
// `console.log` left in an action); while a JSON run lasts, whatever else is written to stdout goes
// to stderr, where a reader still sees it and a JSON parser never does.

export interface ReservedStdout {
  /** Writes to the real stdout. */
  write(text: string): void;
  /** Gives stdout back. */
  release(): void;
}

export function reserveStdout(): ReservedStdout {
  const stdout = process.stdout;
  const original = stdout.write;
  const toStderr = ((chunk: unknown, ...rest: unknown[]) =>
    (process.stderr.write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest)) as typeof stdout.write;
  stdout.write = toStderr;
  return {
    write: (text) => void original.call(stdout, text),
    release: () => {
      if (stdout.write === toStderr) stdout.write = original;
    },
  };
}

/** Why the standard output could not be written (a full disk under it), once that happened. */
let failure: NodeJS.ErrnoException | undefined;

/**
 * Makes a standard output that cannot be written a lost output, not a crash: the first failure is
 * said on stderr, later writes are dropped, and the run goes on to write its other outputs (the
 * exit code then says an output was lost: stdoutFailed()). A reader that stopped early (EPIPE) is
 * no failure: what it did not read is dropped.
 */
export function guardStdout(): void {
  const stdout = process.stdout;
  const write = stdout.write;
  stdout.write = function (chunk: unknown, ...rest: unknown[]): boolean {
    if (failure) return true;
    try {
      return (write as (c: unknown, ...r: unknown[]) => boolean).call(stdout, chunk, ...rest);
    } catch (e) {
      noteStdoutError(e as NodeJS.ErrnoException);
      return true;
    }
  } as typeof stdout.write;
}

/** A write to stdout that failed, synchronously or as the stream's error. */
export function noteStdoutError(e: NodeJS.ErrnoException): void {
  if (failure || e.code === 'EPIPE') return;
  failure = e;
  process.stderr.write(
    `interleave: cannot write the standard output (${e.code ?? e.message}): the rest of what it shows is lost; the other outputs (--junit, traces) are still written\n`,
  );
}

/** Whether writing the standard output failed (other than a reader that stopped early). */
export function stdoutFailed(): boolean {
  return failure !== undefined;
}
