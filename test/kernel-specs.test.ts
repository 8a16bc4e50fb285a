// The kernel specs as a CI gate: every variant of every spec in specs/kernel/ behaves as it declares,
// with symmetry on and off alike, and each expected failure's golden trace in counterexamples/ is
// still the shortest one and still a real execution of the spec that breaks the property.
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../checker/trace/replay.ts';
import { lassoOfITF, parseITF } from '../src/report/itf.ts';
import { GOLDEN_DIR, kernelSpecFiles, readGolden, runSpecFile, type VariantRun } from '../specs/lib/kernel-runs.ts';
import { README, readmeBlocks, renderBlocks } from '../specs/lib/readme.ts';

const REGENERATE = 'regenerate with `node bin/interleave.js check specs/kernel --out counterexamples` and commit it';
const files = kernelSpecFiles();
const runs = new Map<string, Promise<VariantRun[]>>();
/** Each spec file is checked once; its variants' tests share the result. */
const runsOf = (file: string) => {
  if (!runs.has(file)) runs.set(file, runSpecFile(file));
  return runs.get(file)!;
};

/** The steps of an ITF trace (the initial state is not a step), with who took each. */
function traceSteps(json: unknown): { action: string; actor: string; process?: string }[] {
  const states = (json as { states: { '#meta': { action: string; actor?: string; process?: string } }[] }).states;
  return states.slice(1).map(({ '#meta': m }) => ({ action: m.action, actor: m.actor ?? m.process ?? m.action, process: m.process }));
}

function isSubsequence(wanted: string[], seq: string[]): boolean {
  let i = 0;
  for (const x of seq) if (i < wanted.length && x === wanted[i]) i++;
  return i === wanted.length;
}

describe('kernel specs', () => {
  it('there are specs in specs/kernel/', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of files) {
    describe(basename(file), () => {
      it('every variant behaves as declared, with the same verdict and trace length with symmetry on and off', async () => {
        for (const { variant, on, off } of await runsOf(file)) {
          const got = (r: typeof on) => ({ variant, outcome: r.outcome, property: r.property, length: r.trace?.length, matches: r.matchesExpectation });
          expect(got(on)).toEqual({ ...got(off) });
          expect(got(on).matches, `${variant}: ${on.outcome} ${on.property ?? ''}`).toBe(true);
          expect(on.stats.distinct).toBeLessThanOrEqual(off.stats.distinct);
        }
      });

      it("each failure's finding agrees with its golden trace: race or sequential, the threads, the narrated steps, a fix that holds", async () => {
        const all = await runsOf(file);
        for (const { variant, on, golden } of all) {
          const finding = on.model.spec.def.variants?.[variant]?.finding;
          // Every expected failure says what it is: a kernel developer reads this before the trace.
          expect(finding !== undefined || golden === undefined, `${variant} is expected to fail but declares no \`finding\``).toBe(true);
          if (!finding) continue;
          expect(golden, `${variant} has a finding but is expected to hold`).toBeDefined();
          const steps = traceSteps(readGolden(golden!)!.json);
          const actors = steps.map((s) => s.actor);
          const blocks = actors.filter((a, i) => i === 0 || a !== actors[i - 1]);
          const interrupted = new Set(blocks).size < blocks.length;
          expect(interrupted, `${variant} says it is ${finding.kind === 'race' ? 'a race, but its trace runs each thread in one block' : 'sequential, but its trace interleaves threads'}`)
            .toBe(finding.kind === 'race');
          for (const t of finding.threads) {
            expect(steps.some((s) => s.actor === t || s.process === t), `${variant}: thread '${t}' takes no step in its trace`).toBe(true);
          }
          expect(isSubsequence(finding.narrative ?? [], steps.map((s) => s.action)), `${variant}: the narrated steps ${JSON.stringify(finding.narrative)} are not in its trace, in that order`).toBe(true);
          const fix = all.find((r) => r.variant === finding.fix)!;
          expect([finding.fix, fix.on.outcome, fix.on.matchesExpectation], `${variant}'s fix`).toEqual([finding.fix, 'ok', true]);
        }
      });

      it('each expected failure has a golden trace of the checker\'s length that replays and breaks the property', async () => {
        for (const { variant, on, golden } of await runsOf(file)) {
          if (!golden) continue;
          const kept = readGolden(golden);
          expect(kept, `${basename(golden)} is missing: ${REGENERATE}`).toBeDefined();
          expect([kept!.meta.variant, kept!.meta.property]).toEqual([variant, on.property]);
          expect(kept!.length, `${basename(golden)}: the checker now finds ${on.trace!.length} states; ${REGENERATE}`).toBe(on.trace!.length);

          const model = on.model;
          const states = parseITF(model, kept!.json, basename(golden));
          expect(replayTrace(model, states)).toMatchObject({ ok: true });
          // A lasso (a temporal violation): its step back to the loop state is a step of the spec too.
          const lasso = lassoOfITF(kept!.json);
          expect(lasso !== undefined, `${basename(golden)}: a temporal violation's trace is a lasso`).toBe(on.outcome === 'temporal');
          if (lasso?.back) expect(replayTrace(model, [...states, { state: states[lasso.loop].state, action: lasso.back }])).toMatchObject({ ok: true });
          if (lasso) expect(lasso.loop).toBe(on.lasso!.loop);
          // The property holds until the last state and fails there.
          const inv = model.invariants.find((p) => p.name === on.property)?.holds;
          if (inv) {
            expect(states.slice(0, -1).every((s) => inv(s.state))).toBe(true);
            expect(inv(states.at(-1)!.state)).toBe(false);
          }
        }
      });
    });
  }

  it('counterexamples/ keeps no golden trace of a kernel spec that no variant expects', async () => {
    const all = (await Promise.all(files.map(runsOf))).flat();
    const expected = new Set(all.flatMap((r) => (r.golden ? [basename(r.golden)] : [])));
    const specs = new Set(all.map((r) => r.spec));
    const kept = readdirSync(GOLDEN_DIR).filter((f) => specs.has(f.split('.')[0]) && f.endsWith('.itf.json'));
    expect(kept.filter((f) => !expected.has(f))).toEqual([]);
  });

  it("specs/README.md's generated table and traces are what this run gives (npm run specs:readme)", async () => {
    const all = (await Promise.all(files.map(runsOf))).flat();
    const text = readFileSync(README, 'utf8');
    expect(readmeBlocks(text)).toEqual(readmeBlocks(renderBlocks(text, all)));
  });
});
