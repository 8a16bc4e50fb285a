// An estimate of a breadth-first search's time left, offered only once the level sizes shrink: from
// then on each level is taken to be as much smaller than the last as the last was than the one
// before (a geometric tail), and states are expanded at the rate seen so far. While levels still
// grow, nobody can tell how many remain, so there is no estimate.

/**
 * `levels`: the sizes of the levels expanded so far; the current level has `current` states of
 * which `done` are expanded; `next` states are queued for the next level; `rate` states expanded per
 * millisecond.
 */
export function estimateTimeLeft(levels: readonly number[], current: number, done: number, next: number, rate: number): number | undefined {
  const n = levels.length;
  if (n < 3 || rate <= 0) return undefined;
  const [a, b, c] = [levels[n - 3], levels[n - 2], levels[n - 1]];
  if (!(c < b && b < a) || !(current <= c)) return undefined;
  const ratio = Math.max(c / b, b / a);
  if (ratio >= 0.97) return undefined;
  // The next level, as far as it is known, and the levels after it.
  const nextLevel = Math.max(next, current * ratio);
  const beyond = (nextLevel * ratio) / (1 - ratio);
  return (current - done + nextLevel + beyond) / rate;
}
