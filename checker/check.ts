// Checks one transition system: search, then rebuild the counterexample's concrete trace. What a
// result means for a spec (its expectation) is the front end's business; reporting is src/report's.
import { type ActionCoverage, summariseCoverage } from './coverage.ts';
import type { Outcome, SearchResult, Stats, TraceStep, Violation } from './result.ts';
import { search, type SearchOptions } from './search/bfs.ts';
import { canonicaliser } from './symmetry/canonicalise.ts';
import { invariantMessage } from './step.ts';
import type { TransitionSystem } from './system.ts';
import type { RecordedGraph } from './liveness/recorder.ts';
import { LivenessRefused, LivenessSpecError } from './liveness/errors.ts';
import type { LivenessInfo, TemporalViolation } from './liveness/run.ts';
import type { reselectTrace } from './trace/reselect.ts';

export interface RunOptions extends Omit<SearchOptions, 'canonicalise'> {
  /** Reduce by the system's symmetry (when it has any). */
  symmetry: boolean;
  /** With symmetry on, search again without it, to report how many states it saved. */
  compareSymmetry?: boolean;
  /**
   * Print, among the shortest counterexamples to the violation found, one with the fewest switches
   * between actors (default true); false prints the one the search met first.
   */
  fewestSwitches?: boolean;
}

export interface RunResult {
  outcome: Outcome;
  property?: string;
  message?: string;
  stats: Stats;
  stopped?: SearchResult['stopped'];
  violation?: Violation;
  trace?: TraceStep[];
  /** Sets of ids the search reduced by (empty when symmetry is off or there are none). */
  symmetryReduced: string[];
  /** Statistics of the same search without symmetry (when compareSymmetry was asked and symmetry was used). */
  withoutSymmetry?: Stats;
  /** How often each action fired. */
  coverage?: ActionCoverage[];
  /** The liveness check, when the system has temporal properties and the safety search completed. */
  liveness?: LivenessInfo & { symmetryOff: boolean };
  /** A temporal violation's lasso: the trace is its prefix and cycle, and its last state goes back to `loop`. */
  lasso?: Pick<TemporalViolation, 'loop' | 'fairness' | 'back' | 'label'>;
  /**
   * With `continue`: every property violated, each with its least violation of the first level that
   * violates it and that violation's shortest trace (the reported violation among them).
   */
  violated?: PropertyViolation[];
  /** When the trace was chosen again for fewer actor switches: the switches before and after, and the states that took. */
  switches?: Switches;
}

export interface Switches {
  before: number;
  after: number;
  explored: number;
}

export interface PropertyViolation {
  outcome: Outcome;
  property?: string;
  message?: string;
  violation: Violation;
  trace?: TraceStep[];
  switches?: Switches;
  /** A temporal property's lasso. */
  lasso?: RunResult['lasso'];
}

export async function checkSystem(system: TransitionSystem, opts: RunOptions): Promise<RunResult> {
  const useSymmetry = opts.symmetry && system.symmetry.size > 0;
  const canonicalise = useSymmetry ? canonicaliser(system) : undefined;
  const live = system.liveness;
  if (live && (opts.store || opts.disk || opts.levels)) throw new LivenessRefused();
  // The liveness graph is recorded during the search when that search has every concrete state in
  // this thread; otherwise by a second search after it (symmetry reduction is not sound for
  // properties or fairness that name ids, and worker threads do not report transitions).
  // The liveness checker and the trace rebuild are loaded when a run needs them.
  const temporal = live && (await import('./liveness/run.ts'));
  const recorder = live && !useSymmetry && (opts.workers ?? 1) === 1 ? new (await import('./liveness/recorder.ts')).GraphRecorder(system, live) : undefined;
  const observer = recorder && ((from: number, to: number, action: number, _choice: unknown, next: Int32Array) => recorder.observe(from, to, action, next));
  let recorded: RecordedGraph | undefined;
  // A temporal predicate that throws (a typo in an action's name) ends the search there, not at its end.
  const { result, store } = await search(system, { ...opts, canonicalise, observer, control: recorder ? recorder.searchControl(opts.control) : opts.control });
  const recordingFailed = recorder?.failed === true;
  try {
    return await finishRun();
  } finally {
    // A store on disk keeps its files until the trace is rebuilt.
    store.close?.();
  }

  async function finishRun(): Promise<RunResult> {
    const withoutSymmetry =
      useSymmetry && opts.compareSymmetry ? (await search(system, { ...opts, workers: 1, onProgress: undefined, observer: undefined, store: undefined, disk: undefined, levels: undefined })).result.stats : undefined;
    const traces = result.violation || result.violations?.length ? await traceModules() : undefined;
    const rebuild = (found: Violation): PropertyViolation => {
      const { rebuildTrace, ReplayError, reselectTrace } = traces!;
      try {
        const rebuilt = rebuildTrace(system, store, found, canonicalise);
        let { steps, violation } = rebuilt;
        const again = opts.fewestSwitches === false ? undefined : reselectOrKeep(reselectTrace, system, steps, violation);
        let switches: Switches | undefined;
        if (again) {
          steps = again.steps;
          switches = { before: again.before, after: again.after, explored: again.explored };
          const last = steps[steps.length - 1];
          if (violation.outcome === 'action-property') {
            violation = { ...violation, step: { action: last.action, choice: last.choice, next: last.state }, message: `action property '${violation.property}' is violated by ${last.action!.label}` };
          }
        }
        // Under symmetry the search judged the state's representative; the part it names is the trace's.
        const inv = violation.outcome === 'invariant' ? system.invariants.find((i) => i.name === violation.property && i.which) : undefined;
        if (inv && steps.length) violation = { ...violation, message: invariantMessage(inv, steps[steps.length - 1].state) };
        return { outcome: violation.outcome, property: violation.property, message: violation.message, violation, trace: steps, switches };
      } catch (e) {
        if (!(e instanceof ReplayError)) throw e;
        return { outcome: 'error', property: found.property, message: `${found.message}; ${e.message}`, violation: found };
      }
    };
    const main = result.violation && rebuild(result.violation);
    let violation = main?.violation;
    let trace = main?.trace;
    let outcome: Outcome = main?.outcome ?? 'ok';
    let message = main?.message;
    const violated = opts.continue ? (result.violations ?? []).map((v) => (v === result.violation ? main! : rebuild(v))) : undefined;
    let liveness: RunResult['liveness'];
    let lasso: RunResult['lasso'];
    /** Why the search that records the graph (after a search under symmetry or with workers) stopped early. */
    let recordingStopped: RunResult['stopped'];
    // With --continue, as with TLC's -continue, the temporal properties are checked after a complete
    // search that found safety violations too; each one violated is reported with its own lasso.
    if (live && (outcome === 'ok' || opts.continue) && (result.stats.complete || recordingFailed)) {
      const started = Date.now();
      try {
        if (recorder) recorded = recorder.finish();
        else ({ recorded, stopped: recordingStopped } = await temporal!.recordBySearch(system, live, opts));
      } catch (e) {
        if (!(e instanceof LivenessSpecError)) throw e;
        // Said when it cut the search short: what was not searched was not checked (--continue).
        const said = recordingFailed && !result.stats.complete ? `${e.message}; the search stopped there` : e.message;
        const failed: Violation = { outcome: 'error', message: said, stateIndex: -1 };
        if (outcome === 'ok') ({ outcome, message, violation } = { outcome: 'error' as Outcome, message: said, violation: failed });
        else violated?.push({ outcome: 'error', message: said, violation: failed });
      }
      if (recorded) {
        const t = temporal!.checkTemporal(system, live, recorded);
        liveness = { ...t.info, durationMs: t.info.durationMs + (Date.now() - started), symmetryOff: useSymmetry };
        const found: PropertyViolation[] = t.violations.map((v) => ({
          outcome: 'temporal',
          property: v.property,
          message: v.message,
          trace: v.trace,
          violation: { outcome: 'temporal', property: v.property, message: v.message, stateIndex: -1 },
          lasso: { loop: v.loop, fairness: v.fairness, back: v.back, label: v.label },
        }));
        violated?.push(...found);
        // The one reported, when no safety violation came first.
        if (found.length > 0 && outcome === 'ok') {
          ({ outcome, message, trace, violation, lasso } = found[0]);
        }
      }
    }
    return {
      liveness,
      lasso,
      outcome,
      property: violation?.property,
      message,
      // The temporal properties are checked on the whole graph or not at all: a recording stopped early leaves the run incomplete.
      stats: recordingStopped ? { ...result.stats, complete: false } : result.stats,
      // Stopped by the recorder's error, which is an outcome of its own (or comes after the one found).
      stopped: recordingFailed ? undefined : (result.stopped ?? recordingStopped),
      violation,
      trace,
      symmetryReduced: useSymmetry ? [...system.symmetry.keys()] : [],
      withoutSymmetry,
      coverage: result.coverage && summariseCoverage(system, result.coverage),
      violated,
      switches: outcome === main?.outcome ? main?.switches : undefined,
    };
  }
}

/** The trace with the fewest switches; spec code that throws while it is sought leaves the search's own trace. */
/** The trace rebuild, loaded when a search found a violation. */
async function traceModules() {
  return { ...(await import('./trace/rebuild.ts')), ...(await import('./trace/reselect.ts')) };
}

function reselectOrKeep(reselect: typeof reselectTrace, ...args: Parameters<typeof reselectTrace>): ReturnType<typeof reselectTrace> {
  try {
    return reselect(...args);
  } catch {
    return undefined;
  }
}
