// The search's hot loop runs guards and recipes on views over the encoding (src/schema/compile.ts,
// compileViews): a variable is decoded when touched and encoded again only then. Nothing a spec can
// see changes: counts, successors and every message are those of decoded states.
import { describe, expect, it, vi } from 'vitest';
import { checkModel } from '../src/compile/check.ts';
import { compileModel } from '../src/compile/model.ts';
import { compileCodec, compileViews } from '../src/schema/compile.ts';
import { array, int, mapOf, record, setOf, enumOf, valuesOf } from '../src/index.ts';
import { RecordSchema } from '../src/schema/index.ts';
import { loadSpec } from '../src/load.ts';
import { ROOT, scratch, writeSpec } from './helpers.ts';
import { join } from 'node:path';

const dir = scratch();
async function model(name: string, source: string) {
  const file = writeSpec(dir, name, source);
  return compileModel((await loadSpec(file)).spec, 'default', file);
}

describe('views over the encoding', () => {
  const schema = new RecordSchema({ c: array(int(0, 3), 3), m: mapOf(int(1, 2), int(0, 1)), s: setOf(enumOf('x', 'y')), r: record({ a: int(0, 9) }) });
  const codec = compileCodec(schema);
  const views = compileViews<Record<string, any>>(schema);
  const encoded = new Int32Array(schema.width);
  codec.encode({ c: [1, 2, 3], m: { 1: 0, 2: 1 }, s: new Set(['y']), r: { a: 7 } }, encoded, 0);

  it('read as the decoded state, and write what was changed over the rest of the encoding', () => {
    const v = views.open(encoded, 0);
    expect([v.c, v.m, [...v.s], v.r]).toEqual([[1, 2, 3], { 1: 0, 2: 1 }, ['y'], { a: 7 }]);
    v.c[0] = 0;
    v.s.add('x');
    const out = new Int32Array(schema.width);
    views.encode(v, out, 0);
    expect(codec.decode(out, 0)).toEqual({ c: [0, 2, 3], m: { 1: 0, 2: 1 }, s: new Set(['x', 'y']), r: { a: 7 } });
  });

  it('copy the slots of variables never touched, without decoding them', () => {
    const parent = encoded.slice();
    const v = views.open(parent, 0);
    v.r = { a: 1 };
    // Slot 3 is m[1]: a value only the encoding holds shows the variable was copied, not re-encoded.
    parent[3] = 1;
    const out = new Int32Array(schema.width);
    views.encode(v, out, 0);
    expect(codec.decode(out, 0)).toEqual({ c: [1, 2, 3], m: { 1: 1, 2: 1 }, s: new Set(['y']), r: { a: 1 } });
  });

  it('say what does not fit in the words of the whole-state encoder, extra keys included', () => {
    const out = new Int32Array(schema.width);
    const messages = (change: (s: Record<string, any>) => void) => {
      const v = views.open(encoded, 0);
      const w = views.draft(encoded, 0);
      const d = codec.decode(encoded, 0);
      change(v);
      change(w);
      change(d);
      const said: string[] = [];
      for (const f of [() => views.encode(v, out, 0), () => views.encode(w, out, 0), () => codec.encode(d, out, 0)]) {
        try {
          f();
          said.push('fits');
        } catch (e) {
          said.push((e as Error).message);
        }
      }
      return said;
    };
    expect(messages((s) => (s.c[1] = 4))).toEqual(Array(3).fill('c[1] = 4 is outside int(0, 3)'));
    const extraKey = messages((s) => (s.m[3] = 0));
    expect(extraKey).toEqual(Array(3).fill('m[3] = 0 is outside the key type int(1, 2)'));
    expect(messages((s) => (s.extra = 1))).toEqual(Array(3).fill("extra = 1 is outside the schema (no field 'extra' is declared)"));
    expect(messages((s) => delete s.m[2])).toEqual(Array(3).fill('m[2] = undefined is outside int(0, 1) (the key is missing)'));
    expect(views.plain(views.open(encoded, 0))).toEqual(codec.decode(encoded, 0));
  });
});

describe("a draft's integer-keyed maps", () => {
  const schema = new RecordSchema({ m: mapOf(int(1, 2), int(0, 1)), n: int(0, 1) });
  const codec = compileCodec(schema);
  const encoded = new Int32Array(schema.width);
  codec.encode({ m: { 1: 0, 2: 0 }, n: 0 }, encoded, 0);

  it('behave as plain objects, and a key added to one is found after others were written', () => {
    const views = compileViews<Record<string, any>>(schema);
    const draft = views.draft(encoded, 0);
    const m = draft.m;
    expect([m instanceof Object, m.constructor === Object, JSON.stringify(m), Object.keys(m), 1 in m, 3 in m, String(m)]).toEqual([
      true, true, '{"1":0,"2":0}', ['1', '2'], true, false, '[object Object]',
    ]);
    expect({ ...m, 2: 1 }).toEqual({ 1: 0, 2: 1 });
    const out = new Int32Array(schema.width);
    m[2] = 1;
    views.encode(draft, out, 0);
    expect(codec.decode(out, 0).m).toEqual({ 1: 0, 2: 1 });
    const grown = views.draft(encoded, 0);
    grown.m[0] = 1;
    expect(() => views.encode(grown, out, 0)).toThrow('m[0] = 1 is outside the key type int(1, 2)');
    // A draft from before and one from after the key was added are still encoded exactly.
    views.encode(draft, out, 0);
    expect(codec.decode(out, 0).m).toEqual({ 1: 0, 2: 1 });
  });
});

describe('the integer-keyed maps a type lists (valuesOf)', () => {
  const schema = new RecordSchema({ m: mapOf(int(1, 2), int(0, 1)), n: int(0, 1) });
  const codec = compileCodec(schema);
  const out = new Int32Array(schema.width);

  it('behave as plain objects, and the codec writes them without counting their keys', () => {
    const states = valuesOf(schema.fields);
    const m = states[0].m as Record<number, number>;
    expect([m instanceof Object, m.constructor === Object, JSON.stringify(m), Object.keys(m), 1 in m, 3 in m, String(m)]).toEqual([
      true, true, '{"1":0,"2":0}', ['1', '2'], true, false, '[object Object]',
    ]);
    expect(states.map((s) => JSON.stringify(s))).toEqual(valuesOf(schema.fields).map((s) => JSON.stringify({ m: { ...s.m }, n: s.n })));
    const keys = vi.spyOn(Object, 'keys');
    try {
      for (const s of states) codec.encode(s, out, 0);
      expect(keys).not.toHaveBeenCalled();
      // A plain map of the same keys is still counted.
      codec.encode({ m: { 1: 1, 2: 1 }, n: 1 }, out, 0);
      expect(keys).toHaveBeenCalledTimes(1);
    } finally {
      keys.mockRestore();
    }
    expect(codec.decode(out, 0)).toEqual({ m: { 1: 1, 2: 1 }, n: 1 });
  });

  it('with a key added, removed or too many for the variable, get the messages a plain map gets', () => {
    const [listed] = valuesOf(mapOf(int(1, 3), int(0, 1)));
    const fewer = valuesOf(mapOf(int(1, 2), int(0, 1)));
    expect(() => codec.encode({ m: listed, n: 0 }, out, 0)).toThrow('m[3] = 0 is outside the key type int(1, 2)');
    delete (fewer[1] as Record<number, number>)[2];
    expect(() => codec.encode({ m: fewer[1], n: 0 }, out, 0)).toThrow('m[2] = undefined is outside int(0, 1) (the key is missing)');
    (fewer[2] as Record<number, number>)[7] = 1;
    expect(() => codec.encode({ m: fewer[2], n: 0 }, out, 0)).toThrow('m[7] = 1 is outside the key type int(1, 2)');
    // Once a key was added to one listed map, every one is counted, and still written exactly.
    codec.encode({ m: fewer[3], n: 1 }, out, 0);
    expect(codec.decode(out, 0)).toEqual({ m: { 1: 1, 2: 1 }, n: 1 });
  });
});

describe("a draft's maps, refilled by the next draft", () => {
  const schema = new RecordSchema({ m: mapOf(int(1, 2), mapOf(int(1, 2), int(0, 3))), n: int(0, 3) });
  const codec = compileCodec(schema);
  const encoded = new Int32Array(schema.width);
  codec.encode({ m: { 1: { 1: 0, 2: 1 }, 2: { 1: 2, 2: 3 } }, n: 0 }, encoded, 0);
  const pre = codec.decode(encoded, 0);
  const out = new Int32Array(schema.width);

  it('once the step is done with a successor: the next draft reads the pre-state again, whatever the last recipe did', () => {
    const views = compileViews<Record<string, any>>(schema);
    const first = views.draft(encoded, 0);
    first.m[1][2] = 3;
    first.m[2] = first.m[1];
    views.encode(first, out, 0);
    expect(codec.decode(out, 0).m).toEqual({ 1: { 1: 0, 2: 3 }, 2: { 1: 0, 2: 3 } });
    views.recycle();
    const second = views.draft(encoded, 0);
    // The maps are the first draft's, refilled, and linked as the pre-state has them.
    expect(second.m[1]).toBe(first.m[1]);
    expect(second.m).toEqual(pre.m);
    second.m[1][1] = 1;
    expect(second.m[2][1]).toBe(2);
    views.encode(second, out, 0);
    expect(codec.decode(out, 0).m).toEqual({ 1: { 1: 1, 2: 1 }, 2: { 1: 2, 2: 3 } });
  });

  it('a draft made while another holds the maps gets its own', () => {
    const views = compileViews<Record<string, any>>(schema);
    const first = views.draft(encoded, 0);
    first.m[1][1] = 3;
    const second = views.draft(encoded, 0);
    expect(second.m).toEqual(pre.m);
    expect(second.m[1]).not.toBe(first.m[1]);
  });

  it("a plain copy that outlives the draft (a violation's state) is not refilled", () => {
    const views = compileViews<Record<string, any>>(schema);
    const first = views.draft(encoded, 0);
    first.m[1][1] = 3;
    const kept = views.plain(first);
    views.recycle();
    const second = views.draft(encoded, 0);
    second.m[1][1] = 2;
    views.recycle();
    expect(kept.m).toEqual({ 1: { 1: 3, 2: 1 }, 2: { 1: 2, 2: 3 } });
  });

  it('a map the last recipe froze, emptied or grew is made anew, and a grown one still found', () => {
    const views = compileViews<Record<string, any>>(schema);
    const frozen = views.draft(encoded, 0);
    Object.freeze(frozen.m[1]);
    Object.seal(frozen.m[2]);
    views.encode(frozen, out, 0);
    views.recycle();
    const after = views.draft(encoded, 0);
    after.m[1][1] = 3;
    after.m[2][3] = 0;
    expect(() => views.encode(after, out, 0)).toThrow('m[2][3] = 0 is outside the key type int(1, 2)');
    views.recycle();
    const emptied = views.draft(encoded, 0);
    delete emptied.m[2][1];
    expect(() => views.encode(emptied, out, 0)).toThrow('m[2][1] = undefined is outside int(0, 3) (the key is missing)');
    views.recycle();
    expect(views.draft(encoded, 0).m).toEqual(pre.m);
    const grown = views.draft(encoded, 0);
    grown.m[1][5] = 1;
    expect(() => views.encode(grown, out, 0)).toThrow('m[1][5] = 1 is outside the key type int(1, 2)');
    views.recycle();
    const next = views.draft(encoded, 0);
    expect(next.m).toEqual(pre.m);
    next.m[2][0] = 1;
    expect(() => views.encode(next, out, 0)).toThrow('m[2][0] = 1 is outside the key type int(1, 2)');
  });
});

describe('recipes and guards on views', () => {
  it('a recipe that returns a new state spread from its draft gives the same states as one that mutates it', async () => {
    const spec = (recipe: string) => `
      import { defineSpec, int, either } from 'interleave';
      export default defineSpec({
        name: 'spread',
        state: { x: int(0, 3), y: int(0, 3) },
        init: { x: 0, y: 0 },
        actions: { step: { do: ${recipe} } },
        constraint: (s) => s.x + s.y <= 4,
        deadlock: false,
      });`;
    const spread = await checkModel(await model('spread.ts', spec('(s) => either(() => ({ ...s, x: s.x + 1 }), () => ({ ...s, y: s.y + 1 }))')), {});
    const mutate = await checkModel(await model('mutate.ts', spec('(s) => either(() => { s.x += 1; }, () => { s.y += 1; })')), {});
    // The search stops at the first successor outside the type (x = 4), 13 states in, both ways.
    expect([spread.outcome, spread.stats.distinct, spread.stats.generated]).toEqual(['invariant', 13, 21]);
    expect([mutate.outcome, mutate.stats.distinct, mutate.stats.generated]).toEqual(['invariant', 13, 21]);
    expect(spread.violation?.message).toBe('step leaves the type: x = 4 is outside int(0, 3)');
    expect(mutate.violation?.message).toBe(spread.violation?.message);
  });

  it('an extra key put into an int-keyed map is a type violation, as on a decoded state', async () => {
    const m = await model('extra.ts', `
      import { defineSpec, int, mapOf } from 'interleave';
      export default defineSpec({
        name: 'extra',
        state: { m: mapOf(int(1, 2), int(0, 1)), n: int(0, 1) },
        init: { m: { 1: 0, 2: 0 }, n: 0 },
        actions: { grow: { params: { k: int(1, 3) }, do: (s, { k }) => { s.m[k] = 1; } } },
      });`);
    const r = await checkModel(m, {});
    expect([r.outcome, r.violation?.property]).toEqual(['invariant', 'TypeOK']);
    expect(r.violation?.message).toBe('grow(k=3) leaves the type: m[3] = 1 is outside the key type int(1, 2)');
  });

  it('a map moved into a variable with fewer keys brings its extra key, a type violation as on a decoded state', async () => {
    const m = await model('moved.ts', `
      import { defineSpec, int, mapOf } from 'interleave';
      export default defineSpec({
        name: 'moved',
        state: { big: mapOf(int(1, 3), int(0, 1)), small: mapOf(int(1, 2), int(0, 1)) },
        init: { big: { 1: 0, 2: 0, 3: 0 }, small: { 1: 0, 2: 0 } },
        actions: { copy: { when: (s) => s.small[1] === 0, do: (s) => { s.small = s.big; s.small[1] = 1; } } },
      });`);
    expect(m.views).toBeDefined();
    const r = await checkModel(m, {});
    expect(r.violation?.message).toBe('copy leaves the type: small[3] = 0 is outside the key type int(1, 2)');
  });

  it('an instance whose guard is false without reading the state is never tried, and counts do not change', async () => {
    const m = await model('pairs.ts', `
      import { defineSpec, int, mapOf } from 'interleave';
      export default defineSpec({
        name: 'pairs',
        state: { got: mapOf(int(1, 3), int(0, 3)), sent: int(0, 2) },
        init: { got: { 1: 0, 2: 0, 3: 0 }, sent: 0 },
        actions: {
          pass: { params: { p: int(1, 3), q: int(1, 3) }, when: (s, { p, q }) => p !== q && s.got[p] < 3, do: (s, { p, q }) => { s.got[p] += 1; s.got[q] = s.got[q]; } },
          send: { when: (s) => s.sent < 2, do: (s) => { s.sent += 1; } },
        },
        deadlock: false,
      });`);
    expect(m.actions.filter((a) => a.disabled).map((a) => a.label)).toEqual(['pass(p=1, q=1)', 'pass(p=2, q=2)', 'pass(p=3, q=3)']);
    const r = await checkModel(m, {});
    // got[p] counts 0..3 for each of three processes, sent 0..2: 4^3 * 3 states.
    expect([r.outcome, r.stats.distinct]).toEqual(['ok', 192]);
  });
});

describe('initial states from a generator', () => {
  const source = (boom: string) => `
    import { defineSpec, int } from 'interleave';
    const g = globalThis as { starts?: number };
    export default defineSpec({
      name: 'gen',
      state: { x: int(0, 9), y: int(0, 9) },
      init: function* () {
        g.starts = (g.starts ?? 0) + 1;
        for (let x = 0; x < 10; x++) {
          ${boom}
          yield { x, y: 0 };
        }
      },
      actions: { inc: { when: (s) => s.y < 9, do: (s) => { s.y++; } } },
      invariants: { Small: (s) => s.x + s.y < 30 },
      deadlock: false,
    });`;

  it('are taken one at a time by the search, which never lists them', async () => {
    const g = globalThis as { starts?: number };
    g.starts = 0;
    const m = await model('gen.ts', source(''));
    // Once when the spec is compiled (to find a generator that throws), once by the search.
    expect(g.starts).toBe(1);
    const r = await checkModel(m, { workers: 1 });
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 100, 100, 10]);
    expect(g.starts).toBe(2);
    // Listed only when asked for (traces, simulation).
    expect(m.initial.length).toBe(10);
  });

  it('with init left uncalled (lazyInit), are produced when a search starts, and still streamed', async () => {
    const g = globalThis as { starts?: number };
    g.starts = 0;
    const file = writeSpec(dir, 'lazy.ts', source(''));
    const m = compileModel((await loadSpec(file)).spec, 'default', file, { lazyInit: true });
    expect(g.starts).toBe(0);
    const r = await checkModel(m, { workers: 1 });
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 100, 100, 10]);
    // Once to find a generator that throws, once by the search: not listed into an array.
    expect(g.starts).toBe(2);
    expect(typeof m.initialStates).toBe('function');
  });

  it('a generator that throws half-way is a spec that does not load', async () => {
    await expect(model('boom.ts', source("if (x === 3) throw new Error('boom');"))).rejects.toThrow("spec 'gen', variant 'default': `init` threw: boom");
  });

  it('are produced once for a search (streamOnce), which ends with the same errors: a throw half-way, or no state', async () => {
    const g = globalThis as { starts?: number };
    g.starts = 0;
    const compile = async (name: string, boom: string) => {
      const file = writeSpec(dir, name, source(boom));
      return compileModel((await loadSpec(file)).spec, 'default', file, { streamOnce: true });
    };
    const m = await compile('once.ts', '');
    expect(g.starts).toBe(0);
    const r = await checkModel(m, { workers: 1 });
    expect([r.outcome, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['ok', 100, 100, 10]);
    expect(g.starts).toBe(1);
    const boom = await compile('once-boom.ts', "if (x === 3) throw new Error('boom');");
    await expect(checkModel(boom, { workers: 1 })).rejects.toThrow("spec 'gen', variant 'default': `init` threw: boom");
    const none = await compile('once-none.ts', 'return;');
    await expect(checkModel(none, { workers: 1 })).rejects.toThrow("spec 'gen': `init` gives no initial state");
  });
});

describe('spec code that lists the whole state', () => {
  const spec = (invariant: string) => `
    import { defineSpec, int } from 'interleave';
    export default defineSpec({
      name: 'pair',
      state: { a: int(0, 3), b: int(0, 3) },
      init: { a: 0, b: 0 },
      actions: { incA: { when: (s) => s.a < 3, do: (s) => { s.a += 1; } }, incB: { when: (s) => s.b < 3, do: (s) => { s.b += 1; } } },
      invariants: { SumBelowFive: ${invariant} },
    });`;

  it('gets plain states: Object.values, a spread and for-in see every variable', async () => {
    for (const [name, invariant] of [
      ['values', '(s) => Object.values(s).reduce((n, x) => n + x, 0) < 5'],
      ['spread', '(st) => { const t = { ...st }; return t.a + t.b < 5; }'],
      ['forin', '(s) => { let n = 0; for (const k in s) n += s[k]; return n < 5; }'],
    ]) {
      const m = await model(`whole-${name}.ts`, spec(invariant));
      expect(m.views, name).toBeUndefined();
      const r = await checkModel(m);
      expect([name, r.outcome, r.property, r.trace?.length]).toEqual([name, 'invariant', 'SumBelowFive', 6]);
    }
  });

  it('gets plain states for other ways of listing the state, and for process steps that list it', async () => {
    for (const [name, invariant] of [
      ['rest parameter', '({ ...st }) => st.a + st.b < 5'],
      ['hasOwnProperty', "(s) => s.hasOwnProperty('a') && s.a + s.b < 5"],
      ['hasOwnProperty.call', "(s) => Object.prototype.hasOwnProperty.call(s, 'a') && s.a + s.b < 5"],
      ['assign into defaults', '(s) => { const t = Object.assign({ a: 0, b: 0 }, s); return t.a + t.b < 5; }'],
      ['keys of (s)', '(s) => Object.keys((s)).length === 2 && s.a + s.b < 5'],
    ]) {
      const m = await model(`listed-${name.replace(/\W+/g, '-')}.ts`, spec(invariant));
      expect(m.views, name).toBeUndefined();
      const r = await checkModel(m);
      expect([name, r.outcome, r.property, r.trace?.length]).toEqual([name, 'invariant', 'SumBelowFive', 6]);
    }
    const steps = await model('process-lists.ts', `
      import { defineSpec, enumOf, int, mapOf } from 'interleave';
      import { process } from '${join(ROOT, 'src', 'process.ts')}';
      const p = process()('p', int(1, 2), { pc: 'pc', steps: { a: { when: (s) => Object.keys(s).length === 2, do: (s) => { s.n = (s.n + 1) % 3; } } } });
      export default defineSpec({ name: 'process-lists', state: { pc: mapOf(int(1, 2), enumOf('a', 'Done')), n: int(0, 2) }, init: { pc: { 1: 'a', 2: 'a' }, n: 0 }, actions: p, deadlock: false });`);
    expect(steps.views).toBeUndefined();
    expect((await checkModel(steps)).stats.distinct).toBe(4);
  });

  it('on plain states as on views, invariants and the constraint read the state as stored, not the object the recipe left', async () => {
    // The recipe deletes and adds key a back: the object it leaves lists b first, the state does not.
    const source = (guard: string) => `
      import { defineSpec, enumOf, int, mapOf } from 'interleave';
      export default defineSpec({
        name: 'order',
        state: { m: mapOf(enumOf('a', 'b'), int(0, 3)), n: int(0, 3) },
        init: { m: { a: 0, b: 0 }, n: 0 },
        actions: { bump: { when: (s) => ${guard}s.n < 3, do: (s) => { const v = s.m.a; delete s.m.a; s.m.a = (v + 1) % 4; s.n += 1; } } },
        constraint: (s) => Object.keys(s.m)[0] === 'a',
        invariants: { FirstIsA: (s) => Object.keys(s.m)[0] === 'a' },
        deadlock: false,
      });`;
    const viewed = await model('order-views.ts', source(''));
    const plain = await model('order-plain.ts', source('Object.keys(s).length >= 0 && '));
    expect([viewed.views !== undefined, plain.views]).toEqual([true, undefined]);
    for (const m of [viewed, plain]) {
      const r = await checkModel(m);
      expect([r.outcome, r.stats.distinct, r.stats.depth]).toEqual(['ok', 4, 4]);
    }
  });

  it('a recipe that deletes a variable gets plain states, and the missing field is a type violation', async () => {
    for (const [name, recipe] of [
      ['delete', '(s) => { s.a += 1; delete (s as any).b; }'],
      ['deleteProperty', "(s) => { s.a += 1; Reflect.deleteProperty(s, 'b'); }"],
    ]) {
      const m = await model(`drop-${name}.ts`, `
        import { defineSpec, int } from 'interleave';
        export default defineSpec({ name: 'drop', state: { a: int(0, 3), b: int(0, 3) }, init: { a: 0, b: 0 }, actions: { drop: { when: (s) => s.a < 3, do: ${recipe} } } });`);
      expect(m.views, name).toBeUndefined();
      const r = await checkModel(m);
      expect([name, r.property, r.message]).toEqual([name, 'TypeOK', 'drop leaves the type: b = undefined is outside int(0, 3) (the field is missing)']);
    }
    // Deleting a key of a map inside the state is no reason to give up views.
    const keyed = await model('drop-key.ts', `
      import { defineSpec, int, mapOf, scalarset } from 'interleave';
      const K = scalarset('k', 2);
      export default defineSpec({ name: 'drop-key', state: { m: mapOf(K, int(0, 1)), n: int(0, 1) }, init: { m: { k1: 0, k2: 0 }, n: 0 }, actions: { drop: { do: (s) => { delete (s.m as any).k1; } } } });`);
    expect(keyed.views).toBeDefined();
    expect((await checkModel(keyed)).message).toBe('drop leaves the type: m[k1] = undefined is outside int(0, 1) (the key is missing)');
  });

  it('keeps views where variables are read by name, and JSON.stringify of a view shows every variable', async () => {
    const m = await model('by-name.ts', spec('(s) => s.a + s.b < 5 && JSON.stringify(s).length > 0'));
    expect(m.views).toBeDefined();
    const r = await checkModel(m);
    expect([r.outcome, r.property, r.trace?.length]).toEqual(['invariant', 'SumBelowFive', 6]);
    const encoded = new Int32Array(m.width);
    m.encode({ a: 2, b: 1 }, encoded, 0);
    expect(JSON.stringify(m.views!.open(encoded, 0))).toBe('{"a":2,"b":1}');
  });
});
