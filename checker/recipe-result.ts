// What a recipe may return, as immer defines it: nothing (it mutated its draft), the draft itself,
// or a whole next state it built without touching the draft. The mistakes are named with their fix.
import { show } from './show.ts';
import type { State } from './system.ts';

/** A recipe or predicate broke the rules of spec code: a spec error whose message says how to fix it. */
export class SpecCodeMistake extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecCodeMistake';
  }
}

export function isPromise(value: unknown): boolean {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

const ASYNC =
  'it returned a Promise: spec code runs synchronously, inside one atomic step, so an `async` function ' +
  '(or one that returns a Promise) cannot be a guard, recipe or property; remove `async` and `await`';

/** A predicate's answer that is a Promise: the mistake and its fix. */
export function asyncPredicate(): SpecCodeMistake {
  return new SpecCodeMistake(ASYNC);
}

/**
 * The next state a recipe gave: `returned`, or the draft when it returned nothing or the draft.
 * `draftChanged` is asked only when it returned another state, so the common path costs nothing.
 */
export function recipeResult(returned: unknown, draft: State, draftChanged: () => boolean): State {
  if (returned === undefined || returned === draft) return draft;
  if (isPromise(returned)) throw new SpecCodeMistake(ASYNC);
  if (returned === null || typeof returned !== 'object') {
    throw new SpecCodeMistake(
      `it returned ${show(returned)}; a recipe mutates its draft and returns nothing, or returns a whole next state ` +
        '(an arrow with an expression body, `(s) => (s.x = 1)`, returns its value: add braces)',
    );
  }
  if (draftChanged()) {
    throw new SpecCodeMistake(
      'it changed its draft and also returned a state; do one or the other: change the draft and return nothing, ' +
        'or return a new state without changing the draft (as immer requires)',
    );
  }
  return returned as State;
}
