// `interleave check`: load specs, check every (selected) variant, report, and exit with TLC's codes.
import { checkModel, type CheckResult } from '../../checker/check.ts';
import { auditSymmetry, type AuditResult } from '../../checker/symmetry-audit.ts';
import { compileModel, type Model } from '../../checker/model.ts';
import { findSpecFiles, LoadError, loadSpec } from '../load.ts';
import { auditJson, formatAudit } from '../report/audit.ts';
import { formatResult, formatStats, formatSummary, makeChalk, variantTitle } from '../report/console.ts';
import { formatCoverage } from '../report/coverage.ts';
import { writeTrace } from '../report/itf.ts';
import { toJson } from '../report/json.ts';
import { writeJUnit } from './junit.ts';
import { SpecError } from '../spec.ts';
import { EXIT, runExitCode, worst } from './exit-codes.ts';
import { ensureOutputDir } from './options.ts';
import { UsageError } from './usage.ts';
import { dirname } from 'node:path';

export interface CheckArgs {
  paths: string[];
  variant?: string;
  deadlock?: boolean;
  maxStates?: number;
  maxDepth?: number;
  symmetry?: 'on' | 'off';
  /** Search again without symmetry to report what it saved. */
  symmetryCompare?: boolean;
  /** Test on sampled states that each variant is symmetric before checking it. */
  auditSymmetry?: boolean;
  auditSamples?: number;
  auditSeed?: number;
  json?: boolean;
  out: string;
  quiet?: boolean;
  gate?: boolean;
  /** Also write a JUnit XML report here. */
  junit?: string;
  /** Print how often each action fired. */
  coverage?: boolean;
}

export async function runCheck(args: CheckArgs): Promise<number> {
  const c = makeChalk();
  const log = (s: string) => {
    if (!args.json) process.stdout.write(s + '\n');
  };
  const problems: { file: string; message: string }[] = [];
  const results: { result: CheckResult; traceFile?: string }[] = [];
  const audits: AuditResult[] = [];

  ensureOutputDir('--out', args.out);
  if (args.junit) ensureOutputDir('--junit', dirname(args.junit));
  const models: Model[] = [];
  const files = findSpecFiles(args.paths);
  if (files.length === 0) throw new LoadError(args.paths.join(', '), 'no spec files here (a spec is a .ts file whose default export is defineSpec({ ... }))');
  for (const file of files) {
    try {
      const { spec, file: shown } = await loadSpec(file);
      if (args.variant && !spec.variantNames.includes(args.variant)) {
        throw new UsageError(`${shown}: spec '${spec.def.name}' has no variant '${args.variant}' (variants: ${spec.variantNames.join(', ')})`);
      }
      for (const v of args.variant ? [args.variant] : spec.variantNames) models.push(compileModel(spec, v, shown));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (!(e instanceof LoadError || e instanceof SpecError)) throw e;
      const message = e instanceof LoadError ? e.message : `${file}: ${e.message}`;
      problems.push({ file, message });
      process.stderr.write(`${c.red('error:')} ${message}\n`);
    }
  }

  // Ctrl-C ends the current search cleanly: its statistics are printed and the traces already written stay.
  const control: { stop?: 'interrupted' } = {};
  const onSigint = () => {
    if (control.stop) process.exit(EXIT.internal);
    control.stop = 'interrupted';
  };
  process.on('SIGINT', onSigint);
  try {
    for (const model of models) {
      if (control.stop) break;
      if (args.auditSymmetry) {
        const audit = auditSymmetry(model, { samples: args.auditSamples, seed: args.auditSeed });
        audits.push(audit);
        log(formatAudit(audit, c) + (audit.passed ? '' : '\n'));
        if (!audit.passed) continue;
      }
      const result = await checkModel(model, {
        symmetry: args.symmetry === undefined ? undefined : args.symmetry === 'on',
        compareSymmetry: args.symmetryCompare,
        deadlock: args.deadlock,
        maxStates: args.maxStates,
        maxDepth: args.maxDepth,
        control,
        onProgress: args.quiet || args.json ? undefined : (p) =>
          process.stderr.write(
            c.dim(`  ${variantTitle({ model } as CheckResult)}: depth ${p.depth}, ${p.distinct} distinct, ${p.generated} generated, ${p.queue} on queue, ${Math.round(p.distinct / (p.elapsedMs / 1000))} distinct/s\n`),
          ),
      });
      const traceFile = result.trace?.length ? writeTrace(args.out, result) : undefined;
      results.push({ result, traceFile });
      if (args.quiet || (args.gate && result.matchesExpectation)) {
        // A gate shows in full only what it did not expect; the rest is one line each (and the table).
        if (!args.quiet || !result.matchesExpectation) log(formatResult(result, c, traceFile).split('\n')[0] + (traceFile ? c.dim(`  ${traceFile}`) : ''));
      } else {
        log(formatResult(result, c, traceFile) + '\n');
      }
      if (result.deadActions) {
        log(c.red(`  ${variantTitle(result)}: never fired: ${result.deadActions.join(', ')} (the spec asks that every action fires)`));
      }
      if (args.coverage && result.coverage) log(`Coverage of ${variantTitle(result)}:\n${formatCoverage(result.coverage, c, result.stats.complete)}\n`);
      if (result.stopped === 'interrupted') log(c.yellow(`Interrupted. ${formatStats(result).split('\n')[0]}`));
    }
  } finally {
    process.off('SIGINT', onSigint);
  }

  const all = results.map((r) => r.result);
  if (!args.json && (all.length > 1 || args.gate)) log(formatSummary(all, c, !!args.gate));
  const unaudited = audits.filter((a) => !a.passed).map((a) => variantTitle({ model: a.model } as CheckResult));
  if (unaudited.length) log(c.red(`Not checked, the symmetry audit failed: ${unaudited.join(', ')} (exit 75).`));
  const asymmetric = audits.some((a) => !a.passed);
  const code = worst([problems.length ? EXIT.specDoesNotLoad : EXIT.ok, asymmetric ? EXIT.specError : EXIT.ok, runExitCode(all, !!args.gate)]);
  if (args.junit) writeJUnit(args.junit, { results, loadErrors: problems, deadlock: args.deadlock });
  if (args.json) {
    const doc = {
      tool: 'interleave',
      exitCode: code,
      gate: !!args.gate,
      loadErrors: problems,
      results: results.map(({ result, traceFile }) => toJson(result, traceFile)),
      ...(args.auditSymmetry ? { symmetryAudits: audits.map(auditJson) } : {}),
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  }
  return code;
}
