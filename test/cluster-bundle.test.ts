// The spec bundle a cluster worker rebuilds the system from: the same system from an unpacked copy
// (the import-graph hash does not depend on where the files are), and a copy that differs is refused.
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { rebuildSystem } from '../src/compile/rebuild.ts';
import { compileModel } from '../src/compile/model.ts';
import { INSTALL, makeBundle, removeBundles, unpackBundle } from '../src/cluster/bundle.ts';
import { loadSpec } from '../src/load.ts';
import { ROOT } from './helpers.ts';

async function model(file: string, variant: string) {
  const { spec } = await loadSpec(join(ROOT, file));
  return compileModel(spec, variant, join(ROOT, file));
}

describe('cluster spec bundle', () => {
  afterAll(removeBundles);

  it('unpacked elsewhere, the spec and its own imports rebuild the same system with the same hash', async () => {
    const m = await model('specs/kernel/zap-ordering.ts', 'v4');
    const blob = makeBundle(m.source!, m.file!);
    const files = (deserialize(blob) as { files: { path: string }[] }).files.map((f) => f.path);
    // The spec's own modules travel; Interleave's own (src/, checker/) are the worker's.
    expect(files).toContain('specs/kernel/zap-ordering.ts');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('checker/'))).toBe(false);
    const { source, asOnCoordinator } = unpackBundle(blob);
    expect(asOnCoordinator(`at ${fileURLToPath(source.module)}:3:5`)).toBe(`at ${join(ROOT, 'specs/kernel/zap-ordering.ts')}:3:5`);
    expect(source.module).not.toBe(m.source!.module);
    const rebuilt = await rebuildSystem(source);
    expect([rebuilt.title, rebuilt.width, rebuilt.actions.length, rebuilt.source!.hash]).toEqual([m.title, m.width, m.actions.length, m.source!.hash]);
  });

  it("is unpacked into a folder of this process's own, linked to this install, and removed with removeBundles", async () => {
    const m = await model('specs/examples/die-hard.ts', 'default');
    const file = fileURLToPath(unpackBundle(makeBundle(m.source!, m.file!)).source.module);
    // A fresh folder per process, not one named by the pid: a folder an earlier process with the same
    // pid left behind, linked to another install, would load a second copy of Interleave.
    const [folder, spec] = [dirname(dirname(dirname(dirname(file)))), dirname(dirname(dirname(file)))];
    expect(dirname(folder)).toBe(tmpdir());
    expect(folder).toMatch(new RegExp(`interleave-bundles-${process.pid}-\\w+$`));
    expect(realpathSync(join(spec, 'src'))).toBe(realpathSync(join(INSTALL, 'src')));
    removeBundles();
    expect(existsSync(folder)).toBe(false);
    // The folder of a process that is gone (killed with SIGKILL) goes when the next is made.
    const left = join(tmpdir(), 'interleave-bundles-999999999-left');
    mkdirSync(join(left, 'x'), { recursive: true });
    const again = fileURLToPath(unpackBundle(makeBundle(m.source!, m.file!)).source.module);
    expect(again.startsWith(folder)).toBe(false);
    expect(existsSync(left)).toBe(false);
    removeBundles();
  });

  it('a bundle whose spec differs from the hash it names is refused', async () => {
    const m = await model('specs/examples/die-hard.ts', 'default');
    const b = deserialize(makeBundle(m.source!, m.file!)) as { files: { path: string; text: string }[]; source: { hash: string } };
    b.files[0].text += '\n// edited\n';
    b.source.hash = b.source.hash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const { source } = unpackBundle(serialize(b));
    await expect(rebuildSystem({ ...source, hash: m.source!.hash })).rejects.toThrow(/die-hard\.ts: the spec or a module it imports changed since the search started; run the check again$/);
  });
});
