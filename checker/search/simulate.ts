// Random walks (TLC's -simulate): for state spaces too big to exhaust. Each walk starts in a random
// initial state and takes random steps among the successors the one step gives, checking the same
// properties as the search. The walk of run k depends only on (seed, k), so the same seed finds the
// same violation again.
import type { RunResult } from '../check.ts';
import { summariseCoverage } from '../coverage.ts';
import { mulberry32 } from '../random.ts';
import type { Outcome, TraceStep, Violation } from '../result.ts';
import { Step, type StepHandler } from '../step.ts';
import { fingerprint } from '../store/fingerprint.ts';
import type { ActionInstance, ChoicePath, State, TransitionSystem } from '../system.ts';

export interface SimulateOptions {
  seed: number;
  /** Transitions per walk at most. */
  steps: number;
  runs: number;
  deadlock?: boolean;
  /** Polled between walks; set `stop` to end the simulation early (Ctrl-C). */
  control?: { stop?: 'interrupted' | 'max-memory' };
  /** Called before each walk with the walks done so far and the statistics. */
  onWalk?: (walks: number, generated: number, distinct: number) => void;
}

export interface SimulationRun extends RunResult {
  /** The run (1-based) that found the violation, and how many runs were made. */
  run?: number;
  runs: number;
  seed: number;
}

/** The seed of run k: the base seed mixed with k, so runs are independent of each other. */
export function runSeed(seed: number, run: number): number {
  let h = (seed ^ Math.imul(run, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One successor of the state a walk is at: stored (inside the constraint and type), pruned, or a violation. */
interface Option {
  action?: ActionInstance;
  choice: ChoicePath;
  next: State;
  /** Its encoding, when the walk can go on from it. */
  encoded?: Int32Array;
  violation?: Violation;
}

/** Collects the successors of one state; a spec error or a deadlock ends the walk at once. */
class Options implements StepHandler {
  list: Option[] = [];
  stop?: Violation;
  stored(next: State, _v: Int32Array, _hi: number, _lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void {
    this.list.push({ action, choice, next, encoded: encoded.slice() });
  }
  pruned(next: State, _e: Int32Array | undefined, action: ActionInstance | undefined, choice: ChoicePath): void {
    this.list.push({ action, choice, next });
  }
  violation(v: Violation): void {
    if (v.outcome === 'error' || v.outcome === 'deadlock' || !v.step?.next) this.stop ??= v;
    else this.list.push({ action: v.step.action, choice: v.step.choice ?? [], next: v.step.next, violation: v });
  }
  reset(): void {
    this.list = [];
    this.stop = undefined;
  }
}

export function simulate(system: TransitionSystem, opts: SimulateOptions): SimulationRun {
  const start = Date.now();
  const options = new Options();
  const step = new Step(system, options, { deadlock: opts.deadlock ?? system.deadlock });
  const fired = new Uint32Array(system.actions.length);
  const found = new Uint32Array(system.actions.length);
  const seen = new Set<string>();
  const fp = new Uint32Array(2);
  let generated = 0;
  let longest = 0;
  let violation: Violation | undefined;
  let trace: TraceStep[] = [];
  let run = 0;
  let stopped: 'interrupted' | undefined;

  /** Counts a state the walk reached as visited (states inside the constraint, as the search counts). */
  const visit = (encoded: Int32Array, action: ActionInstance | undefined): void => {
    fingerprint(encoded, system.width, fp, system.countedRegions);
    const key = `${fp[0]}:${fp[1]}`;
    if (!seen.has(key)) {
      seen.add(key);
      if (action) found[action.id]++;
    }
  };

  walks: for (run = 1; run <= opts.runs; run++) {
    opts.onWalk?.(run - 1, generated, seen.size);
    if (opts.control?.stop) {
      stopped = 'interrupted';
      break;
    }
    const rng = mulberry32(runSeed(opts.seed, run));
    trace = [];
    options.reset();
    const i = Math.floor(rng() * system.initial.length);
    step.initial(system.initial[i], i);
    generated++;
    let at = options.list[0];
    const wrong = options.stop ?? at?.violation;
    if (wrong) {
      violation = wrong;
      if (wrong.step?.next) trace.push({ state: wrong.step.next });
      break;
    }
    if (!at?.encoded) continue;
    for (let taken = 1; ; taken++) {
      if ((taken & 4095) === 0) {
        // A long walk still publishes its counts, and hears Ctrl-C, every few thousand steps.
        opts.onWalk?.(run - 1, generated, seen.size);
        if (opts.control?.stop) {
          stopped = 'interrupted';
          break walks;
        }
      }
      visit(at.encoded!, at.action);
      trace.push({ action: at.action, choice: at.action ? at.choice : undefined, state: system.decode(at.encoded!, 0) });
      longest = Math.max(longest, trace.length);
      const bad = step.invariantViolation(trace[trace.length - 1].state, -1, undefined, at.encoded);
      if (bad) {
        violation = bad;
        break walks;
      }
      if (trace.length > opts.steps) continue walks;
      options.reset();
      step.expand(at.encoded!, 0, -1);
      if (options.stop) {
        violation = options.stop;
        if (violation.step?.next) trace.push({ action: violation.step.action, choice: violation.step.choice, state: violation.step.next });
        break walks;
      }
      if (options.list.length === 0) continue walks;
      const next = options.list[Math.floor(rng() * options.list.length)];
      generated++;
      if (next.action) fired[next.action.id]++;
      if (next.violation) {
        violation = next.violation;
        trace.push({ action: next.action, choice: next.choice, state: next.next });
        break walks;
      }
      if (!next.encoded) continue walks;
      at = next;
    }
  }

  const outcome: Outcome = violation?.outcome ?? 'ok';
  return {
    outcome,
    property: violation?.property,
    message: violation?.message,
    stats: {
      generated,
      distinct: seen.size,
      queue: 0,
      depth: longest,
      durationMs: Date.now() - start,
      collisionProbability: 0,
      complete: false,
      storeBytes: 0,
    },
    violation,
    stopped,
    trace: violation ? trace : undefined,
    symmetryReduced: [],
    coverage: summariseCoverage(system, { fired, found }),
    run: violation ? run : undefined,
    runs: violation ? run : stopped ? run - 1 : opts.runs,
    seed: opts.seed,
  };
}
