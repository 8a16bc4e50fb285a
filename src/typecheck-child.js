// The type-check of spec files, run in a child process (about 1.4 s and 190 MB per spec: kept out of
// the search's process and memory limit). Reads {files} as JSON on stdin; writes, per spec, the files
// of its import graph and the type errors in them, as JSON on stdout. Plain JavaScript, so that it
// starts without the TypeScript loader.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

const { files } = JSON.parse(readFileSync(0, 'utf8'));

/** Strict defaults that fit spec files, for a spec without a tsconfig.json (or with one that is broken). */
const DEFAULTS = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  allowImportingTsExtensions: true,
  skipLibCheck: true,
  esModuleInterop: true,
};

/** What a diagnostic says, where. */
function describe(d) {
  const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
  return {
    file: d.file ? resolve(d.file.fileName) : null,
    line: where ? where.line + 1 : 0,
    column: where ? where.character + 1 : 0,
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  };
}

/** The nearest tsconfig.json above a spec, and the options it gives (or the defaults, with why). */
function options(config) {
  if (!config) return { options: { ...DEFAULTS, noEmit: true }, problems: [] };
  const read = ts.readConfigFile(config, ts.sys.readFile);
  // Named, so that type roots (`types`) resolve from the project, not from where the check runs.
  const parsed = read.error ? undefined : ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, dirname(config), undefined, config);
  // "No inputs were found" (18003) only says that `include` does not name the spec: the spec is
  // checked anyway, as a root of its own.
  const problems = (read.error ? [read.error] : parsed.errors.filter((d) => d.code !== 18003)).map((d) => {
    const e = describe(d);
    // Said against every spec it governs, with the file named in the message.
    return { ...e, file: null, message: `${config}${e.line ? `:${e.line}:${e.column}` : ''}: ${e.message} (the spec was checked with Interleave's default options instead)` };
  });
  // A config that does not read or parse cleanly would only bury its own mistake under errors
  // in every file: the defaults are used, and its problems are reported.
  return { options: problems.length ? { ...DEFAULTS, noEmit: true } : { ...parsed.options, noEmit: true }, problems };
}

const host = ts.sys;

/** The files a root imports, transitively, except TypeScript's own libraries and declaration files. */
function graph(root, compilerOptions) {
  const seen = new Set();
  const todo = [resolve(root)];
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    const text = host.readFile(f);
    if (text === undefined) continue;
    for (const imp of ts.preProcessFile(text, true, true).importedFiles) {
      const r = ts.resolveModuleName(imp.fileName, f, compilerOptions, host).resolvedModule;
      if (r && !r.isExternalLibraryImport && !r.resolvedFileName.endsWith('.d.ts')) todo.push(resolve(r.resolvedFileName));
    }
  }
  return [...seen];
}

// Each spec is checked with its own project's tsconfig.json: one program per config.
const byConfig = new Map();
for (const f of files.map((x) => resolve(x))) {
  const config = ts.findConfigFile(dirname(f), ts.sys.fileExists, 'tsconfig.json') ?? null;
  byConfig.set(config, [...(byConfig.get(config) ?? []), f]);
}
const results = [];
for (const [config, roots] of byConfig) {
  const { options: compilerOptions, problems } = options(config);
  const program = ts.createProgram(roots, compilerOptions);
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
  const errors = [...problems, ...diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).map(describe)];
  for (const f of roots) {
    const graphFiles = graph(f, compilerOptions);
    const inGraph = new Set(graphFiles);
    results.push({ spec: f, config, files: graphFiles, errors: errors.filter((e) => e.file === null || inGraph.has(e.file)) });
  }
}
process.stdout.write(JSON.stringify({ typescript: ts.version, results }));
