// Symmetry on the command line: what the summary says was reduced and saved, and switching it off.
import { describe, expect, it } from 'vitest';
import { cli, scratch } from './helpers.ts';

describe('interleave check: symmetry in the report', () => {
  it('names the scalarsets reduced, and with --symmetry-compare what that saved', () => {
    const r = cli(['check', 'specs/examples/two-phase.ts', '--symmetry-compare', '--out', scratch()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('318 states generated, 80 distinct states found, 0 states left on queue.');
    expect(r.stdout).toContain('Symmetry reduction over: r. Without symmetry: 288 distinct states; symmetry saved 208 (3.60x).');
  });

  it('reports the comparison in --json', () => {
    const r = cli(['check', 'specs/examples/voting.ts', '--variant', 'ballots-0-1', '--symmetry-compare', '--json', '--out', scratch()]);
    expect(r.code).toBe(0);
    const [res] = JSON.parse(r.stdout).results;
    expect(res).toMatchObject({ spec: 'voting', distinct: 77, depth: 11, symmetry: ['a', 'v'] });
    expect(res.withoutSymmetry).toEqual({ distinct: 599, generated: 3124, complete: true, saved: 522 });
  });

  it('--symmetry off explores every state and reports no reduction', () => {
    const r = cli(['check', 'specs/examples/two-phase.ts', '--symmetry', 'off', '--json', '--out', scratch()]);
    const [res] = JSON.parse(r.stdout).results;
    expect([res.distinct, res.generated, res.symmetry, res.withoutSymmetry]).toEqual([288, 1146, [], undefined]);
  });

  it('says when a comparison covers searches that stopped early', () => {
    const r = cli(['check', 'specs/examples/queued-lock.ts', '--variant', 'lost-wakeup', '--symmetry-compare', '--out', scratch()]);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain('(A search stopped early, so the counts cover different parts of the state space.)');
  });

  it('documents the options in --help', () => {
    const r = cli(['check', '--help']);
    expect(r.stdout).toContain('--symmetry-compare');
    expect(r.stdout).toMatch(/--audit-symmetry +before checking with symmetry reduction, test thoroughly on sampled reachable states/);
    expect(r.stdout).toContain('--no-audit-symmetry skips even the quick audit');
    expect(r.stdout).toContain('the run exits 75');
  });

  it('rejects audit options without --audit-symmetry with exit 151', () => {
    const r = cli(['check', 'specs/examples/tcommit.ts', '--audit-seed', '3']);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain('interleave: --audit-samples and --audit-seed only apply with --audit-symmetry');
  });

  it('rejects a bad audit sample count with exit 151', () => {
    const r = cli(['check', 'specs/examples/tcommit.ts', '--audit-symmetry', '--audit-samples', '0']);
    expect(r.code).toBe(151);
    expect(r.stderr).toContain("--audit-samples must be a positive whole number, not '0'");
  });
});
