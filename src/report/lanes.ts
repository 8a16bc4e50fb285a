// Which column of a swimlane a step belongs to, for the terminal and the browser alike. No Node
// imports: the browser explorer bundles it.
import type { ItfChange, ItfStep } from './itf-read.ts';

export interface Lane {
  title: string;
  /** The thread's id, to tell its own program counter from what it changed. */
  self?: string;
}

export type StepLike = Pick<ItfStep, 'action' | 'params' | 'process' | 'actor' | 'label'>;

/**
 * A step's column: the actor the trace names (written from the spec: an action's declared actor, its
 * process and thread, or a parameter of an actor scalarset); for a trace that names none, a process
 * step's process and thread (`put t1`), another action's first parameter's value, or `global`.
 */
export function laneOf(step: StepLike): Lane {
  const self = 'self' in step.params ? String(step.params.self) : undefined;
  if (step.actor !== undefined) return { title: step.actor, self: self !== undefined && step.actor.split(' ').at(-1) === self ? self : undefined };
  const process = step.process ?? (step.action?.includes('.') && self !== undefined ? step.action.split('.')[0] : undefined);
  if (self !== undefined) return { title: process ? `${process} ${self}` : self, self };
  const first = Object.values(step.params)[0];
  return { title: first === undefined ? 'global' : String(first) };
}

/** The step's name within its column: the label for a process step (`load`), else the action. */
export function stepName(step: StepLike): string {
  if ('self' in step.params && step.action?.includes('.')) return step.action.slice(step.action.indexOf('.') + 1);
  return step.label;
}

/** A process step moves its own program counter away from its label: the column already says so. */
export function isOwnPc(ch: ItfChange, step: StepLike, lane: Lane): boolean {
  return lane.self !== undefined && ch.path.endsWith(`[${lane.self}]`) && ch.before === `'${stepName(step)}'`;
}
