// check --junit: one test case per (spec, variant, property), failures that name the property and
// the trace file, and XML that a CI system can read whatever the messages contain.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { toJUnit } from '../src/report/junit.ts';
import { always, and, defineSpec, eventually, int, weakFair } from '../src/index.ts';
import { cli, scratch, writeSpec } from './helpers.ts';

/** A strict well-formedness check: balanced tags, quoted attributes, no raw '<' or bare '&' in text. */
function assertWellFormedXml(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = xml.slice(xml.indexOf('?>') + 2);
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(body))) {
    consumed = token.lastIndex;
    const [, close, name, attrs, selfClose, text] = m;
    if (text !== undefined) {
      expect(text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toMatch(/[&<>]/);
      if (stack.length === 0) expect(text.trim()).toBe('');
      continue;
    }
    if (attrs) expect(attrs.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toMatch(/[&<>]/);
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name);
  }
  expect(consumed).toBe(body.length);
  expect(stack).toEqual([]);
}

describe('check --junit', () => {
  it('writes one test case per property of every variant; the gate still passes', () => {
    const dir = scratch();
    const file = join(dir, 'reports', 'junit.xml');
    const r = cli(['check', 'specs/examples', '--gate', '--junit', file, '--out', dir]);
    expect(r.code).toBe(0);
    const xml = readFileSync(file, 'utf8');
    assertWellFormedXml(xml);
    // die-hard 3 (NotSolved, TypeOK, deadlock), peterson 4, refcount-race 3 + 3, tcommit 2 (no deadlock),
    // two-phase 3, queued-lock 5 + 5, voting 3 + 3, simple-allocator 5 + 3 + 2 + 2, paxos-commit 3.
    expect(xml).toMatch(/<testsuites name="interleave" tests="87" failures="0" errors="0" skipped="13" time="[\d.]+">/);
    expect(xml).toMatch(/<testsuite name="refcount-race \[racy\]" tests="3" failures="0" errors="0" skipped="2" time="[\d.]+">/);
    expect(xml).toContain(`<system-out>violated as expected; counterexample: ${join(dir, 'refcount-race.racy.NoLeak.itf.json')}</system-out>`);
    expect(xml).toMatch(/<testcase name="MutualExclusion" classname="peterson.default" file="specs\/examples\/peterson.ts" time="[\d.]+"\/>/);
    expect(xml).toContain('<skipped message="not checked to the end: the search stopped at the violation of NoLeak"/>');
    expect(xml).not.toContain('name="deadlock" classname="tcommit.default"');
  });

  it('a property violated unexpectedly is a failure naming the property, the message and the trace file', () => {
    const dir = scratch();
    const f = writeSpec(dir, 'bad.ts', `
import { defineSpec, int } from 'interleave';
export default defineSpec({
  name: 'a<b & "c"',
  state: { n: int(0, 3) },
  init: { n: 0 },
  actions: { inc: { when: (s) => s.n < 3, do: (s) => { s.n++; } } },
  invariants: { 'Small<2': (s) => s.n < 2, Fine: () => true },
  deadlock: false,
  expect: 'holds',
});`);
    const file = join(dir, 'j.xml');
    const r = cli(['check', f, '--gate', '--junit', file, '--out', dir]);
    expect(r.code).toBe(12);
    const xml = readFileSync(file, 'utf8');
    assertWellFormedXml(xml);
    const trace = join(dir, 'a_b_c_.Small_2.itf.json');
    expect(xml).toContain('<testsuite name="a&lt;b &amp; &quot;c&quot;" tests="3" failures="1" errors="0" skipped="2"');
    expect(xml).toContain(
      `<failure message="Small&lt;2: invariant &apos;Small&lt;2&apos; is violated (trace: ${trace})" type="PropertyViolation">invariant 'Small&lt;2' is violated\nCounterexample, 3 states (${trace}):`,
    );
    expect(xml).toContain('n: 1 -&gt; 2');
  });

  it('a variant expected to fail that holds fails its property; a spec that does not load is an error case', () => {
    const dir = scratch();
    writeSpec(dir, 'held.ts', `
import { defineSpec, int } from 'interleave';
export default defineSpec({
  name: 'held', state: { n: int(0, 1) }, init: { n: 0 }, actions: { go: { do: (s) => { s.n = 1; } } },
  invariants: { Small: (s) => s.n < 2 }, expect: { violates: 'Small' },
});`);
    writeSpec(dir, 'broken.ts', `export const nothing = 1;\n`);
    const file = join(dir, 'j.xml');
    const r = cli(['check', dir, '--gate', '--junit', file, '--out', dir]);
    expect(r.code).toBe(150);
    const xml = readFileSync(file, 'utf8');
    assertWellFormedXml(xml);
    expect(xml).toContain('<failure message="Small: expected a violation, found none (holds)" type="PropertyViolation">expected: violates Small; result: holds</failure>');
    expect(xml).toMatch(/<testcase name="load" classname="[^"]*broken.ts" file="[^"]*broken.ts" time="0.000">\n\s+<error message="[^"]*broken.ts: it has no default export/);
  });

  it('escapes control characters that XML cannot carry at all', async () => {
    const spec = defineSpec({
      name: 'ctl',
      state: { n: int(0, 1) },
      init: { n: 0 },
      actions: { go: { do: () => { throw new Error('bad\u0001byte <\u0000> \ud800'); } } },
    });
    const result = await checkModel(compileModel(spec, 'default'));
    const xml = toJUnit({ results: [{ result }], loadErrors: [] });
    assertWellFormedXml(xml);
    expect(xml).toContain('message="the recipe of go threw: bad\ufffdbyte &lt;\ufffd&gt; \ufffd" type="SpecError"');
    expect(xml).toMatch(/<testsuite name="ctl" tests="2" failures="0" errors="2" skipped="0"/);
  });

  it('a property with []P conjuncts and temporal ones is one test case, passed when both parts hold', async () => {
    const spec = defineSpec({
      name: 'parts',
      state: { n: int(0, 2) },
      init: { n: 0 },
      actions: { go: { when: (s) => s.n < 2, do: (s) => { s.n += 1; } } },
      temporal: { P: and(always((s: { n: number }) => s.n <= 2), eventually((s: { n: number }) => s.n === 2)) },
      fairness: [weakFair('go')],
      deadlock: false,
    });
    const result = await checkModel(compileModel(spec, 'default'));
    const xml = toJUnit({ results: [{ result }], loadErrors: [] });
    expect(xml.match(/<testcase name="[^"]*"/g)).toEqual(['<testcase name="P"', '<testcase name="TypeOK"']);
    expect(xml).toMatch(/<testsuite name="parts" tests="2" failures="0" errors="0" skipped="0"/);
  });

  it('an unwritable report path is a clear error (exit 151)', () => {
    const dir = scratch();
    const report = join(dir, 'package.json', 'j.xml');
    const r = cli(['check', 'specs/examples/die-hard.ts', '--junit', report, '--out', dir]);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain(`--junit ${join(dir, 'package.json')}: cannot create the folder: ${join(dir, 'package.json')} exists and is not a folder`);
    expect(r.stdout).toBe('');
  });
});
