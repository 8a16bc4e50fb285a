// Missionaries and cannibals (TLA+ Examples, specifications/MissionariesAndCannibals), written as the
// TLA+ module is: a step moves a set S of one or two people, chosen among those on the boat's bank
// (the module's \E S \in SUBSET who_is_on_bank[bank_of_boat]), when both banks stay safe (IsSafe,
// a disjunction, is a branch, as TLC evaluates it inside an action).
// TLC with three of each, without the Solution invariant: 64 distinct states, 283 generated, depth 13.
// With it, the shortest solution: 12 crossings.
import { choose, defineSpec, either, enumOf, mapOf, setOf, subsetsOf, when } from '../../src/index.ts';

const Person = enumOf('m1', 'm2', 'm3', 'c1', 'c2', 'c3');
type Person = (typeof Person.values)[number];
const Bank = enumOf('E', 'W');
const isCannibal = (p: Person) => p.startsWith('c');

/**
 * IsSafe(S), in an action: nobody on the bank is eaten, because there are no missionaries there, or
 * no more cannibals than missionaries. A disjunction, so where both hold (an empty bank) TLC counts
 * a successor for each, and so does this branch.
 */
const isSafe = (people: Set<Person>) => {
  const cannibals = [...people].filter(isCannibal).length;
  either(
    () => when(cannibals === people.size),
    () => when(cannibals <= people.size - cannibals),
  );
};
const other = (b: 'E' | 'W') => (b === 'E' ? 'W' : 'E');

export default defineSpec({
  name: 'missionaries-and-cannibals',
  description: 'Three missionaries and three cannibals cross a river in a boat for two.',
  state: { bank_of_boat: Bank, who_is_on_bank: mapOf(Bank, setOf(Person)) },
  init: { bank_of_boat: 'E', who_is_on_bank: { E: new Set(Person.values), W: new Set<Person>() } },
  actions: {
    Move: {
      do: (s) => {
        const b = s.bank_of_boat;
        const S = choose(subsetsOf(s.who_is_on_bank[b]), 'S');
        when(S.size === 1 || S.size === 2);
        const thisBank = new Set([...s.who_is_on_bank[b]].filter((p) => !S.has(p)));
        const otherBank = new Set([...s.who_is_on_bank[other(b)], ...S]);
        isSafe(thisBank);
        isSafe(otherBank);
        s.bank_of_boat = other(b);
        s.who_is_on_bank[b] = thisBank;
        s.who_is_on_bank[other(b)] = otherBank;
      },
    },
  },
  invariants: { Solution: (s) => s.who_is_on_bank.E.size > 0 },
  variants: {
    explore: { properties: [], expect: 'holds' },
    solve: { properties: ['Solution'], expect: { violates: 'Solution' } },
  },
});
