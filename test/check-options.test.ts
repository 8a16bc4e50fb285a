// check's options are declared once (CheckChoices) and the command line's flags are typed against
// them: every choice has exactly one flag, and parsed flags give the API's values.
import { describe, expect, it } from 'vitest';
import { CHECK_FLAGS, checkChoices } from '../src/cli/check-options.ts';
import { cli } from './helpers.ts';

describe("check's options, declared once", () => {
  it('turns parsed flags into the choices the API takes', () => {
    expect(checkChoices({ 'max-states': 5, 'max-depth': 3, workers: 2, 'max-memory': 1024, symmetry: 'off', 'symmetry-compare': true, deadlock: false })).toEqual({
      maxStates: 5,
      maxDepth: 3,
      workers: 2,
      maxMemory: 1024,
      symmetry: false,
      compareSymmetry: true,
      deadlock: false,
    });
    expect(checkChoices({ symmetry: 'on' })).toEqual({ symmetry: true });
    expect(checkChoices({})).toEqual({});
  });

  it('documents every flag in --help', () => {
    const help = cli(['check', '--help']).stdout;
    for (const f of Object.values(CHECK_FLAGS)) expect(help).toContain(`--${f.flag}`);
  });
});
