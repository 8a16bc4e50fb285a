// PlusCal-style processes: a kind of thread with a set of ids and labelled atomic steps. Each step
// becomes one action instance per id, enabled when that id's program counter is at the label, so
// a spec reads like the code it models and a trace names the thread and the step.
import type { FiniteSchema } from './schema/index.ts';
import type { ActionDef, Constants } from './spec.ts';

export interface Step<S, Id, L extends string, C> {
  /** Extra guard (an `await`): the step waits until this holds. */
  when?: (s: Readonly<S>, self: Id, c: C) => boolean;
  /** The atomic effect. May return the label to go to next (a `goto`). */
  do?: (s: S, self: Id, c: C) => L | void;
  /** Where control goes after the step when `do` returns no label (default: the next label declared). */
  next?: L;
}

/** The labels of a program-counter variable: the values of the map `S[P]`. */
export type LabelOf<S, P extends keyof S> = S[P] extends Record<any, infer L> ? (L extends string ? L : never) : never;

export interface ProcessOptions<S, P extends keyof S, Id, L extends string, C> {
  /** The state variable holding the program counters: a mapOf(ids, enumOf(...labels)). */
  pc: P;
  /** The steps in program order; a label missing from `steps` (such as 'Done') is a place with no step. */
  steps: NoInfer<{ [K in L]?: Step<S, Id, L, C> }>;
  /** PlusCal's `fair process` ('weak') and `fair+ process` ('strong'): each id's steps are fair. */
  fair?: 'weak' | 'strong';
}

/**
 * `process<State>()('reader', Readers, { pc: 'pc', steps: { ... } })` returns the actions to spread
 * into defineSpec's `actions`, named `reader.label`, each with the parameter `self`.
 */
export function process<S, C extends Constants = Constants>() {
  return <Id, P extends keyof S & string>(
    name: string,
    /** The ids of this kind of thread; a function of the constants when their number is one. */
    ids: FiniteSchema<Id> | ((c: C) => FiniteSchema<Id>),
    opts: ProcessOptions<S, P, Id, LabelOf<S, P>, C>,
  ): Record<string, ActionDef<S, C, { self: FiniteSchema<Id> }>> => {
    type L = LabelOf<S, P>;
    const labels = Object.keys(opts.steps) as L[];
    const actions: Record<string, ActionDef<S, C, { self: FiniteSchema<Id> }>> = {};
    labels.forEach((label, i) => {
      const step = opts.steps[label]!;
      const fallThrough = step.next ?? (labels[i + 1] as L | undefined) ?? ('Done' as L);
      // Indexed by the id itself: a property key is its string anyway, and String() per guard is a cost.
      const pcOf = (s: Readonly<S>) => (s as Record<string, Record<PropertyKey, string>>)[opts.pc];
      actions[`${name}.${label}`] = {
        params: typeof ids === 'function' ? (c: C) => ({ self: ids(c) }) : { self: ids },
        process: name,
        step: { pc: opts.pc, label, wait: step.when, recipe: step.do },
        pc: opts.pc,
        fair: opts.fair,
        when: (s, { self }, c) => pcOf(s)[self as PropertyKey] === label && (!step.when || step.when(s, self as Id, c)),
        do: (s, { self }, c) => {
          const target = step.do?.(s, self as Id, c) ?? fallThrough;
          pcOf(s)[self as PropertyKey] = target;
        },
      };
    });
    return actions;
  };
}
