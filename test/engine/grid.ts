// A transition system written by hand, without the spec language: a token on an n x n grid that
// moves right or up (one action with two choices), and jumps back from the far corner. For the
// engine's own tests (the store, the level loop, workers, trace rebuild).
import { NO_CHOICE, type ActionInstance, type SystemSource, type TransitionSystem } from '../../checker/system.ts';

export interface GridOptions {
  n: number;
  /** An invariant x + y < limit, when given. */
  limit?: number;
  /** Leave out the jump back from the far corner (which then deadlocks). */
  noReset?: boolean;
}

export function grid(o: GridOptions): TransitionSystem {
  const { n } = o;
  const move: ActionInstance = {
    id: 0,
    name: 'move',
    label: 'move',
    params: {},
    successors: (from, sink) => {
      const { x, y } = from.draft() as { x: number; y: number };
      if (x + 1 < n) sink({ x: x + 1, y }, [0]);
      if (y + 1 < n) sink({ x, y: y + 1 }, [1]);
    },
  };
  const reset: ActionInstance = {
    id: 1,
    name: 'reset',
    label: 'reset',
    params: {},
    guard: (s) => s.x === n - 1 && s.y === n - 1,
    successors: (_from, sink) => sink({ x: 0, y: 0 }, NO_CHOICE),
  };
  const source: SystemSource = { builder: import.meta.url, module: import.meta.url, export: 'grid', variant: 'default', constants: { ...o }, hash: 'grid' };
  return {
    title: `grid ${n}`,
    width: 2,
    initial: [{ x: 0, y: 0 }],
    encode: (v, out, at) => {
      const { x, y } = v as { x: number; y: number };
      if (!(Number.isInteger(x) && x >= 0 && x < n && Number.isInteger(y) && y >= 0 && y < n)) return `(${x}, ${y}) is off the grid`;
      out[at] = x;
      out[at + 1] = y;
      return undefined;
    },
    decode: (f, at) => ({ x: f[at], y: f[at + 1] }),
    actions: o.noReset ? [move] : [move, reset],
    invariants: o.limit === undefined ? [] : [{ name: 'Near', holds: (s) => (s.x as number) + (s.y as number) < o.limit! }],
    actionProperties: [],
    deadlock: true,
    symmetry: new Map(),
    choices: true,
    source,
  };
}

/** What a worker thread calls to build the same system (SystemSource.builder). */
export async function rebuildSystem(source: SystemSource): Promise<TransitionSystem> {
  return grid(source.constants as unknown as GridOptions);
}
