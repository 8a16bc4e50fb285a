// The --json document: one object per (spec, variant), stable field names for CI scripts.
import type { DiskUse } from '../../checker/result.ts';
import type { CheckResult } from '../compile/check.ts';
import type { Expectation } from '../spec.ts';

export interface JsonResult {
  spec: string;
  file?: string;
  variant: string;
  /** The outcome; `incomplete` when the search stopped early (`stopped` says why) without a violation. */
  result: CheckResult['outcome'] | 'incomplete';
  property?: string;
  message?: string;
  expected?: Expectation;
  asExpected: boolean;
  complete: boolean;
  stopped?: string;
  distinct: number;
  generated: number;
  queue: number;
  depth: number;
  durationMs: number;
  /** Bytes held by the visited store and the parent links. */
  storeBytes: number;
  /** What went to disk, for a search kept there (--store disk, --store-dir, --checkpoint). */
  disk?: DiskUse;
  collisionProbability: number;
  symmetry: string[];
  /** With --symmetry-compare: the same search without symmetry, and how many distinct states symmetry saved. */
  withoutSymmetry?: { distinct: number; generated: number; complete: boolean; saved: number };
  traceLength?: number;
  traceFile?: string;
  /** When the trace was chosen again for fewer actor switches: before, after, and the states searched. */
  switches?: CheckResult['switches'];
  /** Per action: instances, transitions fired, new states found. */
  coverage?: { name: string; instances: number; fired: number; found: number }[];
  /** Actions that never fired, when the spec asks that all fire. */
  deadActions?: string[];
  /** A temporal violation's lasso: the trace's last state goes back to state `loop` (0-based), by `back` (absent: it stutters). */
  lasso?: { loop: number; back?: string; conjunct?: string; fairness: { unit: string; kind: string; how: string }[] };
  /** The liveness check: its graph's size, bytes per transition, time, and whether symmetry was switched off for it. */
  liveness?: { properties: string[]; states: number; edges: number; bytesPerEdge: number; durationMs: number; symmetryOff: boolean };
}

export function toJson(r: CheckResult, traceFile?: string): JsonResult {
  return {
    spec: r.model.specName,
    file: r.model.file,
    variant: r.model.variant,
    result: r.outcome === 'ok' && r.stopped ? 'incomplete' : r.outcome,
    property: r.property,
    message: r.message,
    expected: r.expected,
    asExpected: r.matchesExpectation,
    complete: r.stats.complete,
    stopped: r.stopped,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    queue: r.stats.queue,
    depth: r.stats.depth,
    durationMs: r.stats.durationMs,
    storeBytes: r.stats.storeBytes,
    disk: r.stats.disk,
    collisionProbability: r.stats.collisionProbability,
    symmetry: r.symmetryReduced,
    withoutSymmetry: r.withoutSymmetry && {
      distinct: r.withoutSymmetry.distinct,
      generated: r.withoutSymmetry.generated,
      complete: r.withoutSymmetry.complete,
      saved: r.withoutSymmetry.distinct - r.stats.distinct,
    },
    traceLength: r.trace?.length,
    traceFile,
    switches: r.switches,
    coverage: r.coverage?.map(({ name, instances, fired, found }) => ({ name, instances, fired, found })),
    deadActions: r.deadActions,
    lasso: r.lasso && lassoJson(r.lasso),
    liveness: r.liveness,
  };
}

/** One violated property of a run gone on past violations (--continue). */
export function violationJson(r: CheckResult, traceFile?: string): { result: string; property?: string; message?: string; traceLength?: number; traceFile?: string; lasso?: JsonResult['lasso'] } {
  return { result: r.outcome, property: r.property, message: r.message, traceLength: r.trace?.length, traceFile, ...(r.lasso ? { lasso: lassoJson(r.lasso) } : {}) };
}

function lassoJson(l: NonNullable<CheckResult['lasso']>): JsonResult['lasso'] {
  return { loop: l.loop, back: l.back?.label, conjunct: l.label || undefined, fairness: l.fairness };
}
