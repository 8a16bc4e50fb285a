// `interleave check`: load specs, check every (selected) variant, report, and exit with TLC's codes.
import type { Progress, SearchOptions } from '../../checker/search/bfs.ts';
import { checkModel, type CheckResult, usesSymmetry } from '../compile/check.ts';
import { warmUp } from '../../checker/search/parallel.ts';
import { auditDeterminism } from '../../checker/determinism-audit.ts';
import { auditSymmetry, type AuditResult as EngineAudit, QUICK_AUDIT } from '../../checker/symmetry/audit.ts';
import { compileModel, type Model } from '../compile/model.ts';

type AuditResult = EngineAudit<Model>;
import { findSpecFiles, LoadError, loadSpec } from '../load.ts';
import { freemem, tmpdir } from 'node:os';
import type { DiskSearchOptions } from '../../checker/store/search-files.ts';
import { importGraphHash } from '../compile/import-graph.ts';
import { auditJson, formatAudit, formatNotAudited } from '../report/audit.ts';
import { formatResult, formatStats, formatSummary, makeChalk, variantTitle, formatViolation } from '../report/console.ts';
import { formatCoverage } from '../report/coverage.ts';
import { writeTrace } from '../report/itf.ts';
import { toJson, violationJson } from '../report/json.ts';
import { writeJUnit } from './junit.ts';
import { SpecError, type Constants } from '../spec.ts';
import { AssumptionError } from '../constants.ts';
import { EXIT, runExitCode, worst } from './exit-codes.ts';
import type { CheckChoices } from '../compile/options.ts';
import { constantsFor, ensureOutputDir } from './options.ts';
import { UsageError } from './usage.ts';
import { dirname, relative, resolve } from 'node:path';
import { formatTypeError, type SpecTypeError, startTypeCheck } from '../typecheck.ts';

/** What `check` is asked: the search choices (declared once, in CheckChoices) and the command line's own. */
export interface CheckArgs extends CheckChoices {
  paths: string[];
  variant?: string;
  /** Seconds between progress lines. */
  progress?: number;
  /**
   * Before a variant is checked with symmetry reduction, test on sampled states that it is symmetric:
   * quickly by default, thoroughly (and reported) when true, not at all when false.
   */
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
  /** Constants from --const NAME=VALUE, over every variant's. */
  constants?: Constants;
  /** Type-check the spec files (default true; also off with INTERLEAVE_NO_TYPECHECK=1). */
  typecheck?: boolean;
  /** Search partitioned across worker processes through the NATS server at this URL. */
  cluster?: string;
  /** With cluster: partitions of the state space (default: the workers waited for). */
  partitions?: number;
  /** With cluster: workers to wait for before the run starts. */
  clusterWorkers?: number;
  /** With cluster: go on with this run from its last committed level. */
  resumeRun?: string;
  /** Check every variant for starvation (the property 'Starvation'), whatever the spec says. */
  starvation?: boolean;
}

/** `depth 34, 1,234,567 distinct, 7,000,000 generated, 120,000 on queue, 480,000 distinct/s, 210 MB`. */
export function formatProgress(p: Progress): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const rate = p.elapsedMs > 0 ? p.distinct / (p.elapsedMs / 1000) : 0;
  const disk = p.diskBytes !== undefined ? `, ${formatBytes(p.diskBytes)} on disk` : '';
  const left = p.leftMs !== undefined ? `, about ${formatDuration(p.leftMs)} left` : '';
  return `depth ${p.depth}, ${n(p.distinct)} distinct, ${n(p.generated)} generated, ${n(p.queue)} on queue, ${n(rate)} distinct/s, ${formatBytes(p.rssBytes)} memory${disk}${left}`;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}

function formatBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${(n / 2 ** 20).toFixed(0)} MB`;
}

/**
 * How a search uses the disk, from --store, --store-dir, --checkpoint and --resume, or undefined for
 * a search in memory that stops at its budget. Refuses combinations that cannot work.
 */
function diskOptions(args: CheckArgs, models: Model[], maxMemory: number, symmetry: boolean | undefined): (m: Model) => DiskSearchOptions | undefined {
  if (args.checkpoint && args.resume && resolve(args.checkpoint) !== resolve(args.resume)) {
    throw new UsageError('--resume continues checkpointing into its own folder; give --checkpoint the same folder, or leave it out');
  }
  const checkpointDir = args.resume ?? args.checkpoint;
  const onDisk = args.storage === 'disk' || !!checkpointDir;
  if (args.storage === 'memory' && checkpointDir) throw new UsageError('--checkpoint and --resume keep the search on disk; leave out --store memory');
  if (args.checkpointEvery !== undefined && !checkpointDir) throw new UsageError('--checkpoint-every applies only with --checkpoint or --resume');
  if ((onDisk || args.storeDir) && (args.workers ?? 1) > 1) {
    throw new UsageError('a search on disk (--store disk, --store-dir, --checkpoint, --resume) runs in one worker; leave out --workers');
  }
  if (checkpointDir && args.continue) {
    throw new UsageError('--continue keeps the violations it finds in memory, which a checkpoint does not hold; leave out --continue or --checkpoint/--resume');
  }
  if (checkpointDir && models.length !== 1) {
    throw new UsageError(`a checkpoint holds one search, and these paths have ${models.length} variants to check: pick one file and --variant`);
  }
  if (!onDisk && !args.storeDir) return () => undefined;
  // The front table of the visited set takes a fifth of the budget (and up to half as much again for
  // a moment at each merge), its Bloom filter at most an eighth; the rest is for the batch of put-off
  // lookups, the buffers, the runtime (about 100 MB) and the operating system's cache.
  const frontSlots = Math.max(1 << 12, Math.floor((args.fpMemory ?? 0.2 * maxMemory) / 12));
  return (model) => {
    const options = `variant ${model.variant}, symmetry ${usesSymmetry(model, symmetry) ? 'on' : 'off'}, deadlock ${(args.deadlock ?? model.deadlock) ? 'on' : 'off'}, max-depth ${args.maxDepth ?? 'none'}`;
    return {
      dir: checkpointDir ?? args.storeDir ?? tmpdir(),
      frontSlots,
      bloomBytes: Math.round(0.125 * maxMemory),
      batchBytes: Math.min(16 * 2 ** 20, Math.round(0.05 * maxMemory)),
      spillAt: onDisk ? undefined : Math.round(0.6 * maxMemory),
      resume: !!args.resume,
      checkpoint: checkpointDir
        ? {
            identity: { spec: model.source?.hash ?? (model.file ? importGraphHash(model.file) : model.specName), options, title: variantTitle({ model } as CheckResult) },
            everyMs: (args.checkpointEvery ?? 5) * 60_000,
          }
        : undefined,
    };
  };
}

export async function runCheck(args: CheckArgs): Promise<number> {
  const c = makeChalk();
  const log = (s: string) => {
    if (!args.json) process.stdout.write(s + '\n');
  };
  const problems: { file: string; message: string }[] = [];
  let assumptionsFailed = 0;
  const results: { result: CheckResult; traceFile?: string; others: { result: CheckResult; traceFile?: string }[] }[] = [];
  const audits: AuditResult[] = [];
  const nondeterministic: string[] = [];
  /** Variants with temporal properties, refused by a cluster run. */
  const notInCluster: string[] = [];

  if (!args.cluster && (args.partitions !== undefined || args.clusterWorkers !== undefined)) throw new UsageError('--partitions and --cluster-workers go with --cluster');
  if (args.resumeRun !== undefined && !args.cluster) throw new UsageError('--resume-run goes with --cluster');
  if (args.partitions !== undefined && !(args.partitions >= 1 && args.partitions <= 4096)) throw new UsageError(`--partitions must be 1 to 4096, not ${args.partitions}`);
  if (args.clusterWorkers !== undefined && args.clusterWorkers < 1) throw new UsageError('--cluster-workers must be at least 1');
  if (args.cluster && args.workers !== undefined && args.workers > 1) {
    throw new UsageError("--workers and --cluster do not go together: a cluster run's workers are `interleave worker` processes");
  }
  ensureOutputDir('--out', args.out);
  if (args.junit) ensureOutputDir('--junit', dirname(args.junit));
  const models: Model[] = [];
  const files = findSpecFiles(args.paths);
  if (files.length === 0) throw new LoadError(args.paths.join(', '), 'no spec files here (a spec is a .ts file whose default export is defineSpec({ ... }))');
  // Worker threads take a while to start: let them do so while this thread loads the specs.
  if ((args.workers ?? 1) > 1) warmUp(args.workers! - 1);
  // The type-check runs in a child process beside loading and searching; cached results are known now.
  const typecheck = args.typecheck !== false && !process.env.INTERLEAVE_NO_TYPECHECK ? startTypeCheck(files) : undefined;
  const typeErrors = new Map<string, SpecTypeError[]>();
  const reportTypeErrors = (found: Map<string, SpecTypeError[]>) => {
    for (const [file, errors] of found) {
      if (errors.length === 0 || typeErrors.has(file)) continue;
      typeErrors.set(file, errors);
      const message = `${relative(process.cwd(), file)}: the spec does not type-check (${errors.length} error${errors.length > 1 ? 's' : ''}):\n${errors.map((e) => '  ' + formatTypeError(e).replaceAll('\n', '\n  ')).join('\n')}`;
      problems.push({ file, message });
      process.stderr.write(`${c.red('error:')} ${message}\n`);
    }
  };
  if (typecheck) reportTypeErrors(typecheck.cached);
  for (const file of files) {
    try {
      const { spec, file: shown } = await loadSpec(file);
      if (args.variant && !spec.variantNames.includes(args.variant)) {
        throw new UsageError(`${shown}: spec '${spec.def.name}' has no variant '${args.variant}' (variants: ${spec.variantNames.join(', ')})`);
      }
      const overrides = constantsFor(spec, shown, args.constants);
      for (const v of args.variant ? [args.variant] : spec.variantNames) models.push(compileModel(spec, v, shown, { constants: overrides, starvation: args.starvation }));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (e instanceof AssumptionError) assumptionsFailed++;
      if (!(e instanceof LoadError || e instanceof SpecError)) throw e;
      const message = e instanceof LoadError ? e.message : `${file}: ${e.message}`;
      problems.push({ file, message });
      process.stderr.write(`${c.red('error:')} ${message}\n`);
    }
  }

  if (args.resumeRun !== undefined && models.length > 1) throw new UsageError(`--resume-run goes on with one run: name its variant with --variant (${models.length} variants here)`);
  // Ctrl-C ends the current search cleanly: its statistics are printed and the traces already written stay.
  const control: { stop?: 'interrupted' | 'max-memory' } = {};
  // Stop cleanly before the machine runs out, rather than die in the garbage collector.
  const maxMemory = args.maxMemory ?? Math.round(process.memoryUsage.rss() + 0.8 * freemem());
  const onSigint = () => {
    if (control.stop) process.exit(EXIT.internal);
    control.stop = 'interrupted';
  };
  process.on('SIGINT', onSigint);
  const live = !!process.stderr.isTTY && args.progress === undefined;
  let shownLive = false;
  const symmetry = args.symmetry;
  const diskFor = diskOptions(args, models, maxMemory, symmetry);
  try {
    for (const model of models) {
      if (control.stop) break;
      if (model.file && typeErrors.has(resolve(model.file))) continue;
      // Temporal properties are checked on the state graph in memory, on one machine (design.md).
      if (args.cluster && model.liveness) {
        notInCluster.push(variantTitle({ model } as CheckResult));
        continue;
      }
      // A step that gives other successors when taken again makes counts and traces meaningless.
      const determinism = auditDeterminism(model);
      if (!determinism.passed) {
        nondeterministic.push(variantTitle({ model } as CheckResult));
        log(c.red(determinism.problem!.message) + '\n');
        continue;
      }
      // Reduction by a symmetry the spec does not have would make the check unsound, silently.
      if (args.auditSymmetry !== false && usesSymmetry(model, symmetry)) {
        const thorough = args.auditSymmetry === true;
        const audit = auditSymmetry(model, thorough ? { samples: args.auditSamples, seed: args.auditSeed } : QUICK_AUDIT);
        audits.push(audit);
        if (thorough || !audit.passed) log(formatAudit(audit, c, thorough) + (audit.passed ? '' : '\n'));
        if (!audit.passed) continue;
      } else if (args.auditSymmetry) {
        log(formatNotAudited(model, c));
      }
      let cluster: { levels: SearchOptions['levels']; done: (r: CheckResult) => void } | undefined;
      if (args.cluster) cluster = await clusterRun(model, args, usesSymmetry(model, symmetry), args.quiet ? () => {} : log);
      const result = await checkModel(model, {
        levels: cluster?.levels,
        symmetry,
        compareSymmetry: args.compareSymmetry,
        deadlock: args.deadlock,
        continue: args.continue,
        maxStates: args.maxStates,
        maxDepth: args.maxDepth,
        workers: args.workers,
        maxMemory,
        disk: diskFor(model),
        control,
        fewestSwitches: args.fewestSwitches,
        // On a terminal a live line (rewritten every second, after the first few); otherwise a line every 15 s.
        progressEveryMs: args.progress !== undefined ? args.progress * 1000 : live ? 1000 : 15_000,
        onProgress: args.quiet || args.json ? undefined : (p) => {
          if (live && p.elapsedMs < 3000) return;
          const line = c.dim(`  ${variantTitle({ model } as CheckResult)}: ${formatProgress(p)}`);
          process.stderr.write(live ? `\r${line}\x1b[K` : `${line}\n`);
          shownLive = live;
        },
      });
      cluster?.done(result);
      if (shownLive) process.stderr.write('\r\x1b[K');
      shownLive = false;
      const traceFile = result.trace?.length ? writeTrace(args.out, result) : undefined;
      // --continue: each other violated property with its own trace, after the one the exit code is for.
      const others = (result.violated ?? []).filter((v) => v.violation !== result.violation).map((v) => {
        const as: CheckResult = { ...result, outcome: v.outcome, property: v.property, message: v.message, violation: v.violation, trace: v.trace };
        return { result: as, traceFile: v.trace?.length ? writeTrace(args.out, as) : undefined };
      });
      results.push({ result, traceFile, others });
      if (args.quiet || (args.gate && result.matchesExpectation)) {
        // A gate shows in full only what it did not expect; the rest is one line each (and the table).
        if (!args.quiet || !result.matchesExpectation) log(formatResult(result, c, traceFile).split('\n')[0] + (traceFile ? c.dim(`  ${traceFile}`) : ''));
      } else {
        log(formatResult(result, c, traceFile) + '\n');
        for (const o of others) log(formatViolation(o.result, c, o.traceFile) + '\n');
      }
      if (result.deadActions) {
        log(c.red(`  ${variantTitle(result)}: never fired: ${result.deadActions.join(', ')} (the spec asks that every action fires)`));
      }
      if (args.coverage && result.coverage) log(`Coverage of ${variantTitle(result)}:\n${formatCoverage(result.coverage, c, result.stats.complete)}\n`);
      if (result.stopped === 'interrupted') log(c.yellow(`Interrupted. ${formatStats(result).split('\n')[0]}`));
      if (result.stopped === 'max-memory') {
        log(c.yellow(`Stopped at the memory limit (--max-memory ${formatBytes(maxMemory)}; raise it, or bound the model). ${formatStats(result).split('\n')[0]}`));
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }

  if (typecheck) {
    try {
      reportTypeErrors(await typecheck.pending);
    } catch (e) {
      process.stderr.write(`${c.yellow('warning:')} the specs were not type-checked: ${(e as Error).message}\n`);
    }
  }
  const all = results.map((r) => r.result);
  if (!args.json && (all.length > 1 || args.gate)) log(formatSummary(all, c, !!args.gate));
  const unaudited = audits.filter((a) => !a.passed).map((a) => variantTitle({ model: a.model } as CheckResult));
  if (unaudited.length) log(c.red(`Not checked, the symmetry audit failed: ${unaudited.join(', ')} (exit 75).`));
  if (nondeterministic.length) log(c.red(`Not checked, not deterministic: ${nondeterministic.join(', ')} (exit 75).`));
  const asymmetric = audits.some((a) => !a.passed) || nondeterministic.length > 0;
  const loadCode = problems.length === 0 ? EXIT.ok : assumptionsFailed === problems.length ? EXIT.assumption : EXIT.specDoesNotLoad;
  if (notInCluster.length) {
    log(c.red(`Not checked, temporal properties need the state graph on one machine: ${notInCluster.join(', ')} (check them without --cluster; exit 151 unless worse).`));
  }
  const worstCode = worst([loadCode, asymmetric ? EXIT.specError : EXIT.ok, runExitCode(all, !!args.gate)]);
  const code = notInCluster.length && worstCode === EXIT.ok ? EXIT.badOptions : worstCode;
  if (args.junit) writeJUnit(args.junit, { results, loadErrors: problems, deadlock: args.deadlock });
  if (args.json) {
    const doc = {
      tool: 'interleave',
      exitCode: code,
      gate: !!args.gate,
      loadErrors: problems,
      results: results.map(({ result, traceFile, others }) => ({
        ...toJson(result, traceFile),
        ...(result.violated ? { violations: [{ result, traceFile }, ...others].map((o) => violationJson(o.result, o.traceFile)) } : {}),
      })),
      ...(audits.length > 0 ? { symmetryAudits: audits.map(auditJson) } : {}),
      ...(notInCluster.length > 0 ? { notCheckedInCluster: notInCluster } : {}),
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  }
  return code;
}

/** Starts a cluster run of one variant: the partitions it hands the search, and a line of traffic figures after it. */
async function clusterRun(model: Model, args: CheckArgs, symmetry: boolean, log: (s: string) => void) {
  // Loaded only here: the NATS client is no cost to a run on one machine.
  const { NatsCluster } = await import('../cluster/coordinator.ts');
  const { partitionedLevels } = await import('../../checker/search/partitioned.ts');
  const workers = args.clusterWorkers ?? 1;
  const cluster = await NatsCluster.start(model, {
    url: args.cluster!,
    resume: args.resumeRun,
    partitions: args.partitions ?? workers,
    workers,
    symmetry,
    deadlock: args.deadlock,
    say: log,
  });
  let wire: { records: number; bytes: number } | undefined;
  return {
    levels: partitionedLevels(cluster, (runner) => (wire = runner.wire), cluster.checkpoint),
    done: (r: CheckResult) => {
      const perState = wire && wire.records > 0 ? (wire.bytes / wire.records).toFixed(1) : '0';
      log(
        `cluster run ${cluster.run}: ${(wire?.records ?? 0).toLocaleString('en-US')} successors (${(wire?.bytes ?? 0).toLocaleString('en-US')} bytes, ${perState} bytes each) ` +
          `went through the broker; ${cluster.recoveries} level${cluster.recoveries === 1 ? '' : 's'} run again after a lost worker; ${r.stats.distinct.toLocaleString('en-US')} distinct`,
      );
    },
  };
}
