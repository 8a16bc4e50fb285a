// Fuzzing, in process and seeded: mutated ITF files through `interleave trace` (reading, the three
// views, replay against the spec) and mutated option lists through the whole command line. Whatever
// the input, the answer is a result or a one-line error with an exit code: never an internal error,
// a stack trace, or a raw control character on the terminal.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mulberry32 } from '../checker/random.ts';
import { main } from '../src/cli/main.ts';
import { runTrace } from '../src/cli/trace.ts';
import { UsageError } from '../src/cli/usage.ts';
import { ROOT, scratch } from './helpers.ts';

type Rng = () => number;
const pick = <T,>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

/** Captures what the command line writes, so the fuzz can judge it. */
function capture() {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  // yargs prints --help through console.log.
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  return () => {
    const text = [...out.mock.calls, ...err.mock.calls, ...log.mock.calls].map((c) => String(c[0])).join('');
    vi.restoreAllMocks();
    return text;
  };
}

/** What no input may produce. */
function expectClean(text: string, input: string): void {
  if (/internal error|^\s+at .*:\d+:\d+\)?$/m.test(text)) throw new Error(`internal error or stack trace for ${input}:\n${text}`);
  // Our own colours are off (not a terminal); any ESC or other control character came from the input.
  if (/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(text)) throw new Error(`raw control character for ${input}:\n${JSON.stringify(text)}`);
}

const WEIRD: unknown[] = [
  null, true, false, 0, -1, 2 ** 53, 1.5, '', 'x', '\x1b]0;title\x07', '\x1b[2J\x1b[31mred', 'a\r\nb', '\u009b31m', '\u202eevil',
  [], [[]], {}, { '#set': 5 }, { '#set': [{}, null] }, { '#map': 'x' }, { '#map': [[1]] }, { '#map': [[{}, { '#set': [] }]] },
  { '#tup': null }, { '#tup': [1, 'a'] }, { '#bigint': 'abc' }, { '#bigint': '-12' }, { tag: 'Some' }, { tag: 'Some', value: {} },
  { tag: 'None', value: { '#tup': [] } }, { tag: 7, value: 1 }, { '#unserializable': '\x1b[1m' }, { '#meta': null }, { action: 'init' },
  { a: { b: { c: { d: [] } } } },
];

/** Every (container, key) in a JSON value, to pick one to change. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.push([v as Record<string, unknown>, k]), slots(x, out));
  return out;
}

function mutateDoc(rng: Rng, doc: unknown): string {
  const d = structuredClone(doc) as Record<string, unknown>;
  for (let n = 1 + Math.floor(rng() * 4); n > 0; n--) {
    const all = slots(d);
    if (all.length === 0) break;
    const [where, key] = pick(rng, all);
    const r = rng();
    if (r < 0.35) (where as Record<string | number, unknown>)[key] = structuredClone(pick(rng, WEIRD));
    else if (r < 0.55) {
      if (Array.isArray(where)) where.splice(key as number, 1);
      else delete where[key as string];
    } else if (r < 0.7 && Array.isArray(where)) where.push(structuredClone(where[key as number]));
    else if (r < 0.85) {
      // Rename a key, or a string value: names and values from the file reach the terminal.
      const value = (where as Record<string | number, unknown>)[key];
      if (typeof value === 'string') (where as Record<string | number, unknown>)[key] = value + pick(rng, WEIRD.filter((w) => typeof w === 'string') as string[]);
      else if (!Array.isArray(where)) {
        delete where[key as string];
        where[`${String(key)}${pick(rng, ['\x1b[0m', '\n', '', '.', '[1]'])}`] = value;
      }
    } else (where as Record<string | number, unknown>)[key] = structuredClone(d);
  }
  let text = JSON.stringify(d);
  const r = rng();
  // Text-level damage: a cut, a flipped or an inserted character.
  if (r < 0.1) text = text.slice(0, Math.floor(rng() * text.length));
  else if (r < 0.2) {
    const at = Math.floor(rng() * text.length);
    text = text.slice(0, at) + pick(rng, ['{', '}', '"', ',', '\\', '\x1b', '0', ']']) + text.slice(at + 1);
  }
  return text;
}

describe('fuzz', () => {
  afterEach(() => vi.restoreAllMocks());

  it('2000 mutated ITF files through trace (steps, --full, --swimlane, --replay): a result or a one-line error', async () => {
    const rng = mulberry32(20261129);
    const bases = ['refcount-race.racy.NoLeak.itf.json', 'pg-fscache.V0-wait_F2.WokenBitClear.itf.json'].map((f) => JSON.parse(readFileSync(join(ROOT, 'counterexamples', f), 'utf8')));
    const dir = scratch();
    const codes = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const file = join(dir, `t${i % 10}.itf.json`);
      const base = i % 2;
      writeFileSync(file, mutateDoc(rng, bases[base]));
      const view = pick(rng, [{}, { full: true }, { swimlane: true }, { replay: base ? 'specs/kernel/pg-fscache.ts' : 'specs/examples/refcount-race.ts' }]);
      const done = capture();
      let code: number;
      try {
        code = await runTrace({ file, ...view });
      } catch (e) {
        done();
        // main() turns a usage error into exit 151 with its message; anything else would be internal.
        if (!(e instanceof UsageError)) throw new Error(`internal error for input ${i} (${JSON.stringify(view)}): ${(e as Error).stack}`);
        code = 151;
        expectClean(e.message, `input ${i}`);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        continue;
      }
      expectClean(done(), `input ${i} (${JSON.stringify(view)}): ${readFileSync(file, 'utf8').slice(0, 300)}`);
      expect([0, 1, 75, 150]).toContain(code);
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    // The mutations reach every kind of answer: shown, refused, and (on replay) not a behaviour.
    expect([...codes.keys()].sort()).toEqual(expect.arrayContaining([0, 1, 150]));
  }, 180_000);

  it('2000 mutated option lists through the command line: exit 0, 74, 150 or 151 and a one-line message', async () => {
    const rng = mulberry32(1129);
    const dir = scratch();
    mkdirSync(join(dir, 'empty'));
    const trace = join(dir, 'ok.itf.json');
    writeFileSync(trace, readFileSync(join(ROOT, 'counterexamples', 'refcount-race.racy.NoLeak.itf.json')));
    // Positionals that never start a search: no spec file runs here, so the fuzz stays fast.
    const positional: Record<string, string[]> = {
      check: [join(dir, 'missing.ts'), join(dir, 'empty')],
      simulate: [join(dir, 'missing.ts')],
      list: [join(dir, 'missing.ts'), join(dir, 'empty')],
      graph: [join(dir, 'missing.ts')],
      trace: [trace, join(dir, 'missing.itf.json')],
    };
    const flags = [
      '--variant', '--deadlock', '--no-deadlock', '--max-states', '--max-depth', '--progress', '--workers', '--max-memory', '--symmetry',
      '--symmetry-compare', '--audit-symmetry', '--no-audit-symmetry', '--audit-samples', '--audit-seed', '--json', '--out', '--quiet', '-q',
      '--gate', '--junit', '--coverage', '--seed', '--steps', '--runs', '--full', '--swimlane', '--replay', '--max-nodes', '--nonsense', '--help', '--version',
    ];
    const WRITES = new Set(['--out', '--junit', '--json', '--coverage', '--swimlane']);
    const values = [
      '0', '1', '-1', '1.5', '1e3', '', 'lots', '99999999999999999999', 'off', 'on', 'maybe', '8G', '1K', '512M', '0x10', '\x1b[2J', 'racy',
      join(dir, 'out'), join(dir, 'reports', 'j.xml'), join(dir, 'ok.itf.json'), dir, join(trace, 'under-a-file'), '--', '-',
    ];
    for (let i = 0; i < 2000; i++) {
      const command = pick(rng, Object.keys(positional));
      const argv = [command, pick(rng, positional[command])];
      for (let n = Math.floor(rng() * 5); n > 0; n--) {
        const flag = pick(rng, flags);
        argv.push(flag);
        // A flag that writes a file or folder gets its odd value inside the scratch folder.
        if (rng() < 0.7) argv.push(WRITES.has(flag) ? join(dir, pick(rng, values)) : pick(rng, values));
      }
      if (rng() < 0.1) argv.splice(1, 1);
      if (rng() < 0.05) argv.reverse();
      const done = capture();
      const code = await main(argv);
      const text = done();
      expectClean(text, JSON.stringify(argv));
      if (![0, 1, 74, 150, 151].includes(code)) throw new Error(`exit ${code} for ${JSON.stringify(argv)}:\n${text}`);
    }
  }, 180_000);
});
