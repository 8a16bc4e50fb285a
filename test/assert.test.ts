// assert() in spec code: TLA+'s Assert, the kernel's BUG_ON. A failed assertion stops the check with
// the trace to the step that asserted and TLC's exit code for it, 14 (an exception is 75).
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { assert, defineSpec, int } from '../src/index.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../src/vitest.ts';
import { cli, scratch, writeSpec } from './helpers.ts';

const BUG_ON = `import { assert, defineSpec, int } from 'interleave';
export default defineSpec({
  name: 'bug-on',
  state: { ref: int(0, 3), mapped: int(0, 3) },
  init: { ref: 1, mapped: 0 },
  actions: {
    map: { when: (s) => s.mapped < 2, do: (s) => { s.mapped++; s.ref++; } },
    unmap: { when: (s) => s.mapped > 0, do: (s) => { assert(s.ref > s.mapped, \`VM_BUG_ON: ref \${s.ref} <= mapped \${s.mapped}\`); s.mapped--; s.ref -= 2; } },
  },
});
`;

describe('assert()', () => {
  it('in a recipe: the trace to the step that asserted, the message, and the violation marked as an assertion', async () => {
    const spec = defineSpec({
      name: 'inline',
      state: { n: int(0, 5) },
      init: { n: 0 },
      actions: { inc: { when: (s) => s.n < 5, do: (s) => { assert(s.n !== 2, 'n reached 2'); s.n++; } } },
      invariants: { Small: (s) => { assert(s.n < 5, 'never 5'); return true; } },
    });
    const r = await checkModel(compileModel(spec, 'default'));
    expect([r.outcome, r.message, r.violation?.assertion, r.trace?.map((s) => s.action?.label ?? 'init')]).toEqual([
      'error',
      'the recipe of inc failed an assertion: n reached 2',
      true,
      ['init', 'inc', 'inc'],
    ]);
  });

  it('exit 14 and "assertion failed", with one worker and two; an exception stays 75', () => {
    const dir = scratch();
    const file = writeSpec(dir, 'bug-on.ts', BUG_ON);
    const one = cli(['check', file, '--out', dir]);
    expect(one.code).toBe(14);
    expect(one.stdout).toContain('✗ bug-on: assertion failed\n  the recipe of unmap failed an assertion: VM_BUG_ON: ref 1 <= mapped 1\n');
    expect(one.stdout).toContain('  5  unmap fails its assertion\n');
    const two = cli(['check', file, '--out', dir, '--workers', '2', '--json']);
    const doc = JSON.parse(two.stdout);
    expect([two.code, doc.exitCode, doc.results[0].traceLength, doc.results[0].message]).toEqual([14, 14, 4, 'the recipe of unmap failed an assertion: VM_BUG_ON: ref 1 <= mapped 1']);
    const thrown = writeSpec(dir, 'throws.ts', BUG_ON.replace("name: 'bug-on'", "name: 'throws'").replace(/assert\(([^,]+), /, 'if (!($1)) throw new Error('));
    expect(cli(['check', thrown, '--out', dir]).code).toBe(75);
  });

  it("a variant may expect it: { violates: 'assertion' } passes the gate, in JUnit too; unexpected, it fails the gate with 14", () => {
    const dir = scratch();
    const expected = writeSpec(dir, 'expected.ts', BUG_ON.replace("name: 'bug-on',", "name: 'bug-on', expect: { violates: 'assertion' },"));
    const junit = join(dir, 'junit.xml');
    const gate = cli(['check', expected, '--gate', '--json', '--junit', junit, '--out', dir]);
    const [res] = JSON.parse(gate.stdout).results;
    expect([gate.code, res.result, res.property, res.asExpected]).toEqual([0, 'error', 'assertion', true]);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testcase name="assertion"[^>]*>\s*<system-out>violated as expected/);
    const surprise = cli(['check', writeSpec(dir, 'surprise.ts', BUG_ON), '--gate', '--out', dir]);
    expect(surprise.code).toBe(14);
  });

  it("interleave/vitest's toViolate('assertion') sees a failed assertion", async () => {
    const spec = defineSpec({
      name: 'inline',
      state: { n: int(0, 5) },
      init: { n: 0 },
      actions: { inc: { when: (s) => s.n < 5, do: (s) => { assert(s.n !== 2, 'n reached 2'); s.n++; } } },
    });
    const r = await check(spec);
    expect(r).toViolate('assertion');
    expect(r).not.toHold();
  });
});
