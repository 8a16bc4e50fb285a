// How messages print a value: compact, one line, sets in braces.
export function show(value: unknown): string {
  if (value instanceof Set) return `{${[...value].map(show).join(', ')}}`;
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${show(v)}`).join(', ')} }`;
  }
  return String(value);
}
