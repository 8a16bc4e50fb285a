// Rebuilds the transition system a SystemSource names, in a worker thread or on another machine:
// the engine imports this module by the URL in the source, so it depends on no front end.
import type { SystemSource, TransitionSystem } from '../../checker/system.ts';
import { isSpec } from '../spec.ts';
import { compileModel } from './model.ts';
import { fileURLToPath } from 'node:url';

export async function rebuildSystem(source: SystemSource): Promise<TransitionSystem> {
  const mod = (await import(source.module)) as Record<string, unknown>;
  const spec = mod[source.export];
  if (!isSpec(spec)) throw new Error(`${source.module}: export '${source.export}' is not a spec`);
  const file = source.module.startsWith('file:') ? fileURLToPath(source.module) : source.module;
  const model = compileModel(spec, source.variant, file, { constants: { ...source.constants }, exportName: source.export, assumptionsChecked: true, lazyInit: true, streamOnce: true });
  if (model.source?.hash !== source.hash) {
    throw new Error(`${file}: the spec or a module it imports changed since the search started; run the check again`);
  }
  return model;
}
