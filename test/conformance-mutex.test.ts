// LamportMutex and Bakery from the TLA+ Examples (the bench's realistic models), at configurations
// small enough for a test. The counts are TLC's, from TLC built from tlaplus/tlaplus at commit
// cc6b616cf (TLC2 Version 2026.04.29.164809), one worker:
//   java -XX:+UseParallelGC -jar tla2tools.jar -workers 1 -config <cfg> <module>.tla
// on the Examples' own modules (specifications/lamport_mutex/MCLamportMutex.tla and
// specifications/Bakery-Boulangerie/MCBakery.tla) with the constants below in the .cfg; the rest of
// each .cfg is the Examples' MCLamportMutex.cfg and MCBakery.cfg. The full-size models (724,274 and
// 655,200 distinct states) are checked by `npm run bench`.
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import bakery from '../specs/examples/bakery.ts';
import lamportMutex from '../specs/examples/lamport-mutex.ts';

const counts = async (spec: Parameters<typeof compileModel>[0], constants: Record<string, number>) => {
  const r = await checkModel(compileModel(spec, 'default', undefined, { constants }));
  return [r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth];
};

describe('conformance with TLC: LamportMutex (ClockConstraint, Nat <- 0..MaxNat)', () => {
  it('N = 2, maxClock = 4, MaxNat = 5: 401 distinct, 787 generated, depth 28', async () => {
    expect(await counts(lamportMutex, { N: 2, maxClock: 4, MaxNat: 5 })).toEqual(['ok', 401, 787, 28]);
  });

  it('N = 3, maxClock = 3, MaxNat = 4: 10,209 distinct, 41,533 generated, depth 31', async () => {
    expect(await counts(lamportMutex, { N: 3, maxClock: 3, MaxNat: 4 })).toEqual(['ok', 10_209, 41_533, 31]);
  });
});

describe('conformance with TLC: Bakery (ISpec: every state of Inv is initial)', () => {
  // MCBakery.cfg with MaxNat = 1; TLC refuses it as it is (the module's ASSUME N \in Nat is false
  // once Nat is 0..1), so these are TLC's counts for Bakery.tla with that one line removed.
  it('N = 2, MaxNat = 1: 112,160 distinct (all initial), 520,272 generated, depth 1', async () => {
    expect(await counts(bakery, { N: 2, MaxNat: 1 })).toEqual(['ok', 112_160, 520_272, 1]);
  });
});
