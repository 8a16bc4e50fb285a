// States handed to guards, invariants, properties and constraints are read-only: a predicate that
// changed its state would change what the search stores or what the next predicate sees, silently.
// Frozen objects and arrays throw on assignment in strict code (every ES module); a frozen Set or
// Map would not, so they get a prototype whose mutators throw.

const READ_ONLY = 'states given to guards, invariants, properties and constraints are read-only';

class ReadOnlySet<T> extends Set<T> {
  override add(): this {
    throw new TypeError(`Cannot add to a read-only set (${READ_ONLY})`);
  }
  override delete(): boolean {
    throw new TypeError(`Cannot delete from a read-only set (${READ_ONLY})`);
  }
  override clear(): void {
    throw new TypeError(`Cannot clear a read-only set (${READ_ONLY})`);
  }
}

class ReadOnlyMap<K, V> extends Map<K, V> {
  override set(): this {
    throw new TypeError(`Cannot set in a read-only map (${READ_ONLY})`);
  }
  override delete(): boolean {
    throw new TypeError(`Cannot delete from a read-only map (${READ_ONLY})`);
  }
  override clear(): void {
    throw new TypeError(`Cannot clear a read-only map (${READ_ONLY})`);
  }
}

/** Freezes a decoded value in place, deeply, and returns it. */
export function readOnly<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    Object.freeze(value);
    for (let i = 0; i < value.length; i++) readOnly(value[i]);
  } else if (value instanceof Set) {
    // The prototype first: a frozen object's prototype cannot change.
    Object.setPrototypeOf(value, ReadOnlySet.prototype);
    Object.freeze(value);
    for (const e of value) readOnly(e);
  } else if (value instanceof Map) {
    Object.setPrototypeOf(value, ReadOnlyMap.prototype);
    Object.freeze(value);
    for (const [k, v] of value) {
      readOnly(k);
      readOnly(v);
    }
  } else {
    Object.freeze(value);
    const o = value as Record<string, unknown>;
    for (const k in o) readOnly(o[k]);
  }
  return value;
}

/** Whether an exception is a write to a read-only state (the message then says why it is one). */
export function isReadOnlyWrite(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    !error.message.includes(READ_ONLY) &&
    /read only property|read-only|object is not extensible|Cannot delete property|Cannot add property|Cannot assign to read only/.test(error.message)
  );
}

export const READ_ONLY_HINT = READ_ONLY;
