// Which violation a search reports, by one rule for any number of workers: the least of each
// property by a fixed key (ViolationKey), so the verdict, the property and the trace do not depend
// on the order in which states were expanded. A plain run reports the least overall; going on past a
// violation (TLC's -continue) can report each property's.
import type { Violation } from '../result.ts';
import type { ViolationKey } from '../step.ts';

export interface Found {
  violation: Violation;
  key: ViolationKey;
  /** Whether its trace reaches the next level (it ends with a successor of the state it was found at). */
  inNextLevel: boolean;
}

/** What a violation is a violation of: its property, or the kind of failure. */
export function propertyOf(v: Violation): string {
  return v.outcome === 'error' ? 'error' : (v.property ?? v.outcome);
}

export function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] >>> 0) < (b[i] >>> 0);
  return false;
}

export class Violations {
  private readonly byProperty = new Map<string, Found>();

  get size(): number {
    return this.byProperty.size;
  }

  /**
   * `inNextLevel`: the violation's last state belongs to the next level (it counts in the depth, as
   * TLC counts a state it stores and then finds bad); a successor outside the constraints does not.
   */
  offer(violation: Violation, key: ViolationKey, inNextLevel = !!violation.step?.next && !violation.outsideConstraints): void {
    const p = propertyOf(violation);
    const old = this.byProperty.get(p);
    if (old && !lessThan(key, old.key)) return;
    this.byProperty.set(p, { violation, key, inNextLevel });
  }

  /** The least of all. */
  least(): Found | undefined {
    let best: Found | undefined;
    for (const f of this.byProperty.values()) if (!best || lessThan(f.key, best.key)) best = f;
    return best;
  }

  all(): Found[] {
    return [...this.byProperty.values()];
  }

  /** Adds another's violations of properties not found yet (going on past a violation: the first level's stay). */
  addNew(other: Iterable<Found>): void {
    for (const f of other) if (!this.byProperty.has(propertyOf(f.violation))) this.byProperty.set(propertyOf(f.violation), f);
  }

  /** Adds another's, property by property, keeping the least of each. */
  merge(other: Iterable<Found>): void {
    for (const f of other) this.offer(f.violation, f.key, f.inNextLevel);
  }

  clear(): void {
    this.byProperty.clear();
  }
}
