// ITF values as a person reads them: printed values ('text', {a, b}, null for an empty option) and
// variable paths (`pc[t1]`, `node.next`). No Node imports: the browser explorer uses it too.

/**
 * Opens records and maps into paths; sets, sequences, tuples and variants are shown whole. A set of
 * structured values (records, tuples, sets) also gives its elements as shown, in `elements`: such a
 * set grows long, and a trace shows its changes as the elements added and removed, as `check` does.
 */
export function flattenItf(value: unknown, path: string, out: Map<string, string>, elements?: Map<string, string[]>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o['#map'])) {
      for (const pair of o['#map'] as unknown[]) {
        if (Array.isArray(pair) && pair.length === 2) flattenItf(pair[1], `${path}[${keyText(pair[0])}]`, out, elements);
      }
      return;
    }
    if (!isSpecial(o)) {
      for (const [k, v] of Object.entries(o)) flattenItf(v, `${path}.${k}`, out, elements);
      return;
    }
    const set = o['#set'];
    if (elements && Array.isArray(set) && set.some((e) => e !== null && typeof e === 'object')) elements.set(path, set.map(showItf));
  }
  out.set(path, showItf(value));
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
    // A tuple is a JS array in the spec, and `check` shows it as one: [1, 'ECHO'].
    if (Array.isArray(o['#tup'])) return `[${o['#tup'].map(showItf).join(', ')}]`;
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

/** A value as a tree: records and maps open into children (foldable), everything else is a leaf. */
export interface ValueNode {
  /** The field or key under its parent (the variable name at the top). */
  key: string;
  /** The same path as `flattenItf` gives a leaf, so a change found there marks this node. */
  path: string;
  text?: string;
  children?: ValueNode[];
}

export function itfTree(value: unknown, path: string, key = path): ValueNode {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o['#map'])) {
      const children = (o['#map'] as unknown[])
        .filter((pair): pair is [unknown, unknown] => Array.isArray(pair) && pair.length === 2)
        .map(([k, v]) => itfTree(v, `${path}[${keyText(k)}]`, keyText(k)));
      return { key, path, children };
    }
    if (!isSpecial(o)) return { key, path, children: Object.entries(o).map(([k, v]) => itfTree(v, `${path}.${k}`, k)) };
  }
  return { key, path, text: showItf(value) };
}
