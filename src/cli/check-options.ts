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

/** `8G`, `512M`, `100k` or a number of bytes, for the flag `--name`. */
export const memorySize =
  (name: string) =>
  (v: unknown): number | undefined => {
    if (v === undefined) return undefined;
    const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(String(v).trim());
    if (!m || Number(m[1]) <= 0) throw new UsageError(`--${name} must be a size such as 8G, 512M or 100000000, not '${String(v)}'`);
    return Math.round(Number(m[1]) * 1024 ** ' kmgt'.indexOf((m[2] || ' ').toLowerCase()));
  };

/**
 * Refuses a --max-memory less than the process uses before it starts, for a search in memory (which
 * would stop at once); a search that may use the disk moves there at 60% of it instead.
 */
export function refuseTooLittleMemory(maxMemory: number | undefined, mayUseDisk: boolean): void {
  const now = process.memoryUsage.rss();
  if (maxMemory === undefined || mayUseDisk || maxMemory >= now) return;
  const unit = [4, 3, 2, 1].find((k) => maxMemory % 1024 ** k === 0);
  const shown = unit ? `${maxMemory / 1024 ** unit}${' KMGT'[unit]}` : String(maxMemory);
  throw new UsageError(`--max-memory ${shown} is less than the checker uses before it starts (${Math.ceil(now / 2 ** 20)} MB); give a size such as 8G or 512M`);
}

/** A positive number of minutes, fractions allowed. */
function minutes(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0) throw new UsageError(`--checkpoint-every must be a positive number of minutes, such as 5 or 0.5, not '${String(v)}'`);
  return x;
}

const text = (raw: unknown) => raw as string | undefined;

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
    yargs: { type: 'string', coerce: memorySize('max-memory'), describe: 'stop cleanly (exit 255) when the process uses this much memory, e.g. 8G or 512M (default: 80% of the free memory, or of what the cgroup allows)' },
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
  storage: {
    flag: 'store',
    yargs: { choices: ['memory', 'disk'], describe: 'keep the visited states and the queue in memory (default) or on disk, in --store-dir' },
    read: (raw) => raw as 'memory' | 'disk' | undefined,
  },
  storeDir: {
    flag: 'store-dir',
    yargs: {
      type: 'string',
      describe: 'folder for a search on disk (default with --store disk: the system temporary folder); with the memory store, the search moves there at the end of a level once it has reached 60% of --max-memory, instead of stopping',
    },
    read: text,
  },
  fpMemory: {
    flag: 'fp-memory',
    yargs: { type: 'string', coerce: memorySize('fp-memory'), describe: "memory for the in-memory front table of a visited set on disk (default: a fifth of --max-memory), as TLC's -fpmem" },
    read: count,
  },
  checkpoint: {
    flag: 'checkpoint',
    yargs: { type: 'string', describe: 'search on disk in this folder and write a checkpoint there every --checkpoint-every minutes; --resume continues it' },
    read: text,
  },
  checkpointEvery: {
    flag: 'checkpoint-every',
    yargs: { type: 'string', coerce: minutes, describe: 'minutes between checkpoints (default 5; fractions allowed)' },
    read: count,
  },
  resume: {
    flag: 'resume',
    yargs: { type: 'string', describe: 'continue the search checkpointed in this folder (same spec, variant and options), checkpointing there again' },
    read: text,
  },
  fewestSwitches: {
    flag: 'fewest-switches',
    yargs: {
      type: 'boolean',
      describe: 'print, among the shortest counterexamples to the violation found, one with the fewest switches between actors (default; --no-fewest-switches: the one the search met first)',
    },
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
