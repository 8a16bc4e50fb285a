// Compiles one variant of a spec into the transition system the engine searches (checker/system.ts):
// a codec, the action instances with their parameters expanded, the properties with the constants
// bound, the symmetry sites, and the source a worker thread rebuilds it from. The Model keeps what
// the command line and the reports need besides (the spec, its codec, its expectation).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { NO_CHOICE, type ActionInstance, type Encoder, type State, type SymmetryGroup, type SymmetrySite, type SystemSource, type TransitionSystem } from '../../checker/system.ts';
import { recipeResult } from '../../checker/recipe-result.ts';
import { compileCodec } from '../schema/compile.ts';
import { FiniteSchema, RecordSchema, Schema, TypeViolation, type Shape } from '../schema/index.ts';
import {
  SpecError,
  stateSchema,
  variantConstants,
  variantExpectation,
  type ActionDef,
  type Constants,
  type Expectation,
  type Spec,
} from '../spec.ts';
import { importGraphHash } from './import-graph.ts';

export type { ActionInstance, State };

export interface Model extends TransitionSystem {
  spec: Spec;
  specName: string;
  file?: string;
  variant: string;
  constants: Constants;
  codec: RecordSchema<Shape>;
  vars: string[];
  symmetry: Map<string, SymmetryGroup>;
  /** Whether the spec asks for symmetry reduction when the user does not say. */
  symmetryDefault: boolean;
  expect?: Expectation;
}

export interface CompileOptions {
  /** Constants that override the variant's. */
  constants?: Constants;
  /** The export of `file` that holds the spec (default: `default`). */
  exportName?: string;
}

export function compileModel(spec: Spec, variant: string, file?: string, opts: CompileOptions = {}): Model {
  const def = spec.def;
  if (!spec.variantNames.includes(variant)) {
    throw new SpecError(`spec '${def.name}' has no variant '${variant}' (variants: ${spec.variantNames.join(', ')})`);
  }
  const constants = { ...variantConstants(spec, variant), ...opts.constants };
  let codec: RecordSchema<Shape>;
  try {
    codec = stateSchema(spec, constants);
  } catch (e) {
    throw new SpecError(`spec '${def.name}': the state schema is invalid: ${(e as Error).message}`);
  }
  let rawInit: unknown;
  try {
    rawInit = typeof def.init === 'function' ? def.init(constants) : def.init;
  } catch (e) {
    throw new SpecError(`spec '${def.name}', variant '${variant}': \`init\` threw: ${(e as Error)?.message ?? String(e)}`);
  }
  const init = (Array.isArray(rawInit) ? rawInit : [rawInit]) as unknown[];
  if (init.length === 0) throw new SpecError(`spec '${def.name}': \`init\` gives no initial state`);

  const actions: ActionInstance[] = [];
  for (const [name, a] of Object.entries(def.actions as Record<string, ActionDef<State, Constants, Shape>>)) {
    for (const params of expandParams(def.name, name, a.params ?? {})) {
      const shown = Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(', ');
      actions.push(instance(actions.length, name, shown ? `${name}(${shown})` : name, params, a, constants, codec));
    }
  }

  const symmetry = symmetryGroups(codec);
  const variantDef = def.variants?.[variant];
  const compiled = compileCodec(codec);
  const checked = (name: string) => !variantDef?.properties || variantDef.properties.includes(name);
  type Pred = (s: State, c: Constants) => unknown;
  type StepPred = (s: State, next: State, c: Constants) => unknown;
  const constraint = def.constraint as Pred | undefined;
  const terminal = def.terminal as Pred | undefined;
  const encode: Encoder = (value, out, at) => {
    try {
      compiled.encode(value, out, at);
      return undefined;
    } catch (e) {
      if (e instanceof TypeViolation) return e.message;
      throw e;
    }
  };
  let source: SystemSource | undefined;
  const exportName = opts.exportName ?? 'default';
  return {
    title: variant === 'default' ? def.name : `${def.name} [${variant}]`,
    spec,
    specName: def.name,
    file,
    variant,
    constants,
    codec,
    encode,
    decode: compiled.decode as Model['decode'],
    width: codec.width,
    vars: codec.keys,
    initial: init,
    actions,
    invariants: Object.entries((def.invariants ?? {}) as Record<string, Pred>)
      .filter(([n]) => checked(n))
      .map(([name, f]) => ({ name, holds: (s: State) => f(s, constants) })),
    actionProperties: Object.entries((def.actionProperties ?? {}) as Record<string, StepPred>)
      .filter(([n]) => checked(n))
      .map(([name, f]) => ({ name, holds: (s: State, next: State) => f(s, next, constants) })),
    constraint: constraint && ((s: State) => constraint(s, constants)),
    terminal: terminal && ((s: State) => terminal(s, constants)),
    deadlock: variantDef?.deadlock ?? def.deadlock ?? true,
    symmetry,
    symmetryDefault: def.symmetry ?? true,
    expect: variantExpectation(spec, variant),
    // Computed when first asked for (a parallel search): it reads the spec's import graph.
    get source(): SystemSource | undefined {
      if (!file) return undefined;
      source ??= {
        builder: new URL('./rebuild.ts', import.meta.url).href,
        module: pathToFileURL(resolve(file)).href,
        export: exportName,
        variant,
        constants,
        hash: importGraphHash(resolve(file)),
      };
      return source;
    },
  };
}

/** One action with its parameters bound: the guard and the recipe, with the constants bound too. */
function instance(
  id: number,
  name: string,
  label: string,
  params: Record<string, unknown>,
  a: ActionDef<State, Constants, Shape>,
  constants: Constants,
  codec: RecordSchema<Shape>,
): ActionInstance {
  const when = a.when as ((s: State, p: Record<string, unknown>, c: Constants) => unknown) | undefined;
  const recipe = a.do as (draft: State, p: Record<string, unknown>, c: Constants) => unknown;
  return {
    id,
    name,
    label,
    params,
    process: a.process,
    guard: when && ((s) => when(s, params, constants)),
    successors: (from, sink) => {
      const draft = from.draft();
      const returned = recipe(draft, params, constants);
      // Only a recipe that returned something is judged (a Promise, a mutated draft): immer's rules.
      sink(returned === undefined ? draft : recipeResult(returned, draft, () => draftChanged(codec, draft, from.draft())), NO_CHOICE);
    },
  };
}

/** Whether a recipe changed its draft: the draft no longer encodes as the state it is a copy of. */
function draftChanged(codec: RecordSchema<Shape>, draft: State, original: State): boolean {
  const a = new Int32Array(codec.width);
  const b = new Int32Array(codec.width);
  try {
    codec.encode(draft, a, 0, '');
  } catch {
    return true;
  }
  codec.encode(original, b, 0, '');
  return a.some((x, i) => x !== b[i]);
}

/** Scalarset occurrences in a state schema, grouped by scalarset; one-element scalarsets have no symmetry. */
export function symmetryGroups(codec: Schema<unknown>): Map<string, SymmetryGroup> {
  const symmetry = new Map<string, { size: number; sites: SymmetrySite[]; elements: readonly string[] }>();
  const sizes = new Map<string, number>();
  const elements = new Map<string, string>();
  const ids = new Map<string, readonly string[]>();
  for (const s of codec.scalarsets()) {
    const listed = s.values.join(', ');
    if (elements.has(s.name) && elements.get(s.name) !== listed) {
      // Permuting one set of ids by a permutation sized for another would be unsound.
      throw new SpecError(`two scalarsets are named '${s.name}' with different elements ({${elements.get(s.name)}} and {${listed}}); give them different names, or use one scalarset`);
    }
    elements.set(s.name, listed);
    ids.set(s.name, s.values);
    sizes.set(s.name, s.size);
  }
  for (const site of codec.sites(0)) {
    const group = symmetry.get(site.set) ?? { size: sizes.get(site.set)!, sites: [], elements: ids.get(site.set)! };
    group.sites.push(site);
    symmetry.set(site.set, group);
  }
  for (const [name, g] of symmetry) if (g.size < 2) symmetry.delete(name);
  return symmetry;
}

function expandParams(spec: string, action: string, params: Shape): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [p, type] of Object.entries(params)) {
    if (!(type instanceof FiniteSchema)) {
      const what = type instanceof Schema ? type.describe() : String(type);
      throw new SpecError(
        `spec '${spec}', action '${action}': parameter '${p}' has type ${what}; parameters need a finite type (int, bool, enumOf, scalarset)`,
      );
    }
    combos = combos.flatMap((c) => type.values.map((v) => ({ ...c, [p]: v })));
  }
  return combos;
}
