// How messages print a value: compact, one line, sets in braces. A value of a class the engine does
// not know (a front end's set with value equality, say) prints itself through SHOW.
/** A method `(show) => string` by which a value prints itself, given the printer for its parts. */
export const SHOW = Symbol.for('interleave.show');

export function show(value: unknown): string {
  if (value instanceof Set) return `{${[...value].map(show).join(', ')}}`;
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value && typeof value === 'object') {
    const own = (value as { [SHOW]?: unknown })[SHOW];
    if (typeof own === 'function') return own.call(value, show) as string;
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${show(v)}`).join(', ')} }`;
  }
  // A BigInt shown as `1` would look like the number it is not (and so fit an int type).
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}
