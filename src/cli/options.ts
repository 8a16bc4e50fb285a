// Option checks shared by the commands: whole numbers, and a variant that the spec really has.
import type { Constants, Spec } from '../spec.ts';
import { ConstantError, checkOverrides, parseConstOptions } from '../constants.ts';
import { describeCause, ensureDir, OutputError, probeFile, probeWritable, removeStaleTemporaries } from '../report/files.ts';
import { dirname } from 'node:path';
import { UsageError } from './usage.ts';
import { ItfError } from '../report/itf.ts';

/** A yargs `coerce` for options that must be whole numbers of at least `min`. */
export const wholeNumber = (name: string, min = 1, max = Number.MAX_SAFE_INTEGER) => (v: unknown) => {
  if (v === undefined) return v;
  const n = Number(v);
  if (v === '' || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be a ${min === 1 ? 'positive' : 'non-negative'} whole number, not '${String(v)}'`);
  }
  if (n > max) throw new UsageError(`--${name} must be at most ${max}, not ${n}`);
  return n;
};

/** --cluster: a NATS server's address (nats://HOST:PORT, or HOST:PORT), checked before any connection is tried. */
export function natsAddress(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const text = String(v);
  let url: URL | undefined;
  try {
    url = new URL(text.includes('://') ? text : `nats://${text}`);
  } catch {
    url = undefined;
  }
  if (!url || !['nats:', 'tls:'].includes(url.protocol) || !url.hostname || url.pathname.replace(/^\/$/, '') !== '') {
    throw new UsageError(`--cluster must be a NATS server's address, nats://HOST:PORT, not '${text}'`);
  }
  return text;
}

/** The variant to run: the one asked for (which must exist), or the spec's only one. */
export function pickVariant(spec: Spec, file: string, variant: string | undefined, command: string): string {
  if (variant !== undefined) {
    if (!spec.variantNames.includes(variant)) {
      throw new UsageError(`${file}: spec '${spec.def.name}' has no variant '${variant}' (variants: ${spec.variantNames.join(', ')})`);
    }
    return variant;
  }
  if (spec.variantNames.length === 1) return spec.variantNames[0];
  throw new UsageError(`${file}: spec '${spec.def.name}' has several variants; pick one for ${command} with --variant (${spec.variantNames.join(', ')})`);
}

/**
 * Checks before any search that an output folder can be created and written, so no result is lost
 * at the end; removes the temporary files that a killed run left there.
 */
export function ensureOutputDir(option: string, dir: string): void {
  ensureWritableFolder(option, dir);
  removeStaleTemporaries(dir);
}

/** Creates the folder if need be and checks that a file can be written in it, or says why not (151). */
export function ensureWritableFolder(option: string, dir: string): void {
  try {
    ensureDir(dir);
  } catch (e) {
    throw new UsageError(`${option} ${dir}: cannot create the folder: ${(e as Error).message}`);
  }
  try {
    probeWritable(dir);
  } catch (e) {
    throw new UsageError(`${option} ${dir}: cannot write there: ${e instanceof OutputError ? e.cause : describeCause(e)}`);
  }
}

/** The same check for a report written to one file (`--junit FILE`). */
export function ensureOutputFile(option: string, file: string): void {
  ensureOutputDir(option, dirname(file));
  try {
    probeFile(file);
  } catch (e) {
    throw new UsageError(`${option} ${file}: cannot write the report: ${e instanceof OutputError ? e.cause : describeCause(e)}`);
  }
}

/** --const NAME=VALUE options as constants; a malformed one is a usage error. */
export function constOption(v: unknown): Constants | undefined {
  if (v === undefined) return undefined;
  try {
    return parseConstOptions((Array.isArray(v) ? v : [v]).map(String));
  } catch (e) {
    throw e instanceof ConstantError ? new UsageError(e.message) : e;
  }
}

/** Checks --const overrides against a spec: a constant it does not declare is a usage error. */
export function constantsFor(spec: Spec, file: string, overrides: Constants | undefined): Constants {
  try {
    checkOverrides(spec, overrides ?? {});
  } catch (e) {
    throw e instanceof ConstantError ? new UsageError(`${file}: ${e.message}`) : e;
  }
  return overrides ?? {};
}

/** The --const option, declared once for every command that compiles a spec. */
export const CONST_OPTION = {
  type: 'string',
  array: true,
  // One value per --const: `--const N=3 spec.ts` leaves spec.ts a positional argument.
  nargs: 1,
  describe: "set a constant, NAME=VALUE (VALUE as JSON, else text), over every variant's; repeat for several",
} as const;

/**
 * The variant and constants to compile a spec with for a saved trace (`trace --replay`, `explore`):
 * --variant and --const when given, else those the trace names and records in its #meta (a check
 * with --const writes them). Recorded constants that do not fit the spec are the trace's mistake:
 * an ItfError that names the trace file, where a --const of the user's is a usage error.
 */
export function settingsOfTrace(
  spec: Spec,
  file: string,
  trace: { file: string; meta: Record<string, unknown> } | undefined,
  given: { variant?: string; constants?: Constants },
  command: string,
): { variant: string; constants: Constants } {
  const named = typeof trace?.meta.variant === 'string' && spec.variantNames.includes(trace.meta.variant) ? trace.meta.variant : undefined;
  const variant = pickVariant(spec, file, given.variant ?? named, command);
  const recorded = trace?.meta.constants;
  const fromTrace = given.constants === undefined && typeof recorded === 'object' && recorded !== null && !Array.isArray(recorded);
  try {
    return { variant, constants: constantsFor(spec, file, fromTrace ? (recorded as Constants) : given.constants) };
  } catch (e) {
    if (!fromTrace || !(e instanceof UsageError)) throw e;
    throw new ItfError(`${trace!.file}: the constants it records do not fit the spec (${e.message}); give others with --const`);
  }
}
