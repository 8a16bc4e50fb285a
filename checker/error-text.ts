// How a value thrown by spec code reads in a message: in every thread, and in the command line's main
// thread too (what a spec's import or its `params` threw), which does not load the step.
import { isReadOnlyWrite, READ_ONLY_HINT } from './read-only.ts';
import { SpecCodeMistake } from './recipe-result.ts';
import { show } from './show.ts';

/** How an exception from spec code reads in a message. */
export function errorText(error: unknown): string {
  try {
    if (error instanceof SpecCodeMistake) return error.message;
    const hint = isReadOnlyWrite(error) ? ` (${READ_ONLY_HINT})` : '';
    if (error instanceof Error) return `${error.name === 'Error' ? '' : error.name + ': '}${error.message}${hint}`;
    return typeof error === 'object' && error !== null ? show(error) : String(error);
  } catch {
    // A thrown object whose message, toString or properties throw in turn: say what it is.
    return `a value that cannot be shown (${Object.prototype.toString.call(error)})`;
  }
}
