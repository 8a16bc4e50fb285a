// The successor step, written once: from one state, every action instance's guard, then its
// recipe once per choice path, and for each successor the action properties, the action
// constraint, the state constraint, the type, canonicalisation and the fingerprint. Every
// strategy runs states through it (breadth-first search with any number of workers, simulation,
// the state graph, the audits, trace rebuild and replay), so they all agree on what a spec may
// return and say the same thing when it does not.
//
// TLC's semantics: a successor the constraints prune is not stored, but its invariants are checked
// (so are those of an initial state the constraint rejects), and it need not fit its type; only a
// stored state must. Deadlock is a state with no successor at all, pruned or not.
import { AssertionFailure, assertionMark } from './assertion.ts';
import { asyncPredicate, isPromise, SpecCodeMistake } from './recipe-result.ts';
import { EngineFault } from './engine-fault.ts';
import { errorText, thrownIs } from './error-text.ts';
import { PHASE, type StepProbe, stepWatch } from './step-probe.ts';
import './inlining.ts';
import { readOnly, READ_ONLY_HINT } from './read-only.ts';
import type { Violation } from './result.ts';
import { show } from './show.ts';
import { fingerprint } from './store/fingerprint.ts';
import type { Canonicaliser } from './symmetry/canonicalise.ts';
import { type ActionInstance, type ChoicePath, type Invariant, NO_CHOICE, type State, type StateViews, type StepSource, type TransitionSystem } from './system.ts';

/** The names a failure can carry besides a system's own properties. */
export const TYPE_OK = 'TypeOK';
export const DEADLOCK = 'deadlock';

/**
 * Orders the violations found in one level, so that the one reported does not depend on the order
 * states were expanded in: [rank (0 for deadlock, whose trace is a state shorter), the fingerprint
 * of the state it was found at (hi, lo), the action instance (-1 for none)].
 */
export type ViolationKey = readonly [rank: number, hi: number, lo: number, action: number];

/** What a strategy does with what the step finds. Arguments are valid during the call only. */
export interface StepHandler {
  /**
   * A successor (or initial state, without an action) inside the constraints and its type.
   * `vector` is its canonical encoding (what a frontier keeps), `hi`/`lo` the fingerprint of its
   * view of that, `encoded` its concrete encoding.
   */
  stored(next: State, vector: Int32Array, hi: number, lo: number, action: ActionInstance | undefined, choice: ChoicePath, encoded: Int32Array): void;
  /** A successor the constraints prune, whose invariants hold. `encoded` is undefined when it is outside its type. */
  pruned?(next: State, encoded: Int32Array | undefined, action: ActionInstance | undefined, choice: ChoicePath): void;
  /** A violation at the state being expanded or at one of its successors. */
  violation(v: Violation, key: ViolationKey): void;
}

export interface StepOptions {
  /** Maps an encoding to its symmetry representative; none: states are their own representatives. */
  canonicalise?: Canonicaliser;
  /** Report states without successors (default: the system's setting). */
  deadlock?: boolean;
  /**
   * Hand guards and recipes views over the encoding (the system's, if it has them) instead of
   * decoded states. Only for a handler that keeps no state it is given beyond the call.
   */
  views?: boolean;
}

const GUARD = 'guard';
const RECIPE = 'recipe';
const TERMINAL = 'terminal';
const INIT = 'init';

/**
 * A predicate changed the state it was given. Found by re-encoding the state after the predicates
 * ran (cheaper than freezing every state; frozen states are used where a step predicate sees two).
 */
export class StateWritten extends Error {
  constructor(readonly where: string) {
    super(`${where} changed the state it was given (${READ_ONLY_HINT})`);
    this.name = 'StateWritten';
  }
}

/** A recipe returned something that is neither nothing nor a state. */
export class RecipeReturnError extends Error {
  constructor(value: unknown) {
    super(
      `it returned ${show(value)}; a recipe mutates its draft and returns nothing, or returns a whole next state ` +
        '(an arrow with an expression body, `(s) => (s.x = 1)`, returns its value: add braces)',
    );
    this.name = 'RecipeReturnError';
  }
}

/** Predicates (guards, invariants, properties, constraints) must say true or false: anything else is a bug in the spec. */
export function isTrue(value: unknown): boolean {
  if (value === true) return true;
  if (value === false) return false;
  if (isPromise(value)) throw asyncPredicate();
  throw new TypeError(`it returned ${show(value)}, not a boolean${value === undefined ? ' (a missing return?)' : ''}`);
}

/** `invariant 'NoLeak' is violated`, naming the part that fails in `s` when the invariant has labelled parts. */
export function invariantMessage(inv: Invariant, s: State): string {
  const part = inv.which?.(s);
  return `invariant '${inv.name}'${part ? ` (${part})` : ''} is violated`;
}

/** `the recipe of put(t=t1) threw: ...`, or `... is wrong: ...` for spec code that broke a rule of spec code. */
export function failure(where: string, error: unknown): string {
  if (thrownIs(error, AssertionFailure)) return `${where} failed an assertion: ${(error as AssertionFailure).message}`;
  return `${where} ${thrownIs(error, SpecCodeMistake) ? 'is wrong' : 'threw'}: ${errorText(error)}`;
}

/** A copy of a value outside its type, or the value itself where it cannot be copied (it holds a function). */
function copyOf(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

export class Step implements StepSource {
  /** Successors generated (initial states included), as TLC counts them. */
  generated = 0;
  /** Per action instance: successors it generated. */
  readonly fired: Uint32Array;
  pre: State | undefined = undefined;

  private readonly canon?: Canonicaliser;
  private readonly deadlock: boolean;
  private readonly views?: StateViews;
  /** The action instances whose guards may hold (ActionInstance.disabled). */
  private readonly live: readonly ActionInstance[];
  private readonly encoded: Int32Array;
  private readonly canonical: Int32Array;
  private readonly viewed?: Int32Array;
  private readonly fp = new Int32Array(2);
  /** Whether guards or step predicates read the pre-state, and whether predicates read successors. */
  private readonly readsPre: boolean;
  /** Step predicates see two states: both are frozen. Otherwise writes are found by re-encoding. */
  private readonly freezes: boolean;
  private readonly scratch: Int32Array;
  /** Whether anything judges a successor before it is stored (properties, constraints, invariants). */
  private readonly judges: boolean;
  private readonly sink: (next: unknown, choice: ChoicePath) => void;
  // The state being expanded and where the step is in it (for messages).
  private data: Int32Array = new Int32Array(0);
  private at = 0;
  private parent = -1;
  /** Whether the state at hand is checked for writes whole, not in samples: one an audit, replay or rebuild expands. */
  private checksEvery = false;
  private action: ActionInstance | undefined = undefined;
  private phase = GUARD;
  private after: State | undefined = undefined;
  private count = 0;
  private readonly probe?: StepProbe;
  /** States expanded, for sampling the check of the pre-state. */
  private expanded = 0;
  /** Successors judged, for sampling the checks of predicates on views of their own. */
  private judged = 0;

  constructor(
    readonly system: TransitionSystem,
    private readonly handler: StepHandler,
    opts: StepOptions = {},
  ) {
    this.canon = opts.canonicalise;
    this.deadlock = opts.deadlock ?? system.deadlock;
    // A watchdog on another thread, when this thread is watched (the command line's search thread).
    this.probe = stepWatch();
    this.encoded = new Int32Array(system.width);
    this.canonical = new Int32Array(system.width);
    if (system.view) this.viewed = new Int32Array(system.view.width);
    this.fired = new Uint32Array(system.actions.length);
    this.live = system.actions.filter((a) => !a.disabled);
    this.readsPre = system.actions.some((a) => a.guard) || system.actionProperties.length > 0 || !!system.actionConstraint;
    this.freezes = system.actionProperties.length > 0 || !!system.actionConstraint;
    // Views cannot be frozen: where step predicates see frozen states, states are decoded.
    if (opts.views && !this.freezes) this.views = system.views;
    this.scratch = new Int32Array(system.width);
    this.judges = system.invariants.length > 0 || system.actionProperties.length > 0 || !!system.constraint || !!system.actionConstraint;
    // The sink runs once per successor: the common case (nothing judges a successor) is written
    // out here, so that it needs no further call before the store.
    // Once the step is done with a successor, what its draft decoded may be reused by the next draft.
    const views = this.views;
    const counted = system.countedRegions;
    this.sink = this.judges
      ? (next, choice) => {
          this.successor(next, choice);
          if (views !== undefined) views.recycle();
        }
      : (returned, choice) => {
          const action = this.action!;
          this.count++;
          this.generated++;
          this.fired[action.id]++;
          if (returned === null || typeof returned !== 'object') throw new RecipeReturnError(returned);
          const encoded = this.encoded;
          const typeError = system.encode(returned, encoded, 0);
          if (typeError !== undefined) this.typeViolation(returned as State, choice, typeError);
          else if (this.canon !== undefined || this.viewed !== undefined) this.store(returned as State, action, choice);
          else {
            const fp = this.fp;
            fingerprint(encoded, encoded.length, fp, counted);
            this.handler.stored(returned as State, encoded, fp[0], fp[1], action, choice, encoded);
          }
          if (views !== undefined) views.recycle();
        };
  }

  /** A fresh, mutable copy of the state being expanded (StepSource). */
  draft(): State {
    const views = this.views;
    return views !== undefined ? views.draft(this.data, this.at) : this.system.decode(this.data, this.at);
  }

  /** A successor as a violation keeps it: a view is copied out of the encoding it reads. */
  private plain(s: State): State {
    return this.views !== undefined ? this.views.plain(s) : s;
  }

  /**
   * Expands the state encoded at `data[at..]`, stored at index `parent` (-1 when it is not stored),
   * handing every successor and violation to the handler. After an exception from spec code the
   * state is not expanded further.
   */
  expand(data: Int32Array, at: number, parent: number): void {
    const { terminal } = this.system;
    const actions = this.live;
    this.data = data;
    this.at = at;
    this.parent = parent;
    this.checksEvery = parent < 0;
    this.pre = this.readsPre
      ? this.freezes
        ? readOnly(this.system.decode(data, at))
        : this.views !== undefined
          ? this.views.open(data, at)
          : this.system.decode(data, at)
      : undefined;
    this.count = 0;
    this.action = undefined;
    this.after = undefined;
    const probe = this.probe;
    if (probe !== undefined) probe.enter(data, at);
    // The answer of the last guard asked that other instances share (ActionInstance.guardShared).
    let shared: object | undefined = undefined;
    let sharedAnswer = false;
    try {
      for (let a = 0; a < actions.length; a++) {
        const action = (this.action = actions[a]);
        this.after = undefined;
        if (action.guard !== undefined) {
          const group = action.guardShared;
          if (group === undefined || group !== shared) {
            this.phase = GUARD;
            if (probe !== undefined) probe.at(action.id, PHASE.guard);
            const answer = isTrue(action.guard(this.pre!));
            if (group !== undefined) {
              shared = group;
              sharedAnswer = answer;
            }
            if (!answer) continue;
          } else if (!sharedAnswer) continue;
        }
        this.phase = RECIPE;
        if (probe !== undefined) probe.at(action.id, PHASE.recipe);
        action.successors(this, this.sink);
      }
      if (this.count === 0 && this.deadlock) {
        this.action = undefined;
        this.phase = TERMINAL;
        if (probe !== undefined) probe.at(-1, PHASE.terminal);
        if (!(terminal && isTrue(terminal(this.pre ?? readOnly(this.system.decode(data, at)))))) {
          this.offer({ outcome: 'deadlock', property: DEADLOCK, message: 'deadlock: no action is enabled', stateIndex: parent }, 0, -1);
        }
      }
      // Whether a guard wrote to the pre-state: in every state an audit, replay or rebuild expands,
      // the first 64 a search expands, then one in eight (re-encoding costs a tenth of a small step).
      if (this.pre !== undefined && !this.freezes && (parent < 0 || ++this.expanded < 64 || (this.expanded & 7) === 0) && this.differs(this.pre, data, at)) {
        this.blameWriter();
      }
    } catch (error) {
      if (thrownIs(error, EngineFault)) throw error;
      this.offer(this.errorViolation(error), 1, this.phase === TERMINAL ? -1 : (this.action?.id ?? -1));
    }
    if (probe !== undefined) probe.at(-1, PHASE.idle);
  }

  /** One successor of the current action, from its sink; a watchdog sees its checks apart from the recipe. */
  private successor(returned: unknown, choice: ChoicePath): void {
    const probe = this.probe;
    if (probe === undefined) return this.judge(returned, choice);
    probe.at(this.action!.id, PHASE.property);
    this.judge(returned, choice);
    probe.at(this.action!.id, PHASE.recipe);
  }

  /** What the step makes of one successor: properties, constraints, type, then stored or pruned. */
  private judge(returned: unknown, choice: ChoicePath): void {
    const action = this.action!;
    this.count++;
    this.generated++;
    this.fired[action.id]++;
    if (returned === null || typeof returned !== 'object') throw new RecipeReturnError(returned);
    const encoded = this.encoded;
    if (!this.judges) {
      // Nothing reads the successor: no property, constraint or invariant (the common fast path).
      const typeError = this.system.encode(returned, encoded, 0);
      if (typeError !== undefined) this.typeViolation(returned as State, choice, typeError);
      else this.store(returned as State, action, choice);
      return;
    }
    const sys = this.system;
    let next = (this.after = (this.freezes ? readOnly(returned) : returned) as State);
    const typeError = sys.encode(next, encoded, 0);
    // A state outside its type has no encoding to compare with: it is frozen instead.
    if (typeError !== undefined) next = this.after = readOnly(this.plain(next));
    const props = sys.actionProperties;
    if (props.length > 0 && !(typeError === undefined && this.stutters())) {
      // Action properties are [][P]_vars: a step that changes nothing satisfies them. As in TLC, the
      // first one violated is reported and the successor is still judged and stored: a search that
      // goes on past violations explores from it (and finds what its invariants say).
      for (let k = 0; k < props.length; k++) {
        const p = props[k];
        this.phase = `action property '${p.name}'`;
        if (!isTrue(p.holds(this.pre!, next))) {
          this.offerStep({ outcome: 'action-property', property: p.name, message: `action property '${p.name}' is violated by ${action.label}` }, next, choice);
          break;
        }
      }
    }
    let inside = true;
    if (sys.actionConstraint !== undefined) {
      this.phase = 'action constraint';
      inside = isTrue(sys.actionConstraint(this.pre!, next));
    }
    if (inside && sys.constraint !== undefined) {
      this.phase = 'constraint';
      // Over the encoding, the constraint reads only what it touches, and only that is re-encoded
      // to find a write (design.md, "Views, not decode/encode").
      const own = typeError === undefined && this.views !== undefined;
      const seen = own ? this.views!.open(encoded, 0) : typeError === undefined ? this.decoded(encoded) : next;
      inside = isTrue(sys.constraint(seen));
      // A write to a view of its own reaches nothing else: it is looked for in samples (due()).
      if (typeError === undefined && !this.freezes && (!own || this.due()) && this.differs(seen, encoded, 0)) throw new StateWritten(`the constraint after ${action.label}`);
    }
    this.phase = RECIPE;
    if (!inside) this.prunedSuccessor(next, typeError === undefined ? encoded : undefined, action, choice);
    else if (typeError !== undefined) this.typeViolation(next, choice, typeError);
    else this.store(next, action, choice);
  }

  /** Canonicalises and fingerprints the successor encoded in `encoded`, and hands it on to be stored. */
  private store(next: State, action: ActionInstance, choice: ChoicePath): void {
    const encoded = this.encoded;
    const vector = this.canon !== undefined ? (this.canon(encoded, this.canonical), this.canonical) : encoded;
    const fp = this.fp;
    if (this.viewed !== undefined) {
      this.system.view!.project(vector, this.viewed);
      fingerprint(this.viewed, this.viewed.length, fp);
    } else {
      fingerprint(vector, vector.length, fp, this.system.countedRegions);
    }
    this.handler.stored(next, vector, fp[0], fp[1], action, choice, encoded);
  }

  private typeViolation(next: State, choice: ChoicePath, typeError: string): void {
    this.offerStep({ outcome: 'invariant', property: TYPE_OK, message: `${this.action!.label} leaves the type: ${typeError}` }, readOnly(this.plain(next)), choice);
  }

  /**
   * Runs an initial state through the same checks: constraint (with TLC's invariant check when it
   * rejects the state), type, canonicalisation, fingerprint. `position` is its place among the
   * system's initial states (it orders the violations found there).
   */
  initial(value: unknown, position: number): void {
    const sys = this.system;
    this.generated++;
    this.parent = -1;
    // A search's initial states are sampled as its successors are (an inductive invariant as the
    // initial predicate gives hundreds of thousands); over plain states every one is checked.
    this.checksEvery = this.views === undefined;
    this.action = undefined;
    this.phase = INIT;
    const encoded = this.encoded;
    const typeError = sys.encode(value, encoded, 0);
    // A copy, so that the checks cannot touch the spec's own value (frozen when it has no encoding).
    const s = (typeError !== undefined ? readOnly(copyOf(value)) : this.views !== undefined ? this.views.open(encoded, 0) : sys.decode(encoded, 0)) as State;
    const key: ViolationKey = [1, 0, 0, position];
    try {
      const rejected = sys.constraint && !isTrue(sys.constraint(s));
      if (sys.constraint && typeError === undefined && this.due() && this.differs(s, encoded, 0)) throw new StateWritten('the constraint');
      if (rejected) {
        const bad = this.invariantViolation(s, -1, { next: this.plain(s) }, typeError === undefined ? encoded : undefined);
        if (bad) this.handler.violation(bad, key);
        else this.handler.pruned?.(s, typeError === undefined ? encoded : undefined, undefined, NO_CHOICE);
        return;
      }
    } catch (error) {
      if (thrownIs(error, EngineFault)) throw error;
      const message =
        thrownIs(error, StateWritten)
          ? `${(error as StateWritten).message}, on an initial state`
          : thrownIs(error, AssertionFailure)
            ? `the constraint failed an assertion on an initial state: ${(error as AssertionFailure).message}`
            : `the constraint threw on an initial state: ${errorText(error)}`;
      this.handler.violation({ outcome: 'error', phase: 'constraint', message, stateIndex: -1, step: { next: this.plain(s) }, error, ...assertionMark(error) }, key);
      return;
    }
    if (typeError !== undefined) {
      this.handler.violation({ outcome: 'invariant', property: TYPE_OK, message: `an initial state is outside its type: ${typeError}`, stateIndex: -1, step: { next: s } }, key);
      return;
    }
    const vector = this.canon ? (this.canon(encoded, this.canonical), this.canonical) : encoded;
    this.fingerprintOf(vector);
    this.handler.stored(s, vector, this.fp[0], this.fp[1], undefined, NO_CHOICE, encoded);
  }

  /** The state encoded at encoded[0..], decoded afresh for predicates (frozen where states are). */
  private decoded(encoded: Int32Array): State {
    const s = this.system.decode(encoded, 0) as State;
    return this.freezes ? readOnly(s) : s;
  }

  /**
   * The first invariant `s` violates (or that throws on it), as a violation at store index
   * `stateIndex` (and, for a state that is not stored, the step that reached it); undefined when all hold.
   */
  invariantViolation(s: State | undefined, stateIndex: number, step?: Violation['step'], encoded?: Int32Array): Violation | undefined {
    const invariants = this.system.invariants;
    if (invariants.length === 0) return undefined;
    if (this.probe !== undefined) this.probe.at(this.action ? this.action.id : -1, PHASE.invariant);
    // Without its encoding to compare with afterwards, the state is frozen. With one and views,
    // each invariant reads a view of its own, so that only what it touches is decoded, and a write
    // reaches neither another invariant nor the stored state: it is looked for in samples (due()).
    if (encoded === undefined) readOnly(s);
    const views = encoded !== undefined ? this.views : undefined;
    // On plain states too, invariants read the state as stored, decoded from its encoding, not the
    // object the recipe left: the order of a map's keys or a set's elements, and which values are
    // one object, are then the state's own and not the path's that reached it. (With views, each
    // invariant opens its own, and `s` is not read: a caller with the encoding may leave it out.)
    if (views === undefined && encoded !== undefined) s = this.decoded(encoded);
    const look = views !== undefined && this.due();
    let found: Violation | undefined;
    for (let k = 0; k < invariants.length && !found; k++) {
      const inv = invariants[k];
      if (this.probe !== undefined) this.probe.detail(k);
      const seen = views !== undefined ? views.open(encoded!, 0) : (s as State);
      try {
        if (!isTrue(inv.holds(seen))) found = { outcome: 'invariant', property: inv.name, message: invariantMessage(inv, seen), stateIndex, step };
      } catch (error) {
        found = { outcome: 'error', phase: `invariant '${inv.name}'`, message: failure(`invariant '${inv.name}'`, error), stateIndex, step, error, ...assertionMark(error) };
      }
      if (look && this.differs(seen, encoded!, 0)) return this.written(inv.name, stateIndex, step);
    }
    // What follows is the engine's own work, which the watchdog does not time.
    if (this.probe !== undefined) this.probe.at(-1, PHASE.engine);
    if (views === undefined && encoded !== undefined && !this.freezes && this.differs(s as State, encoded, 0)) {
      // Which one wrote: each again, on a fresh copy.
      const writer = invariants.find((inv) => this.writes((x) => inv.holds(x), encoded, 0)) ?? invariants[0];
      return this.written(writer.name, stateIndex, step);
    }
    return found;
  }

  private written(invariant: string, stateIndex: number, step: Violation['step']): Violation {
    const error = new StateWritten(`invariant '${invariant}'`);
    return { outcome: 'error', phase: `invariant '${invariant}'`, message: error.message, stateIndex, step, error };
  }

  /**
   * Whether to look for a write by a predicate that read a view of its own: at every state an audit,
   * replay or rebuild expands, for the first 64 states judged in a search (initial states and
   * successors), then for one in eight up to the 65,536th, then for one in 64. Such a write reaches
   * nothing else, so it cannot change a result: it is only named, and re-encoding what an invariant
   * read cost a tenth of a long search.
   */
  private due(): boolean {
    return this.checksEvery || ++this.judged <= 64 || (this.judged & (this.judged < 65536 ? 7 : 63)) === 0;
  }

  /** Whether `s` no longer encodes to `v[at..]`. */
  private differs(s: State, v: Int32Array, at: number): boolean {
    const w = this.scratch;
    if (this.system.encode(s, w, 0) !== undefined) return true;
    for (let i = 0; i < w.length; i++) if (w[i] !== v[at + i]) return true;
    return false;
  }

  /** Whether `f` changes a fresh copy of the state encoded at v[at..]. */
  private writes(f: (s: State) => unknown, v: Int32Array, at: number): boolean {
    const copy = this.system.decode(v, at);
    try {
      f(copy);
    } catch {
      // What it throws is not the question here.
    }
    return this.differs(copy, v, at);
  }

  /** A guard or the terminal predicate changed the pre-state: finds which, and throws. */
  private blameWriter(): never {
    const { data, at } = this;
    for (const action of this.system.actions) {
      if (action.guard && this.writes(action.guard, data, at)) {
        this.phase = GUARD;
        this.action = action;
        throw new StateWritten(`the guard of ${action.label}`);
      }
    }
    this.phase = TERMINAL;
    throw new StateWritten('the terminal predicate');
  }

  /** The fingerprint of `vector` (through the view, if any), left in fp. */
  private fingerprintOf(vector: Int32Array): void {
    const view = this.system.view;
    if (view) {
      view.project(vector, this.viewed!);
      fingerprint(this.viewed!, view.width, this.fp);
    } else {
      fingerprint(vector, this.system.width, this.fp, this.system.countedRegions);
    }
  }

  private prunedSuccessor(next: State, encoded: Int32Array | undefined, action: ActionInstance, choice: ChoicePath): void {
    const bad = this.invariantViolation(next, this.parent, undefined, encoded);
    if (bad) this.offer({ ...bad, step: { action, next: this.plain(next), choice }, outsideConstraints: true }, 1, action.id);
    else this.handler.pruned?.(next, encoded, action, choice);
  }

  private stutters(): boolean {
    const { encoded, data, at } = this;
    for (let i = 0; i < encoded.length; i++) if (encoded[i] !== data[at + i]) return false;
    return true;
  }

  /** A violation of the current action's successor `next`: its trace ends with that step. */
  private offerStep(v: Pick<Violation, 'outcome' | 'property' | 'message'>, next: State, choice: ChoicePath): void {
    this.offer({ ...v, stateIndex: this.parent, step: { action: this.action, next: this.plain(next), choice } }, 1, this.action!.id);
  }

  /** Hands a violation at the state being expanded to the handler, keyed by that state's fingerprint. */
  private offer(v: Violation, rank: number, action: number): void {
    const fp = new Int32Array(2);
    fingerprint(this.data.subarray(this.at, this.at + this.system.width), this.system.width, fp, this.system.countedRegions);
    this.handler.violation(v, [rank, fp[0], fp[1], action]);
  }

  private errorViolation(error: unknown): Violation {
    const { phase, action } = this;
    const label = action?.label;
    const where =
      phase === GUARD ? `the guard of ${label}` : phase === RECIPE ? `the recipe of ${label}` : phase === TERMINAL ? 'the terminal predicate' : `${phase} after ${label}`;
    // Past the recipe the step itself happened: the trace shows it, and then what threw.
    const after = this.after;
    const step = phase === TERMINAL ? undefined : phase === GUARD || phase === RECIPE ? { action } : { action, next: after && this.plain(after) };
    const message = thrownIs(error, StateWritten) ? (error as StateWritten).message : failure(where, error);
    return { outcome: 'error', phase, message, stateIndex: this.parent, step, error, ...assertionMark(error) };
  }
}
