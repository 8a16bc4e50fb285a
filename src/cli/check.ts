// `interleave check`: load specs, check every (selected) variant, report, and exit with TLC's codes.
import { checkModel, type CheckResult } from '../../checker/check.ts';
import { compileModel, type Model } from '../../checker/model.ts';
import { findSpecFiles, LoadError, loadSpec } from '../load.ts';
import { freemem } from 'node:os';
import { formatResult, formatStats, formatSummary, makeChalk, variantTitle } from '../report/console.ts';
import { writeTrace } from '../report/itf.ts';
import { toJson } from '../report/json.ts';
import { SpecError } from '../spec.ts';
import { EXIT, runExitCode, worst } from './exit-codes.ts';
import { UsageError } from './usage.ts';

export interface CheckArgs {
  paths: string[];
  variant?: string;
  deadlock?: boolean;
  maxStates?: number;
  maxDepth?: number;
  workers?: number;
  maxMemory?: number;
  symmetry?: 'on' | 'off';
  json?: boolean;
  out: string;
  quiet?: boolean;
  gate?: boolean;
}

function formatBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${(n / 2 ** 20).toFixed(0)} MB`;
}

export async function runCheck(args: CheckArgs): Promise<number> {
  const c = makeChalk();
  const log = (s: string) => {
    if (!args.json) process.stdout.write(s + '\n');
  };
  const problems: { file: string; message: string }[] = [];
  const results: { result: CheckResult; traceFile?: string }[] = [];

  const models: Model[] = [];
  for (const file of findSpecFiles(args.paths)) {
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
  const control: { stop?: 'interrupted' | 'max-memory' } = {};
  // Stop cleanly before the machine runs out, rather than die in the garbage collector.
  const maxMemory = args.maxMemory ?? Math.round(process.memoryUsage.rss() + 0.8 * freemem());
  const onSigint = () => {
    if (control.stop) process.exit(EXIT.internal);
    control.stop = 'interrupted';
  };
  process.on('SIGINT', onSigint);
  try {
    for (const model of models) {
      if (control.stop) break;
      const result = await checkModel(model, {
        symmetry: args.symmetry === undefined ? undefined : args.symmetry === 'on',
        deadlock: args.deadlock,
        maxStates: args.maxStates,
        maxDepth: args.maxDepth,
        workers: args.workers,
        maxMemory,
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
      if (result.stopped === 'interrupted') log(c.yellow(`Interrupted. ${formatStats(result).split('\n')[0]}`));
      if (result.stopped === 'max-memory') {
        log(c.yellow(`Stopped at the memory limit (--max-memory ${formatBytes(maxMemory)}). ${formatStats(result).split('\n')[0]}`));
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }

  const all = results.map((r) => r.result);
  if (!args.json && (all.length > 1 || args.gate)) log(formatSummary(all, c, !!args.gate));
  const code = worst([problems.length ? EXIT.specDoesNotLoad : EXIT.ok, runExitCode(all, !!args.gate)]);
  if (args.json) {
    const doc = {
      tool: 'interleave',
      exitCode: code,
      gate: !!args.gate,
      loadErrors: problems,
      results: results.map(({ result, traceFile }) => toJson(result, traceFile)),
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  }
  return code;
}
