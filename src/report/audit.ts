// How a symmetry audit reads on a terminal and in --json.
import type { ChalkInstance } from 'chalk';
import type { Model } from '../compile/model.ts';
import type { AuditResult as EngineAudit } from '../../checker/symmetry/audit.ts';

type AuditResult = EngineAudit<Model>;

function title(a: AuditResult): string {
  return a.model.variant === 'default' ? a.model.specName : `${a.model.specName} [${a.model.variant}]`;
}

/** An audit's report; `thorough` for one asked for with --audit-symmetry, not the quick one before every check. */
export function formatAudit(a: AuditResult, c: ChalkInstance, thorough = true): string {
  if (a.groups.length === 0) return `${c.green('✓')} ${c.bold(title(a))}: symmetry audit: no scalarset with two or more elements, nothing to audit`;
  const scope =
    `${thorough ? '' : 'quick audit before checking: '}` +
    `${a.statesSampled} of ${a.statesExplored} reachable states sampled, ${a.permutationsTried} permutations, ` +
    `${a.transitionsCompared} steps compared` + (a.skipped ? `, ${a.skipped} skipped where spec code threw or left its type` : '');
  if (a.passed) return `${c.green('✓')} ${c.bold(title(a))}: symmetry audit passed, symmetric in ${a.groups.map((g) => `'${g}'`).join(', ')} (${scope})`;
  const [first, ...rest] = a.problem!.message.split('\n');
  return [`${c.red('✗')} ${c.bold('symmetry audit failed:')} ${first}`, ...rest.map((l) => `  ${l}`), `  ${c.dim(scope)}`, `  ${c.dim('Not checked: symmetry reduction would be unsound for this variant.')}`].join('\n');
}

/** --audit-symmetry on a variant checked without symmetry reduction. */
export function formatNotAudited(model: Model, c: ChalkInstance): string {
  const name = model.variant === 'default' ? model.specName : `${model.specName} [${model.variant}]`;
  return `${c.green('✓')} ${c.bold(name)}: symmetry audit: not needed, checked without symmetry reduction`;
}

export function auditJson(a: AuditResult) {
  return {
    spec: a.model.specName,
    file: a.model.file,
    variant: a.model.variant,
    passed: a.passed,
    scalarsets: a.groups,
    statesExplored: a.statesExplored,
    statesSampled: a.statesSampled,
    permutationsTried: a.permutationsTried,
    transitionsCompared: a.transitionsCompared,
    skipped: a.skipped,
    problem: a.problem && {
      culprit: a.problem.culprit,
      scalarsets: a.problem.groups,
      permutation: a.problem.permutation,
      message: a.problem.message,
    },
  };
}
