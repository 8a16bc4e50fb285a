// Maps keyed by integers. V8 keeps integer keys as elements, and counting them (the encoder's check
// for an extra key) costs Object.keys, about 75 ns a map. A map that inherits from a watch's
// prototype needs no count while the watch has seen no key added: the prototype is a proxy whose
// `set` trap sees every key added by assignment (a key the map has is set on the map itself, never
// reaching the prototype), so such a map has exactly the keys it was made with, plus none. The proxy
// forwards everything else to a plain object, so the maps behave as plain objects do (`instanceof
// Object`, `toString`, JSON, spread). A key added with Object.defineProperty does not pass the
// trap: specs assign.
import { literalMaker } from './literals.ts';

export class KeyWatch {
  added = 0;
  /**
   * One prototype per set of keys: a map made with keys 1..3 and assigned to a variable whose keys
   * are 1..2 must still be counted (its key 3 is an extra key there), so the prototype that spares
   * the count says which keys the map was made with.
   */
  private readonly protos = new Map<string, object>();

  protoFor(keys: readonly string[]): object {
    const id = keys.join(',');
    let proto = this.protos.get(id);
    if (!proto) {
      proto = new Proxy(Object.create(Object.prototype) as object, {
        set: (target, key, value, receiver) => {
          this.added++;
          return Reflect.set(target, key, value, receiver);
        },
      });
      this.protos.set(id, proto);
    }
    return proto;
  }
}

/** Whether a key is stored as an element (an array index), not as a named property. */
export function isIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * The watch of the maps a type lists (valuesOf, enumerate): an initial predicate's states are made
 * of them, and the codec then checks them without counting their keys.
 */
export const listedMaps = new KeyWatch();

/** Up to this many keys a listed map gets the watch's prototype (larger ones are plain objects). */
const WATCHED_KEYS = 64;

/**
 * What makes the maps with these keys a type lists. Integer-keyed maps of up to 64 keys get the
 * listed maps' prototype, made by a literal: its keys are defined, not assigned, so making one does
 * not count as adding a key.
 */
export function listedMapMaker(keys: readonly string[]): (values: readonly unknown[]) => object {
  const watched = keys.length > 0 && keys.length <= WATCHED_KEYS && keys.every(isIndex);
  const make = literalMaker(keys, watched);
  const proto = watched ? listedMaps.protoFor(keys) : undefined;
  return (values) => make(proto, values);
}
