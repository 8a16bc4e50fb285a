// A state graph in Graphviz DOT: one box per state listing its variables, edges named by the action;
// initial states bold, bad states red, and the counterexample path drawn thick and red.
import type { StateGraph } from '../../checker/search/graph.ts';
import type { RecordSchema, Shape } from '../schema/index.ts';
import { flatten } from './diff.ts';
import { escapeControl } from './terminal.ts';

export interface DotOptions {
  title: string;
  codec: RecordSchema<Shape>;
  /** Node ids of the counterexample, in order. */
  path?: number[];
}

export function toDot(g: StateGraph, opts: DotOptions): string {
  const onPath = new Set(opts.path ?? []);
  const pathEdges = new Set<string>();
  (opts.path ?? []).forEach((id, i, p) => i > 0 && pathEdges.add(`${p[i - 1]}>${id}`));
  const out = [
    `digraph ${quote(escapeControl(opts.title))} {`,
    `  label=${quote(`${escapeControl(opts.title)}: ${g.nodes.length} states, ${g.edges.length} transitions${opts.path ? `; counterexample of ${opts.path.length} state${opts.path.length === 1 ? '' : 's'} in red` : ''}`)};`,
    '  labelloc=t;',
    '  node [shape=box, fontname="monospace", fontsize=10];',
    '  edge [fontname="monospace", fontsize=9];',
  ];
  for (const n of g.nodes) {
    // Each line's own control characters (a newline in a value among them) are shown as escapes.
    const vars = [...safeFlatten(opts, n.state)].map(([p, v]) => escapeControl(`${p} = ${v}`));
    if (n.bad) vars.push(escapeControl(n.bad));
    const attrs = [`label=${quote(vars.join('\n') + '\n', true)}`];
    if (n.initial) attrs.push('style=bold');
    if (n.bad) attrs.push('color=red', 'fontcolor=red');
    if (onPath.has(n.id)) attrs.push('penwidth=3', n.bad ? 'style="bold,filled", fillcolor="#ffe0e0"' : 'color=red');
    out.push(`  s${n.id} [${attrs.join(', ')}];`);
  }
  for (const e of g.edges) {
    const attrs = [`label=${quote(escapeControl(e.label))}`];
    if (pathEdges.has(`${e.from}>${e.to}`)) attrs.push('color=red', 'fontcolor=red', 'penwidth=3');
    out.push(`  s${e.from} -> s${e.to} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

function safeFlatten(opts: DotOptions, state: unknown): Map<string, string> {
  try {
    return flatten(opts.codec, state);
  } catch {
    return new Map(Object.entries(state as object).map(([k, v]) => [k, JSON.stringify(v)]));
  }
}

/** A DOT string; with `leftLines`, newlines become left-justified line breaks. */
function quote(s: string, leftLines = false): string {
  const escaped = s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return `"${leftLines ? escaped.replace(/\n/g, '\\l') : escaped.replace(/\n/g, '\\n')}"`;
}
