// Counterexamples as ITF, the Informal Trace Format of Apalache and Quint:
// {"#meta": {...}, "vars": [...], "states": [{"#meta": {...}, var: value, ...}, ...]}.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../../checker/check.ts';
import type { Model } from '../../checker/model.ts';
import { show } from '../schema/index.ts';

export interface ItfTrace {
  '#meta': Record<string, unknown>;
  vars: string[];
  states: Record<string, unknown>[];
}

export function toITF(result: CheckResult): ItfTrace {
  const { model, trace = [] } = result;
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: model.file ?? model.specName,
      spec: model.specName,
      variant: model.variant,
      result: result.outcome,
      property: result.property,
      description: result.message,
      generatedBy: 'interleave',
    },
    vars: model.vars,
    states: trace.map((step, index) => ({
      '#meta': { index, ...(step.action ? { action: step.action.name, params: step.action.params, label: step.action.label } : { action: 'init' }) },
      ...stateToITF(model, step.state),
    })),
  };
}

/** A state's variables as ITF values; a value outside its type (the last state of a TypeOK trace) is written as it is. */
function stateToITF(model: Model, state: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of model.vars) {
    try {
      out[k] = model.codec.fields[k].toITF(state[k]);
    } catch {
      out[k] = { '#unserializable': show(state[k]) };
    }
  }
  return out;
}

/** Where the trace of a result goes: `<dir>/<spec>[.<variant>].<property>.itf.json`. */
export function traceFileName(dir: string, result: CheckResult): string {
  const { model } = result;
  const parts = [model.specName, model.variant === 'default' ? undefined : model.variant, result.property ?? result.outcome];
  return join(dir, parts.filter(Boolean).map((p) => String(p).replace(/[^\w.-]+/g, '_')).join('.') + '.itf.json');
}

/** Writes atomically (temp file, then rename) so an interrupted run never leaves half a trace. */
export function writeTrace(dir: string, result: CheckResult): string {
  mkdirSync(dir, { recursive: true });
  const file = traceFileName(dir, result);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(toITF(result), null, 2) + '\n');
  renameSync(tmp, file);
  return file;
}
