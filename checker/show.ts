// How messages print a value: compact, one line, sets in braces. A value of a class the engine does
// not know (a front end's set with value equality, say) prints itself through SHOW. A value that
// contains itself, or is nested or sized beyond all reason (what a wrong recipe may build), is cut
// short where it would print endlessly or fill the console.
/** A method `(show) => string` by which a value prints itself, given the printer for its parts. */
export const SHOW = Symbol.for('interleave.show');

/** Elements of one collection printed before the rest is counted. */
const MAX_ITEMS = 1000;
/** Levels of nesting printed. */
const MAX_DEPTH = 100;

export function show(value: unknown): string {
  return shown(value, []);
}

function shown(value: unknown, within: object[]): string {
  if (typeof value === 'string') return `'${value}'`;
  // A BigInt shown as `1` would look like the number it is not (and so fit an int type).
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return String(value);
  if (within.includes(value)) return '[itself]';
  if (within.length >= MAX_DEPTH) return '...';
  within.push(value);
  try {
    const part = (v: unknown) => shown(v, within);
    if (value instanceof Set) return `{${items(value, part)}}`;
    if (value instanceof Map) return `Map {${items(value, ([k, v]) => `${part(k)} => ${part(v)}`)}}`;
    if (Array.isArray(value)) return `[${items(value, part)}]`;
    const own = (value as { [SHOW]?: unknown })[SHOW];
    if (typeof own === 'function') return own.call(value, part) as string;
    return `{ ${items(Object.entries(value), ([k, v]) => `${k}: ${part(v)}`)} }`;
  } finally {
    within.pop();
  }
}

/** The first MAX_ITEMS elements, then how many more there are. */
function items<T>(all: Iterable<T>, each: (x: T) => string): string {
  const out: string[] = [];
  let more = 0;
  for (const x of all) {
    if (out.length < MAX_ITEMS) out.push(each(x));
    else more++;
  }
  return more > 0 ? `${out.join(', ')}, ... (${more.toLocaleString('en-US')} more)` : out.join(', ');
}
