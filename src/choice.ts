// Nondeterminism inside an action, as TLA+ writes it: a disjunction (`either`) and an existential
// (`choose`, TLA+'s `\E x \in S`, where S may come from the current state). The checker runs the
// recipe once per choice path, the list of indices taken at each choice point, so an action yields
// one successor per true branch and per witness, as TLC counts them. A branch whose guard is false
// (`when(false)`) or a choice over an empty set yields no successor, as a false conjunct in TLA+.
import { FiniteSchema, Schema } from './schema/index.ts';
import { show } from './schema/types.ts';
import { NO_CHOICE } from '../checker/system.ts';

/** Thrown through the recipe to abandon a path that yields no successor; never seen by a spec. */
class NoSuccessor {}
const NO_SUCCESSOR = new NoSuccessor();

/** One choice point passed on a path: which index was taken, and how a trace names it. */
export interface Taken {
  index: number;
  /** `m = { type: 'Commit' }` for a choice, `branch 2` or the branch's name for `either`. */
  shown: string;
}

class Chooser {
  pos = 0;
  readonly taken: Taken[] = [];
  /** For each new choice point passed, the paths that take its other options (last one first). */
  readonly forks: number[][] = [];
  constructor(private prefix: readonly number[]) {}

  /** Ready for another first run (no prefix): the chooser of first runs is reused. */
  reset(): this {
    this.prefix = NO_PATH;
    this.pos = 0;
    // Setting an array's length is a call into the runtime: only when a choice was taken.
    if (this.taken.length !== 0) this.taken.length = 0;
    if (this.forks.length !== 0) this.forks.length = 0;
    return this;
  }

  pick(options: number, shown: (i: number) => string): number {
    let i: number;
    if (this.pos < this.prefix.length) i = this.prefix[this.pos];
    else {
      i = 0;
      const here = this.taken.map((t) => t.index);
      for (let k = options - 1; k >= 1; k--) this.forks.push([...here, k]);
    }
    if (i >= options) throw new Error('a recipe made different choices when run again on the same state: recipes must be deterministic apart from either() and choose()');
    this.pos++;
    this.taken.push({ index: i, shown: shown(i) });
    return i;
  }
}

let current: Chooser | undefined;
/** The chooser of first runs, reused (a recipe without choices then allocates nothing here). */
const root = new Chooser([]);

function chooser(what: string): Chooser {
  if (!current) throw new Error(`${what} is only allowed inside an action's recipe (its \`do\`) or a process step, where the checker enumerates the choices`);
  return current;
}

/** A domain to choose from: an array, a Set, a ValueSet or ValueBag (its different elements), or a finite type. */
export type Domain<T> = Iterable<T> | Schema<T>;

function listOf<T>(domain: Domain<T>): readonly T[] {
  if (domain instanceof FiniteSchema) return domain.values as readonly T[];
  if (domain instanceof Schema) return domain.enumerate();
  if (Array.isArray(domain)) return domain;
  if (domain && typeof (domain as Iterable<T>)[Symbol.iterator] === 'function') return [...(domain as Iterable<T>)];
  throw new Error(`choose(): ${show(domain)} is not a set, an array or a type to choose from`);
}

/**
 * TLA+'s `\E x \in S`: one successor for each element of `domain` (none when it is empty). `name`
 * is how a trace shows the choice (`m = ...`).
 */
export function choose<T>(domain: Domain<T>, name = 'choice'): T {
  const c = chooser('choose()');
  const items = listOf(domain);
  if (items.length === 0) throw NO_SUCCESSOR;
  return items[c.pick(items.length, (i) => `${name} = ${show(items[i])}`)];
}

/**
 * TLA+'s disjunction: one successor for each branch (that does not call `when(false)`). Branches are
 * functions, shown in traces as `branch 1`, `branch 2`...; or an object of named branches, shown by
 * name: `either({ commit: () => ..., abort: () => ... })`. Returns what the branch taken returns.
 */
export function either<R>(...branches: (() => R)[]): R;
export function either<R>(named: Record<string, () => R>): R;
export function either<R>(...args: unknown[]): R {
  const c = chooser('either()');
  const named = args.length === 1 && typeof args[0] === 'object' && args[0] !== null;
  const entries: [string, () => R][] = named
    ? Object.entries(args[0] as Record<string, () => R>)
    : (args as (() => R)[]).map((f, i) => [`branch ${i + 1}`, f]);
  for (const [n, f] of entries) if (typeof f !== 'function') throw new Error(`either(): ${n} is not a function (write either(() => { ... }, () => { ... }))`);
  if (entries.length === 0) throw NO_SUCCESSOR;
  const i = c.pick(entries.length, (k) => entries[k][0]);
  return entries[i][1]();
}

/** A guard inside a recipe or a branch: when `cond` is false this path yields no successor. */
export function when(cond: boolean): void {
  chooser('when()');
  if (cond !== true) {
    if (cond === false) throw NO_SUCCESSOR;
    throw new Error(`when() needs a boolean, not ${show(cond)}`);
  }
}

/**
 * Runs `run` once per choice path, depth first in the order of the options, and hands each result
 * (what the recipe left) to `sink` with its path. A run without choice points gives one result with
 * the empty path, and costs no allocation beyond the recipe's own. Exceptions from the recipe propagate.
 */
export function enumerateChoices<R>(run: () => R, sink: (result: R, path: readonly number[], taken: readonly Taken[]) => void): void {
  const saved = current;
  // The common case first: one run; only when it meets a choice point are the others enumerated.
  const first = saved === undefined ? root.reset() : new Chooser(NO_PATH);
  current = first;
  let result: R;
  let yielded = true;
  try {
    result = run();
  } catch (e) {
    if (e !== NO_SUCCESSOR) throw e;
    yielded = false;
  } finally {
    current = saved;
  }
  if (first.taken.length === 0) {
    if (yielded) sink(result!, NO_PATH, NO_TAKEN);
    return;
  }
  const todo = [...first.forks];
  const firstPath = first.taken.map((t) => t.index);
  const firstTaken = [...first.taken];
  if (yielded) sink(result!, firstPath, firstTaken);
  try {
    while (todo.length > 0) {
      const prefix = todo.pop()!;
      const c = new Chooser(prefix);
      current = c;
      let r: R;
      try {
        r = run();
      } catch (e) {
        if (e !== NO_SUCCESSOR) throw e;
        todo.push(...c.forks);
        continue;
      } finally {
        current = saved;
      }
      // Alternatives found on this path run after it, in ascending order (the stack pops the last).
      todo.push(...c.forks);
      sink(r, c.taken.map((t) => t.index), c.taken);
    }
  } finally {
    current = saved;
  }
}

/** The path of a run without choices: the engine's own empty path, so that successors go to its sink as they are. */
const NO_PATH = NO_CHOICE;
const NO_TAKEN: readonly Taken[] = Object.freeze([]) as readonly Taken[];

/**
 * Runs `run` inside a recipe's run again, along the choices that run has taken so far (a recipe
 * run a second time on another draft makes the same choices).
 */
export function again<R>(run: () => R): R {
  if (!current) return run();
  const { result } = followChoices(run, current.taken.map((t) => t.index));
  return result as R;
}

/** Runs `run` along one given choice path; what each choice point took, and the result (undefined if the path yields none). */
export function followChoices<R>(run: () => R, path: readonly number[]): { result?: R; taken: readonly Taken[] } {
  const c = new Chooser(path);
  const saved = current;
  current = c;
  try {
    return { result: run(), taken: c.taken };
  } catch (e) {
    if (e !== NO_SUCCESSOR) throw e;
    return { taken: c.taken };
  } finally {
    current = saved;
  }
}

/** The subsets of `domain` with between `min` and `max` elements: a domain for `\E Q \in SUBSET S` or quorums. */
export function subsetsOf<T>(domain: Domain<T>, opts: { min?: number; max?: number } = {}): Set<T>[] {
  const items = listOf(domain);
  const min = opts.min ?? 0;
  const max = opts.max ?? items.length;
  const out: Set<T>[] = [];
  const pick = (from: number, chosen: T[]): void => {
    if (chosen.length >= min) out.push(new Set(chosen));
    if (chosen.length === max) return;
    for (let i = from; i < items.length; i++) pick(i + 1, [...chosen, items[i]]);
  };
  pick(0, []);
  return out.sort((a, b) => a.size - b.size);
}

/** The majorities of `domain` (more than half of its elements): the usual quorums. */
export function majorities<T>(domain: Domain<T>): Set<T>[] {
  const n = listOf(domain).length;
  return subsetsOf(domain, { min: Math.floor(n / 2) + 1 });
}
