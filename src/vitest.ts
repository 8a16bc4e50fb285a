// Assert in a project's own vitest suite that a spec holds, or fails the way it should:
//   import { check } from 'interleave/vitest';
//   expect(await check('specs/x.ts', { variant: 'v4' })).toViolate('refcountCoversMapcount');
//   expect(await check('specs/x.ts', { variant: 'v5' })).toHold();
// A failed expectation prints the counterexample, as `interleave check` would.
import { Chalk } from 'chalk';
import { expect } from 'vitest';
import { checkModel, type CheckResult } from './compile/check.ts';
import { compileModel, usesSymmetry } from './compile/model.ts';
import { auditDeterminism } from '../checker/determinism-audit.ts';
import { auditSymmetry, QUICK_AUDIT } from '../checker/symmetry/audit.ts';
import type { CheckChoices } from './compile/options.ts';
import { loadSpec } from './load.ts';
import { formatResult, variantTitle } from './report/console.ts';
import { findingOf, isSpec, type Spec } from './spec.ts';
import { show } from '../checker/show.ts';

export interface HelperOptions extends CheckChoices {
  /** The variant to check; needed when the spec declares several. */
  variant?: string;
  /** The quick symmetry audit before a check with symmetry reduction, as on the command line (default true). */
  auditSymmetry?: boolean;
}

/** Checks one variant of a spec, given as a file path (relative to the working directory) or a spec object. */
export async function check(spec: string | Spec, opts: HelperOptions = {}): Promise<CheckResult> {
  checkOptions(opts);
  const { spec: s, file } = typeof spec === 'string' ? await loadSpec(spec) : { spec, file: undefined };
  if (!isSpec(s)) throw new Error('check(): pass a spec file path or the value returned by defineSpec()');
  const variant = opts.variant ?? (s.variantNames.length === 1 ? s.variantNames[0] : undefined);
  if (variant === undefined) {
    throw new Error(`check(): spec '${s.def.name}' has several variants; pass { variant } (one of ${s.variantNames.join(', ')})`);
  }
  // Worker threads rebuild the spec from its module: an object made in the test file has none they can load.
  if ((opts.workers ?? 1) > 1 && file === undefined) {
    throw new Error(`check(): workers above 1 need the spec's file, which each worker thread loads: check('path/to/spec.ts', { workers: ${opts.workers} })`);
  }
  const { variant: _v, auditSymmetry: audit = true, ...search } = opts;
  const model = compileModel(s, variant, file);
  const determinism = auditDeterminism(model);
  if (!determinism.passed) throw new Error(`check(): not checked, the spec is not deterministic.\n${determinism.problem!.message}`);
  if (audit && usesSymmetry(model, opts.symmetry)) {
    const a = auditSymmetry(model, QUICK_AUDIT);
    if (!a.passed) throw new Error(`check(): not checked, symmetry reduction would be unsound.\n${a.problem!.message}`);
  }
  return checkModel(model, search);
}

/** The options of check(), refused with a message when they are of the wrong kind or are the command line's alone. */
function checkOptions(opts: unknown): asserts opts is HelperOptions {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new Error(`check(): the options are an object ({ variant, symmetry, ... }), not ${show(opts)}`);
  const o = opts as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    // A search on disk, checkpoints and resuming are the command line's (interleave check --store disk ...).
    if (COMMAND_LINE_ONLY.includes(k)) {
      if (o[k] !== undefined) throw new Error(`check(): ${k} is an option of the command line (interleave check); check() searches in memory`);
    } else if (!OPTIONS.includes(k)) {
      // A misspelt option (maxState) would be ignored, and the search run without it.
      throw new Error(`check(): no option '${k}' (the options: ${OPTIONS.join(', ')})`);
    }
  }
  for (const k of SWITCHES) if (o[k] !== undefined && typeof o[k] !== 'boolean') throw new Error(`check(): ${k} is true or false, not ${show(o[k])}`);
  for (const k of COUNTS) {
    if (o[k] !== undefined && !(Number.isSafeInteger(o[k]) && (o[k] as number) > 0)) throw new Error(`check(): ${k} is a whole number above 0, not ${show(o[k])}`);
  }
  if (o.variant !== undefined && typeof o.variant !== 'string') throw new Error(`check(): variant is a variant's name, not ${show(o.variant)}`);
}

const SWITCHES = ['auditSymmetry', 'deadlock', 'symmetry', 'compareSymmetry', 'fewestSwitches', 'continue'];
const COUNTS = ['maxStates', 'maxDepth', 'workers', 'maxMemory'];
const OPTIONS = ['variant', ...SWITCHES, ...COUNTS];
const COMMAND_LINE_ONLY = ['storage', 'storeDir', 'fpMemory', 'checkpoint', 'checkpointEvery', 'resume'];

const plain = new Chalk({ level: 0 });

/** The report without its verdict line, whose mark judges the spec's declared expectation, not this one. */
const details = (r: CheckResult) => formatResult(r, plain).split('\n').slice(1).join('\n');

function isResult(x: unknown): x is CheckResult {
  return !!x && typeof x === 'object' && 'outcome' in x && 'model' in x && 'stats' in x;
}

const notAResult = (name: string) => ({
  pass: false,
  message: () => `${name}() expects the result of check() from 'interleave/vitest'`,
});

function violates(r: CheckResult, property: string): boolean {
  // With { continue: true }, every property violated counts, not only the one reported first.
  return findingOf(r) === property || !!r.violated?.some((v) => findingOf(v) === property);
}

/** `it holds`, `it violates X`, `it deadlocks`, `it stopped with an error in spec`: the outcome as the end of a sentence. */
function itDid(r: CheckResult): string {
  if (r.outcome === 'deadlock') return 'it deadlocks';
  if (r.outcome === 'error') return `it stopped with ${r.violation?.assertion ? 'a failed assertion' : 'an error in spec'}`;
  if (r.outcome === 'ok') return r.stats.complete ? 'it holds' : `it found no violation, but the search stopped early (${r.stopped})`;
  return `it violates ${[r.property, ...(r.violated ?? []).map((v) => v.property).filter((p) => p !== r.property)].join(', ')}`;
}

expect.extend({
  toHold(received: unknown) {
    if (!isResult(received)) return notAResult('toHold');
    const pass = received.outcome === 'ok' && received.stats.complete;
    return {
      pass,
      message: () =>
        pass
          ? `expected ${variantTitle(received)} not to hold, but every property holds (${received.stats.distinct} distinct states)`
          : `expected ${variantTitle(received)} to hold, but ${itDid(received)}:\n${details(received)}`,
    };
  },
  toViolate(received: unknown, property: string) {
    if (!isResult(received)) return notAResult('toViolate');
    const pass = violates(received, property);
    return {
      pass,
      message: () =>
        pass
          ? `expected ${variantTitle(received)} not to violate ${property}, but it does:\n${details(received)}`
          : received.outcome === 'ok'
            ? `expected ${variantTitle(received)} to violate ${property}, but ${itDid(received)} (${received.stats.distinct} distinct states)`
            : `expected ${variantTitle(received)} to violate ${property}, but ${itDid(received)}:\n${details(received)}`,
    };
  },
});

interface InterleaveMatchers<R = unknown> {
  /** Every property holds in every reachable state (the search ran to the end). */
  toHold(): R;
  /** The check found a violation of this property (an invariant, an action property, 'TypeOK', 'deadlock' or 'assertion'). */
  toViolate(property: string): R;
}

declare module 'vitest' {
  interface Matchers<T = any> extends InterleaveMatchers<T> {}
}

export type { CheckResult };
