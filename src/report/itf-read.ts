// Reads an ITF trace file for display, without a spec: checks that it is a trace, and turns each
// state into variable paths (`pc[t1]`, `node.next`) with printed values, as the console trace shows them.
import { existsSync, readFileSync } from 'node:fs';
import { ItfError } from './itf.ts';
import { escapeControl } from './terminal.ts';
import type { StepLike } from './lanes.ts';
import { flattenItf } from './itf-values.ts';

export { flattenItf, showItf } from './itf-values.ts';

export interface ItfStep {
  /** How the step is named: the recorded action (`put.load(self=t1)`), or `initial state`. */
  label: string;
  action?: string;
  params: Record<string, unknown>;
  process?: string;
  /** The column the step belongs to, when the trace names it (`put t1`, `n2`). */
  actor?: string;
  /** Variable paths to printed values. */
  values: Map<string, string>;
  /** For each set of structured values, its elements as printed (flattenItf). */
  elements: Map<string, string[]>;
  /** The spec's trace expressions at this state, when the trace carries them (ITF values). */
  expressions?: Record<string, unknown>;
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
  /** The step back as a step of its own (for its column in a swimlane), when the trace names it. */
  backStep?: StepLike;
  /** The fairness conditions the cycle meets, as the checker wrote them, when they are well formed. */
  fairness?: { unit: string; how: string }[];
  /** Set when the step back reaches a state equal to `loop` on the spec's view only. */
  onView?: boolean;
}

export function readItfFile(file: string): ItfFile {
  if (!existsSync(file)) throw new ItfError(`${file}: no such file`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ItfError(`${file}: not valid JSON (${(e as Error).message}); an ITF trace is a JSON document`);
  }
  const depth = nesting(json);
  if (depth > MAX_NESTING) throw new ItfError(`${file}: values nested ${depth} levels deep; a trace of a spec's states is nested far less (at most ${MAX_NESTING})`);
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
    const { action, params, process, actor } = stepMeta(meta);
    const flat = new Map<string, string>();
    const sets = new Map<string, string[]>();
    for (const v of vars) flattenItf(s[v], v, flat, sets);
    const values = new Map([...flat].map(([k, v]) => [escapeControl(k), escapeControl(v)]));
    const elements = new Map([...sets].map(([k, es]) => [escapeControl(k), es.map((e) => escapeControl(e))]));
    const chosen = Array.isArray(meta.chosen) && meta.chosen.length ? ` [${meta.chosen.map((c) => escapeControl(String(c))).join(', ')}]` : '';
    // Everything shown comes from the file: its control characters are escaped here, once.
    const label = escapeControl(typeof meta.label === 'string' ? meta.label : action ? actionLabel(action, params) : i === 0 ? 'initial state' : meta.action === 'stutter' ? 'stutter' : `state ${i + 1}`) + chosen;
    const expressions = traceExpressions(meta);
    return { label, action: action && escapeControl(action), params: escapeParams(params), process, actor, values, elements, expressions };
  });
  const meta = doc['#meta'] && typeof doc['#meta'] === 'object' ? (doc['#meta'] as Record<string, unknown>) : {};
  const loop = (doc as { loop?: unknown }).loop ?? meta.loop;
  if (loop === undefined) return { file, meta, vars, json, steps };
  if (!Number.isInteger(loop) || (loop as number) < 0 || (loop as number) >= steps.length) {
    throw new ItfError(`${file}: "loop" must be the index of a state of the trace (0 to ${steps.length - 1}), not ${JSON.stringify(loop)}`);
  }
  const back = meta.back && typeof meta.back === 'object' ? (meta.back as Record<string, unknown>) : undefined;
  const backLabel = back && back.action !== 'stutter' ? escapeControl(String(back.label ?? back.action)) : undefined;
  const backMeta = back && stepMeta(back);
  const backStep = backLabel === undefined || !backMeta?.action ? undefined : { ...backMeta, label: backLabel, action: escapeControl(backMeta.action), params: escapeParams(backMeta.params) };
  // Shown only when every entry is one the checker writes: a damaged list is not read as "no fairness".
  const entries = Array.isArray(meta.fairness) ? (meta.fairness as unknown[]).map((f) => (f ?? {}) as { unit?: unknown; how?: unknown }) : undefined;
  const fairness = entries?.every((f) => typeof f.unit === 'string' && typeof f.how === 'string') ? entries.map((f) => ({ unit: escapeControl(f.unit as string), how: f.how as string })) : undefined;
  return { file, meta, vars, json, steps, loop: loop as number, back: backLabel, backStep, fairness, onView: Array.isArray(meta.view) };
}

/** A step's action, parameters (as in the file), process and actor, from its `#meta` (or the lasso's `back`). */
function stepMeta(meta: Record<string, unknown>): { action?: string; params: Record<string, unknown>; process?: string; actor?: string } {
  return {
    action: typeof meta.action === 'string' && meta.action !== 'init' && meta.action !== 'stutter' ? meta.action : undefined,
    params: meta.params && typeof meta.params === 'object' ? (meta.params as Record<string, unknown>) : {},
    process: typeof meta.process === 'string' ? escapeControl(meta.process) : undefined,
    actor: typeof meta.actor === 'string' ? escapeControl(meta.actor) : undefined,
  };
}

/** Parameters as shown: names and string values from the file with their control characters escaped. */
function escapeParams(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [escapeControl(k), typeof v === 'string' ? escapeControl(v) : v]));
}

/**
 * The spec's trace expressions at a state: `#meta.derived` as Interleave writes them (printed text,
 * kept as it is printed), or ITF values under `#meta.expressions`.
 */
function traceExpressions(meta: Record<string, unknown>): Record<string, unknown> | undefined {
  const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  if (isObject(meta.expressions)) return meta.expressions;
  if (!isObject(meta.derived)) return undefined;
  return Object.fromEntries(Object.entries(meta.derived).map(([k, v]) => [k, typeof v === 'string' ? { '#unserializable': v } : v]));
}

function actionLabel(action: string, params: Record<string, unknown>): string {
  const shown = Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return shown ? `${action}(${shown})` : action;
}

export interface ItfChange {
  path: string;
  before?: string;
  after: string;
  /** For a set of structured values: the elements that came and went. */
  added?: string[];
  removed?: string[];
}

/** What changed from one step to the next (every variable for the first step). */
export function itfChanges(before: ItfStep | undefined, after: ItfStep): ItfChange[] {
  if (!before) return [...after.values].map(([path, v]) => ({ path, after: v }));
  const out: ItfChange[] = [];
  for (const [path, v] of after.values) {
    if (before.values.get(path) === v) continue;
    const change: ItfChange = { path, before: before.values.get(path), after: v };
    // A set that was empty has no structured element to tell it by: its elements count as given.
    const was = before.elements.get(path) ?? (before.values.get(path) === '{}' ? [] : undefined);
    const now = after.elements.get(path) ?? (v === '{}' ? [] : undefined);
    if (was && now && (was.length > 0 || now.length > 0)) {
      change.added = now.filter((e) => !was.includes(e));
      change.removed = was.filter((e) => !now.includes(e));
    }
    out.push(change);
  }
  return out;
}

/** Levels of nesting a trace's values may have: reading and showing them recurses once per level. */
const MAX_NESTING = 1000;

/** How deeply a parsed JSON value nests, found without recursion (stops counting past the limit). */
function nesting(root: unknown): number {
  let deepest = 0;
  const todo: [unknown, number][] = [[root, 1]];
  while (todo.length > 0) {
    const [value, depth] = todo.pop()!;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_NESTING) return deepest;
    if (value !== null && typeof value === 'object') for (const v of Object.values(value)) todo.push([v, depth + 1]);
  }
  return deepest;
}
