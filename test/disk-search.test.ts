// A search on disk finds what the search in memory finds: the same counts, verdicts and trace
// lengths, with one worker or several, also when it moves there half-way, and when it is killed at
// random moments and resumed from its last checkpoint (with the same number of workers or another).
// A checkpoint of another spec is refused.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../checker/random.ts';
import { cli, ROOT } from './helpers.ts';

const SPEC = 'test/fixtures/wide-counters.ts';
const BIN = join(ROOT, 'bin', 'interleave.js');
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'interleave-disk-search-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Outcome {
  result: string;
  property?: string;
  distinct: number;
  generated: number;
  depth: number;
  queue: number;
  traceLength?: number;
}

function outcome(json: string): Outcome & { disk?: { spilledAtStates?: number; merges: number; checkpoints: number } } {
  const r = JSON.parse(json).results[0];
  return { result: r.result, property: r.property, distinct: r.distinct, generated: r.generated, depth: r.depth, queue: r.queue, traceLength: r.traceLength, disk: r.disk };
}

function check(variant: string, ...args: string[]): { code: number | null; out: ReturnType<typeof outcome> } {
  const out = tempDir();
  const r = cli(['check', SPEC, '--variant', variant, '--json', '--out', out, ...args]);
  if (r.stdout === '') throw new Error(`exit ${r.code}: ${r.stderr}`);
  return { code: r.code, out: outcome(r.stdout) };
}

const withoutDisk = ({ disk: _, ...rest }: ReturnType<typeof outcome>) => rest;

describe('a search on disk', () => {
  for (const [variant, code, expected] of [
    ['holds', 0, { result: 'ok', property: undefined, distinct: 59_049, generated: 295_246, depth: 41, queue: 0, traceLength: undefined }],
    ['violates', 12, { result: 'invariant', property: 'BelowLimit', distinct: 39_150, generated: 177_001, depth: 23, queue: 3750, traceLength: 23 }],
  ] as const) {
    it(`${variant}: on disk with 1, 2 and 3 workers, the counts, verdict and trace length of the search in memory with 1 and 2`, () => {
      const one = check(variant, '--workers', '1');
      const two = check(variant, '--workers', '2');
      // A front table of 4,096 slots: the visited set goes to disk about every 3,300 new states.
      const disks = [1, 2, 3].map((w) => check(variant, '--store', 'disk', '--store-dir', tempDir(), '--fp-memory', '48K', '--workers', String(w)));
      for (const r of [one, two, ...disks]) {
        expect(r.code).toBe(code);
        expect(withoutDisk(r.out)).toEqual(expected);
      }
      for (const disk of disks) {
        expect(disk.out.disk!.spilledAtStates).toBe(0);
        expect(disk.out.disk!.merges).toBeGreaterThan(variant === 'holds' ? 15 : 9);
      }
    }, 180_000);
  }

  it('moves to disk when the process reaches 60% of --max-memory, and still finds the same', () => {
    const dir = tempDir();
    // The runtime alone is far over 60% of 2 MB: the search moves at the end of its first level with
    // states to expand, and goes on (on disk it keeps to the budgets its parts were given, and does
    // not stop at --max-memory).
    const r = check('violates', '--store-dir', dir, '--max-memory', '2M', '--fp-memory', '48K');
    expect(r.code).toBe(12);
    expect(r.out.disk!.spilledAtStates).toBeGreaterThan(0);
    expect(r.out.disk!.spilledAtStates).toBeLessThan(39_150);
    expect(withoutDisk(r.out)).toMatchObject({ distinct: 39_150, generated: 177_001, depth: 23, traceLength: 23 });
  }, 180_000);

  it('refuses temporal properties, which are checked on the state graph in memory', () => {
    const r = cli(['check', 'specs/examples/realtime-hourclock.ts', '--store', 'disk']);
    expect(r.code).toBe(151);
    expect(r.stderr).toBe(
      'interleave: temporal properties are checked on the state graph in memory, on one machine: check them without a disk-backed or distributed store\n',
    );
  });

  it('refuses more than one worker for a search that moves to disk half-way', () => {
    const r = cli(['check', SPEC, '--variant', 'holds', '--store-dir', tempDir(), '--workers', '2']);
    expect(r.code).toBe(151);
    expect(r.stderr).toBe(
      'interleave: a search that moves to disk half-way (--store-dir without --store disk) runs in one worker: add --store disk to search on disk with workers, or leave out --workers\n' +
        "Run 'interleave --help' for the commands and options.\n",
    );
  });
});

/**
 * Runs the checker, killing it with SIGKILL `killAfterMs` after it starts, or, with `afterFile`,
 * that long after the file appears; unless it ends first.
 */
function run(args: string[], killAfterMs?: number, afterFile?: string): Promise<{ code: number | null; killed: boolean; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => (timer = setTimeout(() => ((killed = true), child.kill('SIGKILL')), killAfterMs));
    const poll = afterFile === undefined ? undefined : setInterval(() => existsSync(afterFile) && (clearInterval(poll), kill()), 10);
    if (killAfterMs !== undefined && !afterFile) kill();
    child.on('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      done({ code, killed, stdout, stderr });
    });
  });
}

describe('checkpoints', () => {
  // Workers per attempt, in turn: a checkpoint written with 2 workers is resumed with 2, or with 1 and back.
  for (const [variant, seed, workers] of [
    ['violates', 1, [1]],
    ['violates', 2, [1]],
    ['holds', 3, [1]],
    ['violates', 4, [2]],
    ['holds', 5, [2, 1]],
  ] as const) {
    it(`${variant}: killed with SIGKILL at random moments (seed ${seed}, workers ${workers.join(' then ')}) and resumed, ends as an uninterrupted run`, async () => {
      const uninterrupted = check(variant);
      const dir = join(tempDir(), 'checkpoint');
      const out = tempDir();
      const rnd = mulberry32(seed);
      const common = [SPEC, '--variant', variant, '--json', '--out', out, '--fp-memory', '48K', '--checkpoint-every', '0.002'];
      const workersAt = (attempt: number) => ['--workers', String(workers[attempt % workers.length])];
      // How long a whole checkpointed run takes here, start-up included: the kills fall inside it.
      const started = Date.now();
      const whole = await run(['check', ...common, ...workersAt(0), '--checkpoint', join(tempDir(), 'timing')]);
      const wholeMs = Date.now() - started;
      expect(withoutDisk(outcome(whole.stdout))).toEqual(withoutDisk(uninterrupted.out));
      let last;
      let kills = 0;
      let resumes = 0;
      for (let attempt = 0; ; attempt++) {
        const resuming = existsSync(join(dir, 'checkpoint.json'));
        const args = ['check', ...common, ...workersAt(attempt), ...(resuming ? ['--resume', dir] : ['--checkpoint', dir])];
        if (resuming) resumes++;
        // Three kills: the first within 300 ms of the first checkpoint, the others at a moment between
        // 30% and 95% of a whole run; then it may finish.
        if (attempt === 0) {
          // On a quiet machine a run may end within the delay; then start again with a shorter one,
          // so that the first kill always lands after a checkpoint and before the end.
          let delay = Math.floor(300 * rnd());
          for (let tries = 0; ; tries++, delay = Math.floor(delay / 4)) {
            last = await run(args, delay, join(dir, 'checkpoint.json'));
            if (last.killed || tries === 5) break;
            rmSync(dir, { recursive: true, force: true });
          }
        } else last = await run(args, attempt < 3 ? Math.floor((0.3 + 0.65 * rnd()) * wholeMs) : undefined);
        if (last.killed) {
          kills++;
          continue;
        }
        break;
      }
      expect(last.stderr).toBe('');
      expect(last.code).toBe(uninterrupted.code);
      expect(withoutDisk(outcome(last.stdout))).toEqual(withoutDisk(uninterrupted.out));
      // The first kill always lands (after the first checkpoint); a resumed run is shorter than a
      // whole one, so the later ones may come after it ended.
      expect(kills).toBeGreaterThan(0);
      expect(resumes).toBeGreaterThan(0);
    }, 180_000);
  }

  it('a search resumed from a checkpoint at the end of a level checkpoints that place again, not the level\'s start', () => {
    // With two workers a checkpoint falls after each round; the last one of a finished search is
    // at the end of its last level. A resumed search that checkpoints at once (every few µs) must
    // keep that position: a checkpoint at the level's start with the level's successors already
    // counted would make the next resume expand the level again and count them twice.
    const dir = join(tempDir(), 'checkpoint');
    const args = ['--fp-memory', '48K', '--checkpoint-every', '0.0000001', '--workers', '2'];
    const whole = check('holds', ...args, '--checkpoint', dir);
    const manifest = () => JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
    expect([manifest().current.consumed, manifest().current.count, manifest().generated]).toEqual([1, 1, 295_246]);
    for (const _ of [1, 2]) {
      const resumed = check('holds', ...args, '--resume', dir);
      expect(withoutDisk(resumed.out)).toEqual(withoutDisk(whole.out));
      expect([manifest().current.consumed, manifest().generated]).toEqual([1, 295_246]);
    }
  });

  it('a folder for the search that cannot be written is refused before any search (151)', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    for (const [option, dir] of [['--store-dir', join(file, 'x')], ['--checkpoint', file]]) {
      const r = cli(['check', SPEC, '--variant', 'holds', ...(option === '--store-dir' ? ['--store', 'disk'] : []), option, dir]);
      expect([option, r.code, r.stdout]).toEqual([option, 151, '']);
      expect(r.stderr).toContain(`interleave: ${option} ${dir}: cannot create the folder: ${file} exists and is not a folder`);
    }
  });

  it('a disk that refuses writes ends that variant (stopped: disk-failed, exit 255), cleans up its folder, and the next variant is still checked', () => {
    const store = tempDir();
    // A limit on the size of any one file the process writes (ulimit -f, in KB): past it a write
    // fails (EFBIG) as on a full disk, with no root needed to make a small file system.
    const r = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 256; exec node ${join(ROOT, 'bin', 'interleave.js')} check ${SPEC} specs/examples/die-hard.ts --no-typecheck --store disk --store-dir ${store} --fp-memory 48K --json --out ${store}`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(255);
    expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { spec: string; result: string; stopped?: string }) => [x.spec, x.result, x.stopped])).toEqual([
      ['wide-counters', 'incomplete', 'disk-failed'],
      ['wide-counters', 'incomplete', 'disk-failed'],
      ['die-hard', 'invariant', undefined],
    ]);
    expect(doc.results[0].message).toMatch(/^the search on disk failed: EFBIG: file too large, write/);
    expect(readdirSync(store).filter((f) => f.startsWith('interleave-'))).toEqual([]);
  }, 180_000);

  it('refuses to resume a damaged checkpoint, saying what is wrong (151), rather than search from it', () => {
    const dir = join(tempDir(), 'checkpoint');
    expect(cli(['check', SPEC, '--variant', 'holds', '--checkpoint', dir, '--checkpoint-every', '0.0001', '--fp-memory', '48K']).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
    expect(manifest.current.count).toBeGreaterThan(0);
    const damaged = (damage: (copy: string) => void) => {
      const copy = join(tempDir(), 'damaged');
      cpSync(dir, copy, { recursive: true });
      damage(copy);
      const r = cli(['check', SPEC, '--variant', 'holds', '--resume', copy]);
      expect(r.code).toBe(151);
      expect(r.stdout).toBe('');
      return r.stderr.replaceAll(copy, 'DIR');
    };
    // A record is the state's index and its 5 slots.
    const bytes = manifest.current.count * 4 * 6;
    expect(damaged((d) => truncateSync(join(d, manifest.current.file), bytes - 24))).toBe(
      `interleave: the checkpoint in DIR is damaged: ${manifest.current.file} has ${bytes - 24} bytes where the checkpoint counts ${bytes}; start again without --resume\n`,
    );
    expect(damaged((d) => truncateSync(join(d, 'parents.bin'), 8))).toContain('is damaged: parents.bin has 8 bytes');
    expect(damaged((d) => unlinkSync(join(d, 'parents.bin')))).toBe('interleave: the checkpoint in DIR names parents.bin, which is missing; start again without --resume\n');
    const edited = (change: (m: Record<string, any>) => unknown) => (d: string) => writeFileSync(join(d, 'checkpoint.json'), JSON.stringify(change(structuredClone(manifest))));
    expect(damaged(edited(() => null))).toBe('interleave: DIR/checkpoint.json is not a checkpoint manifest this version wrote (not an object); start again without --resume\n');
    expect(damaged(edited((m) => ({ ...m, current: { ...m.current, file: '../../etc/passwd' } })))).toContain('(current level)');
    expect(damaged(edited((m) => ({ ...m, store: { ...m.store, states: -5 } })))).toContain('(store)');
  }, 180_000);

  it("a failure of interleave's own in one variant (here: a checkpoint whose queue was overwritten) ends that variant alone, said as such, with its JSON and JUnit (exit 255)", () => {
    const dir = join(tempDir(), 'checkpoint');
    expect(cli(['check', SPEC, '--variant', 'holds', '--checkpoint', dir, '--checkpoint-every', '0.0001', '--fp-memory', '48K']).code).toBe(0);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.queue'))) writeFileSync(join(dir, f), Buffer.alloc(readFileSync(join(dir, f)).length, 0x7f));
    const junit = join(tempDir(), 'junit.xml');
    const r = cli(['check', SPEC, '--variant', 'holds', '--resume', dir, '--json', '--junit', junit]);
    expect(r.code).toBe(255);
    const [res] = JSON.parse(r.stdout).results;
    expect([res.result, res.stopped]).toEqual(['incomplete', 'internal-error']);
    expect(res.message).toMatch(/^interleave failed while checking this variant: TypeError: .* \(at \S+ \(.*[/\\]checker[/\\]/);
    expect(readFileSync(junit, 'utf8')).toContain('interleave failed on this variant');
    expect(r.stderr).not.toContain('internal error');
  }, 180_000);

  it('refuses to resume a checkpoint of a spec that was edited since', async () => {
    const specDir = tempDir();
    const spec = join(specDir, 'wide-counters.ts');
    copyFileSync(join(ROOT, SPEC), spec);
    writeFileSync(join(specDir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace("'../../src/index.ts'", `'${join(ROOT, 'src', 'index.ts')}'`));
    const dir = join(tempDir(), 'checkpoint');
    // A checkpoint at the start of every level: the run leaves its last one behind.
    const first = cli(['check', spec, '--variant', 'holds', '--checkpoint', dir, '--checkpoint-every', '0.0001', '--fp-memory', '48K']);
    expect(first.code).toBe(0);
    expect(existsSync(join(dir, 'checkpoint.json'))).toBe(true);
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('const K = 8;', 'const K = 7;'));
    const r = cli(['check', spec, '--variant', 'holds', '--resume', dir]);
    expect(r.code).toBe(151);
    expect(r.stderr).toBe(
      `interleave: the spec of wide-counters [holds] changed since the checkpoint in ${dir} was taken (its source files differ); a resumed search would mix two specs: start again without --resume\n`,
    );
    const other = cli(['check', spec, '--variant', 'violates', '--resume', dir]);
    expect(other.code).toBe(151);
    expect(other.stderr).toBe(`interleave: the checkpoint in ${dir} is of wide-counters [holds], not of wide-counters [violates]; resume it with that variant, or start again without --resume\n`);
    const again = cli(['check', spec, '--variant', 'holds', '--checkpoint', dir]);
    expect(again.code).toBe(151);
    expect(again.stderr).toBe(`interleave: ${dir} already holds a checkpoint: continue it with --resume ${dir}, or name an empty folder\n`);
  }, 180_000);
});
