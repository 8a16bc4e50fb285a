// Where a search is, in shared memory: the state being expanded, the action instance and the phase
// of the step. A watchdog on another thread reads it to name a step of spec code that does not
// return (an endless loop in a recipe), since the searching thread itself cannot answer then.
// A thread that is watched says so once (watchSteps); every Step made in it then reports, whatever
// runs it: the search, simulation, the audits before a check, trace rebuild.
import { WIDE } from './store/frontier.ts';

/** What the step is running. Only spec code phases are timed: the engine's own work is not the spec's. */
export const PHASE = { idle: 0, guard: 1, recipe: 2, engine: 3, property: 4, invariant: 5, terminal: 6, temporal: 7 } as const;

const BEAT = 0;
const ACTION = 1;
const STEP_PHASE = 2;
/** Which of several (the invariant being evaluated), or -1. */
const DETAIL = 3;
const HEADER = 4;

let watched: StepProbe | undefined;

/** Makes every Step created in this thread from now on report to `probe` (undefined: to none). */
export function watchSteps(probe: StepProbe | undefined): void {
  watched = probe;
}

/** The probe Steps of this thread report to, if any. */
export function stepWatch(): StepProbe | undefined {
  return watched;
}

export class StepProbe {
  readonly words: Int32Array;

  /** `buffer` holds at least `StepProbe.bytes(width)`; both threads wrap the same one. */
  constructor(
    buffer: SharedArrayBuffer,
    readonly width: number,
  ) {
    this.words = new Int32Array(buffer);
  }

  static bytes(width: number): number {
    return (HEADER + width) * 4;
  }

  /** The search starts expanding the state whose slots are `data[at..at+width)`. */
  enter(data: Int32Array, at: number): void {
    const w = this.words;
    if (this.width > WIDE) w.set(data.subarray(at, at + this.width), HEADER);
    else for (let i = 0; i < this.width; i++) w[HEADER + i] = data[at + i];
    w[BEAT]++;
  }

  /** The step moves to `phase` of action instance `action` (-1 for none). */
  at(action: number, phase: number): void {
    const w = this.words;
    w[ACTION] = action;
    w[STEP_PHASE] = phase;
    w[DETAIL] = -1;
    w[BEAT]++;
  }

  /** Which one of the phase's functions runs now (the index of an invariant), for the watchdog to name it. */
  detail(index: number): void {
    this.words[DETAIL] = index;
  }

  // The watchdog's side.
  beat(): number {
    return Atomics.load(this.words, BEAT);
  }
  action(): number {
    return Atomics.load(this.words, ACTION);
  }
  phase(): number {
    return Atomics.load(this.words, STEP_PHASE);
  }
  which(): number {
    return Atomics.load(this.words, DETAIL);
  }
  /** A copy of the slots of the state being expanded. */
  slots(): Int32Array {
    return this.words.slice(HEADER, HEADER + this.width);
  }
}
