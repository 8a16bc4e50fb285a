// Breadth-first search, level by level, so the first violation found has a shortest trace.
// The hot loop: decode, enabled actions, apply, encode, canonicalise, fingerprint, insert, check.
import { TypeViolation } from '../src/schema/index.ts';
import { DEADLOCK, TYPE_OK } from '../src/spec.ts';
import { collisionProbability, fingerprint } from './fingerprint.ts';
import type { Model, State } from './model.ts';
import type { SearchResult, Violation } from './result.ts';
import { actionBytes, FingerprintStore } from './store.ts';
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
  constructor(private readonly record: number) {
    this.data = new Int32Array(record * 1024);
  }
  push(index: number, v: Int32Array): void {
    const at = this.count * this.record;
    if (at + this.record > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const data = this.data;
    data[at] = index;
    // A plain loop: set() costs more than it saves on vectors of a few slots.
    for (let i = 1; i < this.record; i++) data[at + i] = v[i - 1];
    this.count++;
  }
}

export async function search(model: Model, opts: SearchOptions): Promise<{ result: SearchResult; store: FingerprintStore }> {
  const start = Date.now();
  const { encode, decode, width, actions, invariants, actionProperties, constraint, terminal, constants: c } = model;
  const canon = opts.canonicalise;
  const store = new FingerprintStore(actionBytes(actions.length));
  const fp = new Int32Array(2);
  const encoded = new Int32Array(width);
  const canonical = new Int32Array(width);
  let generated = 0;
  let depth = 0;
  let current = new Frontier(width + 1);
  let violation: Violation | undefined;
  let stopped: SearchResult['stopped'];

  const finish = (queue: number): { result: SearchResult; store: FingerprintStore } => ({
    result: {
      stats: {
        generated,
        distinct: store.size,
        queue,
        depth,
        durationMs: Date.now() - start,
        collisionProbability: collisionProbability(store.size, generated),
        complete: !violation && !stopped && queue === 0,
        storeBytes: store.bytes(),
      },
      violation,
      stopped,
    },
    store,
  });

  /** Checks the invariants of a newly stored state; returns a violation or undefined. */
  const checkInvariants = (s: State, index: number): Violation | undefined => {
    for (let k = 0; k < invariants.length; k++) {
      const [name, inv] = invariants[k];
      let ok: boolean;
      try {
        ok = inv(s, c);
      } catch (error) {
        return { outcome: 'error', phase: `invariant '${name}'`, message: `invariant '${name}' threw: ${errorText(error)}`, stateIndex: index, error };
      }
      if (!ok) return { outcome: 'invariant', property: name, message: `invariant '${name}' is violated`, stateIndex: index };
    }
    return undefined;
  };

  // Initial states.
  for (const init of model.init) {
    generated++;
    try {
      encode(init, encoded, 0);
    } catch (e) {
      if (!(e instanceof TypeViolation)) throw e;
      violation = { outcome: 'invariant', property: TYPE_OK, message: `an initial state is outside its type: ${e.message}`, stateIndex: -1, step: { next: init } };
      return finish(0);
    }
    const initState = decode(encoded, 0);
    try {
      if (constraint && !constraint(initState, c)) continue;
    } catch (error) {
      violation = { outcome: 'error', phase: 'constraint', message: `the constraint threw on an initial state: ${errorText(error)}`, stateIndex: -1, step: { next: init }, error };
      return finish(0);
    }
    const v = canon ? (canon(encoded, canonical), canonical) : encoded;
    fingerprint(v, width, fp);
    const index = store.insert(fp[0], fp[1], -1, -1);
    if (index < 0) continue;
    depth = 1;
    violation = checkInvariants(initState, index);
    if (violation) return finish(0);
    current.push(index, v);
  }

  // Decode the pre-state once per state only when something reads it (each recipe gets its own copy).
  const readsPre = actions.some((a) => a.when) || actionProperties.length > 0;
  const progressEvery = opts.progressEveryMs ?? 60_000;
  let lastProgress = start;
  let lastYield = start;

  while (current.count > 0) {
    if (opts.maxDepth !== undefined && depth >= opts.maxDepth) {
      stopped = 'max-depth';
      return finish(current.count);
    }
    const next = new Frontier(width + 1);
    const record = width + 1;
    for (let q = 0; q < current.count; q++) {
      const at = q * record;
      const parent = current.data[at];
      const s = (readsPre ? decode(current.data, at + 1) : undefined) as State;
      let enabled = 0;
      let action = actions[0];
      let phase = 'guard';
      try {
        for (let a = 0; a < actions.length; a++) {
          action = actions[a];
          phase = 'guard';
          if (action.when && !action.when(s, action.params, c)) continue;
          enabled++;
          phase = 'recipe';
          const draft = decode(current.data, at + 1);
          const returned = action.do(draft, action.params, c);
          const t = returned === undefined ? draft : returned;
          generated++;
          phase = 'encode';
          try {
            encode(t, encoded, 0);
          } catch (e) {
            if (!(e instanceof TypeViolation)) throw e;
            violation = { outcome: 'invariant', property: TYPE_OK, message: `${action.label} leaves the type: ${e.message}`, stateIndex: parent, step: { action, next: t } };
            return finish(current.count - q + next.count);
          }
          for (let k = 0; k < actionProperties.length; k++) {
            const [name, prop] = actionProperties[k];
            phase = `action property '${name}'`;
            if (!prop(s, t, c)) {
              violation = { outcome: 'action-property', property: name, message: `action property '${name}' is violated by ${action.label}`, stateIndex: parent, step: { action, next: t } };
              return finish(current.count - q + next.count);
            }
          }
          phase = 'constraint';
          if (constraint && !constraint(t, c)) continue;
          const v = canon ? (canon(encoded, canonical), canonical) : encoded;
          fingerprint(v, width, fp);
          const index = store.insert(fp[0], fp[1], parent, action.id);
          if (index < 0) continue;
          violation = checkInvariants(t, index);
          if (violation) {
            depth++;
            return finish(current.count - q + next.count);
          }
          next.push(index, v);
        }
        phase = 'terminal';
        if (enabled === 0 && opts.deadlock && !(terminal && terminal(s ?? decode(current.data, at + 1), c))) {
          violation = { outcome: 'deadlock', property: DEADLOCK, message: 'deadlock: no action is enabled', stateIndex: parent };
          return finish(current.count - q + next.count);
        }
      } catch (error) {
        const where = phase === 'guard' ? `the guard of ${action.label}` : phase === 'recipe' ? `the recipe of ${action.label}` : phase === 'terminal' ? 'the terminal predicate' : `${phase} after ${action.label}`;
        violation = { outcome: 'error', phase, message: `${where} threw: ${errorText(error)}`, stateIndex: parent, step: phase === 'terminal' ? undefined : { action }, error };
        return finish(current.count - q + next.count);
      }
      if (opts.maxStates !== undefined && store.size >= opts.maxStates) {
        stopped = 'max-states';
        return finish(current.count - q - 1 + next.count);
      }
      if ((q & 1023) === 1023) {
        const now = Date.now();
        if (now - lastYield > 50) {
          // Let signal handlers (Ctrl-C) and timers run; the loop is otherwise synchronous.
          await new Promise((r) => setImmediate(r));
          lastYield = Date.now();
          if (opts.maxMemory !== undefined && process.memoryUsage.rss() > opts.maxMemory) opts.control = { ...opts.control, stop: 'max-memory' };
          if (opts.control?.stop) {
            stopped = opts.control.stop;
            return finish(current.count - q - 1 + next.count);
          }
        }
        if (opts.onProgress && now - lastProgress >= progressEvery) {
          lastProgress = now;
          opts.onProgress({ depth, distinct: store.size, generated, queue: current.count - q - 1 + next.count, elapsedMs: now - start, storeBytes: store.bytes(), rssBytes: process.memoryUsage.rss() });
        }
      }
    }
    current = next;
    if (current.count > 0) depth++;
  }
  return finish(0);
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : error.name + ': '}${error.message}` : String(error);
}
