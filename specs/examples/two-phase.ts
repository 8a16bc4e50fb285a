// Two-phase commit (TLA+ Examples, specifications/transaction_commit/TwoPhase.tla), written as the
// TLA+ module is: `msgs` is the set of messages ever sent, records of a type and (for Prepared) the
// sender; receiving a message is finding it in the set, and it stays there.
// TLC with RM = {r1, r2, r3} and no symmetry: 288 distinct states, 1146 generated, depth 11.
import { defineSpec, enumOf, mapOf, optional, record, scalarset, setOf, ValueSet, type Infer } from '../../src/index.ts';

const RM = scalarset('r', 3);
/** TLA+'s [type: {"Prepared"}, rm: RM] \cup [type: {"Commit", "Abort"}]: `rm` only on Prepared. */
const Message = record({ type: enumOf('Prepared', 'Commit', 'Abort'), rm: optional(RM) });
type Message = Infer<typeof Message>;

export default defineSpec({
  name: 'two-phase',
  description: 'The transaction manager commits only when every manager prepared; all agree.',
  state: {
    rmState: mapOf(RM, enumOf('working', 'prepared', 'committed', 'aborted')),
    tmState: enumOf('init', 'committed', 'aborted'),
    tmPrepared: setOf(RM),
    msgs: setOf(Message),
  },
  init: {
    rmState: RM.mapTo(() => 'working' as const),
    tmState: 'init',
    tmPrepared: new Set<string>(),
    msgs: new ValueSet<Message>(),
  },
  actions: {
    TMRcvPrepared: {
      params: { r: RM },
      when: (s, { r }) => s.tmState === 'init' && s.msgs.has({ type: 'Prepared', rm: r }),
      do: (s, { r }) => { s.tmPrepared.add(r); },
    },
    TMCommit: {
      when: (s) => s.tmState === 'init' && s.tmPrepared.size === RM.size,
      do: (s) => { s.tmState = 'committed'; s.msgs.add({ type: 'Commit', rm: null }); },
    },
    TMAbort: {
      when: (s) => s.tmState === 'init',
      do: (s) => { s.tmState = 'aborted'; s.msgs.add({ type: 'Abort', rm: null }); },
    },
    RMPrepare: {
      params: { r: RM },
      when: (s, { r }) => s.rmState[r] === 'working',
      do: (s, { r }) => { s.rmState[r] = 'prepared'; s.msgs.add({ type: 'Prepared', rm: r }); },
    },
    RMChooseToAbort: {
      params: { r: RM },
      when: (s, { r }) => s.rmState[r] === 'working',
      do: (s, { r }) => { s.rmState[r] = 'aborted'; },
    },
    RMRcvCommitMsg: {
      params: { r: RM },
      when: (s) => s.msgs.has({ type: 'Commit', rm: null }),
      do: (s, { r }) => { s.rmState[r] = 'committed'; },
    },
    RMRcvAbortMsg: {
      params: { r: RM },
      when: (s) => s.msgs.has({ type: 'Abort', rm: null }),
      do: (s, { r }) => { s.rmState[r] = 'aborted'; },
    },
  },
  invariants: {
    TCConsistent: (s) => !(RM.values.some((r) => s.rmState[r] === 'aborted') && RM.values.some((r) => s.rmState[r] === 'committed')),
  },
  expect: 'holds',
});
