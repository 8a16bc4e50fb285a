// Where the time goes per state: times each phase of the hot loop (decode, guard, recipe, encode,
// canonicalise, fingerprint, insert) separately, over the states of a real search.
//   npx tsx bench/phases.ts bench/counters.ts [--states 300000] [--const NAME=VALUE ...]
// Each phase runs over the same sample of reachable states; the figures are nanoseconds per
// generated successor (decode and guard: per expanded state), CPU time, best of three passes.
import { search } from '../checker/search/bfs.ts';
import { canonicaliser } from '../checker/symmetry/canonicalise.ts';
import { fingerprint } from '../checker/store/fingerprint.ts';
import { compileModel, type State } from '../src/compile/model.ts';
import { actionBytes, FingerprintStore } from '../checker/store/memory.ts';
import { loadSpec } from '../src/load.ts';

const file = process.argv[2] ?? 'bench/counters.ts';
const i = process.argv.indexOf('--states');
const limit = i > 0 ? Number(process.argv[i + 1]) : 300_000;
// --const NAME=VALUE, as on the command line (VALUE read as JSON, else as text).
const constants: Record<string, unknown> = {};
process.argv.forEach((a, k) => {
  if (a !== '--const') return;
  const [name, ...rest] = process.argv[k + 1].split('=');
  const text = rest.join('=');
  try {
    constants[name] = JSON.parse(text);
  } catch {
    constants[name] = text;
  }
});
const { spec } = await loadSpec(file);
const model = compileModel(spec, spec.variantNames[0], file, { constants });
const canon = model.symmetryDefault && model.symmetry.size > 0 ? canonicaliser(model) : undefined;

// A sample of reachable states: the first `limit` distinct ones, re-encoded from the store's search.
const { store } = await search(model, { deadlock: false, maxStates: limit, canonicalise: canon });
const w = model.width;
const states: Int32Array[] = [];

/** The successors of an encoded state that stay inside their type, as objects and encoded. */
function successors(v: Int32Array): { state: State; encoded: Int32Array }[] {
  const out: { state: State; encoded: Int32Array }[] = [];
  const from = { pre: model.decode(v, 0), draft: () => model.decode(v, 0) };
  for (const a of model.actions) {
    if (a.guard && a.guard(from.pre) !== true) continue;
    a.successors(from, (next) => {
      const encoded = new Int32Array(w);
      if (model.encode(next, encoded, 0) === undefined) out.push({ state: next as State, encoded });
    });
  }
  return out;
}
{
  // Rebuild the sample by a plain BFS over the concrete states (the store keeps fingerprints only).
  const seen = new Set<string>();
  const queue: Int32Array[] = [];
  for (const s of model.initial) {
    const v = new Int32Array(w);
    model.encode(s, v, 0);
    queue.push(v);
  }
  // An index into the queue, not shift(): Bakery starts with 655,200 states in it.
  for (let head = 0; head < queue.length && states.length < Math.min(limit, store.size); head++) {
    const v = queue[head];
    const key = v.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    states.push(v);
    for (const { encoded } of successors(v)) queue.push(encoded);
  }
}
const flat = new Int32Array(states.length * w);
states.forEach((v, k) => flat.set(v, k * w));

// Successors of the sample, encoded, for the phases that work on successors.
const succ: Int32Array[] = [];
const succObjects: State[] = [];
for (const v of states) {
  for (const { encoded, state } of successors(v)) {
    succ.push(encoded);
    succObjects.push(state);
  }
}
const perSucc = states.length / succ.length;

function time(f: () => void): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = process.cpuUsage();
    f();
    const u = process.cpuUsage(t);
    best = Math.min(best, (u.user + u.system) * 1000);
  }
  return best;
}

let sink = 0;
const rows: [string, number][] = [];
rows.push(['decode (pre-state, per state)', time(() => { for (let k = 0; k < states.length; k++) sink += model.decode(flat, k * w) ? 1 : 0; }) / states.length]);
rows.push(['guards (all actions, per state)', time(() => {
  for (let k = 0; k < states.length; k++) {
    const s = model.decode(flat, k * w);
    for (const a of model.actions) if (!a.guard || a.guard(s) === true) sink++;
  }
}) / states.length - rows[0][1]]);
rows.push(['decode (draft, per successor)', rows[0][1]]);
rows.push(['recipe (per successor)', time(() => {
  for (let k = 0; k < states.length; k++) {
    const from = { pre: model.decode(flat, k * w), draft: () => model.decode(flat, k * w) };
    for (const a of model.actions) {
      if (a.guard && a.guard(from.pre) !== true) continue;
      try {
        a.successors(from, () => sink++);
      } catch {
        // a recipe that throws is an error of the spec; not timed here
      }
    }
  }
}) / succ.length - rows[0][1] * (1 + perSucc) - rows[1][1] * perSucc]);
const out = new Int32Array(w);
rows.push(['encode (per successor)', time(() => { for (const t of succObjects) model.encode(t, out, 0); }) / succ.length]);
const canonical = new Int32Array(w);
if (canon) rows.push(['canonicalise (per successor)', time(() => { for (const v of succ) canon(v, canonical); }) / succ.length]);
const fp = new Int32Array(2);
rows.push(['fingerprint (per successor)', time(() => { for (const v of succ) fingerprint(v, w, fp); }) / succ.length]);
const fps = new Int32Array(succ.length * 2);
succ.forEach((v, k) => {
  fingerprint(canon ? (canon(v, canonical), canonical) : v, w, fp);
  fps[2 * k] = fp[0];
  fps[2 * k + 1] = fp[1];
});
rows.push(['insert (per successor, new and seen)', time(() => {
  const st = new FingerprintStore(actionBytes(model.actions.length));
  for (let k = 0; k < succ.length; k++) sink += st.insert(fps[2 * k], fps[2 * k + 1], k, 0, []);
}) / succ.length]);

console.log(`${model.specName}: ${states.length} states, ${succ.length} successors (${(succ.length / states.length).toFixed(2)} per state), width ${w}`);
for (const [name, ns] of rows) console.log(`  ${name.padEnd(40)} ${Math.max(0, ns).toFixed(0).padStart(6)} ns`);
if (sink === -1) console.log(sink);
