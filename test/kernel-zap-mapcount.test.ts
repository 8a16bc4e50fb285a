// The zap-ordering and folio-mapcount specs: what each counterexample shows, beyond its length
// (test/kernel-specs.test.ts checks every kernel spec's verdicts and golden traces generically).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { replayTrace } from '../checker/trace/replay.ts';
import { parseITF } from '../src/report/itf.ts';
import mapcountTotal from '../specs/kernel/folio-mapcount-total.ts';
import mapcountVma from '../specs/kernel/folio-mapcount-vma.ts';
import zapOrdering from '../specs/kernel/zap-ordering.ts';
import type { Spec } from '../src/spec.ts';
import { ROOT } from './helpers.ts';

async function counterexample(spec: Spec, variant: string, symmetry?: boolean) {
  const r = await checkModel(compileModel(spec, variant), { symmetry });
  return { ...r, steps: r.trace!.map((t) => t.action?.label ?? 'init'), last: r.trace!.at(-1)!.state as any };
}

describe('zap-ordering', () => {
  it("v4: folio_get, then clear and put per page, leaves refcount 1 below mapcount 2 (O1, 5 steps)", async () => {
    const r = await counterexample(zapOrdering, 'v4');
    expect([r.outcome, r.property]).toEqual(['invariant', 'O1']);
    expect(r.steps).toEqual([
      'init',
      'zap.folio_get(self=zap)',
      'zap.ptep_get_and_clear_full(self=zap)',
      'zap.__tlb_remove_page(self=zap)',
      'zap.ptep_get_and_clear_full(self=zap)',
      'zap.__tlb_remove_page(self=zap)',
    ]);
    expect([r.last.refcount, r.last.mapcount]).toEqual([1, 2]);
  });

  it('the landed zap alone fools a two-step compaction check: it reads mapcount 2, then refcount 2', async () => {
    const r = await counterexample(zapOrdering, 'landed-twostep-compaction');
    expect([r.outcome, r.property, r.trace!.length]).toEqual(['invariant', 'O2', 11]);
    expect(r.steps.filter((s) => s.startsWith('zap.'))).toEqual([
      'zap.ptep_get_and_clear_full(self=zap)',
      'zap.ptep_get_and_clear_full(self=zap)',
      'zap.folio_remove_rmap_ptes(self=zap)',
      'zap.folios_put_refs(self=zap)',
    ]);
    // The folio is still pinned (1) and held by the check (1); the check saw the mapcount before the zap.
    expect([r.last.seenMapcount, r.last.refcount, r.last.verdict, [...r.last.heldThroughout]]).toEqual([2, 2, 'noExtraRefs', ['pinner1']]);
    expect(r.last.gupPc.pinner1).toBe('unpin_user_page');
  });

  it('a two-step KSM check is fooled only with a concurrent mapping or a second pin', async () => {
    const alone = await checkModel(compileModel(zapOrdering, 'landed-twostep-ksm'));
    expect([alone.outcome, alone.stats.distinct]).toEqual(['ok', 487]);
    const mapper = await counterexample(zapOrdering, 'landed-twostep-ksm-mapper');
    expect([mapper.property, mapper.trace!.length, mapper.steps.at(-1)]).toEqual(['O2', 12, 'check.folio_ref_count(self=check)']);
    // The mapping takes its reference between the check's two reads, before the zap.
    const at = (label: string) => mapper.steps.indexOf(label);
    expect(at('check.folio_mapcount(self=check)')).toBeLessThan(at('map.folio_try_get(self=map)'));
    expect(at('map.folio_try_get(self=map)')).toBeLessThan(at('zap.ptep_get_and_clear_full(self=zap)'));
    // mapcount 2 read before the zap, refcount 3 after it: check + pin + the new mapping's reference.
    expect([mapper.last.seenMapcount, mapper.last.refcount]).toEqual([2, 3]);
  });

  it('the pinners are interchangeable: the same 13-state trace, 2948 orbits against 5479 states', async () => {
    const on = await counterexample(zapOrdering, 'landed-twostep-ksm-2pins', true);
    const off = await counterexample(zapOrdering, 'landed-twostep-ksm-2pins', false);
    expect([on.property, on.trace!.length, on.stats.distinct]).toEqual(['O2', 13, 2948]);
    expect([off.property, off.trace!.length, off.stats.distinct]).toEqual(['O2', 13, 5479]);
  });
});

describe('folio-mapcount-total', () => {
  it('MM-id says "maybe shared" when I alone map 2 pages, counted in no slot, after two others took and left both slots (6 steps)', async () => {
    const r = await counterexample(mapcountTotal, 'mmid-Q2process-3mm');
    expect([r.outcome, r.property, r.trace!.length]).toEqual(['invariant', 'Q2process', 7]);
    expect(r.steps.filter((s) => s.startsWith('me.'))).toHaveLength(2);
    expect(r.last.mine.vma1.size).toBe(2);
    expect([r.last.theirs.mm1.size, r.last.theirs.mm2.size]).toEqual([0, 0]);
    // Both my mappings came while both slots were taken, so no slot holds them.
    expect([r.last.mapcount, r.last.maybeShared, r.last.mySlot]).toEqual([2, true, 'none']);
    expect([r.last.slotMapcount.slot0, r.last.slotMapcount.slot1]).toEqual([0, 0]);
  });

  it('MM-id never says "exclusive" wrongly with three processes, and is exact with two', async () => {
    const safe = await checkModel(compileModel(mapcountTotal, 'mmid-Q2processSafe-3mm'), { symmetry: false });
    expect([safe.outcome, safe.stats.distinct]).toEqual(['ok', 11938]);
    const two = await checkModel(compileModel(mapcountTotal, 'mmid-Q2process-2mm'));
    expect([two.outcome, two.stats.distinct]).toEqual(['ok', 659]);
  });
});

describe('folio-mapcount-vma', () => {
  it("B taking the other page table's lock deadlocks after each thread locks its own table", async () => {
    const r = await counterexample(mapcountVma, 'B-lockOther');
    expect([r.outcome, r.property]).toEqual(['deadlock', 'deadlock']);
    expect(r.steps).toEqual(['init', 'fault.pte_offset_map_lock(self=mine.pt0, page=0)', 'fault.pte_offset_map_lock(self=mine.pt1, page=2)']);
    expect([r.last.pc['mine.pt0'], r.last.pc['mine.pt1'], [...r.last.locked].sort()]).toEqual([
      'spin_lock_other', 'spin_lock_other', ['mine.pt0', 'mine.pt1'],
    ]);
  });

  it('B as check-then-act loses the count for good: 0 while page 2 is mapped', async () => {
    const r = await counterexample(mapcountVma, 'B-checkThenAct-Q1');
    expect([r.property, r.trace!.length, r.last.mapcount, [...r.last.pte.mine]]).toEqual(['Q1', 16, 0, [2]]);
    expect(Object.values(r.last.pc)).toEqual(Array(6).fill('idle'));
  });

  it('a split without recount takes B to 0 with a page mapped; a merge without recount leaves it at 1 with none', async () => {
    const split = await counterexample(mapcountVma, 'B-split-norecount-Q1');
    expect([split.trace!.length, split.steps[3], split.last.mapcount, [...split.last.pte.mine]]).toEqual([5, '__split_vma(at=1)', 0, [0, 1]]);
    const merge = await counterexample(mapcountVma, 'B-merge-norecount-Q1');
    expect([merge.trace!.length, merge.last.mapcount, merge.last.pte.mine.size, merge.steps.includes('vma_merge(at=1)')]).toEqual([7, 1, 0, true]);
  });
});

describe('golden traces of these specs replay', () => {
  const golden: [string, Spec, string][] = [
    ['zap-ordering.v4.O1.itf.json', zapOrdering, 'v4'],
    ['zap-ordering.landed-twostep-ksm-2pins.O2.itf.json', zapOrdering, 'landed-twostep-ksm-2pins'],
    ['folio-mapcount-total.mmid-Q2process-3mm.Q2process.itf.json', mapcountTotal, 'mmid-Q2process-3mm'],
    ['folio-mapcount-vma.B-checkThenAct-Q1.Q1.itf.json', mapcountVma, 'B-checkThenAct-Q1'],
    ['folio-mapcount-vma.B-lockOther.deadlock.itf.json', mapcountVma, 'B-lockOther'],
  ];
  it.each(golden)('%s', (file, spec, variant) => {
    const model = compileModel(spec, variant);
    const itf = JSON.parse(readFileSync(join(ROOT, 'counterexamples', file), 'utf8'));
    const r = replayTrace(model, parseITF(model, itf, file));
    expect(r.ok ? 'replays' : `fails at ${r.step}: ${r.reason}`).toBe('replays');
  });
});
