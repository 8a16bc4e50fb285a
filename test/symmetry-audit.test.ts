// The symmetry audit: symmetric specs pass; a spec that tells ids apart is reported with the
// action (and its parameters), the state and the permutation, and the run exits 75.
import { describe, expect, it } from 'vitest';
import { compileModel } from '../src/compile/model.ts';
import { auditSymmetry } from '../checker/symmetry/audit.ts';
import { bool, defineSpec, mapOf, optional, scalarset, type InferShape } from '../src/index.ts';
import queuedLock from '../specs/examples/queued-lock.ts';
import tcommit from '../specs/examples/tcommit.ts';
import twoPhase from '../specs/examples/two-phase.ts';
import voting from '../specs/examples/voting.ts';
import { cli, scratch } from './helpers.ts';

const T = scalarset('t', 3);
const lockState = { want: mapOf(T, bool()), owner: optional(T) };
type LockState = InferShape<typeof lockState>;

/** Threads ask for a lock; `pick` decides which asking thread may take it. */
const lockSpec = (pick: (s: LockState, t: string) => boolean, invariants: Record<string, (s: LockState) => boolean> = {}) =>
  defineSpec({
    name: 'picky-lock',
    state: lockState,
    init: { want: { t1: false, t2: false, t3: false }, owner: null },
    actions: {
      request: { params: { t: T }, when: (s, { t }) => !s.want[t], do: (s, { t }) => { s.want[t] = true; } },
      grant: { params: { t: T }, when: (s, { t }) => s.owner === null && s.want[t] && pick(s, t), do: (s, { t }) => { s.owner = t; } },
      release: { params: { t: T }, when: (s, { t }) => s.owner === t, do: (s, { t }) => { s.owner = null; s.want[t] = false; } },
    },
    invariants,
    deadlock: false,
  });

/** The fixture that tells its ids apart: t1 may start at once, the others only after it. */
const BOSS = 'test/fixtures/boss.ts';

describe('symmetry audit', () => {
  it('passes the symmetric examples, checking every reachable state when there are few', () => {
    for (const [spec, states] of [[tcommit, 34], [twoPhase, 288], [voting, 599], [queuedLock, 65]] as const) {
      const a = auditSymmetry(compileModel(spec, spec.variantNames[0]));
      expect([a.passed, a.statesExplored, a.statesSampled, a.problem]).toEqual([true, states, states, undefined]);
      expect(a.permutationsTried).toBeGreaterThanOrEqual(states);
      expect(a.transitionsCompared).toBeGreaterThan(0);
    }
  });

  it('samples a seeded subset of a larger space, the same one for the same seed', () => {
    const model = compileModel(voting, 'ballots-0-1');
    const a = auditSymmetry(model, { samples: 50, seed: 7 });
    const b = auditSymmetry(model, { samples: 50, seed: 7 });
    expect([a.passed, a.statesExplored, a.statesSampled]).toEqual([true, 599, 50]);
    expect(b.transitionsCompared).toBe(a.transitionsCompared);
  });

  it('a pool that stops at its limit is topped up with random walks', () => {
    const a = auditSymmetry(compileModel(voting, 'ballots-0-1'), { samples: 40, poolLimit: 100 });
    expect([a.passed, a.statesExplored, a.statesSampled]).toEqual([true, 100, 40]);
  });

  it('reports a guard that compares ids with <, naming the action and its parameters', () => {
    const spec = lockSpec((s, t) => T.values.every((u) => u === t || !s.want[u] || t < u));
    const a = auditSymmetry(compileModel(spec, 'default'));
    expect(a.passed).toBe(false);
    expect(a.problem!.culprit).toMatch(/^grant\(t=t[123]\)$/);
    expect(a.problem!.groups).toEqual(['t']);
    expect(a.problem!.message).toContain(`picky-lock: ${a.problem!.culprit} breaks the symmetry of scalarset 't'.`);
    expect(a.problem!.message).toMatch(/permutation: {4}t\d -> t\d/);
    expect(a.problem!.message).toContain('state:          { want: { t1: ');
  });

  it('reports an invariant that names a fixed id', () => {
    const spec = lockSpec(() => true, { T1NeverOwns: (s) => s.owner !== 't1' });
    const a = auditSymmetry(compileModel(spec, 'default'));
    expect(a.passed).toBe(false);
    expect(a.problem!.culprit).toBe("invariant 'T1NeverOwns'");
    expect(a.problem!.message).toMatch(/invariant 'T1NeverOwns' is (true|false) in the state but (true|false) in the permuted state\./);
  });

  it('interleave check --audit-symmetry exits 75 and does not check an asymmetric variant', () => {
    const dir = scratch();
    const r = cli(['check', BOSS, '--audit-symmetry', '--out', dir]);
    expect(r.code).toBe(75);
    expect(r.stdout).toContain("✗ symmetry audit failed: boss: start(t=t1) breaks the symmetry of scalarset 't'.");
    expect(r.stdout).toContain('permutation:    t1 -> t2, t2 -> t1');
    expect(r.stdout).toContain("state:          { pc: { t1: 'idle', t2: 'idle' } }");
    expect(r.stdout).toContain("step:           start(t=t1) leads to { pc: { t1: 'busy', t2: 'idle' } }");
    expect(r.stdout).toContain("expected:       a step from the permuted state to { pc: { t1: 'idle', t2: 'busy' } }");
    expect(r.stdout).toContain('but no action takes it there; the permuted step start(t=t2) is disabled there.');
    expect(r.stdout).toContain('Not checked: symmetry reduction would be unsound for this variant.');
    expect(r.stdout).not.toContain('distinct states found');
    expect(r.stdout).toContain('Not checked, the symmetry audit failed: boss (exit 75).');

    const json = cli(['check', BOSS, '--audit-symmetry', '--json', '--out', dir]);
    expect(json.code).toBe(75);
    const doc = JSON.parse(json.stdout);
    expect(doc.exitCode).toBe(75);
    expect(doc.results).toEqual([]);
    expect(doc.symmetryAudits[0]).toMatchObject({ spec: 'boss', passed: false, scalarsets: ['t'], problem: { culprit: 'start(t=t1)', permutation: 't1 -> t2, t2 -> t1' } });
  });

  it('runs a quick audit before every check with symmetry: an asymmetric spec is not falsely checked', () => {
    const dir = scratch();
    const r = cli(['check', BOSS, '--out', dir]);
    expect(r.code).toBe(75);
    expect(r.stdout).toContain("✗ symmetry audit failed: boss: start(t=t1) breaks the symmetry of scalarset 't'.");
    expect(r.stdout).toContain('quick audit before checking: 4 of 4 reachable states sampled');
    expect(r.stdout).not.toContain('distinct states found');

    // Without reduction there is nothing to audit, and the spec is checked as written.
    const off = cli(['check', BOSS, '--symmetry', 'off', '--out', dir]);
    expect(off.code).toBe(0);
    expect(off.stdout).not.toContain('symmetry audit');
    expect(off.stdout).toContain('✓ boss: holds');
    expect(off.stdout).toContain('4 distinct states found');
    const thoroughOff = cli(['check', BOSS, '--audit-symmetry', '--symmetry', 'off', '--out', dir]);
    expect(thoroughOff.code).toBe(0);
    expect(thoroughOff.stdout).toContain('✓ boss: symmetry audit: not needed, checked without symmetry reduction');

    // --no-audit-symmetry trusts the spec: here wrongly, and the reduced search merges states that differ.
    const trusted = cli(['check', BOSS, '--no-audit-symmetry', '--json', '--out', dir]);
    expect(trusted.code).toBe(0);
    const doc = JSON.parse(trusted.stdout);
    expect(doc.symmetryAudits).toBeUndefined();
    expect(doc.results[0].distinct).toBe(3);
  });

  it('the quick audit passes the symmetric examples silently, and --json reports it', () => {
    const r = cli(['check', 'specs/examples/tcommit.ts', '--json', '--out', scratch()]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.symmetryAudits).toEqual([expect.objectContaining({ spec: 'tcommit', passed: true, statesExplored: 34, statesSampled: 34 })]);
    const text = cli(['check', 'specs/examples/tcommit.ts', '--out', scratch()]);
    expect(text.stdout).not.toContain('symmetry audit');
  });

  it('interleave check --audit-symmetry passes a symmetric spec and then checks it', () => {
    const r = cli(['check', 'specs/examples/tcommit.ts', '--audit-symmetry', '--out', scratch()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ tcommit: symmetry audit passed, symmetric in 'r' \(34 of 34 reachable states sampled, \d+ permutations, \d+ steps compared\)/);
    expect(r.stdout).toContain('✓ tcommit: holds');
  });
});
