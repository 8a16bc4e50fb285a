// Fault injection on outputs: a full disk, a read-only file system, permission denied and a path
// that is in the way. Each failure is one line naming the file and the cause, exit 74; every other
// result (console, JSON, JUnit, other traces) is still delivered and no temporary file is left.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../src/cli/check.ts';
import { type FileWriter, nodeWriter, removeStaleTemporaries, writeFileAtomic } from '../src/report/files.ts';
import { cli, ROOT, scratch } from './helpers.ts';

const BIN = join(ROOT, 'bin', 'interleave.js');

/**
 * Runs the command line with a small tmpfs mounted at `mountAt` (in a user and mount namespace of
 * its own, so no privilege is needed beyond what `unshare -rm` takes). `prepare` is shell run first.
 */
function withTmpfs(mountAt: string, options: string, prepare: string, args: string[]) {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const script = `mount -t tmpfs -o ${options} tmpfs '${mountAt}' || exit 99; ${prepare}; exec '${process.execPath}' '${BIN}' ${quoted}`;
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.error || r.status === 99) throw new Error(`these tests need 'unshare -rm' and tmpfs mounts (util-linux): ${r.error?.message ?? r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A writer that fails like a file system in the given state, for files whose name matches. */
function failingWriter(code: string, matches: (path: string) => boolean): FileWriter {
  const fail = (path: string) => {
    const e = new Error(`${code}: injected, open '${path}'`) as NodeJS.ErrnoException;
    e.code = code;
    throw e;
  };
  return {
    ...nodeWriter,
    writeFile: (path, text) => (matches(path) ? fail(path) : nodeWriter.writeFile(path, text)),
  };
}

describe('a full disk', () => {
  it('under the standard output: said once on stderr, the rest of the run and its other outputs go on, exit 74 (or the worse verdict)', () => {
    const dir = scratch();
    const junit = join(dir, 'junit.xml');
    const full = openSync('/dev/full', 'w');
    try {
      const run = (spec: string) =>
        spawnSync(process.execPath, [BIN, 'check', spec, 'specs/examples/peterson.ts', '--no-typecheck', '--out', dir, '--junit', junit], {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: ['ignore', full, 'pipe'],
          env: { ...process.env, NO_COLOR: '1' },
        });
      const holds = run('specs/examples/two-phase.ts');
      expect(holds.stderr).toBe('interleave: cannot write the standard output (ENOSPC): the rest of what it shows is lost; the other outputs (--junit, traces) are still written\n');
      expect(holds.status).toBe(74);
      // Both specs were checked: the JUnit report has the variants of both.
      expect(readFileSync(junit, 'utf8')).toMatch(/two-phase[\s\S]*peterson/);
      const violates = run('specs/examples/die-hard.ts');
      expect([violates.status, violates.stderr.split('\n').length]).toEqual([12, 2]);
      expect(existsSync(join(dir, 'die-hard.NotSolved.itf.json'))).toBe(true);
    } finally {
      closeSync(full);
    }
  });

  it('a trace that does not fit: one line naming the file and ENOSPC, exit 74; JSON, JUnit and the console still delivered, no .tmp left', () => {
    const dir = scratch();
    const full = join(dir, 'full');
    mkdirSync(full);
    const junit = join(dir, 'reports', 'junit.xml');
    // Fill the tmpfs to the last block: an empty file still fits (the check before the search
    // passes), a trace does not.
    const fill = `dd if=/dev/zero of='${full}/filler' bs=4k 2>/dev/null; true`;
    const args = ['check', 'specs/examples/die-hard.ts', 'specs/examples/refcount-race.ts', '--gate', '--out', full, '--junit', junit];
    const json = withTmpfs(full, 'size=64k', fill, [...args, '--json']);
    expect(json.code).toBe(74);
    const lost = [join(full, 'die-hard.NotSolved.itf.json'), join(full, 'refcount-race.racy.NoLeak.itf.json')];
    expect(json.stderr).toBe(lost.map((f) => `error: cannot write ${f}: no space left on the device (ENOSPC)\n`).join(''));
    const doc = JSON.parse(json.stdout);
    expect(doc.exitCode).toBe(74);
    expect(doc.outputErrors).toEqual(lost.map((file) => ({ file, message: `cannot write ${file}: no space left on the device (ENOSPC)` })));
    // Every verdict is there; the traces whose files are missing are in the document, as their ITF.
    expect(doc.results.map((r: { spec: string; variant: string; result: string; asExpected: boolean; traceFile?: string; traceLength?: number; trace?: { states: unknown[] } }) => [r.spec, r.variant, r.result, r.asExpected, r.traceFile, r.traceLength, r.trace?.states.length])).toEqual([
      ['die-hard', 'default', 'invariant', true, undefined, 7, 7],
      ['refcount-race', 'atomic', 'ok', true, undefined, undefined, undefined],
      ['refcount-race', 'racy', 'invariant', true, undefined, 5, 5],
    ]);
    expect(doc.results[0].trace.vars).toEqual(['small', 'big']);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites name="interleave" tests="9" failures="0" errors="0" skipped="4"');

    const text = withTmpfs(full, 'size=64k', fill, args);
    expect(text.code).toBe(74);
    // The console still shows each verdict, and in full the counterexample it could not save.
    expect(text.stdout).toContain('✓ die-hard: violates NotSolved (expected: violates NotSolved)');
    expect(text.stdout).toContain('  Counterexample, 7 states:');
    expect(text.stdout).toContain('Gate passed: all 3 variants behave as their specs expect.');
    expect(text.stderr).toContain(`error: cannot write ${lost[0]}: no space left on the device (ENOSPC)`);
    expect(text.stdout + text.stderr).not.toMatch(/internal error|^\s+at /m);
  });

  it('no temporary file is left beside a trace that failed (injected ENOSPC after the temporary file was created)', async () => {
    const dir = scratch();
    const writer: FileWriter = {
      ...nodeWriter,
      writeFile: (path, text) => {
        if (!path.endsWith('.tmp') || path.includes('probe')) return nodeWriter.writeFile(path, text);
        nodeWriter.writeFile(path, text.slice(0, 100));
        const e = new Error('ENOSPC: no space left on device, write') as NodeJS.ErrnoException;
        e.code = 'ENOSPC';
        throw e;
      },
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await runCheck({ paths: ['specs/examples/die-hard.ts'], out: dir }, { writer });
    vi.restoreAllMocks();
    expect(code).toBe(12);
    expect(err.mock.calls.map((c) => String(c[0])).join('')).toContain(`error: cannot write ${join(dir, 'die-hard.NotSolved.itf.json')}: no space left on the device (ENOSPC)`);
    expect(out.mock.calls.map((c) => String(c[0])).join('')).toContain('✓ die-hard: violates NotSolved (expected: violates NotSolved)\n  invariant \'NotSolved\' is violated\n  Counterexample, 7 states:\n');
    expect(readdirSync(dir).filter((f) => f !== 'package.json')).toEqual([]);
  });
});

describe('a read-only file system, permission denied', () => {
  afterEach(() => vi.restoreAllMocks());

  it('--out or --junit on a read-only file system is refused before the search (exit 151)', () => {
    const dir = scratch();
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    const out = withTmpfs(ro, 'ro,size=64k', 'true', ['check', 'specs/examples/die-hard.ts', '--out', ro]);
    expect(out.code).toBe(151);
    expect(out.stderr).toBe(`interleave: --out ${ro}: cannot write there: the file system is read-only (EROFS)\nRun 'interleave --help' for the commands and options.\n`);
    expect(out.stdout).toBe('');
    const junit = withTmpfs(ro, 'ro,size=64k', 'true', ['check', 'specs/examples/die-hard.ts', '--out', dir, '--junit', join(ro, 'junit.xml')]);
    expect(junit.code).toBe(151);
    expect(junit.stderr).toContain(`interleave: --junit ${ro}: cannot write there: the file system is read-only (EROFS)`);
    expect(junit.stdout).toBe('');
    expect(existsSync(join(dir, 'die-hard.NotSolved.itf.json'))).toBe(false);
  });

  it.each([
    ['EROFS', 'the file system is read-only (EROFS)'],
    ['EACCES', 'permission denied (EACCES)'],
  ])('a JUnit report that fails at the end (%s): one line, exit 74; the verdicts, the JSON and the traces are kept', async (errno, cause) => {
    const dir = scratch();
    const junit = join(dir, 'junit.xml');
    const writer = failingWriter(errno, (p) => p.startsWith(junit));
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await runCheck({ paths: ['specs/examples/refcount-race.ts'], out: dir, json: true, gate: true, junit }, { writer });
    vi.restoreAllMocks();
    expect(code).toBe(74);
    expect(err.mock.calls.map((c) => String(c[0])).join('')).toBe(`error: cannot write ${junit}: ${cause}\n`);
    const doc = JSON.parse(out.mock.calls.map((c) => String(c[0])).join(''));
    expect(doc.exitCode).toBe(74);
    expect(doc.outputErrors).toEqual([{ file: junit, message: `cannot write ${junit}: ${cause}` }]);
    expect(doc.results.map((r: { variant: string; asExpected: boolean }) => [r.variant, r.asExpected])).toEqual([['atomic', true], ['racy', true]]);
    expect(existsSync(join(dir, 'refcount-race.racy.NoLeak.itf.json'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a verdict ranks above a lost output: an unexpected violation keeps its own exit code', async () => {
    const dir = scratch();
    const writer = failingWriter('EACCES', (p) => p.includes('NotSolved'));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await runCheck({ paths: ['specs/examples/die-hard.ts'], out: dir }, { writer });
    vi.restoreAllMocks();
    expect(code).toBe(12);
    expect(err.mock.calls.map((c) => String(c[0])).join('')).toBe(`error: cannot write ${join(dir, 'die-hard.NotSolved.itf.json')}: permission denied (EACCES)\n`);
  });
});

describe('a path in the way', () => {
  it('a folder where the trace file goes: exit 74 naming it; the other traces are written', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'die-hard.NotSolved.itf.json'));
    const r = cli(['check', 'specs/examples/die-hard.ts', 'specs/examples/refcount-race.ts', '--gate', '--out', dir]);
    expect(r.code).toBe(74);
    expect(r.stderr).toBe(`error: cannot write ${join(dir, 'die-hard.NotSolved.itf.json')}: it is a folder\n`);
    expect(existsSync(join(dir, 'refcount-race.racy.NoLeak.itf.json'))).toBe(true);
    expect(r.stdout).toContain('Gate passed: all 3 variants behave as their specs expect.');
  });

  it('--junit naming a folder, or under a file: refused before the search (exit 151)', () => {
    const dir = scratch();
    const folder = cli(['check', 'specs/examples/die-hard.ts', '--out', dir, '--junit', dir]);
    expect(folder.code).toBe(151);
    expect(folder.stderr).toContain(`interleave: --junit ${dir}: cannot write the report: it is a folder`);
    expect(folder.stdout).toBe('');
    const under = cli(['check', 'specs/examples/die-hard.ts', '--out', dir, '--junit', join(dir, 'package.json', 'j.xml')]);
    expect(under.code).toBe(151);
    expect(under.stderr).toContain(`interleave: --junit ${join(dir, 'package.json')}: cannot create the folder: ${join(dir, 'package.json')} exists and is not a folder`);
  });

  it('graph --out naming a folder: refused before the graph is explored (exit 151)', () => {
    const dir = scratch();
    const r = cli(['graph', 'specs/examples/refcount-race.ts', '--variant', 'racy', '--out', dir]);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain(`interleave: --out ${dir}: cannot write the report: it is a folder\n`);
    expect(r.stdout).toBe('');
  });
});

describe('temporary files of a killed run', () => {
  it('are removed when a run next writes there; those of a live process are left alone', () => {
    const dir = scratch();
    // A process id that is not running: the largest Linux allows, plus one.
    const dead = join(dir, 'die-hard.NotSolved.itf.json.4194305.tmp');
    const live = join(dir, `refcount-race.racy.NoLeak.itf.json.${process.pid}.tmp`);
    const other = join(dir, 'notes.tmp');
    for (const f of [dead, live, other]) writeFileSync(f, '{"half":');
    const r = cli(['check', 'specs/examples/die-hard.ts', '--out', dir]);
    expect(r.code).toBe(12);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(existsSync(join(dir, 'die-hard.NotSolved.itf.json'))).toBe(true);
    expect(removeStaleTemporaries(dir)).toEqual([]);
  });
});

describe('--junit naming the file --json goes to', () => {
  it('is refused before the search (151): the report written last would replace the other', () => {
    const dir = scratch();
    const same = join(dir, 'out.json');
    const fd = openSync(same, 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'check', 'specs/examples/die-hard.ts', '--no-typecheck', '--json', '--junit', same, '--out', dir], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', fd, 'pipe'],
      });
      expect(r.status).toBe(151);
      expect(r.stderr).toContain(`--junit ${same} is where the standard output goes, which --json fills: name another file for the JUnit report`);
    } finally {
      closeSync(fd);
    }
  });
});

describe('an output path that is not a plain file', () => {
  it('is written to, not replaced: a link stays a link (to /dev/stdout, say), and its target gets the text', () => {
    const dir = scratch();
    const target = join(dir, 'target.html');
    writeFileSync(target, 'old');
    const link = join(dir, 'link.html');
    symlinkSync(target, link);
    writeFileAtomic(link, 'new');
    expect([lstatSync(link).isSymbolicLink(), readFileSync(target, 'utf8')]).toEqual([true, 'new']);
  });

  it('that refuses the text says why (a full device: 151, and the device is left as it was)', () => {
    const r = cli(['trace', 'counterexamples/die-hard.NotSolved.itf.json', '--html', '/dev/full']);
    expect(r.code).toBe(151);
    expect(r.stderr).toBe('interleave: --html /dev/full: cannot write the page: no space left on the device (ENOSPC)\n');
    expect(lstatSync('/dev/full').isCharacterDevice()).toBe(true);
  });
});

