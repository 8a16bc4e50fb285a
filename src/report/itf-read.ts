// Reads an ITF trace file for display, without a spec: checks that it is a trace, and turns each
// state into variable paths (`pc[t1]`, `node.next`) with printed values, as the console trace shows them.
import { existsSync, readFileSync } from 'node:fs';
import { ItfError } from './itf.ts';
import { escapeControl } from './terminal.ts';

export interface ItfStep {
  /** How the step is named: the recorded action (`put.load(self=t1)`), or `initial state`. */
  label: string;
  action?: string;
  params: Record<string, unknown>;
  process?: string;
  /** Variable paths to printed values. */
  values: Map<string, string>;
}

export interface ItfFile {
  file: string;
  meta: Record<string, unknown>;
  vars: string[];
  /** The parsed document, for replay against a spec. */
  json: unknown;
  steps: ItfStep[];
  /** For a lasso (a liveness counterexample): the index of the state the last one goes back to. */
  loop?: number;
  /** How the last state goes back to `loop`: the step's label, or undefined when it stutters there. */
  back?: string;
}

export function readItfFile(file: string): ItfFile {
  if (!existsSync(file)) throw new ItfError(`${file}: no such file`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ItfError(`${file}: not valid JSON (${(e as Error).message}); an ITF trace is a JSON document`);
  }
  const doc = json as { '#meta'?: unknown; vars?: unknown; states?: unknown } | null;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !Array.isArray(doc.states)) {
    throw new ItfError(`${file}: not an ITF trace (expected an object with a "states" array)`);
  }
  if (doc.states.length === 0) throw new ItfError(`${file}: the trace has no states`);
  if (doc.vars !== undefined && (!Array.isArray(doc.vars) || !doc.vars.every((v) => typeof v === 'string'))) {
    throw new ItfError(`${file}: "vars" must be a list of variable names`);
  }
  const states = doc.states as unknown[];
  states.forEach((s, i) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw new ItfError(`${file}: state ${i + 1} is not an object of variables`);
  });
  const vars = (doc.vars as string[] | undefined) ?? Object.keys(states[0] as object).filter((k) => k !== '#meta');
  const steps = states.map((raw, i) => {
    const s = raw as Record<string, unknown>;
    for (const v of vars) if (!(v in s)) throw new ItfError(`${file}: state ${i + 1} has no value for variable '${v}'`);
    const meta = (s['#meta'] ?? {}) as Record<string, unknown>;
    const action = typeof meta.action === 'string' && meta.action !== 'init' && meta.action !== 'stutter' ? meta.action : undefined;
    const params = meta.params && typeof meta.params === 'object' ? (meta.params as Record<string, unknown>) : {};
    const values = new Map<string, string>();
    for (const v of vars) flattenItf(s[v], v, values);
    const process = typeof meta.process === 'string' ? escapeControl(meta.process) : undefined;
    const chosen = Array.isArray(meta.chosen) && meta.chosen.length ? ` [${meta.chosen.map((c) => escapeControl(String(c))).join(', ')}]` : '';
    // Everything shown comes from the file: its control characters are escaped here, once.
    const label = escapeControl(typeof meta.label === 'string' ? meta.label : action ? actionLabel(action, params) : i === 0 ? 'initial state' : meta.action === 'stutter' ? 'stutter' : `state ${i + 1}`) + chosen;
    const shownParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [escapeControl(k), typeof v === 'string' ? escapeControl(v) : v]));
    return { label, action: action && escapeControl(action), params: shownParams, process, values };
  });
  const meta = doc['#meta'] && typeof doc['#meta'] === 'object' ? (doc['#meta'] as Record<string, unknown>) : {};
  const loop = (doc as { loop?: unknown }).loop ?? meta.loop;
  if (loop === undefined) return { file, meta, vars, json, steps };
  if (!Number.isInteger(loop) || (loop as number) < 0 || (loop as number) >= steps.length) {
    throw new ItfError(`${file}: "loop" must be the index of a state of the trace (0 to ${steps.length - 1}), not ${JSON.stringify(loop)}`);
  }
  const back = meta.back as { label?: unknown; action?: unknown } | undefined;
  const backLabel = back && back.action !== 'stutter' ? String(back.label ?? back.action) : undefined;
  return { file, meta, vars, json, steps, loop: loop as number, back: backLabel };
}

function actionLabel(action: string, params: Record<string, unknown>): string {
  const shown = Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return shown ? `${action}(${shown})` : action;
}

/** Opens records and maps into paths; sets, sequences, tuples and variants are shown whole. */
export function flattenItf(value: unknown, path: string, out: Map<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o['#map'])) {
      for (const pair of o['#map'] as unknown[]) {
        if (Array.isArray(pair) && pair.length === 2) flattenItf(pair[1], `${path}[${keyText(pair[0])}]`, out);
      }
      return;
    }
    if (!isSpecial(o)) {
      for (const [k, v] of Object.entries(o)) flattenItf(v, `${path}.${k}`, out);
      return;
    }
  }
  out.set(escapeControl(path), escapeControl(showItf(value)));
}

function isSpecial(o: Record<string, unknown>): boolean {
  return ['#set', '#tup', '#bigint', '#unserializable', '#map'].some((k) => k in o) || ('tag' in o && 'value' in o);
}

function keyText(k: unknown): string {
  return typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean' ? String(k) : showItf(k);
}

/** An ITF value as the console shows a value: 'text', {a, b}, [1, 2], null for an empty option. */
export function showItf(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(showItf).join(', ')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o['#set'])) return `{${o['#set'].map(showItf).join(', ')}}`;
    if (Array.isArray(o['#tup'])) return `<<${o['#tup'].map(showItf).join(', ')}>>`;
    if ('#bigint' in o) return String(o['#bigint']);
    if ('#unserializable' in o) return String(o['#unserializable']);
    if (Array.isArray(o['#map'])) return `{ ${o['#map'].map((p) => (Array.isArray(p) ? `${showItf(p[0])}: ${showItf(p[1])}` : showItf(p))).join(', ')} }`;
    if ('tag' in o && 'value' in o) {
      if (o.tag === 'None') return 'null';
      if (o.tag === 'Some') return showItf(o.value);
      const inner = o.value as { '#tup'?: unknown[] };
      return inner && Array.isArray(inner['#tup']) && inner['#tup'].length === 0 ? String(o.tag) : `${String(o.tag)}(${showItf(o.value)})`;
    }
    return `{ ${Object.entries(o).map(([k, v]) => `${k}: ${showItf(v)}`).join(', ')} }`;
  }
  return String(value);
}

export interface ItfChange {
  path: string;
  before?: string;
  after: string;
}

/** What changed from one step to the next (every variable for the first step). */
export function itfChanges(before: ItfStep | undefined, after: ItfStep): ItfChange[] {
  if (!before) return [...after.values].map(([path, v]) => ({ path, after: v }));
  const out: ItfChange[] = [];
  for (const [path, v] of after.values) if (before.values.get(path) !== v) out.push({ path, before: before.values.get(path), after: v });
  return out;
}
