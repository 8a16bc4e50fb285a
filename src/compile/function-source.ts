// What a spec function's source says about it, read where the engine can take a shorter way.
//
// Guards, invariants and recipes may see a state as a view over its encoding, whose variables live
// on the view's prototype, not as its own properties. Code that lists the own properties of the
// state it is handed (Object.keys(s), { ...s }, for-in, structuredClone(s)) would find none on a
// view, and `delete s.x` would delete nothing. Such a function is recognised from its source, by its first parameter's name, and the
// spec then gets plain decoded states. Helpers the function hands the whole state to are not
// followed: the README asks specs to read variables by name.
//
// A guard that declares the state alone cannot read its action's parameters, so all the instances
// of the action share its answer in a state (readsNoParameter).

/** The source of a function, or undefined where it has none to give (a proxy, a bound function). */
function sourceOf(fn: unknown): string | undefined {
  if (typeof fn !== 'function') return undefined;
  try {
    const source = Function.prototype.toString.call(fn);
    return source.includes('[native code]') ? undefined : source;
  } catch {
    return undefined;
  }
}

/** The name of a function's first parameter, if it is a plain name. */
function firstParam(source: string): string | undefined {
  const m = /^\s*(?:async\s*)?(?:function\s*\*?\s*[\w$]*\s*\(\s*([\w$]+)|\(\s*([\w$]+)|([\w$]+)\s*=>|[\w$]+\s*\(\s*([\w$]+))/.exec(source);
  return m?.[1] ?? m?.[2] ?? m?.[3] ?? m?.[4];
}

/** Whether `fn` may list (or delete) the own properties of the state passed as its first argument. */
export function listsStateProperties(fn: unknown): boolean {
  const source = sourceOf(fn);
  if (source === undefined) return false;
  // A first parameter destructured with a rest element, `({ ...st }) => ...`, lists the state.
  if (/^\s*(?:async\s*)?(?:function\s*\*?\s*[\w$]*\s*)?\(\s*\{[^}]*\.\.\./.test(source)) return true;
  const s = firstParam(source);
  if (s === undefined) return false;
  const name = s.replace(/\$/g, '\\$');
  const forms = [
    // The state among the arguments: Object.keys(s), Object.assign({ x: 0 }, s), Object.keys((s)).
    `\\b(?:Object\\.\\w+|Reflect\\.(?:ownKeys|deleteProperty|has)|structuredClone)\\(\\s*(?:[^;()]*,\\s*)?\\(?\\s*${name}\\s*\\)?\\s*[,)]`,
    // Own-property tests and the constructor, which a view answers as a class instance.
    `\\b${name}\\s*\\.\\s*(?:hasOwnProperty|propertyIsEnumerable|constructor)\\b`,
    `\\b(?:hasOwnProperty|propertyIsEnumerable)\\.call\\(\\s*${name}\\b`,
    // `delete s.x`: a view's variables are not its own, so deleting one would do nothing.
    `\\bdelete\\s+\\(?\\s*${name}\\s*\\)?\\s*(?:\\.\\s*[\\w$]+|\\[[^\\]]*\\])(?!\\s*[.[\\w$(])`,
    `\\.\\.\\.\\s*${name}\\s*[,}]`,
    `\\bin\\s+${name}\\s*\\)`,
    `\\.\\.\\.[\\w$]+\\s*\\}\\s*=\\s*${name}\\b`,
  ];
  return forms.some((f) => new RegExp(f).test(source));
}

/**
 * Whether a guard cannot read its parameters: its source declares one parameter at most (the state,
 * `(s) => ...`; a default value or a destructured state is not recognised), and names neither
 * `arguments` nor a rest parameter. Such a guard gives every instance of its action the same answer
 * in a state: the step asks it once (ActionInstance.guardShared).
 */
export function readsNoParameter(when: (...args: never[]) => unknown): boolean {
  if (when.length > 1) return false;
  const source = sourceOf(when);
  if (source === undefined || /\barguments\b|\.\.\./.test(source)) return false;
  if (/^(async\s+)?[A-Za-z_$][\w$]*\s*=>/.test(source)) return true;
  // The text between the first parenthesis and the one that closes it.
  const open = source.indexOf('(');
  if (open < 0) return false;
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return !/[,=]/.test(source.slice(open + 1, i));
  }
  return false;
}
