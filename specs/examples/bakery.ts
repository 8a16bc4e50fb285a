// Lamport's bakery algorithm (1974) in its atomic PlusCal form, as in the TLA+ Examples
// (specifications/Bakery-Boulangerie/Bakery.tla, by Leslie Lamport and Stephan Merz): a process takes a
// number one above every number it sees, then waits for each other process that is choosing or holds
// a smaller (number, id) pair. Variables not yet meaningful may take any type-correct value: e3 and
// exit may write any number first (`with (k \in Nat)`), and e1 and e4 may flip the flag back and forth.
// Written as the TLA+ translation is: one step per label, each `either` a branch, each \E a choice;
// w2's await is the disjunction num[nxt] = 0 \/ <<num[self], self>> \prec <<num[nxt], nxt>>, and
// TLC counts a successor for each true disjunct (\prec's two included), so it is three branches here.
// The module's model (MCBakery.cfg) checks ISpec, whose initial predicate is the inductive invariant
// Inv itself (every type-correct state where it holds), with Nat overridden by 0..MaxNat and no
// deadlock check: each successor of such a state satisfies Inv again, so the search has depth 1.
// TLC's numbers:
// - N = 2, MaxNat = 2 (the module's model, `npm run bench`): 655,200 distinct states, 3,403,584
//   generated, depth 1.
// - N = 2, MaxNat = 1 (the default here): 112,160 distinct states, 520,272 generated, depth 1
//   (test/conformance-mutex.test.ts; TLC refuses this model as it is, whose ASSUME N \in Nat is false
//   once Nat is 0..1, so its counts come from the module with that assumption removed).
import { bool, choose, defineSpec, eachValueOf, either, enumOf, int, mapOf, setOf, when } from '../../src/index.ts';
import { process } from '../../src/process.ts';

type C = { N: number; MaxNat: number };
const Procs = (c: C) => int(1, c.N);
/** Nat, overridden by 0..MaxNat as in MCBakery.cfg: made once per MaxNat (e3 and exit choose from it on every state). */
const natSets = new Map<number, ReturnType<typeof int>>();
const Nat = (c: C) => natSets.get(c.MaxNat) ?? natSets.set(c.MaxNat, int(0, c.MaxNat)).get(c.MaxNat)!;
/** The ids 1..N as a plain array, made once per N (guards and invariants run on every state). */
const idLists = new Map<number, readonly number[]>();
const ids = (c: C) => idLists.get(c.N) ?? idLists.set(c.N, Procs(c).values).get(c.N)!;
const Label = enumOf('ncs', 'e1', 'e2', 'e3', 'e4', 'w1', 'w2', 'cs', 'exit');
type Label = (typeof Label.values)[number];
const shape = (c: C) => ({
  num: mapOf(Procs(c), Nat(c)),
  flag: mapOf(Procs(c), bool()),
  pc: mapOf(Procs(c), Label),
  unchecked: mapOf(Procs(c), setOf(Procs(c))),
  max: mapOf(Procs(c), Nat(c)),
  nxt: mapOf(Procs(c), Procs(c)),
});
type S = {
  num: Record<number, number>;
  flag: Record<number, boolean>;
  pc: Record<number, Label>;
  unchecked: Record<number, Set<number>>;
  max: Record<number, number>;
  nxt: Record<number, number>;
};

/** Procs \ {self}. */
const others = (c: C, self: number) => new Set(ids(c).filter((j) => j !== self));
/** <<a1, a2>> \prec <<b1, b2>>: the lexicographic order on (number, id) pairs. */
const prec = (a1: number, a2: number, b1: number, b2: number) => a1 < b1 || (a1 === b1 && a2 < b2);
const at = (s: S, i: number, ...labels: Label[]) => labels.includes(s.pc[i]);

/** i's number is set and j, wherever it is, will not overtake it (the module's Before(i, j)). */
const before = (s: S, i: number, j: number) =>
  s.num[i] > 0 &&
  (at(s, j, 'ncs', 'e1', 'exit') ||
    (at(s, j, 'e2') && (s.unchecked[j].has(i) || s.max[j] >= s.num[i])) ||
    (at(s, j, 'e3') && s.max[j] >= s.num[i]) ||
    (at(s, j, 'e4', 'w1', 'w2') && prec(s.num[i], i, s.num[j], j) && (!at(s, j, 'w1', 'w2') || s.unchecked[j].has(i))));

/** The module's IInv, its inductive invariant without the type correctness. */
const inductive = (s: S, c: C) =>
  ids(c).every((i) =>
    (!at(s, i, 'e4', 'w1', 'w2', 'cs') || s.num[i] !== 0) &&
    (!at(s, i, 'e2', 'e3') || s.flag[i]) &&
    (!at(s, i, 'w2') || s.nxt[i] !== i) &&
    (!at(s, i, 'w1', 'w2') || !s.unchecked[i].has(i)) &&
    (!at(s, i, 'w1', 'w2') || ids(c).every((j) => s.unchecked[i].has(j) || j === i || before(s, i, j))) &&
    (!(at(s, i, 'w2') && ((at(s, s.nxt[i], 'e2') && !s.unchecked[s.nxt[i]].has(i)) || at(s, s.nxt[i], 'e3'))) ||
      s.max[s.nxt[i]] >= s.num[i]) &&
    (!at(s, i, 'cs') || ids(c).every((j) => j === i || before(s, i, j))));

const p = process<S, C>()('p', Procs, {
  pc: 'pc',
  steps: {
    ncs: {},
    e1: {
      do: (s, self, c) =>
        either(
          () => { s.flag[self] = !s.flag[self]; return 'e1' as const; },
          () => {
            s.flag[self] = true;
            s.unchecked[self] = others(c, self);
            s.max[self] = 0;
            return 'e2' as const;
          },
        ),
    },
    e2: {
      do: (s, self) => {
        if (s.unchecked[self].size === 0) return 'e3';
        const i = choose(s.unchecked[self], 'i');
        s.unchecked[self].delete(i);
        if (s.num[i] > s.max[self]) s.max[self] = s.num[i];
        return 'e2';
      },
    },
    e3: {
      do: (s, self, c) =>
        either(
          () => { s.num[self] = choose(Nat(c), 'k'); return 'e3' as const; },
          () => { s.num[self] = choose(Nat(c).values.filter((j) => j > s.max[self]), 'i'); return 'e4' as const; },
        ),
    },
    e4: {
      do: (s, self, c) =>
        either(
          () => { s.flag[self] = !s.flag[self]; return 'e4' as const; },
          () => { s.flag[self] = false; s.unchecked[self] = others(c, self); return 'w1' as const; },
        ),
    },
    w1: {
      do: (s, self) => {
        if (s.unchecked[self].size === 0) return 'cs';
        const i = choose(s.unchecked[self], 'i');
        s.nxt[self] = i;
        when(!s.flag[i]);
        return 'w2';
      },
    },
    w2: {
      do: (s, self) => {
        const n = s.nxt[self];
        either(
          () => when(s.num[n] === 0),
          () => when(s.num[self] < s.num[n]),
          () => when(s.num[self] === s.num[n] && self < n),
        );
        s.unchecked[self].delete(n);
        return 'w1';
      },
    },
    cs: {},
    exit: {
      do: (s, self, c) =>
        either(
          () => { s.num[self] = choose(Nat(c), 'k'); return 'exit' as const; },
          () => { s.num[self] = 0; return 'ncs' as const; },
        ),
    },
  },
});

export default defineSpec({
  name: 'bakery',
  description: 'The atomic bakery algorithm, checked from every state of its inductive invariant.',
  constants: { N: 2, MaxNat: 1 } as C,
  assumptions: { NType: (c) => Number.isInteger(c.N) && c.N >= 1 },
  state: shape,
  // ISpec's initial predicate: Inv == TypeOK /\ IInv, over every type-correct state (1,679,616 of them
  // at N = 2, MaxNat = 2: more than valuesOf(shape) lists, so they are walked one at a time).
  init: (c) => eachValueOf(shape(c), (s) => inductive(s, c)),
  actions: p,
  invariants: {
    MutualExclusion: (s, c) => ids(c).filter((i) => at(s, i, 'cs')).length <= 1,
    Inv: (s, c) => inductive(s, c),
  },
  deadlock: false,
  expect: 'holds',
});
