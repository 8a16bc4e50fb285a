// The state at the selected step: every variable as a foldable tree, what the step changed
// highlighted (also inside a folded value), variables pinned to the top or hidden, and the trace
// expressions when the trace carries them. Pins and hidden variables are remembered per spec.
import { useState } from 'preact/hooks';
import { itfTree, showItf, type ValueNode } from '../../report/itf-values.ts';
import type { ExplorerDoc } from '../document.ts';
import { Violates } from './swimlane.tsx';
import type { Change, StepView } from './trace-model.ts';

/** A value with more leaves than this starts folded. */
const FOLD_ABOVE = 6;

interface Props {
  doc: ExplorerDoc;
  views: StepView[];
  sel: number;
}

interface Layout {
  pinned: string[];
  hidden: string[];
}

function useLayout(key: string): [Layout, (l: Layout) => void] {
  const storageKey = `interleave-explorer:${key}`;
  const [layout, setLayout] = useState<Layout>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null');
      if (saved && Array.isArray(saved.pinned) && Array.isArray(saved.hidden)) return saved;
    } catch {
      // Storage may be unavailable (a file opened with storage off): start plain.
    }
    return { pinned: [], hidden: [] };
  });
  const save = (l: Layout) => {
    setLayout(l);
    try {
      localStorage.setItem(storageKey, JSON.stringify(l));
    } catch {
      // Not remembered, still applied.
    }
  };
  return [layout, save];
}

export function StatePanel({ doc, views, sel }: Props) {
  const [layout, setLayout] = useLayout(doc.title);
  const [open, setOpen] = useState<Map<string, boolean>>(new Map());
  const view = views[sel];
  const changed = new Map<string, Change>(view.changes.map((c) => [c.path, c]));
  if (view.pc) changed.set(view.pc.path, view.pc);
  const toggle = (path: string, now: boolean) => setOpen((m) => new Map(m).set(path, !now));
  const pin = (v: string) =>
    setLayout({ ...layout, pinned: layout.pinned.includes(v) ? layout.pinned.filter((x) => x !== v) : [...layout.pinned, v] });
  const hide = (v: string) => setLayout({ pinned: layout.pinned.filter((x) => x !== v), hidden: [...layout.hidden, v] });
  const unhide = (v: string) => setLayout({ ...layout, hidden: layout.hidden.filter((x) => x !== v) });
  const shown = [...layout.pinned.filter((v) => doc.vars.includes(v)), ...doc.vars.filter((v) => !layout.pinned.includes(v))].filter(
    (v) => !layout.hidden.includes(v),
  );
  const step = view.step;
  const exprs = step.expressions ? Object.entries(step.expressions) : [];

  return (
    <section class="state" aria-label="state">
      <h2>
        State {sel + 1} of {views.length}
        {step.lane ? <span class="lane-tag">{step.lane}</span> : null}
      </h2>
      <p class="step-label">{step.label}</p>
      {step.violates?.length ? <Violates names={step.violates} /> : null}
      {sel === views.length - 1 && doc.description && <p class="what">{doc.description}</p>}
      {exprs.length > 0 && (
        <div class="exprs">
          <h3>Trace expressions</h3>
          <dl>
            {exprs.map(([k, v]) => (
              <div key={k} class="expr">
                <dt>{k}</dt>
                <dd>{showItf(v)}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      <ul class="vars">
        {shown.map((v) => (
          <li key={v} class={`var${layout.pinned.includes(v) ? ' pinned' : ''}`} data-var={v}>
            <div class="var-tools">
              <button type="button" class="tool" aria-pressed={layout.pinned.includes(v)} title={`pin ${v} to the top`} onClick={() => pin(v)}>
                {layout.pinned.includes(v) ? 'unpin' : 'pin'}
              </button>
              <button type="button" class="tool" title={`hide ${v}`} onClick={() => hide(v)}>
                hide
              </button>
            </div>
            <Tree node={itfTree(step.state[v], v)} changed={changed} open={open} toggle={toggle} depth={0} />
          </li>
        ))}
      </ul>
      {layout.hidden.length > 0 && (
        <p class="hidden-vars">
          Hidden:{' '}
          {layout.hidden.map((v) => (
            <button type="button" class="tool" key={v} title={`show ${v} again`} onClick={() => unhide(v)}>
              {v}
            </button>
          ))}
        </p>
      )}
    </section>
  );
}

function leaves(n: ValueNode): ValueNode[] {
  return n.children ? n.children.flatMap(leaves) : [n];
}

interface TreeProps {
  node: ValueNode;
  changed: Map<string, Change>;
  open: Map<string, boolean>;
  toggle: (path: string, now: boolean) => void;
  depth: number;
}

function Tree({ node, changed, open, toggle, depth }: TreeProps) {
  if (!node.children) {
    const c = changed.get(node.path);
    return (
      <div class={`leaf${c ? ' changed' : ''}`} data-path={node.path}>
        <span class="key">{node.key}</span> <span class="eq">=</span> <span class="value">{node.text}</span>
        {c?.before !== undefined && (
          <span class="was" title="the value before this step">
            was {c.before}
          </span>
        )}
      </div>
    );
  }
  const all = leaves(node);
  const inside = all.filter((l) => changed.has(l.path));
  const isOpen = open.get(node.path) ?? all.length <= FOLD_ABOVE;
  return (
    <div class={`node${inside.length ? ' has-changes' : ''}`} data-path={node.path}>
      <button type="button" class="fold" aria-expanded={isOpen} onClick={() => toggle(node.path, isOpen)}>
        <span class="chevron">{isOpen ? '▾' : '▸'}</span> <span class="key">{node.key}</span>
        {!isOpen && <span class="summary"> {node.children.length} entries</span>}
        {!isOpen && inside.length > 0 && <span class="changed-count"> · {inside.length} changed</span>}
      </button>
      {!isOpen && inside.length > 0 && (
        <ul class="folded-changes">
          {inside.map((l) => (
            <li key={l.path} class="changed">
              {l.path.slice(node.path.length)} = {l.text}
            </li>
          ))}
        </ul>
      )}
      {isOpen && (
        <div class="children">
          {node.children.map((ch) => (
            <Tree key={ch.path} node={ch} changed={changed} open={open} toggle={toggle} depth={depth + 1} />
          ))}
        </div>
      )}
    </div>
  );
}
