// The transaction commit protocol (TLA+ Examples, specifications/transaction_commit/TCommit.tla):
// resource managers prepare, then all commit or all abort. TLC with RM = {r1, r2, r3} and no
// symmetry: 34 distinct states, 94 generated, depth 7. The managers are interchangeable.
import { defineSpec, enumOf, mapOf, scalarset } from '../../src/index.ts';

const RM = scalarset('r', 3);
const RMState = enumOf('working', 'prepared', 'committed', 'aborted');
type Rm = Record<string, 'working' | 'prepared' | 'committed' | 'aborted'>;

const canCommit = (rm: Rm) => RM.values.every((r) => rm[r] === 'prepared' || rm[r] === 'committed');
const notCommitted = (rm: Rm) => RM.values.every((r) => rm[r] !== 'committed');

export default defineSpec({
  name: 'tcommit',
  description: 'All resource managers agree: no one commits while another aborts.',
  state: { rmState: mapOf(RM, RMState) },
  init: { rmState: Object.fromEntries(RM.values.map((r) => [r, 'working'])) as Rm },
  actions: {
    Prepare: {
      params: { r: RM },
      when: (s, { r }) => s.rmState[r] === 'working',
      do: (s, { r }) => { s.rmState[r] = 'prepared'; },
    },
    DecideCommit: {
      params: { r: RM },
      when: (s, { r }) => s.rmState[r] === 'prepared' && canCommit(s.rmState),
      do: (s, { r }) => { s.rmState[r] = 'committed'; },
    },
    DecideAbort: {
      params: { r: RM },
      when: (s, { r }) => (s.rmState[r] === 'working' || s.rmState[r] === 'prepared') && notCommitted(s.rmState),
      do: (s, { r }) => { s.rmState[r] = 'aborted'; },
    },
  },
  invariants: {
    TCConsistent: (s) => !(RM.values.some((r) => s.rmState[r] === 'aborted') && RM.values.some((r) => s.rmState[r] === 'committed')),
  },
  // As in TLC's model of TCommit: a finished transaction has nothing left to do.
  deadlock: false,
  expect: 'holds',
});
