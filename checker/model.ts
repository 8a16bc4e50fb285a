// Compiles one variant of a spec into what the engine runs: a codec, the action instances with their
// parameters expanded, and the properties. Everything the search needs, nothing it has to look up.
import { compileCodec } from '../src/schema/compile.ts';
import { FiniteSchema, RecordSchema, Schema, show, type Shape, type SymmetrySite } from '../src/schema/index.ts';
import { checkAssumptions } from '../src/constants.ts';
import {
  SpecError,
  stateSchema,
  variantConstants,
  variantExpectation,
  type ActionDef,
  type Constants,
  type Expectation,
  type ParamDomains,
  type Spec,
} from '../src/spec.ts';

export type State = Record<string, unknown>;

export interface ActionInstance {
  /** Index into Model.actions; what the store keeps as the action of a transition. */
  id: number;
  name: string;
  params: Record<string, unknown>;
  /** `put(t=t1)`: how a trace names this step. */
  label: string;
  process?: string;
  when?: (s: State, p: Record<string, unknown>, c: Constants) => boolean;
  do: (draft: State, p: Record<string, unknown>, c: Constants) => void | State;
}

export interface Model {
  spec: Spec;
  /** Constants given from outside the spec (the command line's --const), applied over the variant's. */
  overrides: Constants;
  specName: string;
  file?: string;
  variant: string;
  constants: Constants;
  codec: RecordSchema<Shape>;
  /** The codec's encoder and decoder, specialised to this schema (what the search calls). */
  encode: (s: unknown, out: Int32Array, at: number) => void;
  decode: (from: Int32Array, at: number) => State;
  width: number;
  vars: string[];
  init: State[];
  actions: ActionInstance[];
  invariants: [string, (s: State, c: Constants) => boolean][];
  actionProperties: [string, (s: State, next: State, c: Constants) => boolean][];
  constraint?: (s: State, c: Constants) => boolean;
  terminal?: (s: State, c: Constants) => boolean;
  deadlock: boolean;
  /** Scalarset occurrences in the slot vector, grouped by scalarset name. */
  symmetry: Map<string, { size: number; sites: SymmetrySite[] }>;
  symmetryDefault: boolean;
  expect?: Expectation;
}

export function compileModel(spec: Spec, variant: string, file?: string, overrides: Constants = {}): Model {
  const def = spec.def;
  if (!spec.variantNames.includes(variant)) {
    throw new SpecError(`spec '${def.name}' has no variant '${variant}' (variants: ${spec.variantNames.join(', ')})`);
  }
  const constants = variantConstants(spec, variant, overrides);
  checkAssumptions(spec, variant, constants);
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
  const init = (Array.isArray(rawInit) ? rawInit : [rawInit]) as State[];
  if (init.length === 0) throw new SpecError(`spec '${def.name}': \`init\` gives no initial state`);

  const actions: ActionInstance[] = [];
  for (const [name, a] of Object.entries(def.actions as Record<string, ActionDef<State, Constants, Shape>>)) {
    let domains: ParamDomains;
    try {
      domains = typeof a.params === 'function' ? a.params(constants) : (a.params ?? {});
    } catch (e) {
      throw new SpecError(`spec '${def.name}', action '${name}': \`params\` threw: ${(e as Error)?.message ?? String(e)}`);
    }
    for (const params of expandParams(def.name, name, domains)) {
      const shown = Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? show(v) : String(v)}`).join(', ');
      actions.push({
        id: actions.length,
        name,
        params,
        label: shown ? `${name}(${shown})` : name,
        process: a.process,
        when: a.when as ActionInstance['when'],
        do: a.do as ActionInstance['do'],
      });
    }
  }

  const symmetry = symmetryGroups(codec);
  const variantDef = def.variants?.[variant];
  const compiled = compileCodec(codec);
  const checked = (name: string) => !variantDef?.properties || variantDef.properties.includes(name);
  return {
    spec,
    overrides,
    specName: def.name,
    file,
    variant,
    constants,
    codec,
    encode: compiled.encode,
    decode: compiled.decode as Model['decode'],
    width: codec.width,
    vars: codec.keys,
    init,
    actions,
    invariants: Object.entries(def.invariants ?? {}).filter(([n]) => checked(n)) as Model['invariants'],
    actionProperties: Object.entries(def.actionProperties ?? {}).filter(([n]) => checked(n)) as Model['actionProperties'],
    constraint: def.constraint as Model['constraint'],
    terminal: def.terminal as Model['terminal'],
    deadlock: variantDef?.deadlock ?? def.deadlock ?? true,
    symmetry,
    symmetryDefault: def.symmetry ?? true,
    expect: variantExpectation(spec, variant),
  };
}

/** Scalarset occurrences in a state schema, grouped by scalarset; one-element scalarsets have no symmetry. */
export function symmetryGroups(codec: Schema<unknown>): Model['symmetry'] {
  const symmetry: Model['symmetry'] = new Map();
  const sizes = new Map<string, number>();
  const elements = new Map<string, string>();
  for (const s of codec.scalarsets()) {
    const listed = s.values.join(', ');
    if (elements.has(s.name) && elements.get(s.name) !== listed) {
      // Permuting one set of ids by a permutation sized for another would be unsound.
      throw new SpecError(`two scalarsets are named '${s.name}' with different elements ({${elements.get(s.name)}} and {${listed}}); give them different names, or use one scalarset`);
    }
    elements.set(s.name, listed);
    sizes.set(s.name, s.size);
  }
  for (const site of codec.sites(0)) {
    const group = symmetry.get(site.set) ?? { size: sizes.get(site.set)!, sites: [] };
    group.sites.push(site);
    symmetry.set(site.set, group);
  }
  for (const [name, g] of symmetry) if (g.size < 2) symmetry.delete(name);
  return symmetry;
}

function expandParams(spec: string, action: string, params: ParamDomains): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [p, domain] of Object.entries(params)) {
    let values: readonly unknown[];
    if (Array.isArray(domain)) values = domain;
    else if (domain instanceof FiniteSchema) values = domain.values;
    else if (domain instanceof Schema) {
      try {
        values = domain.enumerate();
      } catch (e) {
        throw new SpecError(`spec '${spec}', action '${action}': parameter '${p}': ${(e as Error).message}`);
      }
    } else {
      throw new SpecError(
        `spec '${spec}', action '${action}': parameter '${p}' is ${show(domain)}; a parameter needs a type (int, enumOf, scalarset, setOf ...) or an array of values`,
      );
    }
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [p]: v })));
  }
  return combos;
}
