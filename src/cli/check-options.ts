// `check`'s search flags, one entry per CheckChoices field: the table is typed against the API's
// options, so adding one there without a flag here (or the reverse) does not compile.
import type { Options } from 'yargs';
import type { CheckChoices } from '../compile/options.ts';
import { wholeNumber } from './options.ts';
import { UsageError } from './usage.ts';

interface Flag<T> {
  /** The flag's name on the command line. */
  flag: string;
  yargs: Options;
  /** The API's value from the parsed flag. */
  read: (raw: unknown) => T | undefined;
}

/** `8G`, `512M`, `100k` or a number of bytes; less than the process uses before it starts is refused. */
export function memorySize(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(String(v).trim());
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--max-memory must be a size such as 8G, 512M or 100000000, not '${String(v)}'`);
  const bytes = Math.round(Number(m[1]) * 1024 ** ' kmgt'.indexOf((m[2] || ' ').toLowerCase()));
  const now = process.memoryUsage.rss();
  if (bytes < now) {
    throw new UsageError(`--max-memory ${String(v)} is less than the checker uses before it starts (${Math.ceil(now / 2 ** 20)} MB); give a size such as 8G or 512M`);
  }
  return bytes;
}

const count = (raw: unknown) => raw as number | undefined;

export const CHECK_FLAGS: { [K in keyof Required<CheckChoices>]: Flag<CheckChoices[K]> } = {
  deadlock: {
    flag: 'deadlock',
    yargs: { type: 'boolean', describe: 'check for deadlock (--no-deadlock to switch off; default: the spec decides)' },
    read: (raw) => raw as boolean | undefined,
  },
  maxStates: { flag: 'max-states', yargs: { type: 'string', coerce: wholeNumber('max-states'), describe: 'stop after this many distinct states' }, read: count },
  maxDepth: {
    flag: 'max-depth',
    yargs: { type: 'string', coerce: wholeNumber('max-depth'), describe: 'do not explore past this depth (initial states are depth 1)' },
    read: count,
  },
  workers: { flag: 'workers', yargs: { type: 'string', coerce: wholeNumber('workers'), describe: 'worker threads to search with (default 1)' }, read: count },
  maxMemory: {
    flag: 'max-memory',
    yargs: { type: 'string', coerce: memorySize, describe: 'stop cleanly (exit 255) when the process uses this much memory, e.g. 8G or 512M (default: 80% of the free memory, or of what the cgroup allows)' },
    read: count,
  },
  symmetry: {
    flag: 'symmetry',
    yargs: { choices: ['on', 'off'], describe: 'reduce by scalarset symmetry (default: the spec decides, normally on)' },
    read: (raw) => (raw === undefined ? undefined : raw === 'on'),
  },
  continue: {
    flag: 'continue',
    yargs: { type: 'boolean', describe: 'go on past violations and report every violated property, each with its own shortest trace (the exit code is that of the first)' },
    read: (raw) => raw as boolean | undefined,
  },
  compareSymmetry: {
    flag: 'symmetry-compare',
    yargs: { type: 'boolean', describe: 'also search without symmetry and report how many states it saved' },
    read: (raw) => raw as boolean | undefined,
  },
};

/** The flags, for yargs. */
export function checkFlags(): Record<string, Options> {
  return Object.fromEntries(Object.values(CHECK_FLAGS).map((f) => [f.flag, f.yargs]));
}

/** The API's choices from parsed flags (yargs gives each under its camel-cased name too). */
export function checkChoices(argv: Record<string, unknown>): CheckChoices {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(CHECK_FLAGS) as [keyof CheckChoices, Flag<unknown>][]) {
    const v = f.read(argv[f.flag]);
    if (v !== undefined) out[key] = v;
  }
  return out as CheckChoices;
}
