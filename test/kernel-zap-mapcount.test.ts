// The zap-ordering and folio-mapcount specs: what each counterexample shows, beyond its length
// (test/kernel-specs.test.ts checks every kernel spec's verdicts, findings and golden traces generically).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel, type Model } from '../src/compile/model.ts';
import { replayTrace } from '../checker/trace/replay.ts';
import { parseITF } from '../src/report/itf.ts';
import mapcountTotal from '../specs/kernel/folio-mapcount-total.ts';
import mapcountVma from '../specs/kernel/folio-mapcount-vma.ts';
import zapOrdering from '../specs/kernel/zap-ordering.ts';
import type { Spec } from '../src/spec.ts';
import { ROOT } from './helpers.ts';

async function counterexample(spec: Spec, variant: string, opts: { symmetry?: boolean; constants?: Record<string, unknown> } = {}) {
  const r = await checkModel(compileModel(spec, variant, undefined, { constants: opts.constants }), { symmetry: opts.symmetry });
  const steps = (r.trace ?? []).map((t) => t.action?.label ?? 'init');
  return { ...r, steps, last: r.trace?.at(-1)?.state as any };
}

/** The state after the one enabled instance labelled `label` fires from `pre` (it must be the only successor). */
function fire(model: Model, pre: any, label: string): any {
  const a = model.actions.find((x) => x.label === label);
  if (!a) throw new Error(`no action instance ${label}`);
  expect(a.guard ? a.guard(pre) : true, `${label} is enabled`).toBe(true);
  const out: unknown[] = [];
  a.successors({ pre, draft: () => structuredClone(pre) }, (next) => out.push(next));
  expect(out).toHaveLength(1);
  return out[0];
}

describe('zap-ordering', () => {
  it("v4 alone, inside its page-table lock: folio_get, then clear and put per page, leaves refcount 1 below mapcount 2 (O1, 7 states)", async () => {
    const r = await counterexample(zapOrdering, 'v4');
    expect([r.outcome, r.property]).toEqual(['invariant', 'O1']);
    expect(r.steps).toEqual([
      'init',
      'zap.pte_offset_map_lock(self=zap)',
      'zap.folio_get(self=zap)',
      'zap.ptep_get_and_clear_full(self=zap)',
      'zap.__tlb_remove_page(self=zap)',
      'zap.ptep_get_and_clear_full(self=zap)',
      'zap.__tlb_remove_page(self=zap)',
    ]);
    expect([r.last.refcount, r.last.mapcount, [...r.last.ptl]]).toEqual([1, 2, ['zapper']]);
  });

  it('v4 fools an ideal compaction check inside its window; migration then fails to freeze and retries (wasted work)', async () => {
    const r = await counterexample(zapOrdering, 'v4-fools-compaction');
    expect([r.outcome, r.property, r.trace!.length]).toEqual(['invariant', 'O2', 16]);
    const at = (label: string) => r.steps.indexOf(label);
    // The snapshot falls after both puts and before the rmap removal; migration waits for the zap's lock.
    expect(r.steps.lastIndexOf('zap.__tlb_remove_page(self=zap)')).toBeLessThan(at('check.read_both_atomically(self=check)'));
    expect(at('check.read_both_atomically(self=check)')).toBeLessThan(at('zap.folio_remove_rmap_range(self=zap)'));
    expect(r.steps.at(-1)).toBe('check.try_to_migrate(self=check)');
    expect([r.last.verdict, [...r.last.heldThroughout], r.last.gupPc.pinner1]).toEqual(['noExtraRefs', ['pinner1'], 'put_page']);

    // What the fooled check costs: the freeze fails (the GUP reference and compaction's own), nothing is moved.
    const model = compileModel(zapOrdering, 'v4-fools-compaction');
    let s = fire(model, r.last, 'check.folio_ref_freeze(self=check)');
    expect([s.checkPc.check, s.refcount]).toEqual(['remove_migration_ptes', 2]);
    s = fire(model, s, 'check.remove_migration_ptes(self=check)');
    s = fire(model, s, 'check.folio_put(self=check)');
    expect([s.migration, s.refcount, s.gupPc.pinner1]).toEqual(['retry', 1, 'put_page']);
  });

  it('folio_ref_freeze stops every migration of a referenced folio, with v4 and a two-step check, at nr = 2 and 3', async () => {
    for (const nr of [2, 3]) {
      const r = await checkModel(compileModel(zapOrdering, 'v4-compaction-migrates', undefined, { constants: { nr } }));
      expect([nr, r.outcome, r.stats.distinct]).toEqual([nr, 'ok', nr === 2 ? 7218 : 17239]);
    }
  });

  it('without the freeze, a GUP reference taken after a correct check is migrated away (corruption, 8 states)', async () => {
    const r = await counterexample(zapOrdering, 'nofreeze');
    expect([r.property, r.trace!.length, r.steps.at(-1)]).toEqual(['O3', 8, 'check.move_to_new_folio(self=check)']);
    expect(r.steps.indexOf('check.read_both_atomically(self=check)')).toBeLessThan(r.steps.indexOf('gup.ptep_get(self=pinner1)'));
    expect(r.steps.some((s) => s.startsWith('zap.'))).toBe(false);
  });

  it('the landed zap alone fools a two-step compaction check: it reads mapcount 2, then refcount 2', async () => {
    const r = await counterexample(zapOrdering, 'landed-twostep-compaction');
    expect([r.outcome, r.property, r.trace!.length]).toEqual(['invariant', 'O2', 14]);
    expect(r.steps.filter((s) => s.startsWith('zap.'))).toEqual([
      'zap.pte_offset_map_lock(self=zap)',
      'zap.ptep_get_and_clear_full(self=zap)',
      'zap.ptep_get_and_clear_full(self=zap)',
      'zap.folio_remove_rmap_ptes(self=zap)',
      'zap.pte_unmap_unlock(self=zap)',
      'zap.folios_put_refs(self=zap)',
    ]);
    expect([r.last.seenMapcount, r.last.refcount, r.last.verdict, [...r.last.heldThroughout]]).toEqual([2, 2, 'noExtraRefs', ['pinner1']]);
  });

  it("KSM's two reads are fooled by a zap of the other process's mapping, under a page-table lock KSM does not hold", async () => {
    const r = await counterexample(zapOrdering, 'ksm-twostep');
    expect([r.property, r.trace!.length, r.steps.at(-1)]).toEqual(['O2', 15, 'check.set_pte_at(self=check)']);
    expect(r.steps).toContain('check.page_vma_mapped_walk(self=check, mm=other)');
    const read = (label: string) => r.trace![r.steps.indexOf(label)].state as any;
    // KSM reads with the child's lock held, its PTE cleared; the zap took and dropped its own lock in between.
    const first = read('check.folio_mapcount(self=check)');
    expect([[...first.ptl], first.pte.other[0], first.seenMapcount]).toEqual([['other'], false, 2]);
    const second = read('check.folio_ref_count(self=check)');
    expect([[...second.ptl], second.refcount, second.mapcount]).toEqual([['other'], 3, 1]);
  });

  it("KSM scanning the zapper's own mapping is ordered by the page-table lock: the two reads hold, even against v4", async () => {
    const r = await checkModel(compileModel(zapOrdering, 'ksm-own-twostep'));
    expect([r.outcome, r.stats.distinct]).toEqual(['ok', 318]);
  });

  it('the GUP users are interchangeable: ksm-twostep at 2 users, the same 15-state trace, fewer states with symmetry', async () => {
    const on = await counterexample(zapOrdering, 'ksm-twostep', { symmetry: true, constants: { pinners: 2 } });
    const off = await counterexample(zapOrdering, 'ksm-twostep', { symmetry: false, constants: { pinners: 2 } });
    expect([on.property, on.trace!.length]).toEqual(['O2', 15]);
    expect([off.property, off.trace!.length]).toEqual(['O2', 15]);
    expect(on.stats.distinct).toBeLessThan(off.stats.distinct);
  });
});

describe('folio-mapcount-total', () => {
  it('MM-id says "maybe shared" when I alone map 2 pages, counted in no slot, after two others took and left both slots (7 states)', async () => {
    const r = await counterexample(mapcountTotal, 'mmid-Q2process-3mm');
    expect([r.outcome, r.property, r.trace!.length]).toEqual(['invariant', 'Q2process', 7]);
    expect(r.steps.map((s) => s.split('(')[0])).toEqual([
      'init',
      'other.folio_add_file_rmap_pte',
      'other.folio_add_file_rmap_pte',
      'me.folio_add_file_rmap_pte',
      'me.folio_add_file_rmap_pte',
      'other.folio_remove_rmap_pte',
      'other.folio_remove_rmap_pte',
    ]);
    expect(r.last.mine.vma1.size).toBe(2);
    expect([r.last.theirs.mm1.size, r.last.theirs.mm2.size]).toEqual([0, 0]);
    expect([r.last.mapcount, r.last.maybeShared, r.last.mySlot]).toEqual([2, true, 'none']);
    expect([r.last.slotMapcount.slot0, r.last.slotMapcount.slot1]).toEqual([0, 0]);
  });

  it('MM-id never says "exclusive" wrongly with three processes, and is exact with two; "> 1" is never a false "no other VMA"', async () => {
    const safe = await checkModel(compileModel(mapcountTotal, 'mmid-Q2processSafe-3mm'), { symmetry: false });
    expect([safe.outcome, safe.stats.distinct]).toEqual(['ok', 11938]);
    const two = await checkModel(compileModel(mapcountTotal, 'mmid-Q2process-2mm'));
    expect([two.outcome, two.stats.distinct]).toEqual(['ok', 659]);
    const vmaSafe = await checkModel(compileModel(mapcountTotal, 'total-Q2vmaSafe'));
    expect([vmaSafe.outcome, vmaSafe.stats.distinct]).toEqual(['ok', 330]);
  });
});

describe('folio-mapcount-vma', () => {
  it("B taking the other page table's lock: each fault locks its own table, then queues for the other's, forever", async () => {
    const r = await counterexample(mapcountVma, 'B-lockOther');
    expect([r.outcome, r.property]).toEqual(['deadlock', 'deadlock']);
    expect(r.steps).toEqual([
      'init',
      'fault.pte_offset_map_lock(self=mine.pt0, page=0)',
      'fault.pte_offset_map_lock(self=mine.pt1, page=2)',
      'fault.spin_lock_other(self=mine.pt1)',
      'fault.spin_lock_other(self=mine.pt0)',
    ]);
    expect([r.last.pc['mine.pt0'], r.last.pc['mine.pt1'], [...r.last.locked].sort()]).toEqual([
      'queued_spin_lock_slowpath', 'queued_spin_lock_slowpath', ['mine.pt0', 'mine.pt1'],
    ]);
  });

  it('with another process faulting the embrace is no global deadlock, but "every fault completes" finds it: a lasso', async () => {
    const safety = await checkModel(compileModel(mapcountVma, 'B-lockOther+theirs'));
    expect([safety.outcome, safety.stats.distinct]).toEqual(['ok', 1947]);
    const r = await counterexample(mapcountVma, 'B-lockOther+theirs/FaultCompletes');
    expect([r.outcome, r.property, r.trace!.length, r.lasso!.loop]).toEqual(['temporal', 'FaultCompletes', 15, 5]);
    const cycle = r.trace!.slice(r.lasso!.loop).map((t) => t.state as any);
    // In the cycle my two faults spin for each other's lock while the other process maps and unmaps page 0.
    expect(cycle.every((s) => s.pc['mine.pt0'] === 'queued_spin_lock_slowpath' && s.pc['mine.pt1'] === 'queued_spin_lock_slowpath')).toBe(true);
    expect(new Set(cycle.map((s) => s.pc['theirs.pt0'])).size).toBeGreaterThan(3);
    expect(r.steps.slice(r.lasso!.loop + 1).every((s) => s.includes('self=theirs.pt0'))).toBe(true);
  });

  it('taking both page-table locks in address order: no race, no deadlock, every fault completes, at bounds where check-then-act races', async () => {
    const r = await checkModel(compileModel(mapcountVma, 'B-lockOrdered'));
    expect([r.outcome, r.stats.distinct]).toEqual(['ok', 1639]);
    const { update: _, ...bounds } = compileModel(mapcountVma, 'B-lockOrdered').constants as Record<string, unknown>;
    const racy = await checkModel(compileModel(mapcountVma, 'B-checkThenAct-Q1', undefined, { constants: bounds }));
    expect([racy.outcome, racy.property, (racy.trace!.at(-1)!.state as any).mapcount]).toEqual(['invariant', 'Q1', 0]);
  });

  it('B as check-then-act loses the count for good: 0 while page 2 is mapped', async () => {
    const r = await counterexample(mapcountVma, 'B-checkThenAct-Q1');
    expect([r.property, r.trace!.length, r.last.mapcount, [...r.last.pte.mine]]).toEqual(['Q1', 16, 0, [2]]);
    expect(Object.values(r.last.pc)).toEqual(Array(6).fill('idle'));
  });

  it('a split without recount, undone by a recounted merge, takes B to 0 with both pages mapped; a merge without recount leaves it at 1 with none', async () => {
    const split = await counterexample(mapcountVma, 'B-split-norecount-Q1');
    expect([split.steps.slice(3), split.last.mapcount, [...split.last.pte.mine]]).toEqual([['__split_vma(mm=mine, at=1)', 'vma_merge(mm=mine, at=1)'], 0, [0, 1]]);
    const merge = await counterexample(mapcountVma, 'B-merge-norecount-Q1');
    expect([merge.trace!.length, merge.last.mapcount, merge.last.pte.mine.size, merge.steps.includes('vma_merge(mm=mine, at=1)')]).toEqual([7, 1, 0, true]);
  });
});

describe('golden traces of these specs replay', () => {
  const golden: [string, Spec, string][] = [
    ['zap-ordering.v4.O1.itf.json', zapOrdering, 'v4'],
    ['zap-ordering.ksm-twostep.O2.itf.json', zapOrdering, 'ksm-twostep'],
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
