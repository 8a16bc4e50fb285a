// The kernel liveness properties: a waiter on PG_fscache is eventually woken and a truncate waiting
// on the bit eventually proceeds (under weak fairness of every thread; they fail when an I/O
// completion may hang), and a ZONE_DEVICE page whose last reference drops eventually returns to the
// driver's free list (v6.1 holds; v6.0's count drift leaks a page).
import { describe, expect, it } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import fscache from '../specs/kernel/pg-fscache.ts';
import zoneDevice from '../specs/kernel/zone-device-refcount.ts';
import type { Spec } from '../src/spec.ts';

const run = (spec: Spec, variant: string) => checkModel(compileModel(spec, variant));
type Any = Record<string, any>;

describe('PG_fscache liveness', () => {
  it('V2 (the setter holds the reference): every waiter is woken and a waiting truncate proceeds', async () => {
    for (const v of ['V2-wait', 'V2-nowait']) {
      const r = await run(fscache, v);
      expect([v, r.outcome, r.liveness?.holds]).toEqual([v, 'ok', ['WaiterWoken', 'TruncateProceeds']]);
    }
  });

  it('a cache write that may hang leaves truncate waiting on the bit forever', async () => {
    const r = await run(fscache, 'V2-wait/write-may-hang');
    expect([r.outcome, r.message]).toEqual(['temporal', "temporal property 'TruncateProceeds' (truncate1) is violated"]);
    expect([r.trace?.length, r.lasso?.loop, r.lasso?.back]).toEqual([8, 7, undefined]);
    const last = r.trace!.at(-1)!.state as Any;
    expect([last.trPc.truncate1, last.bit, last.cwPc.cw]).toEqual(['folio_wait_private_2', true, 'folio_clear_private_2']);
    expect(r.lasso?.fairness.map((f) => f.unit)).not.toContain('WF(completion cw)');
  });

  it("the new user's I/O that may hang never wakes its waiter", async () => {
    const r = await run(fscache, 'V2-wait/io-may-hang');
    expect([r.outcome, r.property, r.trace?.length, r.lasso?.loop]).toEqual(['temporal', 'WaiterWoken', 19, 18]);
    const last = r.trace!.at(-1)!.state as Any;
    expect([last.waiting, last.woken, last.newUserBit]).toEqual([true, false, true]);
  });
});

describe('ZONE_DEVICE liveness', () => {
  it('v6.1: a page whose last reference drops returns to the free list, with speculative getters too', async () => {
    for (const v of ['v6.1', 'v6.1+speculative']) {
      const r = await run(zoneDevice, v);
      expect([v, r.outcome, r.liveness?.holds]).toEqual([v, 'ok', ['PageReturns']]);
    }
  });

  it('v6.0: a put on a page handed out at 0 takes it to -1, the late reset to 1, and the page leaks', async () => {
    const r = await run(zoneDevice, 'v6.0/PageReturns');
    expect([r.outcome, r.message]).toEqual(['temporal', "temporal property 'PageReturns' (page1) is violated"]);
    expect(r.trace?.map((s) => s.action?.label ?? 'init')).toEqual([
      'init',
      'user.dmirror_devmem_alloc_page(self=user1)',
      'user.put_page(self=user1)',
      'user.page_free(self=user1)',
      'user.dmirror_devmem_alloc_page(self=user2)',
      'user.put_page(self=user2)',
      'user.set_page_count(self=user1)',
    ]);
    expect(r.lasso?.loop).toBe(6);
    const last = r.trace!.at(-1)!.state as Any;
    expect([last.count.page1, last.freeList]).toEqual([1, ['page2']]);
  });
});
