// Nondeterminism inside an action, as TLA+ writes it: a disjunction (`either`) and an existential
// (`choose`, TLA+'s `\E x \in S`, where S may come from the current state). The checker runs the
// recipe once per choice path, the list of indices taken at each choice point, so an action yields
// one successor per true branch and per witness, as TLC counts them. A branch whose guard is false
// (`when(false)`) or a choice over an empty set yields no successor, as a false conjunct in TLA+.
import { FiniteSchema, Schema } from './schema/index.ts';
import { show } from './schema/types.ts';
import { ValueBag, ValueSet } from './schema/values.ts';
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
  /** Choice points passed so far: path[0..pos) and the raw names below are this run's. */
  pos = 0;
  /** The index taken at each choice point passed (entries past `pos` are a previous run's). */
  readonly path: number[] = [];
  /**
   * What each choice point passed chose from, so that a trace can name the choice when it asks
   * (`taken`): a choose()'s name and items, or an either()'s branch names (null: unnamed branches).
   * Kept raw: the search never shows a choice, and formatting one on every run cost more than the run.
   */
  private readonly names: (string | null)[] = [];
  private readonly lists: (readonly unknown[] | number)[] = [];
  /** For each new choice point passed, the paths that take its other options (last one first): forks[0..forkCount). */
  readonly forks: number[][] = [];
  forkCount = 0;
  constructor(private prefix: readonly number[]) {}

  /**
   * Ready for another first run (no prefix): the chooser of first runs is reused. Its arrays keep
   * their length (setting it is a call into the runtime); the counts say what is current.
   */
  reset(prefix: readonly number[] = NO_PATH): this {
    this.prefix = prefix;
    this.pos = 0;
    this.forkCount = 0;
    return this;
  }

  /** This run's path: a copy, since the arrays are written again by the next run. */
  takenPath(): number[] {
    return this.path.slice(0, this.pos);
  }

  /**
   * Takes an option of a choice point with `options` options: the prefix's, else the first (and
   * remembers the paths through the others). `name` and `list` say how a trace shows it (`taken`).
   */
  pick(options: number, name: string | null, list: readonly unknown[] | number): number {
    const pos = this.pos;
    let i: number;
    if (pos < this.prefix.length) i = this.prefix[pos];
    else {
      i = 0;
      // Each fork is this path with another option here: one array of its final length.
      this.path[pos] = 0;
      for (let k = options - 1; k >= 1; k--) {
        const fork = this.path.slice(0, pos + 1);
        fork[pos] = k;
        this.forks[this.forkCount++] = fork;
      }
    }
    if (i >= options) throw new Error('a recipe made different choices when run again on the same state: recipes must be deterministic apart from either() and choose()');
    this.path[pos] = i;
    this.names[pos] = name;
    this.lists[pos] = list;
    this.pos = pos + 1;
    return i;
  }

  /** The choices taken, as a trace shows them: `k = 2` for a choice, `branch 1` or its name for a branch. */
  taken(): Taken[] {
    return this.takenPath().map((index, k) => {
      const name = this.names[k];
      const list = this.lists[k];
      const shown = typeof list === 'number' ? `branch ${index + 1}` : name === null ? String(list[index]) : `${name} = ${show(list[index])}`;
      return { index, shown };
    });
  }
}

let current: Chooser | undefined;
/** The chooser of first runs, reused (a recipe without choices then allocates nothing here). */
const root = new Chooser([]);
/** The chooser of the other runs of a search's enumeration (each along a prefix), reused likewise. */
const other = new Chooser([]);

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
  return items[c.pick(items.length, name, items)];
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
  if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) {
    const names = Object.keys(args[0]);
    const branches = Object.values(args[0] as Record<string, () => R>);
    branches.forEach((f, i) => checkBranch(f, names[i]));
    if (branches.length === 0) throw NO_SUCCESSOR;
    return branches[c.pick(branches.length, null, names)]();
  }
  // Unnamed branches: nothing is built for their names unless a trace asks for them.
  for (let i = 0; i < args.length; i++) checkBranch(args[i], `branch ${i + 1}`);
  if (args.length === 0) throw NO_SUCCESSOR;
  return (args[c.pick(args.length, null, args.length)] as () => R)();
}

function checkBranch(f: unknown, name: string): void {
  if (typeof f !== 'function') throw new Error(`either(): ${name} is not a function (write either(() => { ... }, () => { ... }))`);
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
 * (what the recipe left) to `sink` with its path, and a way to name the choices taken (valid during
 * the call). A run without choice points gives one result with the empty path, and costs no
 * allocation beyond the recipe's own. Exceptions from the recipe propagate.
 */
export function enumerateChoices<R>(run: () => R, sink: (result: R, path: readonly number[], taken: () => readonly Taken[]) => void): void {
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
  if (first.pos === 0) {
    if (yielded) sink(result!, NO_PATH, noneTaken);
    return;
  }
  // The chooser of first runs is reused by the next action: what the sink may keep is copied.
  const todo = first.forks.slice(0, first.forkCount);
  if (yielded) sink(result!, first.takenPath(), () => first.taken());
  try {
    while (todo.length > 0) {
      const c = saved === undefined ? other.reset(todo.pop()!) : new Chooser(todo.pop()!);
      current = c;
      let r: R;
      try {
        r = run();
      } catch (e) {
        if (e !== NO_SUCCESSOR) throw e;
        for (let k = 0; k < c.forkCount; k++) todo.push(c.forks[k]);
        continue;
      } finally {
        current = saved;
      }
      // Alternatives found on this path run after it, in ascending order (the stack pops the last).
      for (let k = 0; k < c.forkCount; k++) todo.push(c.forks[k]);
      // A copy: the chooser's arrays are written again by the next run.
      sink(r, c.takenPath(), () => c.taken());
    }
  } finally {
    current = saved;
  }
}

/** The path of a run without choices: the engine's own empty path, so that successors go to its sink as they are. */
const NO_PATH = NO_CHOICE;
const NO_TAKEN: readonly Taken[] = Object.freeze([]) as readonly Taken[];
const noneTaken = (): readonly Taken[] => NO_TAKEN;

/**
 * Whether some choice path of `run` yields a result that `run` says true of (TLA+'s ENABLED of an
 * action, or whether it takes a given step): paths are tried until one does. Choosers of its own, so
 * that it may run inside another enumeration (a predicate judging a successor, a recipe asking about
 * another action). Exceptions from `run` propagate.
 */
export function yieldsAny(run: () => boolean): boolean {
  const saved = current;
  const todo: (readonly number[])[] = [NO_PATH];
  try {
    while (todo.length > 0) {
      const c = new Chooser(todo.pop()!);
      current = c;
      try {
        if (run()) return true;
      } catch (e) {
        if (e !== NO_SUCCESSOR) throw e;
      }
      for (let k = 0; k < c.forkCount; k++) todo.push(c.forks[k]);
    }
    return false;
  } finally {
    current = saved;
  }
}

/**
 * Runs `run` inside a recipe's run again, along the choices that run has taken so far (a recipe
 * run a second time on another draft makes the same choices).
 */
export function again<R>(run: () => R): R {
  if (!current) return run();
  const { result } = followChoices(run, current.takenPath());
  return result as R;
}

/** Runs `run` along one given choice path; what each choice point took, and the result (undefined if the path yields none). */
export function followChoices<R>(run: () => R, path: readonly number[]): { result?: R; taken: readonly Taken[] } {
  const c = new Chooser(path);
  const saved = current;
  current = c;
  try {
    return { result: run(), taken: c.taken() };
  } catch (e) {
    if (e !== NO_SUCCESSOR) throw e;
    return { taken: c.taken() };
  } finally {
    current = saved;
  }
}

/**
 * The most subsets subsetsOf() makes. More would be as many runs of a recipe in every state that
 * chooses one, and the list alone would take gigabytes: a spec that asks for them has a mistake.
 */
const MAX_SUBSETS = 1_000_000;

/** How many subsets of n items have between min and max elements (a float: it may be huge). */
function subsetCount(n: number, min: number, max: number): number {
  let total = 0;
  let c = 1; // C(n, k), from k = 0
  for (let k = 0; k <= max; k++) {
    if (k >= min) total += c;
    c = (c * (n - k)) / (k + 1);
  }
  return total;
}

/**
 * A subset as subsetsOf() gives it: a JS Set of primitive values, a ValueSet of structured ones
 * (records, tuples: a JS Set would compare them by reference, so `has([1, 'ECHO'])` would be false).
 */
export type Subset<T> = [T] extends [object] ? ValueSet<T> : Set<T>;

/** Whether `items` holds a structured value (then subsets and the check for repeats compare by value). */
function structured(items: readonly unknown[]): boolean {
  for (const e of items) if (e !== null && typeof e === 'object') return true;
  return false;
}

/** A bound of subsetsOf(): a number, or a clear error (NaN would make no subsets, silently). */
function sizeBound(name: string, value: number | undefined, otherwise: number): number {
  if (value === undefined) return otherwise;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new Error(`subsetsOf(): ${name} is ${show(value)}, not a number of elements`);
  return value;
}

/**
 * The subsets of `domain` with between `min` and `max` elements: a domain for `\E Q \in SUBSET S` or
 * quorums. The domain is a set: an item repeated in a list counts once, as in TLA+'s SUBSET.
 */
export function subsetsOf<T>(domain: Domain<T>, opts: { min?: number; max?: number } = {}): Subset<T>[] {
  return subsetsOfSet(asSet(domain), opts);
}

/** The domain as a set: its different items, and whether they are compared by value. */
function asSet<T>(domain: Domain<T>): { items: readonly T[]; byValue: boolean } {
  const listed = listOf(domain);
  // An empty set from the state (ValueSet, ValueBag) is one of records or tuples.
  const byValue = listed.length > 0 ? structured(listed) : domain instanceof ValueSet || domain instanceof ValueBag;
  return { items: withoutRepeats(listed, byValue), byValue };
}

function subsetsOfSet<T>({ items, byValue }: { items: readonly T[]; byValue: boolean }, opts: { min?: number; max?: number }): Subset<T>[] {
  const n = items.length;
  // Sizes are whole numbers: { min: n / 2 } with n odd asks for the larger halves.
  const min = Math.max(0, Math.ceil(sizeBound('min', opts.min, 0)));
  const max = Math.min(n, Math.floor(sizeBound('max', opts.max, n)));
  const count = subsetCount(n, min, max);
  if (count > MAX_SUBSETS) {
    throw new Error(
      `subsetsOf() of ${n} items would make ${count.toLocaleString('en-US')} subsets, more than the ${MAX_SUBSETS.toLocaleString('en-US')} it makes: ` +
        'bound their size with { min, max }, or choose the elements one at a time',
    );
  }
  // Smallest first, each size in the lexicographic order of the items' positions. A recipe asks
  // for this on every run of every choice path (`choose(subsetsOf(s.sent))`), so it is a loop over
  // index combinations, not a recursion that copies each partial subset.
  const out: (Set<T> | ValueSet<T>)[] = [];
  const at = new Int32Array(Math.max(0, max));
  for (let k = min; k <= max; k++) {
    for (let j = 0; j < k; j++) at[j] = j;
    for (;;) {
      if (byValue) {
        // Different items: the set needs no comparing of its elements.
        const chosen = new Array<T>(k);
        for (let j = 0; j < k; j++) chosen[j] = items[at[j]];
        out.push(ValueSet.ofDistinct(chosen));
      } else {
        const subset = new Set<T>();
        for (let j = 0; j < k; j++) subset.add(items[at[j]]);
        out.push(subset);
      }
      // The next combination: advance the last position that can move, reset those after it.
      let j = k - 1;
      while (j >= 0 && at[j] === n - k + j) j--;
      if (j < 0) break;
      at[j]++;
      for (let m = j + 1; m < k; m++) at[m] = at[m - 1] + 1;
    }
  }
  return out as Subset<T>[];
}

/** `items` with each value once, at its first position (compared by value when `byValue`). */
function withoutRepeats<T>(items: readonly T[], byValue: boolean): readonly T[] {
  const distinct = byValue ? new ValueSet(items) : new Set(items);
  return distinct.size === items.length ? items : [...distinct];
}

/** The majorities of `domain` (more than half of its elements): the usual quorums. */
export function majorities<T>(domain: Domain<T>): Subset<T>[] {
  const set = asSet(domain);
  return subsetsOfSet(set, { min: Math.floor(set.items.length / 2) + 1 });
}
