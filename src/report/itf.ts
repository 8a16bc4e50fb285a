// Counterexamples as ITF, the Informal Trace Format of Apalache and Quint:
// {"#meta": {...}, "vars": [...], "states": [{"#meta": {...}, var: value, ...}, ...]}.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../compile/check.ts';
import type { ActionInstance, Model } from '../compile/model.ts';
import type { ReplayInput } from '../../checker/trace/replay.ts';
import { show } from '../schema/index.ts';
import { ASSERTION, DEADLOCK, TYPE_OK } from '../spec.ts';
import { chosen } from './choices.ts';
import { type FileWriter, nodeWriter, writeFileAtomic } from './files.ts';

export interface ItfTrace {
  '#meta': Record<string, unknown>;
  vars: string[];
  states: Record<string, unknown>[];
  /** A lasso (a temporal violation): the index of the state the last one goes back to, forever. */
  loop?: number;
}

export function toITF(result: CheckResult): ItfTrace {
  const { model, trace = [] } = result;
  const itf: ItfTrace = {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: model.file ?? model.specName,
      spec: model.specName,
      variant: model.variant,
      // What --const set: `trace --replay` compiles the spec with them again.
      ...(Object.keys(model.overrides).length > 0 ? { constants: model.overrides } : {}),
      result: result.outcome,
      property: result.property,
      description: result.message,
      generatedBy: 'interleave',
    },
    vars: model.vars,
    states: trace.map((step, index) => ({
      '#meta': {
        index,
        ...(step.action ? actionMeta(step.action) : { action: step.stutter ? 'stutter' : 'init' }),
        ...(step.choice?.length ? { choice: [...step.choice], chosen: chosen(step, trace[index - 1]?.state) } : {}),
        ...derivedValues(model, step.state),
      },
      ...stateToITF(model, step.state),
    })),
    ...(result.lasso ? { loop: result.lasso.loop } : {}),
  };
  if (result.lasso) {
    // How the last state goes back to `loop` (no action: it stutters there forever), and the fairness the cycle meets.
    itf['#meta'].back = result.lasso.back ? actionMeta(result.lasso.back) : { action: 'stutter' };
    itf['#meta'].fairness = result.lasso.fairness;
    // With a view the step back reaches a state equal to `loop` on these variables only: a reader of the file must not show its changes as exact.
    if (model.spec.def.view) itf['#meta'].view = [...model.spec.def.view];
  }
  return itf;
}

function actionMeta(a: ActionInstance): Record<string, unknown> {
  return {
    action: a.name,
    params: paramsToJson(a.params),
    label: a.label,
    ...(a.process ? { process: a.process } : {}),
    // The column the swimlane draws the step in, so that a reader without the spec draws it there too.
    ...(a.actor !== undefined ? { actor: a.actor } : {}),
  };
}

/** A lasso's loop index and its step back, as written by toITF (undefined for a finite trace). */
export function lassoOfITF(json: unknown): { loop: number; back?: { name: string; params: Record<string, unknown> } } | undefined {
  const doc = json as Partial<ItfTrace> | null;
  const loop = doc?.loop ?? (doc?.['#meta'] as { loop?: unknown } | undefined)?.loop;
  if (typeof loop !== 'number') return undefined;
  const back = doc?.['#meta']?.back as { action?: unknown; params?: unknown } | undefined;
  return {
    loop,
    back: back && typeof back.action === 'string' && back.action !== 'stutter' ? { name: back.action, params: (back.params ?? {}) as Record<string, unknown> } : undefined,
  };
}

/** Parameter values for `#meta.params`: a set-valued one (a quorum) as it prints, since JSON has no sets. */
function paramsToJson(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'object' && v !== null ? show(v) : v]));
}

/** The spec's trace expressions (`trace.show`) of a state, as printed text, under `#meta.derived`. */
function derivedValues(model: Model, state: Record<string, unknown>): { derived?: Record<string, string> } {
  const exprs = model.spec.def.trace?.show;
  if (!exprs) return {};
  model.activate();
  const derived: Record<string, string> = {};
  for (const [name, f] of Object.entries(exprs) as [string, (s: unknown, c: unknown) => unknown][]) {
    try {
      derived[name] = show(f(state, model.constants));
    } catch (e) {
      derived[name] = `(threw: ${e instanceof Error ? e.message : String(e)})`;
    }
  }
  return { derived };
}

/** A state's variables as ITF values; a value outside its type (the last state of a TypeOK trace) is written as it is. */
function stateToITF(model: Model, state: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of model.vars) {
    try {
      out[k] = model.codec.fields[k].toITF(state[k]);
    } catch {
      out[k] = { '#unserializable': show(state[k]) };
    }
  }
  return out;
}

/**
 * Where the trace of a result goes: `<dir>/<spec>[.<variant>].<property>.itf.json` for `check`;
 * `kind` adds a part of its own (`simulate` writes `....<property>.simulate.itf.json`), so a random
 * walk never replaces the shortest trace that `check` wrote.
 */
export function traceFileName(dir: string, result: CheckResult, kind?: string): string {
  const { model } = result;
  // Constants set with --const name the file too: a check with other constants keeps its own trace.
  const set = Object.entries(model.overrides).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const parts = [model.specName, model.variant === 'default' ? undefined : model.variant, set.join(','), result.property ?? result.outcome, kind];
  return join(dir, parts.filter(Boolean).map((p) => String(p).replace(/[^\w.=,-]+/g, '_')).join('.') + '.itf.json');
}

/**
 * The traces in `dir` that `check` wrote for the properties of `result`'s spec file, variant and
 * constants: stale once a complete check finds that every property it checked holds (deadlock only
 * when it was checked). A file is one of them only if its own #meta says it is that trace.
 */
export function staleTraces(dir: string, result: CheckResult, deadlockChecked: boolean): string[] {
  const m = result.model;
  const properties = new Set([...m.invariants.map((p) => p.name), ...m.actionProperties.map((p) => p.name), ...(m.liveness?.properties.map((p) => p.name) ?? []), TYPE_OK, ASSERTION]);
  if (deadlockChecked) properties.add(DEADLOCK);
  // Each as `check` would have written it; an exception in spec code that named no property is a trace of the outcome 'error'.
  const written: CheckResult[] = [...[...properties].map((property) => ({ ...result, property })), { ...result, property: undefined, outcome: 'error' }];
  return written.filter((r) => isTraceOf(traceFileName(dir, r), r)).map((r) => traceFileName(dir, r));
}

/** What names a trace in its #meta (its outcome only where no property does). */
const IDENTITY = ['generatedBy', 'source', 'spec', 'variant', 'constants', 'property'];

/** Whether `file` is the trace `check` writes for `r`: its #meta says so, as toITF writes it. */
function isTraceOf(file: string, r: CheckResult): boolean {
  if (!existsSync(file)) return false;
  const expected = toITF({ ...r, trace: [] })['#meta'];
  const keys = r.property === undefined ? [...IDENTITY, 'result'] : IDENTITY;
  try {
    const meta = (JSON.parse(readFileSync(file, 'utf8')) as ItfTrace)['#meta'];
    return keys.every((k) => JSON.stringify(meta[k]) === JSON.stringify(expected[k]));
  } catch {
    // Not a trace this tool wrote, or not one it can read: not removed.
    return false;
  }
}

/**
 * Writes atomically (temp file, then rename) so an interrupted run never leaves half a trace; a
 * failure throws an OutputError naming the file and the cause.
 */
export function writeTrace(dir: string, result: CheckResult, meta: Record<string, unknown> = {}, writer: FileWriter = nodeWriter, kind?: string): string {
  const file = traceFileName(dir, result, kind);
  const itf = toITF(result);
  Object.assign(itf['#meta'], meta);
  writeFileAtomic(file, JSON.stringify(itf, null, 2) + '\n', writer);
  return file;
}

/** An ITF file that cannot be read, or whose variables do not fit the spec. */
export class ItfError extends Error {}

/**
 * Reads an ITF trace into concrete states of `model`. The variables must be exactly the spec's;
 * values are checked against their types (a value outside its type is kept only in the last state,
 * where a TypeOK counterexample ends).
 */
export function parseITF(model: Model, json: unknown, source = 'trace'): ReplayInput[] {
  const doc = json as Partial<ItfTrace> | null;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.states)) {
    throw new ItfError(`${source}: not an ITF trace (expected an object with a "states" array)`);
  }
  const vars = Array.isArray(doc.vars) ? doc.vars : Object.keys(doc.states[0] ?? {}).filter((k) => k !== '#meta');
  const missing = model.vars.filter((v) => !vars.includes(v));
  const extra = vars.filter((v) => !model.vars.includes(v));
  if (missing.length || extra.length) {
    throw new ItfError(
      `${source}: its variables do not fit spec '${model.specName}'` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (extra.length ? `; not in the spec: ${extra.join(', ')}` : ''),
    );
  }
  return doc.states.map((raw, i) => {
    if (!raw || typeof raw !== 'object') throw new ItfError(`${source}: state ${i + 1} is not an object`);
    const state: Record<string, unknown> = {};
    for (const v of model.vars) {
      const field = model.codec.fields[v];
      const value = (raw as Record<string, unknown>)[v];
      try {
        state[v] = field.fromITF(value, v);
      } catch (e) {
        const last = i === doc.states!.length - 1;
        if (!last) throw new ItfError(`${source}: state ${i + 1}: ${(e as Error).message}`);
        try {
          state[v] = looseFromITF(value);
        } catch (loose) {
          throw new ItfError(`${source}: state ${i + 1}: ${(loose as Error).message}`);
        }
      }
    }
    const meta = (raw as { '#meta'?: { action?: unknown; params?: unknown } })['#meta'];
    const action =
      meta && typeof meta.action === 'string' && meta.action !== 'init' && meta.action !== 'stutter'
        ? { name: meta.action, params: (meta.params ?? {}) as Record<string, unknown> }
        : undefined;
    return { state, action, ...(meta?.action === 'stutter' ? { stutter: true } : {}) };
  });
}

/**
 * An ITF value read without a type: how the last state of a TypeOK trace is kept, since the value
 * that broke its type cannot be read through the schema.
 */
function looseFromITF(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(looseFromITF);
  if (!json || typeof json !== 'object') return json;
  const o = json as Record<string, unknown>;
  if ('#bigint' in o) return Number(o['#bigint']);
  if (Array.isArray(o['#set'])) return new Set(o['#set'].map(looseFromITF));
  if (Array.isArray(o['#tup'])) return o['#tup'].map(looseFromITF);
  if (Array.isArray(o['#map'])) {
    return Object.fromEntries(
      o['#map'].map((pair) => {
        if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`a #map entry is not a [key, value] pair: ${JSON.stringify(pair)}`);
        return [String(looseFromITF(pair[0])), looseFromITF(pair[1])];
      }),
    );
  }
  if (o.tag === 'None') return null;
  if (o.tag === 'Some') return looseFromITF(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, looseFromITF(v)]));
}
