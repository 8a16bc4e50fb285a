// Finds and loads spec files. A spec file is a TypeScript module whose default export is made by
// defineSpec(); tsx runs it directly, so there is no build step.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isSpec, SpecError, type Spec } from './spec.ts';
import { errorText } from '../checker/error-text.ts';

/** A spec file that cannot be used: exit code 150. */
export class LoadError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface LoadedSpec {
  file: string;
  spec: Spec;
}

/**
 * Expands files and folders into spec files. In a folder every `.ts` file is a spec, except files
 * whose name starts with `_`, test files (`x.test.ts`) and folders named `lib` (where shared helpers live).
 */
export function findSpecFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new LoadError(p, 'no such file or folder');
    if (statSync(p).isDirectory()) files.push(...walk(p));
    else files.push(p);
  }
  // One file named twice (`a.ts ./a.ts`, a folder and a file in it) is one spec, checked once.
  const seen = new Set<string>();
  return files.filter((f) => {
    const key = realpathSync(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The spec files under `dir`. An entry that cannot be looked at (a dangling link, such as an editor's
 * lock file `.#spec.ts`) is passed over, and a folder reached again through a link is not walked twice.
 */
function walk(dir: string, walked = new Set<string>()): string[] {
  const real = realpathSync(dir);
  if (walked.has(real)) return [];
  walked.add(real);
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    let isFolder: boolean;
    try {
      isFolder = statSync(p).isDirectory();
    } catch {
      continue;
    }
    if (isFolder) {
      if (name !== 'lib' && name !== 'node_modules' && !name.startsWith('.') && !name.startsWith('_')) out.push(...walk(p, walked));
    } else if (/\.m?ts$/.test(name) && !/\.d\.m?ts$/.test(name) && !/\.test\.m?ts$/.test(name) && !name.startsWith('_') && !name.startsWith('.#')) {
      out.push(p);
    }
  }
  return out;
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  const shown = relative(process.cwd(), file) || basename(file);
  if (!existsSync(file)) throw new LoadError(shown, 'no such file');
  if (statSync(file).isDirectory()) throw new LoadError(shown, 'a folder, where one spec file is wanted (check and list take folders)');
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(resolve(file)).href);
  } catch (e) {
    let reason = e instanceof SpecError ? e.message : firstLines(e);
    if (/require\(\) ES Module|Cannot use import statement outside a module/.test(reason)) {
      reason = 'it was loaded as CommonJS; spec files are ES modules: add "type": "module" to the nearest package.json, or name the file .mts';
    }
    throw new LoadError(shown, `the spec does not load: ${reason}`);
  }
  if (!isSpec(mod.default)) {
    throw new LoadError(
      shown,
      mod.default === undefined
        ? 'it has no default export; end it with `export default defineSpec({ ... })`'
        : 'its default export is not a spec; export the value returned by defineSpec({ ... })',
    );
  }
  return { file: shown, spec: mod.default };
}

function firstLines(e: unknown): string {
  const text = errorText(e);
  return text.split('\n').slice(0, 4).join(' ').trim();
}
