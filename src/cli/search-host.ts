// The main thread's side of the command line's search thread. It hands jobs to the thread and
// watches it: Ctrl-C and SIGTERM ask the search to stop (it answers with its statistics so far), and
// if it cannot answer (spec code in an endless loop) the thread is ended and what the shared memory
// says is reported instead. A step of spec code that runs past the step timeout is ended the same
// way, and reported as a spec error naming the action and the state.
import { Worker } from 'node:worker_threads';
import type { Progress } from '../../checker/search/bfs.ts';
import { PHASE, StepProbe } from '../../checker/step-probe.ts';
import type { AuditResult as EngineAudit } from '../../checker/symmetry/audit.ts';
import type { State } from '../../checker/system.ts';
import { show } from '../../checker/show.ts';
import type { Model } from '../compile/model.ts';
import type { SimulationResult } from '../compile/simulate.ts';
import { LivenessRefused } from '../../checker/liveness/errors.ts';
import { CheckpointError } from '../../checker/store/checkpoint.ts';
import { ClusterError } from '../cluster/protocol.ts';
import { SpecError } from '../spec.ts';
import { type FromThread, type Job, STATS, type ThreadError, fromPortable } from './search-jobs.ts';
import { startSearchThread, takeEarly } from './search-thread-start.js';

type AuditResult = EngineAudit<Model>;

/** How long a search asked to stop may take to answer before its thread is ended. */
const GRACE_MS = 2000;
/** How often the watchdog looks. */
const TICK_MS = 100;

/** Statistics read from shared memory, for a search whose thread had to be ended. */
export interface SharedStats {
  generated: number;
  distinct: number;
  queue: number;
  depth: number;
  elapsedMs: number;
  walks: number;
  /** False while the audits before the search ran: the counts are then the search's, all zero. */
  searching: boolean;
}

/** A step of spec code that ran past the timeout. */
export interface HungStep {
  /** The action instance, or undefined for the terminal predicate. */
  action?: Model['actions'][number];
  /** What was running: `the recipe of inc`, `the guard of inc`, ... */
  where: string;
  /** The state being expanded. */
  state: State;
  seconds: number;
}

export type JobOutcome =
  | { kind: 'done'; result: SimulationResult; audit?: AuditResult }
  | { kind: 'audit-failed'; audit: AuditResult }
  | { kind: 'nondeterministic'; message: string; audit?: AuditResult }
  /**
   * Interrupted (a signal), the thread's JavaScript heap filled up (spec code kept too much alive),
   * or the disk under a search on disk failed (`message` says how).
   */
  | { kind: 'ended'; reason: 'interrupted' | 'heap-full' | 'disk-failed' | 'failed'; message?: string; stats: SharedStats; audit?: AuditResult }
  | { kind: 'hung'; step: HungStep; stats: SharedStats; audit?: AuditResult };


export class SearchHost {
  private worker?: Worker;
  private control = new SharedArrayBuffer(4);
  private stats = new SharedArrayBuffer(STATS.length * 8);
  /** Ends the job under way: set while one runs. */
  private end?: (reason: 'interrupted') => void;
  private stopping = false;
  private interrupted_!: () => void;
  /** Settles at the first Ctrl-C or SIGTERM: what the main thread awaits besides the search (the type-check) stops waiting then. */
  readonly interruption = new Promise<void>((r) => (this.interrupted_ = r));

  constructor(
    private readonly opts: { warmWorkers?: number; stepTimeoutMs: number },
  ) {}

  /** Starts the thread now (or takes the one started with the process), so that it loads while the main thread does too. */
  start(): void {
    if (this.worker) return;
    const warmWorkers = this.opts.warmWorkers ?? 0;
    const thread = takeEarly(warmWorkers) ?? startSearchThread(warmWorkers);
    this.worker = thread.worker;
    this.control = thread.control;
    this.stats = thread.stats;
  }

  /** Asks the search under way to stop; ends its thread if it has not answered within the grace time. */
  interrupt(): void {
    this.stopping = true;
    this.interrupted_();
    Atomics.store(new Int32Array(this.control), 0, 1);
    const end = this.end;
    if (end) setTimeout(() => end('interrupted'), GRACE_MS).unref();
  }

  /** Ends the search under way at once (a second Ctrl-C). */
  kill(): void {
    this.stopping = true;
    this.interrupted_();
    Atomics.store(new Int32Array(this.control), 0, 1);
    this.end?.('interrupted');
  }

  get interrupted(): boolean {
    return this.stopping;
  }

  /**
   * Lets the thread end by itself, so that everything spec code printed there arrives first; ends it
   * if it has not within the grace time.
   */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    const ended = Promise.all([new Promise((r) => w.once('exit', r)), new Promise((r) => w.stdout.once('end', r)), new Promise((r) => w.stderr.once('end', r))]);
    w.postMessage({ kind: 'exit' });
    const timer = setTimeout(() => void w.terminate(), GRACE_MS);
    await ended;
    clearTimeout(timer);
  }

  run(job: Omit<Job, 'probe'>, model: Model, onProgress?: (p: Progress) => void, onLog?: (line: string) => void): Promise<JobOutcome> {
    this.start();
    const worker = this.worker!;
    worker.ref();
    const probe = new StepProbe(new SharedArrayBuffer(StepProbe.bytes(model.width)), model.width);
    const stats = new Float64Array(this.stats);
    const started = Date.now();
    let audit: AuditResult | undefined;
    return new Promise<JobOutcome>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: JobOutcome | Error) => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        this.end = undefined;
        if (this.worker === worker) worker.unref();
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const shared = (): SharedStats => ({
        generated: stats[STATS.generated],
        distinct: stats[STATS.distinct],
        queue: stats[STATS.queue],
        depth: stats[STATS.depth],
        // The thread publishes its time only with progress: until the first, this thread's count.
        elapsedMs: Math.max(stats[STATS.elapsedMs], Date.now() - started),
        walks: stats[STATS.walks],
        searching: stats[STATS.searching] === 1,
      });
      // The thread cannot answer: end it (its own worker threads end with it) and report from shared memory.
      const endThread = (outcome: JobOutcome) => {
        if (this.worker === worker) this.worker = undefined;
        finish(outcome);
        void worker.terminate();
      };
      this.end = (reason: 'interrupted') => endThread({ kind: 'ended', reason, stats: shared(), audit });
      const onMessage = (m: FromThread) => {
        if (m.kind === 'progress') onProgress?.(m.progress);
        else if (m.kind === 'log') onLog?.(m.line);
        else if (m.kind === 'audit') {
          audit = { ...m.audit, model };
          if (!audit.passed) finish({ kind: 'audit-failed', audit });
        } else if (m.kind === 'nondeterministic') finish({ kind: 'nondeterministic', message: m.message });
        else if (m.kind === 'done') finish({ kind: 'done', result: fromPortable(m.result, model), audit });
        // The disk under a search on disk: that variant stops with its statistics, the run goes on.
        else if (m.error.name === 'EngineFault') finish({ kind: 'ended', reason: 'disk-failed', message: m.error.message, stats: shared(), audit });
        // A failure the command answers as a whole (a refused checkpoint, a spec that does not
        // load, a system call): the run ends with it. Any other ends this variant alone, and the
        // rest of the run, its reports included, goes on.
        else if (ANSWERED.has(m.error.name) || m.error.syscall) finish(rebuiltError(m.error));
        else finish({ kind: 'ended', reason: 'failed', message: failureText(m.error), stats: shared(), audit });
      };
      const onError = (e: Error) => {
        if (this.worker === worker) this.worker = undefined;
        // The thread's heap limit (search-thread-start.js) ends the thread, not the process: the
        // statistics so far are reported, and the next variant gets a new thread.
        // Spec code that was running when the heap filled (what keeps so much alive) is named.
        if ((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') finish({ kind: 'ended', reason: 'heap-full', message: specRunning(), stats: shared(), audit });
        else finish(e);
      };
      const onExit = () => {
        if (this.worker === worker) this.worker = undefined;
        finish(new Error('the search thread ended without an answer'));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);

      /** The spec code running now, as the probe tells it: the action, what runs, the state being expanded. */
      const running = (): Omit<HungStep, 'seconds'> => {
        const id = probe.action();
        const action = id >= 0 ? model.actions[id] : undefined;
        return { action, where: describePhase(probe.phase(), action?.label, model.invariants[probe.which()]?.name), state: model.decode(probe.slots(), 0) };
      };
      /** Which spec code runs now, and in which state, when it is spec code: `the recipe of inc ran in state { x: 2 }`. */
      const specRunning = (): string | undefined => {
        if (!SPEC_PHASES.has(probe.phase())) return undefined;
        try {
          const { where, state } = running();
          return `${where} ran in state ${show(state)}`;
        } catch {
          return undefined;
        }
      };
      // The watchdog: a step of spec code whose beat has not moved for the step timeout is stuck.
      let beat = -1;
      let since = Date.now();
      const watchdog = setInterval(() => {
        const now = Date.now();
        const b = probe.beat();
        if (b !== beat || !SPEC_PHASES.has(probe.phase())) {
          beat = b;
          since = now;
          return;
        }
        if (now - since < this.opts.stepTimeoutMs) return;
        endThread({ kind: 'hung', step: { ...running(), seconds: (now - since) / 1000 }, stats: shared(), audit });
      }, TICK_MS);
      watchdog.unref();
      if (this.stopping) this.end('interrupted');
      else worker.postMessage({ ...job, probe: probe.words.buffer } as Job);
    });
  }
}

/** The errors the command line answers for the whole run (rebuiltError makes them again). */
const ANSWERED = new Set(['CheckpointError', 'LivenessRefused', 'ClusterError', 'SpecError']);

/** An error of the checker itself, in one line: what it says, and where in the checker it was thrown. */
function failureText(t: ThreadError): string {
  const frames = (t.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const at = (frames.find((line) => /[/\\](checker|src)[/\\]/.test(line)) ?? frames[0])?.trim();
  return `${t.name && t.name !== 'Error' ? `${t.name}: ` : ''}${t.message}${at ? ` (${at})` : ''}`;
}

/** The error the thread threw, as the class the command line answers by (main.ts). */
function rebuiltError(t: ThreadError): Error {
  const e: Error & { code?: string; syscall?: string } =
    t.name === 'CheckpointError'
      ? new CheckpointError(t.message)
      : t.name === 'LivenessRefused'
        ? new LivenessRefused()
        : t.name === 'ClusterError'
          ? new ClusterError(t.message)
          : t.name === 'SpecError'
            ? new SpecError(t.message)
            : new Error(t.message);
  if (t.stack) e.stack = t.stack;
  if (t.code) e.code = t.code;
  if (t.syscall) e.syscall = t.syscall;
  return e;
}

const SPEC_PHASES = new Set<number>([PHASE.guard, PHASE.recipe, PHASE.property, PHASE.invariant, PHASE.terminal, PHASE.temporal]);

function describePhase(phase: number, label: string | undefined, invariant?: string): string {
  switch (phase) {
    case PHASE.guard:
      return `the guard of ${label}`;
    case PHASE.recipe:
      return `the recipe of ${label}`;
    case PHASE.property:
      return `an action property or the constraint, after ${label}`;
    case PHASE.invariant:
      // The state the watchdog holds is the one being expanded: the invariant runs on its successor.
      return `${invariant ? `invariant '${invariant}'` : 'an invariant'}, on ${label ? `the successor that ${label} gave` : 'an initial state'},`;
    case PHASE.temporal:
      return label ? `a temporal property's step predicate, on a step of ${label}` : "a temporal property's predicate, on a new state";
    default:
      return 'the terminal predicate';
  }
}
