// The determinism audit, run before every check: the search, trace rebuild and the parallel
// workers all assume that a step gives the same successors every time it is taken from the same
// state. A spec that reads Math.random, Date.now or state kept outside its schema breaks that
// silently (wrong counts, traces that do not replay). The audit takes each sampled step twice and
// names the first action whose successors differ, and the state.
import { mulberry32 } from './random.ts';
import type { Violation } from './result.ts';
import { show } from './show.ts';
import { Step, type StepHandler } from './step.ts';
import type { ActionInstance, ChoicePath, State, TransitionSystem } from './system.ts';
import { reachable } from './symmetry/audit.ts';

export interface DeterminismOptions {
  /** States to take every step from twice (default 50). */
  samples?: number;
  /** Reachable states collected breadth-first to sample from (default 300). */
  poolLimit?: number;
  seed?: number;
}

export interface DeterminismResult<S extends TransitionSystem = TransitionSystem> {
  model: S;
  passed: boolean;
  statesSampled: number;
  /** The action (or invariant) whose result differed, the state, and the full report. */
  problem?: { culprit: string; state: State; message: string };
  /** The first spec error or type violation met (the check reports it). */
  specProblem?: { outcome: string; message: string };
}

/** What one expansion gave, per action instance (and -1 for the state's own checks). */
class Record implements StepHandler {
  readonly by = new Map<number, string[]>();
  private add(action: ActionInstance | undefined, what: string): void {
    const id = action ? action.id : -1;
    const list = this.by.get(id) ?? [];
    list.push(what);
    this.by.set(id, list);
  }
  stored(_n: State, _v: Int32Array, _hi: number, _lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void {
    this.add(action, `${choice.join('.')}:${encoded.join(',')}`);
  }
  pruned(next: State, _e: Int32Array | undefined, action: ActionInstance | undefined, choice: ChoicePath): void {
    this.add(action, `${choice.join('.')}:pruned ${show(next)}`);
  }
  violation(v: Violation): void {
    this.add(v.step?.action, `${v.message}${v.step?.next ? ` -> ${show(v.step.next)}` : ''}`);
  }
}

export function auditDeterminism<S extends TransitionSystem>(system: S, opts: DeterminismOptions = {}): DeterminismResult<S> {
  const { pool, problem: met } = reachable(system, opts.poolLimit ?? 300);
  const samples = opts.samples ?? 50;
  const random = mulberry32(opts.seed ?? 1);
  const chosen = pool.length <= samples ? pool : Array.from({ length: samples }, () => pool[Math.floor(random() * pool.length)]);
  const result: DeterminismResult<S> = { model: system, passed: true, statesSampled: chosen.length };
  if (met) result.specProblem = { outcome: met.outcome, message: met.message };
  for (const v of chosen) {
    const first = new Record();
    const second = new Record();
    new Step(system, first, { deadlock: false }).expand(v, 0, -1);
    new Step(system, second, { deadlock: false }).expand(v, 0, -1);
    const ids = new Set([...first.by.keys(), ...second.by.keys()]);
    for (const id of [...ids].sort((a, b) => a - b)) {
      const a = (first.by.get(id) ?? []).join('; ');
      const b = (second.by.get(id) ?? []).join('; ');
      if (a === b) continue;
      const culprit = id >= 0 ? system.actions[id].label : 'a predicate';
      const state = system.decode(v, 0);
      const shown = (x: string) => (x ? x.replace(/:(-?\d+(,-?\d+)*)/g, (_, enc: string) => ` ${show(system.decode(Int32Array.from(enc.split(',').map(Number)), 0))}`) : 'nothing');
      result.passed = false;
      result.problem = {
        culprit,
        state,
        message: [
          `${system.title}: ${culprit} is not deterministic: taken twice from the same state it gave different results.`,
          `state:  ${show(state)}`,
          `first:  ${shown(a)}`,
          `second: ${shown(b)}`,
          'A step must depend only on its state, parameters and constants: no Math.random, Date.now, or state kept outside the schema.',
        ].join('\n'),
      };
      return result;
    }
  }
  return result;
}
