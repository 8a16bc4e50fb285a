// What the command line's main thread and its search thread say to each other (search-host.ts,
// search-worker.ts): jobs, and results in a form that crosses threads (action instances as their
// ids, errors as Error objects). The main thread puts its own compiled model back in.
import type { Violation } from '../../checker/result.ts';
import type { Progress } from '../../checker/search/bfs.ts';
import type { AuditResult } from '../../checker/symmetry/audit.ts';
import type { ChoicePath, State } from '../../checker/system.ts';
import type { CheckResult } from '../compile/check.ts';
import type { Model } from '../compile/model.ts';
import type { SimulationResult } from '../compile/simulate.ts';

export interface CheckJob {
  kind: 'check';
  file: string;
  variant: string;
  /** Audit symmetry first: quickly, thoroughly (with samples and seed), or not at all (undefined). */
  audit?: { thorough: boolean; samples?: number; seed?: number };
  options: {
    symmetry?: boolean;
    compareSymmetry?: boolean;
    deadlock?: boolean;
    maxStates?: number;
    maxDepth?: number;
    workers?: number;
    maxMemory?: number;
  };
  /** Milliseconds between progress messages to the main thread; none when it prints no progress. */
  progressEveryMs?: number;
}

export interface SimulateJob {
  kind: 'simulate';
  file: string;
  variant: string;
  seed: number;
  steps: number;
  runs: number;
  deadlock?: boolean;
}

export type Job = (CheckJob | SimulateJob) & { probe: SharedArrayBuffer };

export interface ThreadSetup {
  /** [stop]: 1 once the main thread asks the search to stop (Ctrl-C, SIGTERM). */
  control: SharedArrayBuffer;
  /** The statistics so far, refreshed as the search goes (STATS), for a search that never answers. */
  stats: SharedArrayBuffer;
  /** Parallel search threads to start now, while the main thread loads the specs. */
  warmWorkers: number;
}

/** Slots of the shared statistics. */
export const STATS = { generated: 0, distinct: 1, queue: 2, depth: 3, elapsedMs: 4, walks: 5, length: 6 } as const;

type PortableStep = { action?: number; choice?: ChoicePath; state: State };
type PortableViolation = Omit<Violation, 'step'> & { step?: { action?: number; next?: State; choice?: ChoicePath } };

export type PortableResult = Omit<SimulationResult, 'model' | 'trace' | 'violation' | 'run' | 'runs' | 'seed'> &
  Partial<Pick<SimulationResult, 'run' | 'runs' | 'seed'>> & { trace?: PortableStep[]; violation?: PortableViolation };

export type FromThread =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'audit'; audit: Omit<AuditResult, 'model'> }
  | { kind: 'nondeterministic'; message: string }
  | { kind: 'done'; result: PortableResult }
  | { kind: 'failed'; error: Error };

/** What spec code threw, as something every thread can hold. */
function portableError(e: unknown): unknown {
  if (e === undefined) return undefined;
  if (e instanceof Error) {
    const copy = new Error(e.message);
    copy.name = e.name;
    copy.stack = e.stack;
    return copy;
  }
  return typeof e === 'object' && e !== null ? String(e) : e;
}

export function toPortable(r: CheckResult | SimulationResult): PortableResult {
  const { model: _model, trace, violation, ...rest } = r as SimulationResult;
  return {
    ...rest,
    trace: trace?.map((s) => ({ action: s.action?.id, choice: s.choice, state: s.state })),
    violation: violation && {
      ...violation,
      error: portableError(violation.error),
      step: violation.step && { action: violation.step.action?.id, next: violation.step.next, choice: violation.step.choice },
    },
  };
}

export function fromPortable(p: PortableResult, model: Model): SimulationResult {
  const act = (id: number | undefined) => (id === undefined ? undefined : model.actions[id]);
  return {
    ...p,
    model,
    trace: p.trace?.map((s: PortableStep) => ({ action: act(s.action), choice: s.choice, state: s.state })),
    violation: p.violation && { ...p.violation, step: p.violation.step && { action: act(p.violation.step.action), next: p.violation.step.next, choice: p.violation.step.choice } },
  } as SimulationResult;
}
