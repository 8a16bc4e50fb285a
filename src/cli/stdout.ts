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
