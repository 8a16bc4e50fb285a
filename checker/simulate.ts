// Random walks (TLC's -simulate): for state spaces too big to exhaust. Each walk starts in a random
// initial state and takes random enabled steps, checking the same properties as the search. The
// walk of run k depends only on (seed, k), so the same seed finds the same violation again.
import { TypeViolation } from '../src/schema/index.ts';
import { DEADLOCK, TYPE_OK } from '../src/spec.ts';
import { failure, isTrue } from './bfs.ts';
import { recipeResult } from './recipe-result.ts';
import { PHASE, type StepProbe } from './step-probe.ts';
import type { CheckResult } from './check.ts';
import { summariseCoverage } from './coverage.ts';
import { fingerprint } from './fingerprint.ts';
import type { ActionInstance, Model, State } from './model.ts';
import type { Outcome, TraceStep, Violation } from './result.ts';
import { mulberry32 } from './random.ts';

export interface SimulateOptions {
  seed: number;
  /** Transitions per walk at most. */
  steps: number;
  runs: number;
  deadlock?: boolean;
  /** Polled between walks; set `stop` to end the simulation early (Ctrl-C). */
  control?: { stop?: 'interrupted' | 'max-memory' };
  /** Called after each walk with the walks done so far and the statistics. */
  onWalk?: (walks: number, generated: number, distinct: number) => void;
  /** Where the walk is, for a watchdog on another thread. */
  probe?: StepProbe;
}

export interface SimulationResult extends CheckResult {
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

export function simulate(model: Model, opts: SimulateOptions): SimulationResult {
  const start = Date.now();
  const { codec, width, actions, invariants, actionProperties, constraint, terminal, constants: c } = model;
  const deadlock = opts.deadlock ?? model.deadlock;
  const probe = opts.probe;
  const fired = new Uint32Array(actions.length);
  const found = new Uint32Array(actions.length);
  const seen = new Set<string>();
  const v = new Int32Array(width);
  const fp = new Uint32Array(2);
  let generated = 0;
  let longest = 0;
  let violation: Violation | undefined;
  let trace: TraceStep[] = [];
  let run = 0;

  /** Encodes a state: false when it leaves its type (a TypeOK violation is recorded). */
  const admit = (s: State, action: ActionInstance | undefined): State | undefined => {
    try {
      codec.encode(s, v, 0, '');
    } catch (e) {
      if (!(e instanceof TypeViolation)) throw e;
      const message = action ? `${action.label} leaves the type: ${e.message}` : `an initial state is outside its type: ${e.message}`;
      violation = { outcome: 'invariant', property: TYPE_OK, message, stateIndex: -1 };
      trace.push({ action, state: s });
      return undefined;
    }
    return codec.decode(v, 0);
  };

  /** Counts the state just admitted as visited, once it is known to be inside the constraint (as the search counts). */
  const visit = (action: ActionInstance | undefined): void => {
    fingerprint(v, width, fp);
    const key = `${fp[0]}:${fp[1]}`;
    if (!seen.has(key)) {
      seen.add(key);
      if (action) found[action.id]++;
    }
  };

  const fail = (outcome: Exclude<Outcome, 'ok'>, message: string, property?: string, error?: unknown) => {
    violation = { outcome, property, message, stateIndex: -1, error };
  };

  let stopped: 'interrupted' | undefined;
  walks: for (run = 1; run <= opts.runs; run++) {
    opts.onWalk?.(run - 1, generated, seen.size);
    if (opts.control?.stop) {
      stopped = 'interrupted';
      break;
    }
    const rng = mulberry32(runSeed(opts.seed, run));
    trace = [];
    let phase = 'init';
    let current: ActionInstance | undefined;
    try {
      let s = admit(model.init[Math.floor(rng() * model.init.length)], undefined);
      generated++;
      if (!s) break;
      phase = 'constraint';
      if (constraint && !isTrue(constraint(s, c))) continue;
      visit(undefined);
      trace.push({ state: s });
      if (checkInvariants(s)) break;
      for (let step = 0; step < opts.steps; step++) {
        phase = 'guard';
        probe?.enter(v, 0);
        const enabled: ActionInstance[] = [];
        for (const a of actions) {
          current = a;
          probe?.at(a.id, PHASE.guard);
          if (!a.when || isTrue(a.when(s, a.params, c))) enabled.push(a);
        }
        current = undefined;
        if (enabled.length === 0) {
          phase = 'terminal';
          probe?.at(-1, PHASE.terminal);
          if (deadlock && !(terminal && isTrue(terminal(s, c)))) {
            fail('deadlock', 'deadlock: no action is enabled', DEADLOCK);
            break walks;
          }
          continue walks;
        }
        const a = (current = enabled[Math.floor(rng() * enabled.length)]);
        phase = 'recipe';
        // `v` still holds the encoding of `s`: decoding it gives the recipe a fresh draft.
        const draft = codec.decode(v, 0);
        const pre = v.slice();
        probe?.at(a.id, PHASE.recipe);
        const returned = a.do(draft, a.params, c);
        const t = returned === undefined ? draft : recipeResult(returned, draft, () => changedFrom(model, draft, pre));
        probe?.at(a.id, PHASE.property);
        generated++;
        fired[a.id]++;
        phase = 'encode';
        const next = admit(t, a);
        if (!next) break walks;
        // Action properties are [][P]_vars: a step that changes nothing satisfies them.
        const stutters = pre.every((x, i) => x === v[i]);
        for (const [name, prop] of stutters ? [] : actionProperties) {
          phase = `action property '${name}'`;
          if (!isTrue(prop(s, next, c))) {
            trace.push({ action: a, state: next });
            fail('action-property', `action property '${name}' is violated by ${a.label}`, name);
            break walks;
          }
        }
        phase = 'constraint';
        if (constraint && !isTrue(constraint(next, c))) continue walks;
        visit(a);
        trace.push({ action: a, state: next });
        longest = Math.max(longest, trace.length);
        s = next;
        probe?.at(a.id, PHASE.invariant);
        if (checkInvariants(s)) break walks;
      }
    } catch (error) {
      const where = phase === 'guard' || phase === 'recipe' ? `the ${phase} of ${current?.label}` : phase === 'terminal' ? 'the terminal predicate' : phase;
      fail('error', failure(where, error), undefined, error);
      violation!.phase = phase;
      if (phase !== 'guard' && current) violation!.step = { action: current };
      break;
    }
    longest = Math.max(longest, trace.length);
  }
  probe?.at(-1, PHASE.idle);

  function checkInvariants(s: State): boolean {
    for (const [name, inv] of invariants) {
      let ok: boolean;
      try {
        ok = isTrue(inv(s, c));
      } catch (error) {
        fail('error', failure(`invariant '${name}'`, error), undefined, error);
        return true;
      }
      if (!ok) {
        fail('invariant', `invariant '${name}' is violated`, name);
        return true;
      }
    }
    return false;
  }

  const outcome: Outcome = violation?.outcome ?? 'ok';
  const expected = model.expect ?? 'holds';
  return {
    model,
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
    expected,
    matchesExpectation: expected === 'holds' ? outcome === 'ok' : outcome !== 'error' && violation?.property === expected.violates,
    coverage: summariseCoverage(model, { fired, found }),
    run: violation ? run : undefined,
    runs: violation ? run : stopped ? run - 1 : opts.runs,
    seed: opts.seed,
  };
}

/** Whether a recipe changed its draft: the draft no longer encodes to `pre`. */
function changedFrom(model: Model, draft: State, pre: Int32Array): boolean {
  const now = new Int32Array(model.width);
  try {
    model.encode(draft, now, 0);
  } catch {
    return true;
  }
  return now.some((x, i) => x !== pre[i]);
}
