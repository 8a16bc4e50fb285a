// A level queue that keeps each state in the bits its slots need (TransitionSystem.slotBounds), not
// in a 32-bit word per slot: a bounded queue of twelve values from 0..2 takes one word, not fourteen.
// The level being expanded and the next one are a search's largest buffers after the store, and
// every page of them is written once per run (on a virtual machine a page fault costs about as much
// as looking a hundred states up): packed, they take a fifth to a tenth of the memory.
//
// Record q is `words` Int32 words from data[q * words]: the store index, then the slots, each in the
// bits its bound needs, packed into words in order without straddling two (a 32-bit slot takes a
// word of its own). Packing and unpacking are straight-line code generated for the layout.
import { firstQueueBuffer, Frontier, grownQueue } from './frontier.ts';
import type { LevelQueue } from './store.ts';

type Pack = (data: Int32Array, at: number, index: number, src: Int32Array, from: number) => void;
type Unpack = (data: Int32Array, at: number, into: Int32Array, to: number) => void;

/** The bits a slot whose largest value is `bound` (unsigned) needs. */
function bitsFor(bound: number): number {
  return bound === 0 ? 0 : 32 - Math.clz32(bound);
}

/** Where each slot goes: its word (after the index word), its shift, its bits; and the words per record. */
export function packedLayout(bounds: Uint32Array): { word: number[]; shift: number[]; bits: number[]; words: number } {
  const word: number[] = [];
  const shift: number[] = [];
  const bits: number[] = [];
  let w = 1;
  let used = 0;
  for (const bound of bounds) {
    const b = bitsFor(bound);
    if (used + b > 32) {
      w++;
      used = 0;
    }
    word.push(w);
    shift.push(used);
    bits.push(b);
    used += b;
  }
  return { word, shift, bits, words: used === 0 && w === 1 ? 1 : w + 1 };
}

/**
 * The generated pair for some bounds, made once: a search's two frontiers then call the same
 * functions, which the compiler can inline into the loops that call them.
 */
const compiled = new Map<string, { pack: Pack; unpack: Unpack }>();
function compileFor(bounds: Uint32Array): { pack: Pack; unpack: Unpack } {
  const key = bounds.join(',');
  let made = compiled.get(key);
  if (made === undefined) compiled.set(key, (made = compile(packedLayout(bounds))));
  return made;
}

/** One store per word, one shift and mask per slot. */
function compile(layout: ReturnType<typeof packedLayout>): { pack: Pack; unpack: Unpack } {
  const { word, shift, bits, words } = layout;
  const perWord: string[][] = Array.from({ length: words }, () => []);
  const reads: string[] = [];
  word.forEach((w, i) => {
    if (bits[i] === 0) {
      reads.push(`into[to + ${1 + i}] = 0;`);
      return;
    }
    perWord[w].push(shift[i] === 0 ? `src[from + ${i}]` : `(src[from + ${i}] << ${shift[i]})`);
    const mask = bits[i] === 32 ? '' : ` & ${2 ** bits[i] - 1}`;
    reads.push(`into[to + ${1 + i}] = ${shift[i] === 0 ? `data[at + ${w}]` : `(data[at + ${w}] >>> ${shift[i]})`}${mask};`);
  });
  const writes = perWord.slice(1).map((parts, k) => `data[at + ${k + 1}] = ${parts.length === 0 ? '0' : parts.join(' | ')};`);
  const pack = new Function('data', 'at', 'index', 'src', 'from', `data[at] = index; ${writes.join(' ')}`) as Pack;
  const unpack = new Function('data', 'at', 'into', 'to', `into[to] = data[at]; ${reads.join(' ')}`) as Unpack;
  return { pack, unpack };
}

/**
 * The bounds to pack a system's states by, or undefined where it gives none (a hand-written system)
 * or packing would save less than a quarter of the words.
 */
export function packingBounds(system: { readonly width: number; readonly slotBounds?: Uint32Array }): Uint32Array | undefined {
  const bounds = system.slotBounds;
  return bounds !== undefined && bounds.length === system.width && PackedFrontier.pays(bounds) ? bounds : undefined;
}

/** A queue for a level of the system's states: packed where packingBounds() gives bounds, else slot for slot. */
export function levelQueue(system: { readonly width: number; readonly slotBounds?: Uint32Array }, shared = false): Frontier | PackedFrontier {
  const bounds = packingBounds(system);
  return bounds !== undefined ? new PackedFrontier(bounds, shared) : new Frontier(system.width + 1, shared);
}

export class PackedFrontier implements LevelQueue {
  data: Int32Array;
  count = 0;
  /** Int32 slots of a record as the step reads it: the index, then the state's slots (LevelQueue). */
  readonly record: number;
  /** Int32 words of a packed record. */
  readonly words: number;
  private readonly pack: Pack;
  private readonly unpackAt: Unpack;

  constructor(
    bounds: Uint32Array,
    /** In a SharedArrayBuffer, for worker threads to read. */
    private readonly shared = false,
  ) {
    const layout = packedLayout(bounds);
    this.record = bounds.length + 1;
    this.words = layout.words;
    ({ pack: this.pack, unpack: this.unpackAt } = compileFor(bounds));
    this.data = firstQueueBuffer(this.words, shared);
  }

  /** Whether packing states of these bounds saves at least a quarter of the words. */
  static pays(bounds: Uint32Array): boolean {
    return packedLayout(bounds).words * 4 <= (bounds.length + 1) * 3;
  }

  push(index: number, v: Int32Array): void {
    this.pushFrom(index, v, 0);
  }
  /** push() of the state at src[from..from + record - 1). */
  pushFrom(index: number, src: Int32Array, from: number): void {
    const at = this.count * this.words;
    if (at + this.words > this.data.length) this.grow();
    this.pack(this.data, at, index, src, from);
    this.count++;
  }
  /** Record q as the step reads it, [index, slots...], into into[to..to + record). */
  read(q: number, into: Int32Array, to = 0): void {
    this.unpackAt(this.data, q * this.words, into, to);
  }
  /** The same, of a frontier of the same bounds whose buffer is `data` (another thread's). */
  readIn(data: Int32Array, q: number, into: Int32Array, to = 0): void {
    this.unpackAt(data, q * this.words, into, to);
  }
  /** Empties it for reuse (its pages stay: a level is about as big as the last). */
  clear(): this {
    this.count = 0;
    return this;
  }
  /** Out of pushFrom(), as in Frontier. */
  private grow(): void {
    this.data = grownQueue(this.data, this.shared);
  }
}
