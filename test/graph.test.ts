// interleave graph: the reachable state graph in DOT, counted exactly, with the counterexample
// highlighted and a size guard.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exploreGraph } from '../checker/search/graph.ts';
import { compileModel } from '../src/compile/model.ts';
import dieHard from '../specs/examples/die-hard.ts';
import peterson from '../specs/examples/peterson.ts';
import tcommit from '../specs/examples/tcommit.ts';
import { cli, scratch, writeSpec } from './helpers.ts';

describe('interleave graph', () => {
  it('has exactly the reachable states and transitions (TLC\'s counts, no symmetry)', () => {
    const p = exploreGraph(compileModel(peterson, 'default'), 1000);
    expect([p.nodes.length, p.edges.length]).toEqual([42, 76]);
    const t = exploreGraph(compileModel(tcommit, 'default'), 1000);
    expect([t.nodes.length, t.edges.length]).toEqual([34, 93]);
    const d = exploreGraph(compileModel(dieHard, 'default'), 1000);
    expect(d.nodes.length).toBe(16);
    expect(d.nodes.filter((n) => n.bad).map((n) => [n.state, n.bad])).toEqual([
      [{ small: 3, big: 4 }, 'violates NotSolved'],
      [{ small: 0, big: 4 }, 'violates NotSolved'],
    ]);
  });

  it('prints DOT with the counterexample path in red', () => {
    const r = cli(['graph', 'specs/examples/refcount-race.ts', '--variant', 'racy']);
    expect(r.code).toBe(0);
    const dot = r.stdout;
    expect(dot.startsWith('digraph "refcount-race [racy]" {\n')).toBe(true);
    expect(dot).toContain('label="refcount-race [racy]: 15 states, 16 transitions; counterexample of 5 states in red";');
    expect(dot.match(/^\s+s\d+ \[label=/gm)).toHaveLength(15);
    expect(dot.match(/^\s+s\d+ -> s\d+ /gm)).toHaveLength(16);
    // The counterexample: 4 red edges, and its last state marked as violating NoLeak.
    expect(dot.match(/-> s\d+ \[label="[^"]+", color=red, fontcolor=red, penwidth=3\]/g)).toHaveLength(4);
    expect(dot).toContain(
      String.raw`[label="refcount = 2\lfreed = false\lpc[t1] = 'load'\lpc[t2] = 'load'\lseen[t1] = 0\lseen[t2] = 0\l", style=bold, penwidth=3, color=red];`,
    );
    expect(dot).toMatch(/seen\[t2\] = 2\\lviolates NoLeak\\l", color=red, fontcolor=red, penwidth=3/);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
  });

  it('a spec that holds has no highlighted path; --out writes the file', () => {
    const dir = scratch();
    const file = join(dir, 'peterson.dot');
    const r = cli(['graph', 'specs/examples/peterson.ts', '--out', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${file}: 42 states, 76 transitions\n`);
    const dot = readFileSync(file, 'utf8');
    expect(dot).toContain('label="peterson: 42 states, 76 transitions";');
    expect(dot).not.toContain('color=red');
  });

  it('refuses a graph larger than --max-nodes, and needs a known variant (exit 151)', () => {
    const big = cli(['graph', 'specs/examples/two-phase.ts', '--max-nodes', '100']);
    expect(big.code).toBe(151);
    expect(big.stdout).toBe('');
    expect(big.stderr).toContain(
      "specs/examples/two-phase.ts: the state graph of 'two-phase' has more than 100 states; raise --max-nodes, or draw a variant with smaller bounds",
    );
    const v = cli(['graph', 'specs/examples/refcount-race.ts', '--variant', 'v9']);
    expect(v.code).toBe(151);
    expect(v.stderr).toContain("spec 'refcount-race' has no variant 'v9' (variants: atomic, racy)");
    const none = cli(['graph', 'specs/examples/refcount-race.ts']);
    expect(none.code).toBe(151);
    expect(none.stderr).toContain('has several variants; pick one for graph with --variant (atomic, racy)');
  });

  it('a state outside its type is a red leaf, and the TypeOK counterexample leads to it', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'under.ts', `
import { defineSpec, int } from 'interleave';
export default defineSpec({
  name: 'under', state: { n: int(0, 3) }, init: { n: 1 },
  actions: { put: { when: (s) => s.n < 3, do: (s) => { s.n--; } }, get: { when: (s) => s.n < 2, do: (s) => { s.n += 2; } } },
  // n = 3 enables nothing: with deadlock checked, that shorter counterexample would be the one shown.
  deadlock: false,
});`);
    const r = cli(['graph', f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('label="under: 5 states, 5 transitions; counterexample of 3 states in red";');
    expect(r.stdout).toContain(String.raw`s3 [label="n = -1\lTypeOK: n = -1 is outside int(0, 3)\l", color=red, fontcolor=red, penwidth=3, style="bold,filled", fillcolor="#ffe0e0"];`);
    expect(r.stdout).toContain('s1 -> s3 [label="put", color=red, fontcolor=red, penwidth=3];');
  });

  it('spec code that prints goes to stderr, never into the DOT; control characters in names and values are escapes; a failed assumption is exit 10', () => {
    const dir = scratch();
    const noisy = writeSpec(dir, 'noisy.ts', `import { defineSpec, enumOf, int } from 'interleave';
console.log('hello at import');
export default defineSpec({
  name: 'noisy\\u001b]0;x\\u0007',
  constants: { N: 3 },
  assumptions: { Small: (c) => c.N < 5 },
  state: { x: int(0, 1), word: enumOf('a', 'new\\nline', 'esc\\u001b[31m') },
  init: { x: 0, word: 'new\\nline' },
  actions: { go: { when: (s) => s.x < 1, do: (s) => { console.log('hello from spec'); s.x++; s.word = 'esc\\u001b[31m'; } } },
  deadlock: false,
});\n`);
    const r = cli(['graph', noisy]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('digraph "noisy\\\\e]0;x\\\\u0007" {\n')).toBe(true);
    expect(r.stdout).not.toContain('hello');
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    // One line per variable: the value's newline is shown, not taken as a line break.
    expect(r.stdout).toContain("label=\"x = 0\\lword = 'new\\\\nline'\\l\"");
    expect(r.stderr).toContain('hello at import');
    expect(r.stderr).toContain('hello from spec');
    const assumed = cli(['graph', writeSpec(dir, 'assumed.ts', readFileSync(noisy, 'utf8').replace('N: 3', 'N: 9'))]);
    expect([assumed.code, assumed.stderr]).toEqual([10, expect.stringContaining("assumption 'Small' does not hold")]);
  });
});
