// Constants from the command line (`--const N=3`), like the assignments of a TLC model's .cfg, and
// the spec's assumptions about its constants (TLA+'s ASSUME), checked before any search.
import { SpecError, type Constants, type Spec } from './spec.ts';

/** A constant given on the command line that the spec cannot take: exit 151. */
export class ConstantError extends Error {}

/** An assumption about the constants that does not hold: TLC's exit code 10. */
export class AssumptionError extends SpecError {}

/** `['N=3', 'Peers=["a","b"]', 'mode=fast']` -> `{ N: 3, Peers: ['a', 'b'], mode: 'fast' }`: JSON where it parses, else text. */
export function parseConstOptions(items: readonly string[]): Constants {
  const out: Constants = {};
  for (const item of items) {
    const m = /^([A-Za-z_$][\w$]*)=(.*)$/s.exec(item);
    if (!m) throw new ConstantError(`--const ${item}: write NAME=VALUE, e.g. --const N=3`);
    const [, name, text] = m;
    if (name in out) throw new ConstantError(`--const ${name} is given twice`);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON: the value is the text itself (--const mode=fast).
    }
    out[name] = value;
  }
  return out;
}

/**
 * Checks that every override names a constant the spec declares (in `constants` or in a variant's)
 * and has the same kind of value as the declared one, so a typo is an error and not a silent no-op.
 */
export function checkOverrides(spec: Spec, overrides: Constants): void {
  const declared: Constants = { ...(spec.def.constants ?? {}) };
  for (const v of Object.values(spec.def.variants ?? {})) {
    for (const [k, x] of Object.entries((v as { constants?: Constants }).constants ?? {})) if (!(k in declared)) declared[k] = x;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in declared)) {
      const known = Object.keys(declared);
      throw new ConstantError(`spec '${spec.def.name}' has no constant '${name}' (constants: ${known.length ? known.join(', ') : 'none'})`);
    }
    const want = kindOf(declared[name]);
    if (want !== 'other' && kindOf(value) !== want) {
      throw new ConstantError(`--const ${name}=${JSON.stringify(value)}: spec '${spec.def.name}' declares ${name} as ${want === 'array' ? 'an array' : `a ${want}`} (${JSON.stringify(declared[name])})`);
    }
  }
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'number' || t === 'string' || t === 'boolean' ? t : 'other';
}

/** Evaluates each assumption on the constants; throws AssumptionError naming the first that fails. */
export function checkAssumptions(spec: Spec, variant: string, constants: Constants): void {
  for (const [name, assume] of Object.entries(spec.def.assumptions ?? {})) {
    let holds: unknown;
    try {
      holds = (assume as (c: Constants) => unknown)(constants);
    } catch (e) {
      throw new AssumptionError(`spec '${spec.def.name}', variant '${variant}': assumption '${name}' threw: ${(e as Error)?.message ?? String(e)}`);
    }
    if (holds !== true) {
      throw new AssumptionError(
        `spec '${spec.def.name}', variant '${variant}': assumption '${name}' does not hold for the constants ${JSON.stringify(constants)}` +
          (holds === false ? '' : ` (it returned ${JSON.stringify(holds)}, not a boolean)`),
      );
    }
  }
}
