// Type-checking specs before their results are trusted. tsx runs a spec without checking its types,
// so a type error would surface, if at all, as a strange violation. The check runs in a child
// process beside the search (src/typecheck-child.js) and is cached by the content hash of each spec's
// import graph, so an unchanged spec costs nothing.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

export interface SpecTypeError {
  /** Absolute path; null for an error in the compiler options. */
  file: string | null;
  line: number;
  column: number;
  code: number;
  message: string;
}

/** Type errors by spec file (absolute path); a spec without errors maps to []. */
export type TypeErrors = Map<string, SpecTypeError[]>;

export interface TypeCheck {
  /** Specs whose unchanged import graph was checked before: known now. */
  cached: TypeErrors;
  /** The others, checked in a child process; rejects when the check could not run at all. */
  pending: Promise<TypeErrors>;
  /** Ends the child process, if it still runs (a run that was interrupted does not wait for it). */
  stop(): void;
}

interface CacheEntry {
  typescript: string;
  /** The spec's nearest tsconfig.json when it was checked (null: none): one added or moved since is a miss. */
  config: string | null;
  /** Every file of the import graph (and the tsconfig.json) with the hash of its content. */
  files: Record<string, string>;
  errors: SpecTypeError[];
}

const CHILD = join(import.meta.dirname, 'typecheck-child.js');

export function startTypeCheck(specFiles: string[], cacheDir = defaultCacheDir()): TypeCheck {
  const version = typescriptVersion();
  const cached: TypeErrors = new Map();
  const todo: string[] = [];
  for (const f of specFiles.map((x) => resolve(x))) {
    const hit = version ? readEntry(cacheDir, f, version) : undefined;
    if (hit) cached.set(f, hit.errors);
    else todo.push(f);
  }
  let child: ChildProcess | undefined;
  const pending =
    todo.length === 0
      ? Promise.resolve(new Map() as TypeErrors)
      : version === undefined
        ? Promise.reject(new Error('TypeScript is not installed (npm install typescript)'))
        : runChild(todo, (c) => (child = c)).then((out) => {
            const found: TypeErrors = new Map();
            for (const r of out.results) {
              found.set(r.spec, r.errors);
              // The checker itself too: a change to how it checks must not leave its old verdicts standing.
              const files = [...r.files, ...(r.config ? [r.config] : []), CHILD];
              writeEntry(cacheDir, r.spec, { typescript: out.typescript, config: r.config, files: Object.fromEntries(files.map((p) => [p, hashFile(p)])), errors: r.errors });
            }
            return found;
          });
  // Nobody may await it (a run that stops at a usage error): an unhandled rejection must not crash.
  pending.catch(() => {});
  return { cached, pending, stop: () => void child?.kill() };
}

interface ChildOutput {
  typescript: string;
  /** Per spec: the tsconfig.json it was checked with (null: none), its import graph, its errors. */
  results: { spec: string; config: string | null; files: string[]; errors: SpecTypeError[] }[];
}

function runChild(files: string[], started: (child: ChildProcess) => void): Promise<ChildOutput> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
    started(child);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(err.trim().split('\n').find((l) => /Error/.test(l)) ?? `the type-check exited with code ${code}`));
      try {
        done(JSON.parse(out) as ChildOutput);
      } catch (e) {
        fail(e as Error);
      }
    });
    child.stdin.end(JSON.stringify({ files }));
  });
}

/** `node_modules/.cache/interleave-typecheck` of the nearest project, else the OS temp folder. */
export function defaultCacheDir(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'interleave-typecheck');
    if (dirname(dir) === dir) return join(tmpdir(), 'interleave-typecheck');
  }
}

function typescriptVersion(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return (require('typescript/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
}

function entryFile(cacheDir: string, spec: string): string {
  return join(cacheDir, createHash('sha256').update(spec).digest('hex').slice(0, 32) + '.json');
}

function readEntry(cacheDir: string, spec: string, version: string): CacheEntry | undefined {
  try {
    const e = JSON.parse(readFileSync(entryFile(cacheDir, spec), 'utf8')) as CacheEntry;
    if (e.typescript !== version || !(CHILD in e.files) || e.config !== nearestConfig(spec)) return undefined;
    for (const [f, h] of Object.entries(e.files)) if (hashFile(f) !== h) return undefined;
    return e;
  } catch {
    return undefined;
  }
}

function writeEntry(cacheDir: string, spec: string, e: CacheEntry): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const file = entryFile(cacheDir, spec);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(e));
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs the next run the check again.
  }
}

/** The tsconfig.json TypeScript finds for a spec: the nearest one in its folder or a folder above. */
function nearestConfig(spec: string): string | null {
  for (let dir = dirname(spec); ; dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

function hashFile(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return 'missing';
  }
}

/** `specs/x.ts:12:5: error TS2322: ...`, with a hint where the mistake is a common one. */
export function formatTypeError(e: SpecTypeError): string {
  const where = e.file ? `${relative(process.cwd(), e.file) || e.file}:${e.line}:${e.column}: ` : '';
  const message = e.message.split('\n').map((l) => l.trim()).join(' ');
  const hint = hintFor(e.message);
  return `${where}error TS${e.code}: ${message}${hint ? `\n  hint: ${hint}` : ''}`;
}

/** What to do about the mistakes spec writers make most. */
export function hintFor(message: string): string | undefined {
  if (/Type 'Promise<[^']*>' is not assignable/.test(message) || /'Promise<[^']*>' is not assignable to type '(void|boolean)/.test(message)) {
    return 'recipes, guards and properties run synchronously: remove `async` (the checker never awaits a Promise)';
  }
  if (/Type '[^']*\[\]' is (not assignable to|missing the following properties from) type '(Record<|\{ *\[)/.test(message) || /\[\]' is not assignable to type 'Record</.test(message)) {
    return 'a mapOf(K, V) value is an object with one property per key, such as { n1: ..., n2: ... }, not an array; build it with K.mapTo((k) => ...)';
  }
  if (/Type 'Set<[^']*>' is not assignable to type 'ValueSet</.test(message) || /is missing the following properties from type 'ValueSet</.test(message)) {
    return 'a set of records, tuples or sets is a ValueSet (its elements compare by value): new ValueSet([...])';
  }
  return undefined;
}
