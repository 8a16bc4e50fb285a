// Breadth-first search, level by level, so the first violation found has a shortest trace.
// The hot loop (Expander.expand): decode, enabled actions, apply, encode, canonicalise, fingerprint,
// insert, check. The single-threaded search is below; parallel.ts runs the same Expander in workers.
import { show, TypeViolation } from '../src/schema/index.ts';
import { DEADLOCK, TYPE_OK } from '../src/spec.ts';
import { collisionProbability, fingerprint } from './fingerprint.ts';
import type { Model, State } from './model.ts';
import type { SearchResult, Violation } from './result.ts';
import { asyncPredicate, isPromise, recipeResult, SpecCodeMistake } from './recipe-result.ts';
import { actionBytes, FingerprintStore } from './store.ts';
import { PHASE, type StepProbe } from './step-probe.ts';
import type { Canonicaliser } from './symmetry.ts';

export interface SearchOptions {
  canonicalise?: Canonicaliser;
  deadlock: boolean;
  maxStates?: number;
  /** Do not expand states at this depth (initial states are depth 1). */
  maxDepth?: number;
  /** Called about every `progressEveryMs` with the statistics so far. */
  onProgress?: (p: Progress) => void;
  progressEveryMs?: number;
  /** Polled between states; set `stop` to end the search early (Ctrl-C). */
  control?: { stop?: 'interrupted' | 'max-memory' };
  /** Stop cleanly (stopped: 'max-memory') once the process's resident memory exceeds this many bytes. */
  maxMemory?: number;
  /** Where the search is, for a watchdog on another thread (one worker only). */
  probe?: StepProbe;
}

export interface Progress {
  depth: number;
  distinct: number;
  generated: number;
  queue: number;
  elapsedMs: number;
  storeBytes: number;
  rssBytes: number;
}

/** States waiting to be expanded: [store index, slot vector] records in one growable typed array. */
export class Frontier {
  data: Int32Array;
  count = 0;
  constructor(
    readonly record: number,
    private readonly shared = false,
  ) {
    this.data = this.alloc(record * 1024);
  }
  push(index: number, v: Int32Array): void {
    const at = this.count * this.record;
    if (at + this.record > this.data.length) {
      const bigger = this.alloc(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const data = this.data;
    data[at] = index;
    // A plain loop: set() costs more than it saves on vectors of a few slots.
    for (let i = 1; i < this.record; i++) data[at + i] = v[i - 1];
    this.count++;
  }
  /** Empties it for reuse: a level's frontier is as big as the last, and fresh buffers cost page faults. */
  clear(): this {
    this.count = 0;
    return this;
  }
  private alloc(length: number): Int32Array {
    return new Int32Array(this.shared ? new SharedArrayBuffer(length * 4) : new ArrayBuffer(length * 4));
  }
}

/**
 * The violations found while expanding one level. The search finishes the level and reports the
 * least of them (deadlocks first, as their traces are one state shorter; then by fingerprint), so
 * the verdict does not depend on the order in which states were expanded, or on how many workers
 * expanded them.
 */
export class LevelViolations {
  best?: Violation;
  /** Whether the best one is a new state (its trace reaches the next level). */
  bestInNextLevel = false;
  private key: [number, number, number, number] = [0, 0, 0, 0];

  offer(v: Violation, inNextLevel: boolean, key: [rank: number, hi: number, lo: number, action: number]): void {
    if (this.best && !lessThan(key, this.key)) return;
    this.best = v;
    this.bestInNextLevel = inNextLevel;
    this.key = key;
  }
  clear(): void {
    this.best = undefined;
  }
  keyOfBest(): [number, number, number, number] {
    return this.key;
  }
}

export function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] >>> 0) < (b[i] >>> 0);
  return false;
}

/** Expands frontier states: the hot loop, shared by the single-threaded and the parallel search. */
export class Expander {
  generated = 0;
  /** Coverage: transitions each action instance produced, and how many of them were new states. */
  readonly fired: Uint32Array;
  readonly found: Uint32Array;
  readonly violations = new LevelViolations();
  private readonly fp = new Int32Array(2);
  private readonly encoded: Int32Array;
  private readonly canonical: Int32Array;
  /** Decode the pre-state once per state only when something reads it (each recipe gets its own copy). */
  private readonly readsPre: boolean;

  constructor(
    private readonly model: Model,
    private readonly canon: Canonicaliser | undefined,
    private readonly deadlock: boolean,
    /** Adds a state to the store: its index, or -1 when it was already there. */
    private readonly insert: (hi: number, lo: number, parent: number, action: number) => number,
    private readonly probe?: StepProbe,
  ) {
    this.encoded = new Int32Array(model.width);
    this.canonical = new Int32Array(model.width);
    this.fired = new Uint32Array(model.actions.length);
    this.found = new Uint32Array(model.actions.length);
    this.readsPre = model.actions.some((a) => a.when) || model.actionProperties.length > 0;
  }

  /** Expands the state whose record starts at `data[at]`, pushing its new successors onto `next`. */
  expand(data: Int32Array, at: number, next: Frontier): void {
    const { encode, decode, width, actions, actionProperties, constraint, terminal, constants: c } = this.model;
    const { canon, fp, encoded, canonical } = this;
    const parent = data[at];
    const s = (this.readsPre ? decode(data, at + 1) : undefined) as State;
    let enabled = 0;
    let action = actions[0];
    let phase = 'guard';
    let after: State | undefined;
    const probe = this.probe;
    if (probe) probe.enter(data, at + 1);
    try {
      for (let a = 0; a < actions.length; a++) {
        action = actions[a];
        phase = 'guard';
        if (probe) probe.at(a, PHASE.guard);
        if (action.when && !isTrue(action.when(s, action.params, c))) continue;
        enabled++;
        phase = 'recipe';
        if (probe) probe.at(a, PHASE.recipe);
        const draft = decode(data, at + 1);
        const returned = action.do(draft, action.params, c);
        const t = (after = returned === undefined ? draft : recipeResult(returned, draft, () => this.changed(draft, data, at + 1)));
        if (probe) probe.at(a, PHASE.property);
        this.generated++;
        this.fired[a]++;
        phase = 'encode';
        try {
          encode(t, encoded, 0);
        } catch (e) {
          if (!(e instanceof TypeViolation)) throw e;
          const v: Violation = { outcome: 'invariant', property: TYPE_OK, message: `${action.label} leaves the type: ${e.message}`, stateIndex: parent, step: { action, next: t } };
          this.offerStep(v, data, at, action.id);
          continue;
        }
        let violated = false;
        // Action properties are [][P]_vars: a step that changes nothing satisfies them.
        const stutters = actionProperties.length > 0 && sameSlots(encoded, data, at + 1, width);
        for (let k = 0; k < actionProperties.length && !violated && !stutters; k++) {
          const [name, prop] = actionProperties[k];
          phase = `action property '${name}'`;
          if (!isTrue(prop(s, t, c))) {
            const v: Violation = { outcome: 'action-property', property: name, message: `action property '${name}' is violated by ${action.label}`, stateIndex: parent, step: { action, next: t } };
            this.offerStep(v, data, at, action.id);
            violated = true;
          }
        }
        if (violated) continue;
        phase = 'constraint';
        if (constraint && !isTrue(constraint(t, c))) continue;
        if (probe) probe.at(a, PHASE.engine);
        const v = canon ? (canon(encoded, canonical), canonical) : encoded;
        fingerprint(v, width, fp);
        const index = this.insert(fp[0], fp[1], parent, action.id);
        if (index < 0) continue;
        this.found[a]++;
        if (probe) probe.at(a, PHASE.invariant);
        const bad = this.checkInvariants(t, index);
        if (bad) {
          this.violations.offer(bad, true, [1, fp[0], fp[1], -1]);
        }
        next.push(index, v);
      }
      phase = 'terminal';
      if (probe) probe.at(-1, PHASE.terminal);
      if (enabled === 0 && this.deadlock && !(terminal && isTrue(terminal(s ?? decode(data, at + 1), c)))) {
        const v: Violation = { outcome: 'deadlock', property: DEADLOCK, message: 'deadlock: no action is enabled', stateIndex: parent };
        this.offerStep(v, data, at, -1, 0);
      }
    } catch (error) {
      const where = phase === 'guard' ? `the guard of ${action.label}` : phase === 'recipe' ? `the recipe of ${action.label}` : phase === 'terminal' ? 'the terminal predicate' : `${phase} after ${action.label}`;
      // Past the recipe, the step itself happened: the trace shows it, and then what threw.
      const step = phase === 'terminal' ? undefined : phase === 'guard' || phase === 'recipe' ? { action } : { action, next: after };
      const v: Violation = { outcome: 'error', phase, message: failure(where, error), stateIndex: parent, step, error };
      this.offerStep(v, data, at, phase === 'terminal' ? -1 : action.id);
    }
    if (probe) probe.at(-1, PHASE.idle);
  }

  /** Whether a recipe changed its draft: the draft no longer encodes to the state it was decoded from. */
  private changed(draft: State, data: Int32Array, at: number): boolean {
    try {
      this.model.encode(draft, this.encoded, 0);
    } catch {
      return true;
    }
    return !sameSlots(this.encoded, data, at, this.model.width);
  }

  /** Checks the invariants of a newly stored state; returns a violation or undefined. */
  checkInvariants(s: State, index: number): Violation | undefined {
    const { invariants, constants: c } = this.model;
    for (let k = 0; k < invariants.length; k++) {
      const [name, inv] = invariants[k];
      let ok: boolean;
      try {
        ok = isTrue(inv(s, c));
      } catch (error) {
        return { outcome: 'error', phase: `invariant '${name}'`, message: failure(`invariant '${name}'`, error), stateIndex: index, error };
      }
      if (!ok) return { outcome: 'invariant', property: name, message: `invariant '${name}' is violated`, stateIndex: index };
    }
    return undefined;
  }

  /** A violation found while expanding a state, keyed by that state's fingerprint and the action. */
  private offerStep(v: Violation, data: Int32Array, at: number, action: number, rank = 1): void {
    const key = new Int32Array(2);
    fingerprint(data.subarray(at + 1, at + 1 + this.model.width), this.model.width, key);
    // A step whose successor is part of the trace reaches the next level.
    this.violations.offer(v, !!v.step?.next, [rank, key[0], key[1], action]);
  }
}

export async function search(model: Model, opts: SearchOptions): Promise<{ result: SearchResult; store: FingerprintStore }> {
  const start = Date.now();
  const { encode, decode, width, constraint, constants: c } = model;
  const canon = opts.canonicalise;
  const store = new FingerprintStore(actionBytes(model.actions.length));
  const expander = new Expander(model, canon, opts.deadlock, (hi, lo, parent, action) => store.insert(hi, lo, parent, action), opts.probe);
  const fp = new Int32Array(2);
  const encoded = new Int32Array(width);
  const canonical = new Int32Array(width);
  let depth = 0;
  let current = new Frontier(width + 1);
  let violation: Violation | undefined;
  let stopped: SearchResult['stopped'];

  const finish = (queue: number): { result: SearchResult; store: FingerprintStore } => ({
    result: {
      stats: {
        generated: expander.generated,
        distinct: store.size,
        queue,
        depth,
        durationMs: Date.now() - start,
        collisionProbability: collisionProbability(store.size, expander.generated),
        complete: !violation && !stopped && queue === 0,
        storeBytes: store.bytes(),
      },
      violation,
      stopped,
      coverage: { fired: expander.fired, found: expander.found },
    },
    store,
  });

  // Initial states.
  for (const init of model.init) {
    expander.generated++;
    try {
      encode(init, encoded, 0);
    } catch (e) {
      if (!(e instanceof TypeViolation)) throw e;
      violation = { outcome: 'invariant', property: TYPE_OK, message: `an initial state is outside its type: ${e.message}`, stateIndex: -1, step: { next: init } };
      depth = 1;
      return finish(0);
    }
    const initState = decode(encoded, 0);
    try {
      if (constraint && !isTrue(constraint(initState, c))) continue;
    } catch (error) {
      violation = { outcome: 'error', phase: 'constraint', message: `the constraint threw on an initial state: ${errorText(error)}`, stateIndex: -1, step: { next: init }, error };
      return finish(0);
    }
    const v = canon ? (canon(encoded, canonical), canonical) : encoded;
    fingerprint(v, width, fp);
    const index = store.insert(fp[0], fp[1], -1, -1);
    if (index < 0) continue;
    depth = 1;
    violation = expander.checkInvariants(initState, index);
    if (violation) return finish(0);
    current.push(index, v);
  }

  const progressEvery = opts.progressEveryMs ?? 60_000;
  let lastProgress = start;
  let lastYield = start;

  // Two frontiers, the level being expanded and the next, swapped after each level.
  let next = new Frontier(width + 1);
  while (current.count > 0) {
    if (opts.maxDepth !== undefined && depth >= opts.maxDepth) {
      stopped = 'max-depth';
      return finish(current.count);
    }
    next.clear();
    const record = width + 1;
    // A level with a violation is still expanded to its end, and the least of its violations is
    // reported (LevelViolations): the verdict, the counts and the violating state are then the ones
    // any number of workers finds, and a deadlock, whose trace is a state shorter, comes first.
    const stopWith = (reason: SearchResult['stopped'], queue: number) => {
      violation = expander.violations.best;
      if (!violation) stopped = reason;
      if (expander.violations.bestInNextLevel || next.count > 0) depth++;
      return finish(queue);
    };
    for (let q = 0; q < current.count; q++) {
      expander.expand(current.data, q * record, next);
      if (opts.maxStates !== undefined && store.size >= opts.maxStates) return stopWith('max-states', current.count - q - 1 + next.count);
      if ((q & 1023) === 1023) {
        const now = Date.now();
        if (now - lastYield > 50) {
          // Let signal handlers (Ctrl-C) and timers run; the loop is otherwise synchronous.
          await new Promise((r) => setImmediate(r));
          lastYield = Date.now();
          if (opts.maxMemory !== undefined && process.memoryUsage.rss() > opts.maxMemory) opts.control = { ...opts.control, stop: 'max-memory' };
          if (opts.control?.stop) return stopWith(opts.control.stop, current.count - q - 1 + next.count);
        }
        if (opts.onProgress && now - lastProgress >= progressEvery) {
          lastProgress = now;
          opts.onProgress({ depth, distinct: store.size, generated: expander.generated, queue: current.count - q - 1 + next.count, elapsedMs: now - start, storeBytes: store.bytes(), rssBytes: process.memoryUsage.rss() });
        }
      }
    }
    if (expander.violations.best) return stopWith(undefined, next.count);
    [current, next] = [next, current];
    if (current.count > 0) depth++;
    if (Date.now() - lastYield > 50) {
      // Many small levels must not keep Ctrl-C waiting either.
      await new Promise((r) => setImmediate(r));
      lastYield = Date.now();
      if (opts.control?.stop) {
        stopped = opts.control.stop;
        return finish(current.count);
      }
    }
  }
  return finish(0);
}

export function errorText(error: unknown): string {
  if (error instanceof SpecCodeMistake) return error.message;
  if (error instanceof Error) return `${error.name === 'Error' ? '' : error.name + ': '}${error.message}`;
  return typeof error === 'object' && error !== null ? show(error) : String(error);
}

/** `the recipe of put(t=t1) threw: ...`, or `... is wrong: ...` for spec code that broke a rule of recipes. */
export function failure(where: string, error: unknown): string {
  return `${where} ${error instanceof SpecCodeMistake ? 'is wrong' : 'threw'}: ${errorText(error)}`;
}

/** Predicates (guards, invariants, properties) must say true or false: anything else is a bug in the spec. */
export function isTrue(value: unknown): boolean {
  if (value === true) return true;
  if (value === false) return false;
  if (isPromise(value)) throw asyncPredicate();
  throw new TypeError(`it returned ${show(value)}, not a boolean${value === undefined ? ' (a missing return?)' : ''}`);
}

function sameSlots(v: Int32Array, data: Int32Array, at: number, width: number): boolean {
  for (let i = 0; i < width; i++) if (v[i] !== data[at + i]) return false;
  return true;
}
