// The one thing the engine searches: a transition system. `checker/` owns this interface and
// imports nothing from the spec language; `src/compile/` turns a spec into one, and a test can
// write one by hand. Everything a search strategy, a store, the audits or trace rebuild needs of a
// model is here, and nothing else.
//
// States travel in two forms. Encoded, a state is `width` small integers (what the store
// fingerprints and the frontier keeps). Decoded, it is the object a spec's predicates and recipes
// see. The engine never looks inside a decoded state: it hands it to the system's functions.

import type { LivenessSystem } from './liveness/formula.ts';

/** A decoded state, as predicates and recipes see it. */
export type State = Record<string, unknown>;

/**
 * Which branch or choice inside an action produced a successor: one small index per choice point
 * the recipe passed, in the order it passed them. Empty for an action without choices.
 */
export type ChoicePath = readonly number[];

/** The path of the one successor of an action without choices (shared, never allocated per step). */
export const NO_CHOICE: ChoicePath = Object.freeze([]) as ChoicePath;

/** What an action instance runs from: the pre-state (read-only) and fresh drafts of it. */
export interface StepSource {
  /** The pre-state, read-only; undefined unless the system's predicates or recipes need it decoded. */
  readonly pre: State | undefined;
  /** A fresh, mutable copy of the pre-state, for one run of a recipe. */
  draft(): State;
}

/**
 * Receives the successors of one action instance, one call each, with the state as the recipe left
 * it (not yet checked against the type: the step does that, after the constraint) and its choice
 * path. A sink, not an array or a generator, so that a successor costs no allocation.
 */
export type SuccessorSink = (next: unknown, choice: ChoicePath) => void;

/**
 * One action with its parameters bound (`\E t \in Threads` gives one instance per t). Instances are
 * static: they exist before the search, with small ids, so the store, fairness, traces and explorer
 * URLs can name a step as (instance id, choice path).
 */
export interface ActionInstance {
  /** Index into TransitionSystem.actions. */
  readonly id: number;
  /** The action's name, shared by all its instances (`put`, or `reader.load` for a process step). */
  readonly name: string;
  /** How a trace names this instance: `put(t=t1)`. */
  readonly label: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The process (actor) whose step this is, when the system has processes. */
  readonly process?: string;
  /**
   * Who takes the step, as a swimlane draws it (`put t1`, `n2`): a printed counterexample is one
   * with the fewest changes of it among the shortest. Default: the process, else the label.
   */
  readonly actor?: string;
  /** The guard as written; the step judges what it returns (true, false, anything else is an error). */
  readonly guard?: (pre: State) => unknown;
  /**
   * The guard is false in every state (it says so without reading the state, as `p !== q` does for
   * p = q): the step does not call it.
   */
  readonly disabled?: boolean;
  /**
   * Set on instances whose guards give one answer in every state: the same guard, reading no
   * parameter. The step asks the first of a run of such instances and takes its answer for the rest.
   */
  readonly guardShared?: object;
  /**
   * Runs the effect from `from`: calls `sink` once per successor (once per choice path that gives
   * one), or not at all. Exceptions from spec code propagate: the step reports them.
   */
  readonly successors: (from: StepSource, sink: SuccessorSink) => void;
}

/**
 * Lazily decoded states (design.md, "Views, not decode/encode"): a view decodes a variable of the
 * encoding it was opened on when first read, and the system's encoder writes it by copying the
 * untouched variables' slots. A view is valid while that encoding is: `plain` makes a copy that
 * outlives it (what a violation keeps).
 */
export interface StateViews {
  open(data: Int32Array, at: number): State;
  /** A view for a recipe to change (the system may decode it differently from one that is only read). */
  draft(data: Int32Array, at: number): State;
  /** A plain, fully decoded copy of a view; any other state as it is. */
  plain(s: State): State;
  /** The step is done with the successor made from the last draft: what that draft decoded may be reused. */
  recycle(): void;
}

/** A named state predicate (an invariant). */
export interface Invariant {
  readonly name: string;
  readonly holds: (s: State) => unknown;
  /**
   * For an invariant made of labelled parts (TLA+'s PROPERTY \A t: []P(t)): the label of the first
   * part that fails in a state it does not hold in, which the violation's message names.
   */
  readonly which?: (s: State) => string | undefined;
}

/** A named predicate on a step (TLA+'s [][P]_vars): judged on (pre-state, next state). */
export interface ActionProperty {
  readonly name: string;
  readonly holds: (pre: State, next: State) => unknown;
}

/**
 * Writes a value's encoding at `out[at..at+width)`. Returns undefined when it fits its type, or a
 * message saying what does not (`q = [1, 2, 3] is outside seqOf(int(0, 2), 2)`): a value outside
 * its type is a result, not an exception, so the engine needs no class from the language.
 */
export type Encoder = (value: unknown, out: Int32Array, at: number) => string | undefined;

/**
 * Where interchangeable ids sit in the encoding: what symmetry reduction permutes. The engine
 * knows three layouts; a schema with another (a sorted set of records, a bag) supplies `normalise`.
 */
export type SymmetrySite =
  /** A slot holding an element index; `liveIf` marks slots that are padding unless slot >= min. */
  | { kind: 'value'; set: string; slot: number; liveIf?: { slot: number; min: number } }
  /** Bit `bit` (of a set of elements, 30 per slot) stands for element `bit`. */
  | { kind: 'bits'; set: string; slot: number; bit: number }
  /** `count` blocks of `blockWidth` slots, block i belonging to element i (a map keyed by the ids). */
  | { kind: 'blocks'; set: string; slot: number; blockWidth: number; count: number }
  /**
   * `width` slots from `slot` whose layout the schema owns: `normalise` renames the ids in them by
   * `perm` (old element -> new element) and restores their normal form (re-sorts a sorted set).
   * It runs after the other sites of its group are permuted.
   */
  | { kind: 'normalise'; set: string; slot: number; width: number; normalise: (v: Int32Array, at: number, perm: ArrayLike<number>) => void };

/** The sites of one set of interchangeable ids, and how many ids it has. */
export interface SymmetryGroup {
  readonly size: number;
  readonly sites: readonly SymmetrySite[];
  /** The ids as parameters and states hold them (id i is elements[i]); for messages and the audit. */
  readonly elements?: readonly unknown[];
}

/**
 * A projection of the encoding that identifies a state (TLC's VIEW): states with the same view
 * count as one. Applied after canonicalisation, before fingerprinting.
 */
export interface View {
  readonly width: number;
  project(v: Int32Array, out: Int32Array): void;
}

/**
 * Everything needed to build the same system again in another thread or on another machine. The
 * builder is a module whose `rebuildSystem(source)` returns the system; the engine imports it by
 * URL, so it depends on no front end. `hash` covers the spec's whole import graph: a rebuild from a
 * changed spec is refused.
 */
export interface SystemSource {
  /** URL of the module exporting `rebuildSystem(source: SystemSource): Promise<TransitionSystem>`. */
  readonly builder: string;
  /** The spec module (a path or URL) and the export holding the spec. */
  readonly module: string;
  readonly export: string;
  readonly variant: string;
  /** Constants as checked (the spec's defaults with the variant's and the user's overrides). */
  readonly constants: Readonly<Record<string, unknown>>;
  /** Hash of the contents of the spec module and every module it imports, transitively. */
  readonly hash: string;
}

export interface TransitionSystem {
  /** How messages name the system: `two-phase [racy]`. */
  readonly title: string;
  /** Slots of an encoded state. */
  readonly width: number;
  /**
   * The wide bounded sets and sequences of the encoding, as triples [at, width, row] in order of
   * `at`: the slot at `at` holds the number of rows, each `row` slots, and the slots past them up to
   * at + width are zero in every encoded state. Fingerprints skip those zeros (fingerprint()).
   */
  readonly countedRegions?: Int32Array;
  /**
   * The largest number each slot of an encoded state can hold, as unsigned 32-bit numbers
   * (0xffffffff where nothing bounds it): a level queue packs the states it holds into the bits
   * these need. Without it, states are queued slot for slot.
   */
  readonly slotBounds?: Uint32Array;
  /** The initial states as given (they may lie outside their type). */
  readonly initial: readonly unknown[];
  /**
   * The initial states produced one at a time, when the system makes them so: a search admits each
   * as it comes and keeps none as an object (`initial` then lists them again when asked for).
   */
  readonly initialStates?: () => Iterable<unknown>;
  readonly encode: Encoder;
  /** A fresh, mutable decoded state. */
  decode(from: Int32Array, at: number): State;
  /** Views over encoded states, for the search's hot loop (its encoder then also writes views). */
  readonly views?: StateViews;
  readonly actions: readonly ActionInstance[];
  readonly invariants: readonly Invariant[];
  readonly actionProperties: readonly ActionProperty[];
  /** TLC's CONSTRAINT: successors outside it are neither stored nor explored (their invariants are checked). */
  readonly constraint?: (s: State) => unknown;
  /** TLC's ACTION_CONSTRAINT: steps outside it are not taken (the successor's invariants are checked). */
  readonly actionConstraint?: (pre: State, next: State) => unknown;
  /** States where having no successor is proper termination, not deadlock. */
  readonly terminal?: (s: State) => unknown;
  /** Whether a state without successors is a deadlock (unless terminal). */
  readonly deadlock: boolean;
  readonly view?: View;
  /** Interchangeable ids, by the name of their set; groups of fewer than two ids are left out. */
  readonly symmetry: ReadonlyMap<string, SymmetryGroup>;
  /** Whether some instance may give more than one successor (the store then keeps choice paths). */
  readonly choices?: boolean;
  /** Where the system can be rebuilt from; a search with worker threads needs it. */
  readonly source?: SystemSource;
  /** Temporal properties under fairness, checked on the state graph after a complete search (liveness/). */
  readonly liveness?: LivenessSystem;
}

/**
 * Told of every transition a search takes, also to states already seen, and of the initial states
 * (from -1, action -1). `to` is the store index of the successor, or -1 when it is not stored (the
 * constraint prunes it). `next` is its encoding, valid during the call only. A search without an
 * observer does not pay for it.
 */
export type TransitionObserver = (from: number, to: number, action: number, choice: ChoicePath, next: Int32Array) => void;

/** The initial states of a system, one at a time when it produces them so. */
export function initialStates(system: TransitionSystem): Iterable<unknown> {
  return system.initialStates ? system.initialStates() : system.initial;
}
