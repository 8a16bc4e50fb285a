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

/** Changes from `before` to `after`; with no `before`, every variable. */
export function changes(schema: RecordSchema<Shape>, before: unknown, after: unknown): Change[] {
  const a = flatten(schema, after);
  if (before === undefined) return [...a].map(([path, v]) => ({ path, after: v }));
  const b = flatten(schema, before);
  const out: Change[] = [];
  for (const [path, v] of a) if (b.get(path) !== v) out.push({ path, before: b.get(path), after: v });
  return out;
}
