// What changed between two states, by variable path (`pc.t1`, `pte[0]`), for trace views.
// Records, maps and fixed arrays are opened up to their leaves; sets, sequences and optional
// values are shown whole, as a reader thinks of them.
import { ArraySchema, MapSchema, RecordSchema, Schema, show, type Shape } from '../schema/index.ts';

export interface Change {
  path: string;
  before?: string;
  after: string;
}

export function flatten(schema: Schema<unknown>, value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (schema instanceof RecordSchema) {
    for (const k of schema.keys) flatten(schema.fields[k], (value as Record<string, unknown>)?.[k], path ? `${path}.${k}` : k, out);
  } else if (schema instanceof MapSchema) {
    for (const k of schema.key.values) {
      const key = schema.key.keyOf(k);
      flatten(schema.value, (value as Record<string, unknown>)?.[key], `${path}[${key}]`, out);
    }
  } else if (schema instanceof ArraySchema && Array.isArray(value) && value.length === schema.length) {
    value.forEach((v, i) => flatten(schema.element, v, `${path}[${i}]`, out));
  } else {
    out.set(path, show(value));
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
export function shown(schema: RecordSchema<Shape>, state: unknown, view: TraceView = {}): Map<string, string> {
  const out = flatten(schema, state);
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
  const a = shown(schema, after, view);
  if (before === undefined) return [...a].map(([path, v]) => ({ path, after: v }));
  const b = shown(schema, before, view);
  const out: Change[] = [];
  for (const [path, v] of a) if (b.get(path) !== v) out.push({ path, before: b.get(path), after: v });
  return out;
}
