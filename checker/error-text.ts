// How a value thrown by spec code reads in a message: in every thread, and in the command line's main
// thread too (what a spec's import or its `params` threw), which does not load the step.
import { isReadOnlyWrite, READ_ONLY_HINT } from './read-only.ts';
import { SpecCodeMistake } from './recipe-result.ts';
import { show } from './show.ts';

/** Characters of a thrown message kept in a report: the console, JSON and traces all carry it. */
const MAX_TEXT = 10_000;

/**
 * `value instanceof Class` for what spec code threw, which may be a proxy whose prototype cannot
 * even be asked for: such a value is no instance of the engine's classes.
 */
export function thrownIs(value: unknown, Class: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof Class;
  } catch {
    return false;
  }
}

/** How an exception from spec code reads in a message. */
export function errorText(error: unknown): string {
  let text: string;
  try {
    if (error instanceof SpecCodeMistake) text = error.message;
    else if (error instanceof Error) text = `${error.name === 'Error' ? '' : error.name + ': '}${error.message}${isReadOnlyWrite(error) ? ` (${READ_ONLY_HINT})` : ''}`;
    else text = typeof error === 'object' && error !== null ? show(error) : String(error);
  } catch {
    // A thrown object whose message, toString or properties throw in turn: say what it is.
    try {
      return `a value that cannot be shown (${Object.prototype.toString.call(error)})`;
    } catch {
      return 'a value that cannot be shown';
    }
  }
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}... (${text.length.toLocaleString('en-US')} characters in all)` : text;
}
