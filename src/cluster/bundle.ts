// A spec's import graph as one blob, so that a worker machine needs only Interleave installed: the
// spec's own modules travel with their contents; Interleave's modules (src/, checker/) travel by
// name only and are the worker's own, which the import-graph hash then compares with the
// coordinator's (a worker with another version of Interleave is refused, not run half different).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serialize, deserialize } from 'node:v8';
import type { SystemSource } from '../../checker/system.ts';
import { commonFolder, importGraph } from '../compile/import-graph.ts';
import { REBUILD_MODULE } from '../compile/rebuild-module.js';

/** The Interleave install this process runs from. */
export const INSTALL = resolve(import.meta.dirname, '..', '..');
/** Interleave's own folders: a worker links its own in place of the coordinator's. */
const LIBRARY = ['src', 'checker', 'node_modules', 'package.json'];

interface Bundle {
  /** The graph's common folder on the coordinator (messages name files as they are there). */
  base: string;
  /** The spec module, relative to the graph's common folder. */
  entry: string;
  /** Where Interleave's folders sit, relative to that folder ('' when the spec lives inside Interleave). */
  library: string;
  files: { path: string; text: string }[];
  source: SystemSource;
}

function isLibrary(file: string): boolean {
  return ['src', 'checker'].some((d) => file.startsWith(join(INSTALL, d) + sep));
}

/** The bundle of the spec a source names, with the source itself. */
export function makeBundle(source: SystemSource, specFile: string): Uint8Array {
  const files = importGraph(specFile);
  const base = commonFolder([...files, join(INSTALL, 'src', 'x')]);
  const bundle: Bundle = {
    base,
    entry: relative(base, resolve(specFile)),
    library: relative(base, INSTALL),
    files: files.filter((f) => !isLibrary(f)).map((f) => ({ path: relative(base, f), text: readFileSync(f, 'utf8') })),
    source,
  };
  return serialize(bundle);
}

export interface Unpacked {
  /** The source to rebuild the system from. */
  source: SystemSource;
  /** Names files in a text (an exception's stack) as the coordinator has them, not as unpacked here. */
  asOnCoordinator(text: string): string;
}

/**
 * This process's folder of unpacked bundles: made afresh (a folder left by an earlier process with
 * the same pid, linked to another install, would load a second copy of Interleave), and removed
 * when the process ends (removeBundles).
 */
let bundles: string | undefined;

function bundlesFolder(): string {
  if (!bundles) {
    removeLeftBehind();
    bundles = mkdtempSync(join(tmpdir(), `interleave-bundles-${process.pid}-`));
    process.once('exit', removeBundles);
  }
  return bundles;
}

/** Folders of workers that ended without removing theirs (killed with SIGKILL): their process is gone. */
function removeLeftBehind(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^interleave-bundles-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !alive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: a process of another user has that pid now; its folder is not ours to judge.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Removes this process's unpacked bundles (the modules already loaded from them stay loaded). */
export function removeBundles(): void {
  if (bundles) rmSync(bundles, { recursive: true, force: true });
  bundles = undefined;
}

/** Unpacks a bundle under this process's temporary folder, linked to this install. */
export function unpackBundle(blob: Uint8Array): Unpacked {
  const b = deserialize(blob) as Bundle;
  // One folder per spec: a run of the same spec again reuses the modules already loaded from it.
  const root = join(bundlesFolder(), b.source.hash.slice(0, 16));
  const lib = join(root, b.library);
  mkdirSync(lib, { recursive: true });
  for (const name of LIBRARY) if (!existsSync(join(lib, name))) symlinkSync(join(INSTALL, name), join(lib, name));
  if (!existsSync(join(root, 'package.json'))) writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  for (const f of b.files) {
    const to = join(root, f.path);
    if (!to.startsWith(root + sep)) throw new Error(`the bundle names a file outside itself: ${f.path}`);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, f.text);
  }
  return {
    source: { ...b.source, builder: REBUILD_MODULE, module: pathToFileURL(join(root, b.entry)).href },
    asOnCoordinator: (text) => text.replaceAll(root, b.base),
  };
}
