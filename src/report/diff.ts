// What changed between two states, by variable path (`pc.t1`, `pte[0]`), for trace views.
// Records, maps and fixed arrays are opened up to their leaves; sets, sequences and optional
// values are shown whole, as a reader thinks of them.
import { ArraySchema, MapSchema, RecordSchema, Schema, show, ValueBag, ValueSet, type Shape } from '../schema/index.ts';

export interface Change {
  path: string;
  before?: string;
  after: string;
  /** For a set or bag that changed: the elements that came and went, as a reader wants them. */
  added?: string[];
  removed?: string[];
}

export function flatten(
  schema: Schema<unknown>,
  value: unknown,
  path = '',
  out = new Map<string, string>(),
  /** Receives, for each set or bag, its elements as shown. */
  elements?: Map<string, string[]>,
): Map<string, string> {
  if (schema instanceof RecordSchema) {
    for (const k of schema.keys) flatten(schema.fields[k], (value as Record<string, unknown>)?.[k], path ? `${path}.${k}` : k, out, elements);
  } else if (schema instanceof MapSchema) {
    for (const k of schema.key.values) {
      const key = schema.key.keyOf(k);
      flatten(schema.value, (value as Record<string, unknown>)?.[key], `${path}[${key}]`, out, elements);
    }
  } else if (schema instanceof ArraySchema && Array.isArray(value) && value.length === schema.length) {
    value.forEach((v, i) => flatten(schema.element, v, `${path}[${i}]`, out, elements));
  } else {
    out.set(path, show(value));
    // Sets of records grow long: their changes are shown as the elements added and removed.
    if (elements && value instanceof ValueSet) elements.set(path, [...value].map(show));
    if (elements && value instanceof ValueBag) elements.set(path, [...value.entries()].map(([e, n]) => (n === 1 ? show(e) : `${show(e)} x${n}`)));
  }
  return out;
}

/** How a trace shows a state: its variables (some hidden) and derived values (TLC's ALIAS). */
export interface TraceView {
  hide?: readonly string[];
  show?: Record<string, (s: any, c: any) => unknown>;
  constants?: unknown;
}

/** The lines a trace shows for a state, by path: the variables not hidden, then the derived values. */
export function shown(schema: RecordSchema<Shape>, state: unknown, view: TraceView = {}, elements?: Map<string, string[]>): Map<string, string> {
  const out = flatten(schema, state, '', new Map(), elements);
  for (const v of view.hide ?? []) {
    for (const path of [...out.keys()]) if (path === v || path.startsWith(`${v}.`) || path.startsWith(`${v}[`)) out.delete(path);
  }
  for (const [name, f] of Object.entries(view.show ?? {})) {
    let text: string;
    try {
      text = show(f(state, view.constants));
    } catch (e) {
      text = `(threw: ${e instanceof Error ? e.message : String(e)})`;
    }
    out.set(name, text);
  }
  return out;
}

/** Changes from `before` to `after`; with no `before`, every variable (as the view shows them). */
export function changes(schema: RecordSchema<Shape>, before: unknown, after: unknown, view?: TraceView): Change[] {
  const ea = new Map<string, string[]>();
  const a = shown(schema, after, view, ea);
  if (before === undefined) return [...a].map(([path, v]) => ({ path, after: v }));
  const eb = new Map<string, string[]>();
  const b = shown(schema, before, view, eb);
  const out: Change[] = [];
  for (const [path, v] of a) {
    if (b.get(path) === v) continue;
    const now = ea.get(path);
    const was = eb.get(path);
    const change: Change = { path, before: b.get(path), after: v };
    if (now && was) {
      change.added = now.filter((e) => !was.includes(e));
      change.removed = was.filter((e) => !now.includes(e));
    }
    out.push(change);
  }
  return out;
}
