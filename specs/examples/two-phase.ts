// Two-phase commit (TLA+ Examples, specifications/transaction_commit/TwoPhase.tla). The message set
// `msgs` is held as its three kinds: the Prepared messages (one per manager), Commit and Abort.
// TLC with RM = {r1, r2, r3} and no symmetry: 288 distinct states, 1146 generated, depth 11.
import { bool, defineSpec, enumOf, mapOf, scalarset, setOf } from '../../src/index.ts';

const RM = scalarset('r', 3);
type RmState = 'working' | 'prepared' | 'committed' | 'aborted';

export default defineSpec({
  name: 'two-phase',
  description: 'The transaction manager commits only when every manager prepared; all agree.',
  state: {
    rmState: mapOf(RM, enumOf('working', 'prepared', 'committed', 'aborted')),
    tmState: enumOf('init', 'committed', 'aborted'),
    tmPrepared: setOf(RM),
    preparedMsgs: setOf(RM),
    commitMsg: bool(),
    abortMsg: bool(),
  },
  init: {
    rmState: Object.fromEntries(RM.values.map((r) => [r, 'working'])) as Record<string, RmState>,
    tmState: 'init',
    tmPrepared: new Set<string>(),
    preparedMsgs: new Set<string>(),
    commitMsg: false,
    abortMsg: false,
  },
  actions: {
    TMCommit: {
      when: (s) => s.tmState === 'init' && s.tmPrepared.size === RM.size,
      do: (s) => { s.tmState = 'committed'; s.commitMsg = true; },
    },
    TMAbort: {
      when: (s) => s.tmState === 'init',
      do: (s) => { s.tmState = 'aborted'; s.abortMsg = true; },
    },
    TMRcvPrepared: {
      params: { r: RM },
      when: (s, { r }) => s.tmState === 'init' && s.preparedMsgs.has(r),
      do: (s, { r }) => { s.tmPrepared.add(r); },
    },
    RMPrepare: {
      params: { r: RM },
      when: (s, { r }) => s.rmState[r] === 'working',
      do: (s, { r }) => { s.rmState[r] = 'prepared'; s.preparedMsgs.add(r); },
    },
    RMChooseToAbort: {
      params: { r: RM },
      when: (s, { r }) => s.rmState[r] === 'working',
      do: (s, { r }) => { s.rmState[r] = 'aborted'; },
    },
    RMRcvCommitMsg: {
      params: { r: RM },
      when: (s) => s.commitMsg,
      do: (s, { r }) => { s.rmState[r] = 'committed'; },
    },
    RMRcvAbortMsg: {
      params: { r: RM },
      when: (s) => s.abortMsg,
      do: (s, { r }) => { s.rmState[r] = 'aborted'; },
    },
  },
  invariants: {
    TCConsistent: (s) => !(RM.values.some((r) => s.rmState[r] === 'aborted') && RM.values.some((r) => s.rmState[r] === 'committed')),
  },
  expect: 'holds',
});
