// interleave list: what the bundled specs declare.
import { describe, expect, it } from 'vitest';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cli, scratch, writeSpec } from './helpers.ts';

describe('interleave list', () => {
  it('lists every spec with its variants, expectations, properties, actions and bounds', () => {
    const r = cli(['list', 'specs/examples']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        'refcount-race  specs/examples/refcount-race.ts',
        '  Two threads drop their references; the object is freed exactly once, when both are gone.',
        '  variants:',
        '    atomic  expects holds            atomic = true',
        '    racy    expects violates NoLeak  atomic = false',
        '  state:',
        '    refcount: int(0, 2)',
        '    freed: bool',
        "    pc: mapOf(scalarset('t', 2), enumOf('load', 'store', 'free', 'Done'))",
        "    seen: mapOf(scalarset('t', 2), int(0, 2))",
        '    scalarsets: t (2), reduced by symmetry',
        '  process put (2 threads): load, store, free',
        '  invariants: NoLeak, TypeOK',
        '  deadlock checked',
      ].join('\n'),
    );
    expect(r.stdout).toContain('die-hard  specs/examples/die-hard.ts');
    expect(r.stdout).toContain('    default  expects violates NotSolved');
    expect(r.stdout).toContain('  invariants: TCConsistent, TypeOK\n  deadlock not checked');
    expect(r.stdout.match(/^\S+  specs\/examples\/\S+\.ts$/gm)).toHaveLength(17);
  });

  it('a kernel spec: variants that check only some properties say so', () => {
    const r = cli(['list', 'specs/kernel/pg-fscache.ts']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "    V0-wait/F2              expects violates WokenBitClear     checks only WokenBitClear  scheme = 'V0', truncateWaits = true, truncates = 2, reuses = 1\n",
    );
    expect(r.stdout).toContain("    truncateRef: mapOf(scalarset('truncate', 3), bool)\n");
    expect(r.stdout).toContain('  invariants: FreedBitClear, NoStaleWake, WokenBitClear, BitHoldsRef, TypeOK\n');
    expect(r.stdout).toContain(
      '  process truncate (3 threads): xas_load, folio_try_get, xas_reload, folio_lock, folio_wait_private_2, __filemap_remove_folio, filemap_free_folio, folio_unlock, folio_put\n',
    );
  });

  it('temporal properties [][A]_v are listed with the action properties they are checked as', () => {
    const r = cli(['list', 'test/fixtures/tla-examples/coffee-can.ts']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  action properties: MonotonicDecrease, LoopInvariant\n  temporal properties: EventuallyTerminates, TerminationHypothesis\n');
  });

  it("a spec's own invariant named TypeOK, as a TLA+ port names it, is listed once", () => {
    const dir = scratch();
    const f = writeSpec(dir, 'typed.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'typed', state: { x: int(0, 2) }, init: { x: 0 }, actions: { inc: { when: (s) => s.x < 2, do: (s) => { s.x++; } } }, invariants: { TypeOK: (s) => s.x <= 2, Small: (s) => s.x < 3 }, deadlock: false });
`);
    expect(cli(['list', f]).stdout).toContain('  invariants: TypeOK, Small\n');
  });

  it('a scalarset declared not symmetric is listed as such, and left out of what symmetry reduces', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'owners.ts', `
import { defineSpec, mapOf, bool, scalarset } from 'interleave';
const Reader = scalarset('reader', 2);
const Owner = scalarset('owner', ['owner'], { symmetric: false });
export default defineSpec({
  name: 'owners',
  state: { r: mapOf(Reader, bool()), o: mapOf(Owner, bool()) },
  init: { r: { reader1: false, reader2: false }, o: { owner: false } },
  actions: { go: { do: (s) => { s.o.owner = true; } } },
  deadlock: false,
});
`);
    const r = cli(['list', f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('    scalarsets: reader (2), owner (1, not symmetric), reduced by symmetry over reader\n');
    const j = cli(['list', f, '--json']);
    expect(JSON.parse(j.stdout)[0].variants[0]).toMatchObject({ scalarsets: { reader: 2, owner: 1 }, notSymmetric: ['owner'] });
  });

  it('--json gives the same facts for scripts; bounds that differ by variant are listed per variant', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'sized.ts', `
import { defineSpec, int } from 'interleave';
export default defineSpec({
  name: 'sized',
  constants: { max: 2 },
  state: (c) => ({ n: int(0, c.max) }),
  init: { n: 0 },
  actions: { inc: { when: (s, _p, c) => s.n < c.max, do: (s) => { s.n++; } } },
  actionProperties: { Up: (s, t) => t.n > s.n },
  deadlock: false,
  coverage: 'all-actions-fire',
  variants: { small: { expect: 'holds' }, large: { constants: { max: 5 }, expect: 'holds' } },
});`);
    const j = cli(['list', f, '--json']);
    expect(j.code).toBe(0);
    const [doc] = JSON.parse(j.stdout);
    expect(doc).toMatchObject({
      spec: 'sized',
      variants: [
        { name: 'small', expect: 'holds', constants: { max: 2 }, state: { n: 'int(0, 2)' } },
        { name: 'large', expect: 'holds', constants: { max: 5 }, state: { n: 'int(0, 5)' } },
      ],
      actions: [{ name: 'inc', instances: 1 }],
      invariants: [],
      actionProperties: ['Up'],
      deadlock: false,
      coverage: 'all-actions-fire',
    });
    const text = cli(['list', f]);
    expect(text.stdout).toContain('  state:\n    n: int(0, 2)\n  state (variant large):\n    n: int(0, 5)');
    expect(text.stdout).toContain('  action properties: Up\n  deadlock not checked; coverage: all-actions-fire');
  });

  it('a spec that does not load is reported and the others still listed (exit 150)', () => {
    const dir = scratch();
    writeSpec(dir, 'a.ts', `export const x = 1;\n`);
    writeSpec(dir, 'b.ts', `import { defineSpec, int } from 'interleave';\nexport default defineSpec({ name: 'b', state: { n: int(0, 1) }, init: { n: 0 }, actions: {} });\n`);
    const r = cli(['list', dir]);
    expect(r.code).toBe(150);
    expect(r.stderr).toContain('a.ts: it has no default export');
    expect(r.stdout).toContain('b  ');
    expect(r.stdout).toContain('  actions: (none)');
  });
});

describe('names from spec code', () => {
  it('are shown with their control characters escaped by list and graph, never sent to the terminal', () => {
    const dir = scratch();
    writeSpec(dir, 'ctrl.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'ctrl\\u001b]0;PWNED\\u0007x', description: 'desc \\u001b[31mred', state: { x: int(0, 3) }, init: { x: 0 },
  actions: { ['inc\\u001b[2J']: { when: (s) => { if (s.x === 1) throw new Error('guard \\u001b[2J boom'); return s.x < 3; }, do: (s) => { s.x++; } } }, deadlock: false });\n`);
    const list = cli(['list', dir]);
    expect(list.stdout).toContain('ctrl\\e]0;PWNED\\u0007x  ');
    expect(list.stdout).toContain('  desc \\e[31mred\n');
    const graph = cli(['graph', join(dir, 'ctrl.ts')]);
    expect(graph.stderr).toContain('the guard of inc\\e[2J threw: guard \\e[2J boom');
    expect(list.stdout + graph.stdout + graph.stderr).not.toContain('\u001b');
  });
});

describe('paths that hold no spec', () => {
  it('list on a folder without specs says so (150), as check does; graph on a folder asks for one file', () => {
    const empty = scratch();
    const list = cli(['list', empty]);
    expect([list.code, list.stderr]).toEqual([150, `interleave: ${empty}: no spec files here (a spec is a .ts file whose default export is defineSpec({ ... }))\n`]);
    const graph = cli(['graph', 'specs/examples']);
    expect([graph.code, graph.stderr]).toEqual([150, 'interleave: specs/examples: a folder, where one spec file is wanted (check and list take folders)\n']);
  });

  it("links that lead nowhere (an editor's lock file) or back to a folder above are passed over by check, list and the gate", () => {
    const dir = scratch();
    writeSpec(dir, 'one.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'one', state: { x: int(0, 1) }, init: { x: 0 }, actions: { go: { when: (s) => s.x === 0, do: (s) => { s.x = 1; } } }, deadlock: false });\n`);
    symlinkSync('root@host.1234:1', join(dir, '.#one.ts'));
    symlinkSync('gone.ts', join(dir, 'gone.ts'));
    symlinkSync(dir, join(dir, 'again'));
    const gate = cli(['check', dir, '--gate', '--out', scratch()]);
    expect([gate.code, gate.stdout.trim().split('\n').at(-1)]).toEqual([0, 'Gate passed: all 1 variant behave as their specs expect.']);
    const list = cli(['list', dir, '--json']);
    expect([list.code, JSON.parse(list.stdout).map((s: { spec: string }) => s.spec)]).toEqual([0, ['one']]);
  });

  it('a variant that does not compile is named (150); the spec is still listed with its other variants', () => {
    const dir = scratch();
    writeSpec(dir, 'two.ts', `import { defineSpec, int } from 'interleave';
export default defineSpec({ name: 'two', constants: { N: 2 }, state: (c) => ({ x: int(0, c.N) }), init: { x: 0 },
  actions: { go: { when: (s) => s.x === 0, do: (s) => { s.x = 1; } } }, deadlock: false,
  variants: { good: {}, bad: { constants: { N: -1 } } } });\n`);
    const r = cli(['list', dir, '--json']);
    expect(r.code).toBe(150);
    expect(JSON.parse(r.stdout).map((l: { variants: { name: string }[] }) => l.variants.map((v) => v.name))).toEqual([['good']]);
    expect(r.stderr).toMatch(/^error: .*two\.ts: .*\n$/);
  });
});
