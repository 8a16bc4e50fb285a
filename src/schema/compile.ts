// Specialised codecs: for a given schema, generate straight-line encode/decode code with `new Function`
// instead of walking the schema's objects for every state. The generated encoder only checks and
// writes; on anything it does not accept it hands the value to the schema's own encoder, which
// throws the TypeViolation with its exact message (or writes the value, if the check was merely
// conservative). Decoding builds the same values as Schema.decode, with stable object shapes.
import {
  ArraySchema,
  BagSchema,
  BoolSchema,
  EnumSchema,
  FiniteSchema,
  IntSchema,
  MapSchema,
  OptionalSchema,
  RecordSchema,
  Scalarset,
  type Schema,
  SeqSchema,
  SetSchema,
  TupleSchema,
  type Shape,
  UnionSchema,
  ValueSetSchema,
} from './types.ts';
import { isIndex, KeyWatch, listedMaps } from './key-watch.ts';
import { type ElementHash, ValueBag, ValueSet } from './values.ts';

export interface Codec<T> {
  /** Writes `value` at `out[at..at+width)`; throws TypeViolation (the schema's message) if it does not fit. */
  encode(value: unknown, out: Int32Array, at: number): void;
  /**
   * Writes `value` and says true, or says false when the generated check does not accept it (then
   * `encode` says why, or writes it: the check may be conservative). No exception: the hot path.
   */
  fits(value: unknown, out: Int32Array, at: number): boolean;
  decode(from: Int32Array, at: number): T;
}

/** Enum-like types with at most this many values are matched by a chain of comparisons, not a Map. */
const INLINE_VALUES = 8;
/** Arrays and maps up to this many elements are unrolled. */
const UNROLL = 64;
/** Up to this many slots are zeroed one by one, not by a call to fill. */
const SMALL_FILL = 32;
/** Sequences of at most this many elements are decoded by one array literal per length. */
const SMALL_SEQ = 16;

/**
 * The maps a draft's decoder made last, one per site of a variable's value (a map decoded at most
 * once per decode), to be refilled in place by the next draft: a map with the watch's prototype is
 * made by a call into the runtime (about 40 ns), a refill is a few stores. A variable's maps belong
 * to one draft at a time, from its first read to `recycle` (the step has done with the successor);
 * a draft that reads the variable meanwhile makes maps of its own. A plain copy that outlives the
 * draft (a violation's state) takes the variable's maps with it: they are made anew next time.
 */
class MapPool {
  /** The map of each site, undefined until made (or after its variable's maps were retired). */
  readonly maps: (object | undefined)[] = [];
  /** Per variable: the epoch of the draft that holds its maps (free when not the current epoch). */
  held: Int32Array = new Int32Array(0);
  epoch = 1;
  /** Per variable: its sites. */
  readonly sites: number[][] = [];

  retire(variable: number): void {
    for (const site of this.sites[variable]) this.maps[site] = undefined;
  }
}

class Generator {
  /** Constants the generated code refers to as K[i]. */
  readonly consts: unknown[] = [];
  /** Helper functions, emitted before the entry points. */
  readonly helpers: string[] = [];
  private next = 0;
  /** Set while generating a draft's decoder: its integer-keyed maps get the watch's prototype. */
  drafting = false;
  /**
   * Set while generating a draft's decoder where each map site is decoded at most once per decode
   * (not inside a helper's loop): such a map is refilled in place (MapPool) instead of made anew.
   */
  pooling: number[] | undefined = undefined;
  /** While generating a view's writer: the sites of its variable not yet met, in the decoder's order. */
  encodeSites: number[] | undefined = undefined;
  constructor(
    private readonly watch?: KeyWatch,
    readonly pool?: MapPool,
  ) {}

  /** The watch, and its prototype for maps with these keys, as constants of the generated code. */
  private watched(keys: readonly string[]): [watch: string, proto: string] {
    return [this.konst(this.watch), this.konst(this.watch!.protoFor(keys))];
  }

  konst(value: unknown): string {
    let i = this.consts.indexOf(value);
    if (i < 0 || typeof value !== 'object') i = this.consts.push(value) - 1;
    return `K[${i}]`;
  }
  fresh(prefix: string): string {
    return `${prefix}${this.next++}`;
  }

  /** An expression evaluating to the decoded value at slot `at` (an expression) of `f`. */
  decode(s: Schema<unknown>, at: string): string {
    const pooling = this.pooling;
    if (!unrolled(s)) this.pooling = undefined;
    try {
      return this.decodeSite(s, at);
    } finally {
      this.pooling = pooling;
    }
  }

  private decodeSite(s: Schema<unknown>, at: string): string {
    if (s instanceof IntSchema) return s.lo === 0 ? `f[${at}]` : `(f[${at}] + ${s.lo})`;
    if (s instanceof BoolSchema) return `(f[${at}] === 1)`;
    if (s instanceof FiniteSchema) return `${this.konst(s.values)}[f[${at}]]`;
    if (s instanceof RecordSchema) {
      let off = 0;
      const parts = s.keys.map((k) => {
        const e = `${JSON.stringify(k)}: ${this.decode(s.fields[k], `${at} + ${off}`)}`;
        off += s.fields[k].width;
        return e;
      });
      return `{ ${parts.join(', ')} }`;
    }
    if (s instanceof MapSchema) {
      const key: FiniteSchema<unknown> = s.key;
      const names = key.values.map((k) => key.keyOf(k));
      if (names.length <= UNROLL) {
        const w = s.value.width;
        const watched = this.drafting && names.every(isIndex);
        const values = names.map((_, i) => this.decode(s.value, `${at} + ${i * w}`));
        if (watched && this.pooling && this.pool) return this.pooled(names, values, this.pooling);
        const proto = watched ? `__proto__: ${this.watched(names)[1]}, ` : '';
        return `{ ${proto}${names.map((n, i) => `${JSON.stringify(n)}: ${values[i]}`).join(', ')} }`;
      }
      return this.helper('d', `const o = {}; const N = ${this.konst(names)};
        for (let i = 0; i < N.length; i++) o[N[i]] = ${this.decode(s.value, `a + i * ${s.value.width}`)};
        return o;`, at);
    }
    if (s instanceof ArraySchema) {
      const w = s.element.width;
      if (s.length <= UNROLL) return `[${Array.from({ length: s.length }, (_, i) => this.decode(s.element, `${at} + ${i * w}`)).join(', ')}]`;
      return this.helper('d', `const r = [];
        for (let i = 0; i < ${s.length}; i++) r.push(${this.decode(s.element, `a + i * ${w}`)});
        return r;`, at);
    }
    if (s instanceof SeqSchema) {
      const w = s.element.width;
      if (s.maxLen <= SMALL_SEQ) {
        // One array literal per length: an array of exactly its elements, where pushing onto an
        // empty one allocates room for 17 and copies as it grows.
        const element = (i: number) => this.decode(s.element, `a + ${1 + i * w}`);
        const cases = Array.from({ length: s.maxLen + 1 }, (_, n) => `case ${n}: return [${Array.from({ length: n }, (_, i) => element(i)).join(', ')}];`);
        return this.helper('d', `switch (f[a]) { ${cases.join(' ')} } throw new RangeError('a sequence longer than ${s.maxLen} in the encoding');`, at);
      }
      return this.helper('d', `const n = f[a]; const r = [];
        for (let i = 0; i < n; i++) r.push(${this.decode(s.element, `a + 1 + i * ${w}`)});
        return r;`, at);
    }
    if (s instanceof SetSchema) {
      const values: readonly unknown[] = s.element.values;
      const adds = values.map((_, i) => `if (f[a + ${(i / 30) | 0}] & ${1 << i % 30}) r.add(V[${i}]);`);
      return this.helper('d', `const V = ${this.konst(s.element.values)}; const r = new Set(); ${adds.join(' ')} return r;`, at);
    }
    if (s instanceof TupleSchema) {
      const items: readonly Schema<unknown>[] = s.items;
      return `[${items.map((t, i) => this.decode(t, `${at} + ${tupleOffset(items, i)}`)).join(', ')}]`;
    }
    if (s instanceof OptionalSchema) return `(f[${at}] === 0 ? null : ${this.decode(s.inner, `${at} + 1`)})`;
    if (s instanceof UnionSchema && s.disjoint) {
      const last = s.members.length - 1;
      return `(${s.members.map((m: Schema<unknown>, i: number) => (i < last ? `f[${at}] === ${i} ? ${this.decode(m, `${at} + 1`)} : ` : this.decode(m, `${at} + 1`))).join('')})`;
    }
    if (s instanceof ValueSetSchema) return `${this.konst(valueSetDecoder(s))}(f, ${at})`;
    if (s instanceof BagSchema) return `${this.konst(bagDecoder(s))}(f, ${at})`;
    return `${this.konst(s)}.decode(f, ${at})`;
  }

  /** Statements that write `v` (an identifier) at slot `at` of `o`, or `return false` when they cannot. */
  encode(s: Schema<unknown>, v: string, at: string): string {
    const sites = this.encodeSites;
    if (!unrolled(s)) this.encodeSites = undefined;
    try {
      return this.encodeSite(s, v, at);
    } finally {
      this.encodeSites = sites;
    }
  }

  private encodeSite(s: Schema<unknown>, v: string, at: string): string {
    if (s instanceof IntSchema) {
      return `if (!(Number.isInteger(${v}) && ${v} >= ${s.lo} && ${v} <= ${s.hi})) return false; o[${at}] = ${s.lo === 0 ? v : `${v} - ${s.lo}`};`;
    }
    if (s instanceof BoolSchema) return `if (${v} === true) o[${at}] = 1; else if (${v} === false) o[${at}] = 0; else return false;`;
    if (s instanceof EnumSchema || s instanceof Scalarset) {
      if (s.values.length <= INLINE_VALUES) {
        const chain = s.values.map((x, i) => `if (${v} === ${JSON.stringify(x)}) o[${at}] = ${i}; else `).join('');
        return `${chain}return false;`;
      }
      const i = this.fresh('i');
      return `const ${i} = ${this.konst(new Map(s.values.map((x, k) => [x, k])))}.get(${v}); if (${i} === undefined) return false; o[${at}] = ${i};`;
    }
    if (s instanceof FiniteSchema) {
      const i = this.fresh('i');
      return `const ${i} = ${this.konst(s)}.indexOf(${v}); if (${i} < 0) return false; o[${at}] = ${i};`;
    }
    if (s instanceof RecordSchema || s instanceof MapSchema) {
      const mapKey: FiniteSchema<unknown> | undefined = s instanceof MapSchema ? s.key : undefined;
      const keys = mapKey ? mapKey.values.map((k) => mapKey.keyOf(k)) : (s as RecordSchema<never>).keys;
      const field = (i: number): Schema<unknown> => (s instanceof RecordSchema ? s.fields[keys[i]] : s.value);
      const offset = (i: number): number => {
        if (s instanceof MapSchema) return i * s.value.width;
        let off = 0;
        for (let k = 0; k < i; k++) off += s.fields[keys[k]].width;
        return off;
      };
      if (keys.length > UNROLL) return `if (!${this.konst(this.sub(s))}(${v}, o, ${at})) return false;`;
      const lines = [`if (${v} === null || typeof ${v} !== 'object' || Array.isArray(${v})) return false;`];
      keys.forEach((k, i) => {
        const fv = this.fresh('v');
        lines.push(`const ${fv} = ${v}[${JSON.stringify(k)}]; if (${fv} === undefined) return false;`);
        lines.push(this.encode(field(i), fv, `${at} + ${offset(i)}`));
      });
      // An extra key is an error too. For-in over named keys costs a few nanoseconds and allocates
      // nothing; over integer keys (stored as elements) it takes the runtime's slow path, where
      // Object.keys costs two thirds as much.
      if (keys.every(isIndex)) {
        // A draft's map, while no key was added to one (KeyWatch), needs no count.
        const [watch, proto] = this.watch ? this.watched(keys) : ['', ''];
        // The map the pool refilled for this site has the watch's prototype (a recipe that changes
        // it is not looked for): the identity spares Object.getPrototypeOf, a call of about 8 ns.
        const site = s instanceof MapSchema && this.encodeSites !== undefined ? this.encodeSites.shift() : undefined;
        const own = site === undefined ? '' : `${v} !== PM[${site}] && `;
        const unwatched = this.watch ? `(${watch}.added !== 0 || ${own}Object.getPrototypeOf(${v}) !== ${proto}) && ` : '';
        lines.push(`if (${unwatched}Object.keys(${v}).length !== ${keys.length}) return false;`);
      } else {
        const n = this.fresh('n');
        const key = this.fresh('k');
        lines.push(`let ${n} = 0; for (const ${key} in ${v}) ${n}++; if (${n} !== ${keys.length}) return false;`);
      }
      return lines.join('\n');
    }
    if (s instanceof ArraySchema || s instanceof SeqSchema) {
      const fixed = s instanceof ArraySchema;
      const w = s.element.width;
      const first = fixed ? 0 : 1;
      const lines = [
        fixed
          ? `if (!Array.isArray(${v}) || ${v}.length !== ${s.length}) return false;`
          : `if (!Array.isArray(${v}) || ${v}.length > ${s.maxLen}) return false; o[${at}] = ${v}.length;`,
      ];
      if (fixed && s.length <= UNROLL) {
        for (let i = 0; i < s.length; i++) {
          const e = this.fresh('e');
          lines.push(`const ${e} = ${v}[${i}];`, this.encode(s.element, e, `${at} + ${i * w}`));
        }
      } else {
        const i = this.fresh('i');
        const e = this.fresh('e');
        lines.push(`for (let ${i} = 0; ${i} < ${v}.length; ${i}++) { const ${e} = ${v}[${i}]; ${this.encode(s.element, e, `${at} + ${first} + ${i} * ${w}`)} }`);
        if (!fixed) lines.push(this.zero(`${at} + 1 + ${v}.length * ${w}`, `${at} + ${s.width}`, s.width));
      }
      return lines.join('\n');
    }
    if (s instanceof SetSchema) {
      const idx = this.fresh('i');
      const e = this.fresh('e');
      const el = s.element;
      const values: readonly unknown[] = el.values;
      const index =
        values.length <= INLINE_VALUES && (el instanceof EnumSchema || el instanceof Scalarset)
          ? values.map((x, i) => `${e} === ${JSON.stringify(x)} ? ${i} : `).join('') + '-1'
          : el instanceof IntSchema
            ? `(Number.isInteger(${e}) && ${e} >= ${el.lo} && ${e} <= ${el.hi} ? ${e} - ${el.lo} : -1)`
            : `${this.konst(el)}.indexOf(${e})`;
      if (s.width === 1) {
        // One word of bits, built in a local: filling one slot is a call into the runtime.
        const bits = this.fresh('b');
        return [
          `if (!(${v} instanceof Set)) return false;`,
          `let ${bits} = 0; for (const ${e} of ${v}) { const ${idx} = ${index}; if (${idx} < 0) return false; ${bits} |= 1 << ${idx}; } o[${at}] = ${bits};`,
        ].join('\n');
      }
      return [
        `if (!(${v} instanceof Set)) return false;`,
        this.zero(at, `${at} + ${s.width}`, s.width),
        `for (const ${e} of ${v}) { const ${idx} = ${index}; if (${idx} < 0) return false; o[${at} + ((${idx} / 30) | 0)] |= 1 << (${idx} % 30); }`,
      ].join('\n');
    }
    if (s instanceof TupleSchema) {
      // A message such as <<p, "ECHO">>: straight-line code, not the schema's own encoder, which
      // builds the path of each item for a message it may never give.
      const items: readonly Schema<unknown>[] = s.items;
      const lines = [`if (!Array.isArray(${v}) || ${v}.length !== ${items.length}) return false;`];
      items.forEach((t, i) => {
        const e = this.fresh('e');
        lines.push(`const ${e} = ${v}[${i}];`, this.encode(t, e, `${at} + ${tupleOffset(items, i)}`));
      });
      return lines.join('\n');
    }
    if (s instanceof OptionalSchema) {
      return `if (${v} === null) { ${this.zero(at, `${at} + ${s.width}`, s.width)} } else { o[${at}] = 1; ${this.encode(s.inner, v, `${at} + 1`)} }`;
    }
    if (s instanceof UnionSchema && s.disjoint) {
      // The member that takes the value (at most one: they share no value), its tag, its slots, zeros.
      const branches = s.members.map((m: Schema<unknown>, i: number) => {
        const fits = this.konst(compileCodec(m).fits);
        return `if (${fits}(${v}, o, ${at} + 1)) { o[${at}] = ${i}; ${this.zero(`${at} + ${1 + m.width}`, `${at} + ${s.width}`, s.width - 1 - m.width)} }`;
      });
      return `${branches.join(' else ')} else return false;`;
    }
    if (s instanceof ValueSetSchema || s instanceof BagSchema) return `if (!${this.konst(sortedEncoder(s))}(${v}, o, ${at})) return false;`;
    // A type this generator does not know: its own encoder checks and writes; on a misfit the
    // schema's encoder runs again from the top, so the message names the whole path.
    return `try { ${this.konst(s)}.encode(${v}, o, ${at}, ''); } catch (err) { return false; }`;
  }

  /**
   * A call that refills this site's map of the pool with the values (expressions) and returns it;
   * the site is added to `sites` (the variable's, which a copy that outlives the draft retires).
   */
  private pooled(names: readonly string[], values: readonly string[], sites: number[]): string {
    const pool = this.pool!;
    const site = pool.maps.push(undefined) - 1;
    sites.push(site);
    const proto = this.watched(names)[1];
    const args = values.map((_, i) => `x${i}`);
    const fill = names.map((n, i) => `m[${JSON.stringify(n)}] = x${i};`).join(' ');
    const made = `{ __proto__: ${proto}, ${names.map((n, i) => `${JSON.stringify(n)}: x${i}`).join(', ')} }`;
    const name = this.fresh('p');
    // A map the last recipe froze, sealed or gave another prototype is not refilled but replaced.
    this.helpers.push(`function ${name}(${args.join(', ')}) { const m = PM[${site}];
      if (m === undefined || Object.getPrototypeOf(m) !== ${proto} || !Object.isExtensible(m)) return (PM[${site}] = ${made});
      ${fill} return m; }`);
    return `${name}(${values.join(', ')})`;
  }

  /**
   * Statements that zero o[from..to), at most `width` slots: one by one when they are few, since a
   * call to fill costs more than the stores (a sequence's unused tail, a set's words, a null optional).
   */
  private zero(from: string, to: string, width: number): string {
    if (width > SMALL_FILL) return `o.fill(0, ${from}, ${to});`;
    const j = this.fresh('j');
    return `for (let ${j} = ${from}; ${j} < ${to}; ${j}++) o[${j}] = 0;`;
  }

  /** Helpers by body: a draft's decoder shares those that build no integer-keyed map. */
  private readonly helperNames = new Map<string, string>();

  private helper(prefix: string, body: string, at: string): string {
    let name = this.helperNames.get(prefix + body);
    if (name === undefined) {
      name = this.fresh(prefix);
      this.helperNames.set(prefix + body, name);
      this.helpers.push(`function ${name}(f, a) { ${body} }`);
    }
    return `${name}(f, ${at})`;
  }

  /** A separately compiled checker-writer for a large record or map. */
  private sub(s: Schema<unknown>): (v: unknown, o: Int32Array, at: number) => boolean {
    const g = new Generator(this.watch);
    const body = g.encode(s, 'v', 'a');
    return new Function('K', `${g.helpers.join('\n')}\nreturn function (v, o, a) { ${body}\nreturn true; };`)(g.consts) as never;
  }
}

/** The slot of a tuple's item `i`, from the start of the tuple. */
function tupleOffset(items: readonly Schema<unknown>[], i: number): number {
  let off = 0;
  for (let k = 0; k < i; k++) off += items[k].width;
  return off;
}

/**
 * Whether a value is decoded and encoded by straight-line code, each of its parts once (a sequence,
 * a set, a long array or map is decoded in a loop): only there is a map one site of the pool.
 */
function unrolled(s: Schema<unknown>): boolean {
  return s instanceof RecordSchema || s instanceof OptionalSchema || (s instanceof MapSchema && s.key.values.length <= UNROLL) || (s instanceof ArraySchema && s.length <= UNROLL);
}

/**
 * The writer of a set (or bag) of structured values: each element written by its type's generated
 * writer into a row (a bag's row ends with the element's number of copies), the rows sorted, repeats
 * dropped, then the count, the rows and zeros. False (the schema's own encoder then says why) for
 * anything it does not take, more than `max` elements, or more than a bag's `copies` of one.
 */
function sortedEncoder(s: ValueSetSchema<Schema<unknown>> | BagSchema<Schema<unknown>>): (v: unknown, o: Int32Array, at: number) => boolean {
  const { fits } = compileCodec(s.element);
  const { row, max, width } = s;
  const copies = s instanceof BagSchema ? s.copies : 0;
  const w = s.element.width;
  let rows = new Int32Array(row * 16);
  // Row numbers, sorted by their rows; a typed array, so that a set of another size costs no resize.
  let order = new Int32Array(16);
  const compare = (x: number, y: number): number => {
    for (let i = 0; i < row; i++) {
      const d = rows[x * row + i] - rows[y * row + i];
      if (d !== 0) return d;
    }
    return 0;
  };
  /**
   * Sorts `order` by row. A set decoded from a state lists its elements in order and a step adds a
   * few at its end, so insertion needs about one compare an element and a few moves for each one
   * added; a set far from order (one the spec built) goes to the general sort after 4n + 16 moves.
   */
  const sortOrder = (k: number): void => {
    let moves = 4 * k + 16;
    for (let i = 1; i < k; i++) {
      const r = order[i];
      let j = i - 1;
      while (j >= 0 && compare(order[j], r) > 0) {
        order[j + 1] = order[j];
        j--;
        moves--;
      }
      order[j + 1] = r;
      if (moves < 0) {
        order.subarray(0, k).sort(compare);
        return;
      }
    }
  };
  /** Room for `n` rows. */
  const room = (n: number): void => {
    if (rows.length < n * row) rows = new Int32Array(n * row * 2);
    if (order.length < n) order = new Int32Array(n * 2);
  };
  /** Writes the rows of `v` into `rows` and their numbers into `order`: how many, or -1 when one does not fit. */
  const rowsOf =
    copies === 0
      ? (v: unknown): number => {
          if (!(v instanceof ValueSet || v instanceof Set)) return -1;
          room(v.size);
          let k = 0;
          for (const e of v as Iterable<unknown>) {
            if (!fits(e, rows, k * row)) return -1;
            order[k] = k;
            k++;
          }
          return k;
        }
      : (v: unknown): number => {
          if (!(v instanceof ValueBag)) return -1;
          room(v.distinct);
          let k = 0;
          for (const [e, n] of v.entries()) {
            if (!(n >= 1 && n <= copies) || !fits(e, rows, k * row)) return -1;
            rows[k * row + w] = n;
            order[k] = k;
            k++;
          }
          return k;
        };
  return (v, o, at) => {
    const k = rowsOf(v);
    if (k < 0) return false;
    sortOrder(k);
    let m = 0;
    for (let j = 0; j < k; j++) {
      const r = order[j];
      if (j > 0 && compare(order[j - 1], r) === 0) continue;
      if (m === max) return false;
      // Row by row: a subarray to copy from would be an object per row.
      const from = r * row;
      const to = at + 1 + m * row;
      for (let i = 0; i < row; i++) o[to + i] = rows[from + i];
      m++;
    }
    o[at] = m;
    // The unused rows, often most of a set's width: fill is a memset where a loop stores slot by slot.
    const end = at + width;
    const start = at + 1 + m * row;
    if (end - start > SMALL_FILL) o.fill(0, start, end);
    else for (let j = start; j < end; j++) o[j] = 0;
    return true;
  };
}

/** The reader of a set of structured values: its rows are different from each other, so its elements need no comparing. */
function valueSetDecoder(s: ValueSetSchema<Schema<unknown>>): (f: Int32Array, a: number) => ValueSet<unknown> {
  const { decode, fits } = compileCodec(s.element);
  const row = s.row;
  const hash = elementHash(s.element, fits, row);
  return (f, a) => {
    const n = f[a];
    const items: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) items[i] = decode(f, a + 1 + i * row);
    return ValueSet.ofDistinct(items, hash);
  };
}

/** The reader of a bag of structured values: each row's element and its number of copies. */
function bagDecoder(s: BagSchema<Schema<unknown>>): (f: Int32Array, a: number) => ValueBag<unknown> {
  const { decode } = compileCodec(s.element);
  const { row } = s;
  const w = s.element.width;
  return (f, a) => {
    const bag = new ValueBag<unknown>();
    const n = f[a];
    for (let i = 0; i < n; i++) bag.add(decode(f, a + 1 + i * row), f[a + 1 + i * row + w]);
    return bag;
  };
}

/**
 * The hash of a value as `element` encodes it (ValueSet's ElementHash): writing a message record
 * takes a few checks and stores, where hashing the object walks its keys and their names. A value the
 * generated writer does not take is tried with the type's own encoder, which takes every value of the
 * type; one that neither takes is no value of the type.
 */
function elementHash(element: Schema<unknown>, fits: Codec<unknown>['fits'], row: number): ElementHash {
  const slots = new Int32Array(row);
  return (e) => {
    if (!fits(e, slots, 0)) {
      try {
        element.encode(e, slots, 0, '');
      } catch {
        return undefined;
      }
    }
    let h = 0x3c6ef372 ^ row;
    for (let i = 0; i < row; i++) h = Math.imul(h ^ slots[i], 0x01000193) ^ (h >>> 15);
    return h;
  };
}

/** Compiles a schema's encoder and decoder into specialised functions. */
export function compileCodec<T>(schema: Schema<T>): Codec<T> {
  // The maps a type listed (an initial predicate's states) are checked without counting their keys.
  const g = new Generator(listedMaps);
  const decodeExpr = g.decode(schema, 'a');
  const encodeBody = g.encode(schema, 'v', 'a');
  const source = `${g.helpers.join('\n')}
    function fits(v, o, a) { ${encodeBody}
      return true; }
    return {
      decode(f, a) { return ${decodeExpr}; },
      encode(v, o, a) { if (!fits(v, o, a)) S.encode(v, o, a, ''); },
      fits,
    };`;
  return new Function('K', 'S', source)(g.consts, schema) as Codec<T>;
}

/**
 * Lazily decoded states over an encoding, generated per state schema (design.md, "Views, not
 * decode/encode"). A view reads a variable from the encoding when it is first touched (each view
 * decodes its own copy, so a recipe may change it) and keeps what is assigned to it; writing one
 * copies the untouched variables' slots from the encoding it came from and encodes the touched ones,
 * so a step costs what its guards and recipe touch, not the whole state.
 */
export interface StateViews<T> {
  /** A view of the state encoded at data[at..]; valid while that encoding is. */
  open(data: Int32Array, at: number): T;
  /** The same, for a recipe to change: what it decodes is cheaper to encode again (KeyWatch). */
  draft(data: Int32Array, at: number): T;
  isView(value: unknown): boolean;
  /** Writes a view at out[at..]; throws TypeViolation (the whole-state encoder's message) if it does not fit. */
  encode(view: T, out: Int32Array, at: number): void;
  /** Writes a view and says true, or says false where `encode` must say why (Codec.fits). */
  fits(view: T, out: Int32Array, at: number): boolean;
  /** A plain, fully decoded copy of a view, as the recipe left it (extra keys included): it outlives the encoding. */
  plain(view: T): T;
  /**
   * The successor made from the last draft is done with (encoded, judged, stored): the maps the
   * draft decoded may be refilled by the next one. Nothing may use that draft afterwards.
   */
  recycle(): void;
}

/**
 * Copies up to COPY_UNROLL slots of an untouched variable by unrolled stores, up to COPY_LOOP in a
 * loop, wider ones with `set` (which first makes a subarray: an object per copy).
 */
const COPY_UNROLL = 8;
const COPY_LOOP = 64;

export function compileViews<T>(schema: RecordSchema<Shape>): StateViews<T> {
  const watch = new KeyWatch();
  const pool = new MapPool();
  const g = new Generator(watch, pool);
  const fields: string[] = [];
  const retire: string[] = [];
  const accessors: string[] = [];
  const writes: string[] = [];
  const plain: string[] = [];
  let off = 0;
  schema.keys.forEach((k, i) => {
    const s = schema.fields[k];
    const key = JSON.stringify(k);
    const decode = g.decode(s, `a + ${off}`);
    g.drafting = true;
    const drafted = g.decode(s, `a + ${off}`);
    const sites: number[] = [];
    g.pooling = sites;
    const refilled = g.decode(s, `a + ${off}`);
    g.pooling = undefined;
    g.drafting = false;
    pool.sites.push(sites);
    // The variable's pooled maps, when no other draft holds them and no key was ever added to a map.
    const draftValue = sites.length === 0 ? drafted : `(H[${i}] !== P.epoch && ${g.konst(watch)}.added === 0 ? (H[${i}] = P.epoch, ${refilled}) : ${drafted})`;
    if (sites.length > 0) retire.push(`if (s.#v${i} !== U) P.retire(${i});`);
    const value = drafted === decode ? decode : `this.#d ? ${draftValue} : ${decode}`;
    fields.push(`#v${i} = U;`);
    accessors.push(`get [${key}]() { const v = this.#v${i}; if (v !== U) return v; const f = this.#f, a = this.#a; return (this.#v${i} = ${value}); }`);
    accessors.push(`set [${key}](x) { this.#v${i} = x; }`);
    const copy =
      s.width <= COPY_UNROLL
        ? Array.from({ length: s.width }, (_, j) => `o[at + ${off + j}] = f[a + ${off + j}];`).join(' ')
        : s.width <= COPY_LOOP
          ? `for (let j = 0; j < ${s.width}; j++) o[at + ${off} + j] = f[a + ${off} + j];`
          : `o.set(f.subarray(a + ${off}, a + ${off + s.width}), at + ${off});`;
    const v = g.fresh('v');
    g.encodeSites = [...sites];
    writes.push(`{ const ${v} = s.#v${i}; if (${v} === U) { ${copy} } else { ${g.encode(s, v, `at + ${off}`)} } }`);
    if (g.encodeSites.length > 0) throw new Error(`the writer of '${k}' met fewer maps than its decoder made`);
    g.encodeSites = undefined;
    plain.push(`${key}: s.#v${i} !== U ? s.#v${i} : ${decode}`);
    off += s.width;
  });
  const source = `${g.helpers.join('\n')}
    const U = { unset: true };
    class View {
      #f; #a; #d; ${fields.join(' ')}
      constructor(f, a, d) { this.#f = f; this.#a = a; this.#d = d; }
      ${accessors.join('\n')}
      ${schema.keys.includes('toJSON') ? '' : 'toJSON() { return View.plain(this); }'}
      static is(x) { return typeof x === 'object' && x !== null && #f in x; }
      static fits(s, o, at) { const f = s.#f, a = s.#a;
        ${writes.join('\n')}
        for (const k in s) return false;
        return true; }
      static plain(s) { const f = s.#f, a = s.#a; ${retire.join(' ')} const r = { ${plain.join(', ')} };
        for (const k in s) r[k] = s[k];
        return r; }
    }
    return {
      open: (f, a) => new View(f, a, false),
      draft: (f, a) => new View(f, a, true),
      isView: View.is,
      encode(v, o, at) { if (!View.fits(v, o, at)) S.encode(View.plain(v), o, at, ''); },
      fits: View.fits,
      plain: View.plain,
      recycle() { P.epoch++; },
    };`;
  pool.held = new Int32Array(schema.keys.length);
  return new Function('K', 'S', 'P', 'PM', 'H', source)(g.consts, schema, pool, pool.maps, pool.held) as StateViews<T>;
}
