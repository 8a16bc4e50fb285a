// The symmetry audit: symmetry reduction is sound only if renaming scalarset elements commutes with
// the spec (the successors of a permuted state are the permuted successors, and every property
// gives the same verdict on a permuted state). A spec that compares ids with <, names a fixed id,
// or lets id order matter breaks this silently; the audit tests it on sampled reachable states and
// names the first step, state and permutation where it fails.
import { mulberry32 } from '../random.ts';
import type { Violation } from '../result.ts';
import { show } from '../show.ts';
import { Step, type StepHandler, TYPE_OK } from '../step.ts';
import { initialStates, type ActionInstance, type ChoicePath, type State, type TransitionSystem } from '../system.ts';
import { Permuter } from './canonicalise.ts';

export interface AuditOptions {
  /** How many reachable states to test (default 2000). */
  samples?: number;
  /** Seed of the sampling, so a report can be reproduced (default 1). */
  seed?: number;
  /** How many reachable states to collect breadth-first before sampling (default 20000). */
  poolLimit?: number;
  /** The longest random walk taken for states beyond the pool (default 200 steps). */
  walkLength?: number;
}

/**
 * The audit run before every check that reduces by symmetry: a few dozen states, near the initial
 * states and on short random walks. It catches the usual mistakes (a literal id, ids compared with <)
 * for well under a second per variant; `--audit-symmetry` samples forty times more.
 */
export const QUICK_AUDIT: AuditOptions = { samples: 50, poolLimit: 300, walkLength: 40 };

export interface AuditProblem {
  /** The action whose step is not symmetric, or the property whose verdict changes. */
  culprit: string;
  groups: string[];
  permutation: string;
  state: State;
  permutedState: State;
  /** The full report, several lines. */
  message: string;
}

export interface AuditResult<S extends TransitionSystem = TransitionSystem> {
  model: S;
  passed: boolean;
  /** The scalarsets audited. */
  groups: string[];
  statesExplored: number;
  statesSampled: number;
  permutationsTried: number;
  transitionsCompared: number;
  /** Pairs not compared because spec code threw or left its type there (the check reports those). */
  skipped: number;
  /** The first spec error or type violation met (the check reports it too). */
  specProblem?: { outcome: string; message: string };
  problem?: AuditProblem;
}

interface Successor {
  action: ActionInstance;
  choice: ChoicePath;
  /** Undefined when the step throws or leaves the type. */
  next?: Int32Array;
}

type Model = TransitionSystem;

export function auditSymmetry<S extends TransitionSystem>(model: S, opts: AuditOptions = {}): AuditResult<S> {
  const samples = opts.samples ?? 2000;
  const random = mulberry32(opts.seed ?? 1);
  const permuter = new Permuter(model);
  const result: AuditResult<S> = {
    model,
    passed: true,
    groups: permuter.groups.map((g) => g.name),
    statesExplored: 0,
    statesSampled: 0,
    permutationsTried: 0,
    transitionsCompared: 0,
    skipped: 0,
  };
  if (permuter.groups.length === 0) return result;

  const { pool, complete, problem: met } = reachable(model, opts.poolLimit ?? 20_000);
  result.statesExplored = pool.length;
  if (met) result.specProblem = { outcome: met.outcome, message: met.message };
  const chosen = complete && pool.length <= samples ? pool : sample(pool, Math.ceil(samples / (complete ? 1 : 2)), random);
  if (!complete) chosen.push(...randomWalks(model, samples - chosen.length, random, opts.walkLength ?? 200));
  result.statesSampled = chosen.length;

  const permuted = new Int32Array(model.width);
  for (const v of chosen) {
    for (const perms of permutationsFor(permuter, random)) {
      permuter.apply(v, perms, permuted);
      result.permutationsTried++;
      const problem = compare(model, permuter, v, permuted.slice(), perms, result);
      if (problem) {
        result.passed = false;
        result.problem = problem;
        return result;
      }
    }
  }
  return result;
}

/** A random transposition within one scalarset, then a random element of the whole group. */
function permutationsFor(permuter: Permuter, random: () => number): number[][][] {
  const swap = permuter.identity();
  const gi = Math.floor(random() * permuter.groups.length);
  const n = permuter.groups[gi].size;
  const x = Math.floor(random() * n);
  const y = (x + 1 + Math.floor(random() * (n - 1))) % n;
  [swap[gi][x], swap[gi][y]] = [y, x];
  const any = permuter.groups.map((g) => shuffle(Array.from({ length: g.size }, (_, i) => i), random));
  const isIdentity = any.every((p) => p.every((e, i) => e === i));
  return isIdentity ? [swap] : [swap, any];
}

/** Compares state v with its image w = perms(v); returns the first asymmetry found. */
function compare(
  model: Model,
  permuter: Permuter,
  v: Int32Array,
  w: Int32Array,
  perms: number[][],
  result: AuditResult,
): AuditProblem | undefined {
  const s = decode(model, v);
  const ps = decode(model, w);
  const report = (culprit: string, lines: string[]): AuditProblem => problem(model, permuter, perms, culprit, s, ps, lines);

  const predicates: [string, (x: State) => unknown][] = [
    ...model.invariants.map((inv): [string, (x: State) => unknown] => [`invariant '${inv.name}'`, inv.holds]),
    ...(model.constraint ? [['the constraint', model.constraint] as [string, (x: State) => unknown]] : []),
    ...(model.terminal ? [['the terminal predicate', model.terminal] as [string, (x: State) => unknown]] : []),
  ];
  for (const [what, holds] of predicates) {
    const a = attempt(() => holds(s));
    const b = attempt(() => holds(ps));
    if (a === undefined || b === undefined) {
      result.skipped++;
      return undefined;
    }
    if (a !== b) return report(what, [`${what} is ${a} in the state but ${b} in the permuted state.`]);
  }

  const steps = successors(model, v);
  const permutedSteps = successors(model, w);
  if ([...steps, ...permutedSteps].some((st) => !st.next)) {
    result.skipped++;
    return undefined;
  }
  const image = new Int32Array(model.width);
  const expected = new Map<string, Successor>();
  for (const st of steps) {
    permuter.apply(st.next!, perms, image);
    expected.set(image.join(','), st);
  }
  const actual = new Map<string, Successor>();
  for (const st of permutedSteps) actual.set(st.next!.join(','), st);
  result.transitionsCompared += steps.length + permutedSteps.length;

  for (const st of steps) {
    permuter.apply(st.next!, perms, image);
    if (actual.has(image.join(','))) continue;
    const mirror = mirrorOf(model, permuter, st.action, perms);
    const mirrorDoes = mirror ? permutedSteps.find((p) => p.action === mirror) : undefined;
    return report(st.action.label, [
      `step:           ${st.action.label} leads to ${show(decode(model, st.next!))}`,
      `expected:       a step from the permuted state to ${show(decode(model, image))}`,
      `but no action takes it there${mirror ? `; the permuted step ${mirror.label} ${mirrorDoes ? `leads to ${show(decode(model, mirrorDoes.next!))}` : 'is disabled there'}` : ''}.`,
    ]);
  }
  const inverse = perms.map(invert);
  for (const st of permutedSteps) {
    if (expected.has(st.next!.join(','))) continue;
    permuter.apply(st.next!, inverse, image);
    const mirror = mirrorOf(model, permuter, st.action, inverse);
    return report(st.action.label, [
      `step:           ${st.action.label} leads from the permuted state to ${show(decode(model, st.next!))}`,
      `expected:       a step from the state to ${show(decode(model, image))}`,
      `but no action takes it there${mirror ? `; ${mirror.label} ${steps.some((p) => p.action === mirror) ? 'leads elsewhere' : 'is disabled there'}` : ''}.`,
    ]);
  }

  for (const { name, holds } of model.actionProperties) {
    for (const st of steps) {
      permuter.apply(st.next!, perms, image);
      const a = attempt(() => holds(s, decode(model, st.next!)));
      const b = attempt(() => holds(ps, decode(model, image)));
      if (a === undefined || b === undefined) continue;
      if (a !== b) return report(`action property '${name}'`, [`action property '${name}' is ${a} on ${st.action.label} but ${b} on the permuted step.`]);
    }
  }
  return undefined;
}

function problem(model: Model, permuter: Permuter, perms: number[][], culprit: string, s: State, ps: State, lines: string[]): AuditProblem {
  const moved = permuter.groups.filter((_, gi) => perms[gi].some((e, i) => e !== i));
  const groups = moved.map((g) => g.name);
  const permutation = moved
    .map((g) => {
      const names = scalarsetValues(model, g.name);
      const p = perms[permuter.groups.indexOf(g)];
      return p.flatMap((e, i) => (e === i ? [] : [`${names[i]} -> ${names[e]}`])).join(', ');
    })
    .join('; ');
  const title = model.title;
  const message = [
    `${title}: ${culprit} breaks the symmetry of scalarset ${groups.map((g) => `'${g}'`).join(' and ')}.`,
    `permutation:    ${permutation}`,
    `state:          ${show(s)}`,
    `permuted state: ${show(ps)}`,
    ...lines,
    `Scalarset ids may only be compared for equality. Give ids that the spec tells apart { symmetric: false }, or check with --symmetry off.`,
  ].join('\n');
  return { culprit, groups, permutation, state: s, permutedState: ps, message };
}

/** The action instance with the same name whose id parameters are renamed by perms. */
function mirrorOf(model: Model, permuter: Permuter, action: ActionInstance, perms: number[][]): ActionInstance | undefined {
  const params: Record<string, unknown> = {};
  for (const [p, value] of Object.entries(action.params)) {
    const gi = permuter.groups.findIndex((g) => (model.symmetry.get(g.name)?.elements ?? []).includes(value));
    const names = gi < 0 ? [] : scalarsetValues(model, permuter.groups[gi].name);
    params[p] = gi < 0 ? value : names[perms[gi][names.indexOf(value)]];
  }
  return model.actions.find((a) => a.name === action.name && Object.entries(params).every(([k, x]) => a.params[k] === x));
}

function scalarsetValues(model: Model, name: string): readonly unknown[] {
  return model.symmetry.get(name)?.elements ?? Array.from({ length: model.symmetry.get(name)?.size ?? 0 }, (_, i) => i);
}

/** Collects the successors the step gives: encodings of those inside the constraints and type; none for the rest. */
class Collect implements StepHandler {
  out: Partial<Successor>[] = [];
  /** The first spec error or type violation. */
  problem?: Violation;
  stored(_n: State, _v: Int32Array, _hi: number, _lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void {
    this.out.push({ action, choice, next: encoded.slice() });
  }
  violation(v: Violation): void {
    // Spec code that throws, or a value outside its type: the check itself reports these.
    if (v.outcome === 'error' || v.property === TYPE_OK) this.problem ??= v;
    if (v.step?.action) this.out.push({ action: v.step.action, choice: v.step.choice ?? [] });
  }
  reset(): void {
    this.out = [];
    this.problem = undefined;
  }
}

/**
 * Every step from v inside the constraints, in action order, as the checker takes it (the one
 * step); a step that throws or leaves the type is listed without its successor.
 */
export function successors(model: Model, v: Int32Array): Successor[] {
  const collect = new Collect();
  new Step(model, collect, { deadlock: false }).expand(v, 0, -1);
  return collect.out as Successor[];
}

/**
 * Reachable states breadth-first, without symmetry, up to `limit` of them (initial states and
 * successors inside the constraint, as the checker explores them), with the first spec error or
 * type violation met on the way (the check reports it; an audit says it met it).
 */
export function reachable(model: Model, limit: number): { pool: Int32Array[]; complete: boolean; problem?: Violation } {
  const seen = new Set<string>();
  const pool: Int32Array[] = [];
  let complete = true;
  let problem: Violation | undefined;
  const collect = new Collect();
  const step = new Step(model, collect, { deadlock: false });
  const admit = (): void => {
    problem ??= collect.problem;
    for (const st of collect.out) {
      if (!st.next) continue;
      const key = st.next.join(',');
      if (seen.has(key)) continue;
      if (pool.length >= limit) {
        complete = false;
        return;
      }
      seen.add(key);
      pool.push(st.next);
      if (!problem) {
        const bad = step.invariantViolation(model.decode(st.next, 0), -1, undefined, st.next);
        if (bad?.outcome === 'error') problem = bad;
      }
    }
  };
  let i = 0;
  for (const init of initialStates(model)) {
    collect.reset();
    step.initial(init, i++);
    admit();
    // Initial states can be many more than the pool holds: the search admits them all anyway.
    if (!complete) break;
  }
  for (let i = 0; i < pool.length && complete; i++) {
    collect.reset();
    step.expand(pool[i], 0, -1);
    admit();
  }
  return { pool, complete, problem };
}

/** States met on random walks from the initial states, for spaces too big to collect whole. */
function randomWalks(model: Model, count: number, random: () => number, maxLength: number): Int32Array[] {
  const out: Int32Array[] = [];
  const starts = reachable(model, model.initial.length).pool;
  for (let walk = 0; out.length < count && starts.length > 0 && walk < count * 4; walk++) {
    let v = starts[Math.floor(random() * starts.length)];
    const length = 1 + Math.floor(random() * maxLength);
    for (let k = 0; k < length; k++) {
      const next = successors(model, v).filter((st) => st.next);
      if (next.length === 0) break;
      v = next[Math.floor(random() * next.length)].next!;
    }
    out.push(v);
  }
  return out;
}

function decode(model: Model, v: Int32Array): State {
  return model.decode(v, 0);
}

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function invert(p: number[]): number[] {
  const q = new Array<number>(p.length);
  p.forEach((e, i) => (q[e] = i));
  return q;
}

function sample<T>(xs: T[], k: number, random: () => number): T[] {
  const copy = xs.slice();
  const n = Math.min(k, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

function shuffle(p: number[], random: () => number): number[] {
  for (let i = p.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

