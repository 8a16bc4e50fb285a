// Loader hooks that serve TypeScript modules from a cache of what tsx made of them, and hand
// everything else to tsx. Each thread that imports TypeScript starts a hooks thread of its own
// (Node 20), and tsx's hooks module loads esbuild and tsx's resolver there before the first import:
// about 0.06 s of CPU per thread, paid by the command line, its search thread and every worker. Once
// a module has been through tsx, its output is kept, keyed by its path and source; a thread whose
// modules are all kept never loads tsx. Whatever the plain resolver cannot find (a '.js' import of a
// '.ts' file, an import without extension, tsconfig paths) and every module not kept goes to tsx, so
// the modules, their source maps and the errors (a syntax error, a missing file) are tsx's own.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Part of every key: a new tsx or Node, the tsconfig tsx reads (its compiler options change the
 * output), or a new form of the kept output, keeps its own entries.
 */
const VERSION = `1 ${readTsxVersion()} ${process.version} ${readTsconfig()}`;
const TYPESCRIPT = /\.(ts|mts|tsx)$/;
const DIRECTORY = join(tmpdir(), `interleave-ts-${process.getuid?.() ?? 'user'}`);
/** Modules in the temporary folder are one-offs (a test's spec, a cluster worker's unpacked bundle): not kept. */
const TEMPORARY = pathToFileURL(tmpdir()).href + '/';

let data;
let tsxHooks;
/** Set once tsx's hooks have loaded: until then a module loaded here may be tsx itself. */
let tsxLoaded = false;

/** tsx's own hooks, loaded (and initialised with what this thread was registered with) on first need. */
async function tsx() {
  if (!tsxHooks) {
    tsxHooks = import('tsx/esm').then(async (hooks) => {
      await hooks.initialize?.(data);
      tsxLoaded = true;
      return hooks;
    });
  }
  return tsxHooks;
}

export function initialize(registered) {
  data = registered;
}

/** The kept output of each module found kept, by URL, from its resolution to its load. */
const kept = new Map();

export async function resolve(specifier, context, next) {
  let resolved;
  try {
    resolved = await next(specifier, context);
  } catch {
    return (await tsx()).resolve(specifier, context, next);
  }
  if (!isTypeScript(resolved.url)) return resolved;
  const file = keepable(resolved.url) ? keptFile(resolved.url) : undefined;
  if (file !== undefined && existsSync(file)) {
    kept.set(resolved.url, file);
    return { url: resolved.url, format: 'module', shortCircuit: true };
  }
  // tsx's load needs what its resolve says of the module.
  return (await tsx()).resolve(specifier, context, next);
}

export async function load(url, context, next) {
  const file = kept.get(url);
  if (file !== undefined) {
    try {
      return { format: 'module', source: readFileSync(file, 'utf8'), shortCircuit: true };
    } catch {
      // Removed since it was found: tsx makes it again below.
    }
  }
  // JavaScript that only Node's resolver saw is Node's to load (tsx itself is loaded through here).
  if (!tsxLoaded) return next(url, context);
  const made = await (await tsx()).load(url, context, next);
  if (keepable(url) && made.format === 'module' && made.responseURL === undefined && made.source !== undefined) {
    const to = keptFile(url);
    if (to !== undefined) keep(to, typeof made.source === 'string' ? made.source : Buffer.from(made.source).toString('utf8'));
  }
  return made;
}

function isTypeScript(url) {
  return url.startsWith('file:') && TYPESCRIPT.test(url.replace(/[?#].*$/, ''));
}

function keepable(url) {
  return isTypeScript(url) && !url.includes('?') && !url.startsWith(TEMPORARY);
}

/** Where the output for this module's current source is kept (or undefined if it cannot be read). */
function keptFile(url) {
  let source;
  try {
    source = readFileSync(fileURLToPath(url), 'utf8');
  } catch {
    return undefined;
  }
  return join(DIRECTORY, createHash('sha1').update(`${VERSION}\0${url}\0${source}`).digest('hex') + '.js');
}

/** Writes an entry whole or not at all (a rename), so a thread reading it at the same time sees no half. */
function keep(file, text) {
  const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(DIRECTORY, { recursive: true });
    writeFileSync(partial, text);
    renameSync(partial, file);
  } catch {
    // A cache that cannot be written only costs speed; a half-written entry is not left behind.
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing more to do.
    }
  }
}

/** The tsconfig tsx reads: TSX_TSCONFIG_PATH, or the nearest tsconfig.json from the working folder up. */
function readTsconfig() {
  if (process.env.TSX_TSCONFIG_PATH) {
    try {
      return readFileSync(process.env.TSX_TSCONFIG_PATH, 'utf8');
    } catch {
      return '';
    }
  }
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    try {
      return readFileSync(join(dir, 'tsconfig.json'), 'utf8');
    } catch {
      if (dirname(dir) === dir) return '';
    }
  }
}

function readTsxVersion() {
  try {
    // Resolved as CommonJS: import.meta.resolve here would ask these very hooks.
    const entry = createRequire(import.meta.url).resolve('tsx');
    return JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
