// The type-check of spec files, run in a child process (about 1.4 s and 190 MB per spec: kept out of
// the search's process and memory limit). Reads {files} as JSON on stdin; writes, per spec, the files
// of its import graph and the type errors in them, as JSON on stdout. Plain JavaScript, so that it
// starts without the TypeScript loader.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

const { files } = JSON.parse(readFileSync(0, 'utf8'));

/** The project's compiler options (its tsconfig.json), or strict defaults that fit spec files. */
function options(from) {
  const defaults = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    esModuleInterop: true,
  };
  const config = ts.findConfigFile(dirname(from), ts.sys.fileExists, 'tsconfig.json');
  if (!config) return { options: { ...defaults, noEmit: true }, config: null };
  const read = ts.readConfigFile(config, ts.sys.readFile);
  // Named, so that type roots (`types`) resolve from the project, not from where the check runs.
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, dirname(config), undefined, config);
  return { options: { ...parsed.options, noEmit: true }, config };
}

const { options: compilerOptions, config } = options(resolve(files[0]));
const program = ts.createProgram(files.map((f) => resolve(f)), compilerOptions);
const host = ts.sys;

/** The files a root imports, transitively, except TypeScript's own libraries and declaration files. */
function graph(root) {
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

const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
const errors = diagnostics
  .filter((d) => d.category === ts.DiagnosticCategory.Error)
  .map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return {
      file: d.file ? resolve(d.file.fileName) : null,
      line: where ? where.line + 1 : 0,
      column: where ? where.character + 1 : 0,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    };
  });

const out = files.map((f) => {
  const files = graph(f);
  const inGraph = new Set(files);
  return { spec: resolve(f), files, errors: errors.filter((e) => e.file === null || inGraph.has(e.file)) };
});
process.stdout.write(JSON.stringify({ typescript: ts.version, config, results: out }));
