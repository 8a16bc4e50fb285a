// The explorer page's script and style sheet: bundled by esbuild from src/explorer/ui (preact) into
// dist/explorer/ when the package is installed (`npm ci` runs `prepare`), and read from there when a
// page is written. A checkout installed without scripts builds it on first use.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const UI_ENTRY = join(ROOT, 'src', 'explorer', 'ui', 'main.tsx');
export const UI_OUT = join(ROOT, 'dist', 'explorer');

export interface UiBundle {
  js: string;
  css: string;
}

/** Bundles the page (minified, no source map: the page must be one self-contained file). */
export async function buildUi(): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [UI_ENTRY],
    outdir: UI_OUT,
    entryNames: 'explorer',
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

export async function uiBundle(): Promise<UiBundle> {
  const js = join(UI_OUT, 'explorer.js');
  const css = join(UI_OUT, 'explorer.css');
  if (!existsSync(js) || !existsSync(css)) {
    try {
      await buildUi();
    } catch (e) {
      throw new Error(`the explorer page is not built and could not be built (${(e as Error).message.split('\n')[0]}); run \`npm run build:ui\` in ${ROOT}`);
    }
  }
  return { js: readFileSync(js, 'utf8'), css: readFileSync(css, 'utf8') };
}
