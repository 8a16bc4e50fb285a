// A simple resource allocator (TLA+ Examples, specifications/allocator/SimpleAllocator.tla, by
// Stephan Merz), written as the TLA+ module is: one action per TLA+ action, its \E c, S as
// parameters. Clients request sets of resources, the allocator grants parts of outstanding
// requests, and clients return what they hold.
// The module's fairness returns exactly what a client holds, WF_vars(Return(c, alloc[c])): the
// instances of Return whose S agrees with the state, written with `when`.
// TLC with Clients = {c1, c2, c3}, Resources = {r1, r2} (SimpleAllocator.cfg, no symmetry):
// 400 distinct states, 1633 generated, depth 6; ResourceMutex and the three temporal properties hold.
// Under SimpleAllocator2, whose fairness returns only for a client with no outstanding request,
// ClientsWillReturn still holds, and ClientsWillObtain and InfOftenSatisfied fail (as the module says).
import { defineSpec, forall, leadsTo, alwaysEventually, mapOf, scalarset, setOf, strongFair, weakFair, type InferShape } from '../../src/index.ts';

const Client = scalarset('c', 3);
const Resource = scalarset('r', 2);
const state = {
  /** unsat[c]: the resources c asked for and has not yet been given. */
  unsat: mapOf(Client, setOf(Resource)),
  /** alloc[c]: the resources c holds. */
  alloc: mapOf(Client, setOf(Resource)),
};
type S = InferShape<typeof state>;

const subset = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));
const same = (a: Set<string>, b: Set<string>) => a.size === b.size && subset(a, b);
/** The resources no client holds. */
const available = (s: S) => Resource.values.filter((r) => Client.values.every((c) => !s.alloc[c].has(r)));

/** SF_vars(\E S \in SUBSET Resources: Allocate(c, S)), for each client. */
const allocateFair = Client.values.map((c) => strongFair('Allocate', { where: (p) => p.c === c, name: `SF(Allocate ${c})` }));
/** WF_vars(Return(c, alloc[c])), for each client. */
const returnFair = Client.values.map((c) => weakFair('Return', { where: (p) => p.c === c, when: (s: S, p) => same(p.S, s.alloc[c]), name: `WF(Return(${c}, alloc[${c}]))` }));
/** SimpleAllocator2: WF_vars(unsat[c] = {} /\ Return(c, alloc[c])), for each client. */
const returnFair2 = Client.values.map((c) =>
  weakFair('Return', { where: (p) => p.c === c, when: (s: S, p) => s.unsat[c].size === 0 && same(p.S, s.alloc[c]), name: `WF(unsat[${c}] = {} /\\ Return(${c}, alloc[${c}]))` }),
);

export default defineSpec({
  name: 'simple-allocator',
  description: 'A resource allocator: every client that asks is eventually served, and returns what it holds.',
  state,
  init: { unsat: Client.mapTo(() => new Set<string>()), alloc: Client.mapTo(() => new Set<string>()) },
  actions: {
    /** A client that holds nothing and asks for nothing asks for a non-empty set. */
    Request: {
      params: { c: Client, S: setOf(Resource) },
      when: (s, { c, S }) => s.unsat[c].size === 0 && s.alloc[c].size === 0 && S.size > 0,
      do: (s, { c, S }) => { s.unsat[c] = new Set(S); },
    },
    /** The allocator grants available resources a client asked for. */
    Allocate: {
      params: { c: Client, S: setOf(Resource) },
      when: (s, { c, S }) => S.size > 0 && subset(S, new Set(available(s))) && subset(S, s.unsat[c]),
      do: (s, { c, S }) => {
        for (const r of S) {
          s.alloc[c].add(r);
          s.unsat[c].delete(r);
        }
      },
    },
    /** A client returns some of what it holds. */
    Return: {
      params: { c: Client, S: setOf(Resource) },
      when: (s, { c, S }) => S.size > 0 && subset(S, s.alloc[c]),
      do: (s, { c, S }) => { for (const r of S) s.alloc[c].delete(r); },
    },
  },
  invariants: {
    ResourceMutex: (s) => Client.values.every((a) => Client.values.every((b) => a === b || ![...s.alloc[a]].some((r) => s.alloc[b].has(r)))),
  },
  temporal: {
    /** A client that is satisfied eventually returns everything. */
    ClientsWillReturn: forall(Client, (c) => leadsTo((s: S) => s.unsat[c].size === 0, (s: S) => s.alloc[c].size === 0)),
    /** A client that asks for a resource eventually gets it. */
    ClientsWillObtain: forall(Client, (c) => forall(Resource, (r) => leadsTo((s: S) => s.unsat[c].has(r), (s: S) => s.alloc[c].has(r)))),
    /** Every client is satisfied again and again. */
    InfOftenSatisfied: forall(Client, (c) => alwaysEventually((s: S) => s.unsat[c].size === 0)),
  },
  fairness: [...returnFair, ...allocateFair],
  // The module's model notes that symmetry is unsound for its liveness properties; checked without it.
  symmetry: false,
  deadlock: false,
  variants: {
    SimpleAllocator: { expect: 'holds' },
    'SimpleAllocator2/Return': { fairness: [...returnFair2, ...allocateFair], properties: ['ResourceMutex', 'ClientsWillReturn'], expect: 'holds' },
    'SimpleAllocator2/Obtain': { fairness: [...returnFair2, ...allocateFair], properties: ['ClientsWillObtain'], expect: { violates: 'ClientsWillObtain' } },
    'SimpleAllocator2/InfOften': { fairness: [...returnFair2, ...allocateFair], properties: ['InfOftenSatisfied'], expect: { violates: 'InfOftenSatisfied' } },
  },
});
