// What the command line's main thread and its search thread say to each other (search-host.ts,
// search-worker.ts): jobs, and results in a form that crosses threads (action instances as their
// ids, errors as Error objects). The main thread puts its own compiled model back in.
import type { PropertyViolation, RunResult } from '../../checker/check.ts';
import type { TraceStep, Violation } from '../../checker/result.ts';
import type { Progress } from '../../checker/search/bfs.ts';
import type { AuditResult } from '../../checker/symmetry/audit.ts';
import type { ChoicePath, State } from '../../checker/system.ts';
import { errorText, thrownIs } from '../../checker/error-text.ts';
import type { CheckResult } from '../compile/check.ts';
import type { Model } from '../compile/model.ts';
import type { SimulationResult } from '../compile/simulate.ts';
import type { Constants } from '../spec.ts';
import type { DiskSearchOptions } from '../../checker/store/search-files.ts';
import type { ClusterChoices } from './cluster-run.ts';

/** How the thread compiles the model: as the main thread did (--const, --starvation). */
interface ModelChoices {
  /** --const overrides, over every variant's constants. */
  constants?: Constants;
  starvation?: boolean;
}

export interface CheckJob extends ModelChoices {
  kind: 'check';
  file: string;
  variant: string;
  /** Audit symmetry first: quickly, thoroughly (with samples and seed), or not at all (undefined). */
  audit?: { thorough: boolean; samples?: number; seed?: number };
  options: {
    symmetry?: boolean;
    compareSymmetry?: boolean;
    deadlock?: boolean;
    continue?: boolean;
    maxStates?: number;
    maxDepth?: number;
    workers?: number;
    maxMemory?: number;
    /** --store, --store-dir, --fp-memory, --checkpoint, --resume, as the main thread worked them out. */
    disk?: DiskSearchOptions;
    fewestSwitches?: boolean;
  };
  /** A cluster run: the thread coordinates it over the network; `quiet` keeps its lines back. */
  cluster?: ClusterChoices & { quiet?: boolean };
  /** Milliseconds between progress messages to the main thread; none when it prints no progress. */
  progressEveryMs?: number;
}

export interface SimulateJob extends ModelChoices {
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

// The slots of the shared statistics are defined where the thread and its buffers are made.
export { STATS } from './search-thread-start.js';

/**
 * A state as it crosses threads: its encoding, which the main thread decodes with its own model, so
 * that structured values (ValueSet, ValueBag) keep their classes; as it is when it has no encoding
 * (a state outside its type).
 */
type PortableState = { slots: Int32Array } | { value: State };
type PortableStep = { action?: number; choice?: ChoicePath; state: PortableState; stutter?: boolean };
type PortableViolation = Omit<Violation, 'step'> & { step?: { action?: number; next?: PortableState; choice?: ChoicePath } };
type PortablePropertyViolation = Omit<PropertyViolation, 'violation' | 'trace'> & { violation: PortableViolation; trace?: PortableStep[] };
type PortableLasso = Omit<NonNullable<RunResult['lasso']>, 'back'> & { back?: number };

export type PortableResult = Omit<SimulationResult, 'model' | 'trace' | 'violation' | 'run' | 'runs' | 'seed' | 'violated' | 'lasso'> &
  Partial<Pick<SimulationResult, 'run' | 'runs' | 'seed'>> & { trace?: PortableStep[]; violation?: PortableViolation; violated?: PortablePropertyViolation[]; reported?: number; lasso?: PortableLasso };

export type FromThread =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'audit'; audit: Omit<AuditResult, 'model'> }
  | { kind: 'nondeterministic'; message: string }
  | { kind: 'done'; result: PortableResult }
  | { kind: 'log'; line: string }
  | { kind: 'failed'; error: ThreadError };

/**
 * An error as it crosses threads: a copy of an Error keeps only its message (and the name of a
 * built-in error), so the class the command line answers by, and a failed system call's code, are
 * carried beside it.
 */
export interface ThreadError {
  message: string;
  stack?: string;
  /** The class: CheckpointError, LivenessRefused, ClusterError, ... */
  name: string;
  code?: string;
  syscall?: string;
}

export function threadError(e: unknown): ThreadError {
  if (!thrownIs(e, Error)) return { message: errorText(e), name: 'Error' };
  const io = e as NodeJS.ErrnoException;
  return { message: io.message, stack: io.stack, name: io.constructor?.name && io.constructor.name !== 'Error' ? io.constructor.name : io.name, code: io.code, syscall: io.syscall };
}

/** What spec code threw, as something every thread can hold. */
function portableError(e: unknown): unknown {
  if (e === undefined) return undefined;
  if (thrownIs(e, Error)) {
    try {
      const copy = new Error((e as Error).message);
      copy.name = (e as Error).name;
      copy.stack = (e as Error).stack;
      return copy;
    } catch {
      return errorText(e);
    }
  }
  // Objects, symbols and functions cannot cross to another thread: their text can.
  return (typeof e === 'object' && e !== null) || typeof e === 'symbol' || typeof e === 'function' ? errorText(e) : e;
}

type Codec = Pick<Model, 'width' | 'encode' | 'decode'>;

function portableState(model: Codec, state: State): PortableState {
  const slots = new Int32Array(model.width);
  return model.encode(state, slots, 0) === undefined ? { slots } : { value: state };
}

function stateOf(model: Codec, p: PortableState): State {
  return 'slots' in p ? model.decode(p.slots, 0) : p.value;
}

const portableTrace = (model: Codec, trace: TraceStep[] | undefined): PortableStep[] | undefined =>
  trace?.map((s) => ({ action: s.action?.id, choice: s.choice, state: portableState(model, s.state), ...(s.stutter ? { stutter: true } : {}) }));

function portableViolation(model: Codec, violation: Violation): PortableViolation;
function portableViolation(model: Codec, violation: Violation | undefined): PortableViolation | undefined;
function portableViolation(model: Codec, violation: Violation | undefined): PortableViolation | undefined {
  return (
    violation && {
      ...violation,
      error: portableError(violation.error),
      step: violation.step && { action: violation.step.action?.id, next: violation.step.next && portableState(model, violation.step.next), choice: violation.step.choice },
    }
  );
}

export function toPortable(r: CheckResult | SimulationResult): PortableResult {
  const { model, trace, violation, violated, lasso, ...rest } = r as CheckResult & SimulationResult;
  return {
    ...rest,
    trace: portableTrace(model, trace),
    violation: portableViolation(model, violation),
    // --continue: each property's violation and trace, matched back to the reported one by index.
    violated: violated?.map((v) => ({ ...v, violation: portableViolation(model, v.violation), trace: portableTrace(model, v.trace) })),
    reported: violated?.findIndex((v) => v.violation === violation),
    lasso: lasso && { ...lasso, back: lasso.back?.id },
  };
}

export function fromPortable(p: PortableResult, model: Model): SimulationResult {
  const act = (id: number | undefined) => (id === undefined ? undefined : model.actions[id]);
  const trace = (t: PortableStep[] | undefined) => t?.map((s) => ({ action: act(s.action), choice: s.choice, state: stateOf(model, s.state), ...(s.stutter ? { stutter: true } : {}) }));
  const violationOf = (v: PortableViolation | undefined) =>
    v && { ...v, step: v.step && { action: act(v.step.action), next: v.step.next && stateOf(model, v.step.next), choice: v.step.choice } };
  const violation = violationOf(p.violation);
  // The reported violation is one of those --continue found: the same object, as the reports expect.
  const { reported, ...rest } = p;
  return {
    ...rest,
    model,
    trace: trace(p.trace),
    violation,
    violated: p.violated?.map((v, i) => ({ ...v, violation: i === reported ? violation! : violationOf(v.violation)!, trace: trace(v.trace) })),
    lasso: p.lasso && { ...p.lasso, back: act(p.lasso.back) },
  } as SimulationResult;
}
