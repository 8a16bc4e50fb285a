// Checks every variant of every spec in specs/kernel/ with symmetry on and off, and finds the golden
// counterexample kept for each expected failure. Shared by the test that gates the goldens and by the
// script that writes the table in specs/README.md, so both see the same run.
import { expectedViolations } from '../../src/spec.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkModel, type CheckResult } from '../../src/compile/check.ts';
import { compileModel } from '../../src/compile/model.ts';
import { findSpecFiles, loadSpec } from '../../src/load.ts';
import { traceFileName } from '../../src/report/itf.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const KERNEL_SPECS = join(ROOT, 'specs', 'kernel');
export const GOLDEN_DIR = join(ROOT, 'counterexamples');

export interface VariantRun {
  /** The spec file, relative to the repository root. */
  file: string;
  spec: string;
  variant: string;
  /** The reduced run (symmetry on) and the full one (symmetry off). */
  on: CheckResult;
  off: CheckResult;
  /** Where the golden trace of an expected failure is kept (absent for variants expected to hold). */
  golden?: string;
  /** The variant re-checked (symmetry on) at the other values its `bounds` give, one constant varied at a time. */
  bounds: BoundRun[];
}

export interface BoundRun {
  constant: string;
  value: unknown;
  result: CheckResult;
}

/** Every spec file under specs/kernel/, in the loader's order. */
export function kernelSpecFiles(): string[] {
  return findSpecFiles([KERNEL_SPECS]);
}

export async function runSpecFile(file: string): Promise<VariantRun[]> {
  const { spec } = await loadSpec(file);
  const shown = relative(ROOT, resolve(file));
  const runs: VariantRun[] = [];
  for (const variant of spec.variantNames) {
    const model = compileModel(spec, variant, shown);
    const on = await checkModel(model, { symmetry: true });
    const off = await checkModel(model, { symmetry: false });
    const expect = model.expect ?? 'holds';
    const bounds: BoundRun[] = [];
    for (const [constant, values] of Object.entries(spec.def.variants?.[variant]?.bounds ?? {})) {
      for (const value of values as unknown[]) {
        const at = compileModel(spec, variant, shown, { constants: { [constant]: value } });
        bounds.push({ constant, value, result: await checkModel(at, { symmetry: true }) });
      }
    }
    runs.push({
      bounds,
      file: shown,
      spec: model.specName,
      variant,
      on,
      off,
      golden: expect === 'holds' ? undefined : traceFileName(GOLDEN_DIR, { ...on, property: expectedViolations(expect)[0] }),
    });
  }
  return runs;
}

export async function runKernelSpecs(): Promise<VariantRun[]> {
  const all: VariantRun[] = [];
  for (const file of kernelSpecFiles()) all.push(...(await runSpecFile(file)));
  return all;
}

/** The states of a kept ITF trace, or undefined when none is kept. */
export function readGolden(path: string): { meta: Record<string, unknown>; json: unknown; length: number } | undefined {
  if (!existsSync(path)) return undefined;
  const json = JSON.parse(readFileSync(path, 'utf8'));
  return { meta: json['#meta'] ?? {}, json, length: Array.isArray(json.states) ? json.states.length : 0 };
}
