// The explorer: a swimlane of the trace beside the state at the selected step. Reading a saved trace
// needs nothing else; in the live explorer the page also asks the server what can happen next, and the
// URL's hash holds the path (`#p=0.4.9&s=2`), so a state can be shared by its address.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ExploreAnswer, ExplorerBoot, ExplorerDoc } from '../document.ts';
import { StatePanel } from './state-panel.tsx';
import { Swimlane } from './swimlane.tsx';
import { lanesOf, stepViews } from './trace-model.ts';
import { ActionsPanel } from './actions-panel.tsx';

interface Place {
  /** Explore mode: the initial state's index, then the steps (an action instance id, with its choice path after dashes). */
  path: string[];
  /** The selected step. */
  sel: number;
}

function readHash(): Partial<Place> {
  const h = new URLSearchParams(location.hash.replace(/^#/, ''));
  const p = h.get('p');
  const s = h.get('s');
  return {
    path: p && /^\d+(\.\d+(-\d+)*)*$/.test(p) ? p.split('.') : undefined,
    sel: s !== null && /^\d+$/.test(s) ? Number(s) - 1 : undefined,
  };
}

function hashOf(mode: ExplorerBoot['mode'], place: Place): string {
  return mode === 'explore' ? `#p=${place.path.join('.')}&s=${place.sel + 1}` : `#s=${place.sel + 1}`;
}

export function App({ boot }: { boot: ExplorerBoot }) {
  const [place, setPlace] = useState<Place>(() => {
    const h = readHash();
    return { path: h.path?.length ? h.path : ['0'], sel: h.sel ?? (boot.mode === 'trace' ? 0 : Math.max(0, (h.path?.length ?? 1) - 1)) };
  });
  const [answer, setAnswer] = useState<ExploreAnswer | undefined>();
  const [error, setError] = useState<string | undefined>();
  const doc: ExplorerDoc | undefined = boot.mode === 'trace' ? boot.doc : answer?.doc;
  const last = doc ? doc.steps.length - 1 : 0;
  const sel = Math.min(place.sel, last);

  // Keep the address in step with the place, so that reloading or sharing it comes back here.
  useEffect(() => {
    const want = hashOf(boot.mode, { ...place, sel });
    if (location.hash !== want) history.replaceState(null, '', want);
  }, [place, sel]);

  useEffect(() => {
    const onHash = () => {
      const h = readHash();
      setPlace((p) => ({ path: h.path?.length ? h.path : p.path, sel: h.sel ?? p.sel }));
    };
    window.addEventListener('popstate', onHash);
    return () => window.removeEventListener('popstate', onHash);
  }, []);

  useEffect(() => {
    if (boot.mode !== 'explore') return;
    const ctl = new AbortController();
    fetch(`${boot.api}/path?p=${place.path.join('.')}&at=${place.sel}`, { signal: ctl.signal })
      .then(async (r) => {
        const body = await r.json();
        if (!r.ok) throw new Error(body.error ?? `the server answered ${r.status}`);
        setAnswer(body as ExploreAnswer);
        setError(undefined);
      })
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      });
    return () => ctl.abort();
  }, [place.path.join('.'), place.sel]);

  const views = useMemo(() => (doc ? stepViews(doc) : []), [doc]);
  const lanes = useMemo(() => (doc ? lanesOf(doc) : []), [doc]);

  const select = (i: number) => setPlace((p) => ({ ...p, sel: Math.max(0, Math.min(i, last)) }));
  const take = (step: string) => {
    const path = [...place.path.slice(0, sel + 1), step];
    const next = { path, sel: path.length - 1 };
    history.pushState(null, '', hashOf('explore', next));
    setPlace(next);
  };
  const back = () => {
    if (place.path.length <= 1) return;
    const path = place.path.slice(0, -1);
    const next = { path, sel: Math.min(sel, path.length - 1) };
    history.pushState(null, '', hashOf('explore', next));
    setPlace(next);
  };

  const keys = useRef({ select, take, back, sel, last, answer });
  keys.current = { select, take, back, sel, last, answer };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
      const k = keys.current;
      const moves: Record<string, () => void> = {
        ArrowDown: () => k.select(k.sel + 1),
        j: () => k.select(k.sel + 1),
        ArrowUp: () => k.select(k.sel - 1),
        k: () => k.select(k.sel - 1),
        Home: () => k.select(0),
        g: () => k.select(0),
        End: () => k.select(k.last),
        G: () => k.select(k.last),
        Backspace: () => k.back(),
      };
      const move = moves[e.key];
      if (move) {
        e.preventDefault();
        move();
        return;
      }
      const digit = /^[1-9]$/.test(e.key) ? Number(e.key) - 1 : -1;
      const choice = k.answer?.enabled[digit];
      if (choice && k.answer?.at === k.sel) {
        e.preventDefault();
        k.take(choice.step);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const title = doc?.title ?? (boot.mode === 'explore' ? boot.title : '');
  useEffect(() => {
    document.title = `${title} · Interleave`;
  }, [title]);

  return (
    <div class="app">
      <header class="top">
        <h1>{title}</h1>
        {doc?.description && <p class="what">{doc.description}</p>}
        <p class="meta">
          {doc ? `${doc.steps.length} states` : 'loading…'}
          {doc?.source ? ` · ${doc.source}` : ''}
          {doc?.loop !== undefined ? ` · a lasso: the last state loops back to state ${doc.loop + 1}` : ''}
        </p>
        <p class="keys" aria-label="keyboard">
          <kbd>↑</kbd>/<kbd>↓</kbd> or <kbd>k</kbd>/<kbd>j</kbd> step · <kbd>Home</kbd>/<kbd>End</kbd> first/last
          {boot.mode === 'explore' && (
            <>
              {' '}
              · <kbd>1</kbd>–<kbd>9</kbd> take an action · <kbd>Backspace</kbd> undo the last step
            </>
          )}
        </p>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {doc && (
        <main class="panes">
          <section class="lane-pane" aria-label="swimlane">
            <Swimlane views={views} lanes={lanes} sel={sel} loop={doc.loop} onSelect={select} />
          </section>
          <aside class="state-pane">
            {boot.mode === 'explore' && answer && answer.at === sel && (
              <ActionsPanel answer={answer} onTake={take} truncates={sel < last} />
            )}
            <StatePanel doc={doc} views={views} sel={sel} />
          </aside>
        </main>
      )}
    </div>
  );
}
