// Objects made from a list of keys and their values by one object literal, compiled once per set of
// keys: walking every value of a type makes one per value given, and a literal is the quickest way
// to make an object (its keys are defined, not assigned, so no setter of a prototype sees them).

type Maker = (proto: object | undefined, values: readonly unknown[]) => Record<string, unknown>;

/** Keys beyond this many are not compiled into one literal. */
const LITERAL_KEYS = 256;
const makers = new Map<string, Maker>();

/**
 * A function making an object with these keys from their values, with `proto` as its prototype
 * when `withProto` (a literal with `__proto__` is made by a call into the runtime, so records go
 * without).
 */
export function literalMaker(keys: readonly string[], withProto: boolean): Maker {
  // A literal's `__proto__: x` would set the prototype: Object.fromEntries defines it as a key.
  if (keys.length > LITERAL_KEYS || keys.includes('__proto__')) {
    return (proto, values) => {
      const o = Object.fromEntries(keys.map((k, i) => [k, values[i]]));
      return withProto && proto !== undefined ? Object.setPrototypeOf(o, proto) : o;
    };
  }
  const id = `${withProto ? 'P' : ''}:${keys.join(',')}`;
  let make = makers.get(id);
  if (!make) {
    const body = keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ');
    make = new Function('P', 'v', `return { ${withProto ? '__proto__: P, ' : ''}${body} };`) as Maker;
    makers.set(id, make);
  }
  return make;
}
