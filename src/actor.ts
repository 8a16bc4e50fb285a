// Who takes a step: the swimlane column of an action instance. A spec says it per action (`actor:
// 'to'`); otherwise a process step belongs to its process and thread, and an action with a parameter
// of a scalarset declared `{ actor: true }` to that id. Written into traces, so that a trace read
// without its spec still draws each step in the right column.
import { laneOf } from './report/lanes.ts';
import { Scalarset } from './schema/index.ts';
import type { ActionDef, Spec } from './spec.ts';

export function actorOf(spec: Spec, action: string, params: Record<string, unknown>): string | undefined {
  const def = (spec.def.actions as Record<string, ActionDef<unknown, unknown, Record<string, unknown>> | undefined>)[action];
  if (!def) return undefined;
  const process = def.process;
  const titled = (param: string) => (process && param === 'self' ? `${process} ${String(params.self)}` : String(params[param]));
  if (def.actor !== undefined && def.actor in params) return titled(def.actor);
  if (process && 'self' in params) return titled('self');
  const domains = (def.params ?? {}) as Record<string, unknown>;
  const declared = Object.keys(domains).find((p) => domains[p] instanceof Scalarset && (domains[p] as Scalarset).actor && p in params);
  return declared === undefined ? undefined : titled(declared);
}

/** The swimlane column of an action instance, as the trace views draw it. */
export function laneTitle(spec: Spec, a: { name: string; params: Record<string, unknown>; process?: string; label: string }): string {
  return laneOf({ action: a.name, params: a.params, process: a.process, actor: actorOf(spec, a.name, a.params), label: a.label }).title;
}
