// `interleave check`: load specs, check every (selected) variant, report, and exit with TLC's codes.
import { fstatSync, realpathSync, rmSync, statSync } from 'node:fs';
import type { Progress } from '../../checker/search/bfs.ts';
import type { AuditResult as EngineAudit } from '../../checker/symmetry/audit.ts';
import type { DiskSearchOptions } from '../../checker/store/search-files.ts';
import type { CheckResult } from '../compile/check.ts';
import { compileModel, type Model, usesSymmetry } from '../compile/model.ts';
import type { CheckChoices } from '../compile/options.ts';
import { findSpecFiles, LoadError, loadSpec } from '../load.ts';
import { tmpdir } from 'node:os';
import { importGraphHash } from '../compile/import-graph.ts';
import { auditJson, formatAudit, formatNotAudited } from '../report/audit.ts';
import { formatResult, formatStats, formatSummary, makeChalk, variantTitle, formatViolation } from '../report/console.ts';
import { formatCoverage } from '../report/coverage.ts';
import { staleTraces, toITF, traceFileName, writeTrace } from '../report/itf.ts';
import { createHash } from 'node:crypto';
import { toJson, violationJson } from '../report/json.ts';
import { toJUnit } from '../report/junit.ts';
import { type FileWriter, nodeWriter, OutputError, writeFileAtomic } from '../report/files.ts';
import { escapeControl } from '../report/terminal.ts';
import { defaultMaxMemory } from './memory-limit.ts';
import { reserveStdout, type ReservedStdout } from './stdout.ts';
import { type HungStep, SearchHost, type SharedStats } from './search-host.ts';
import { ClusterError } from '../cluster/protocol.ts';
import { collisionProbability } from '../../checker/store/fingerprint.ts';
import type { CheckJob } from './search-jobs.ts';
import { show } from '../schema/index.ts';
import { SpecError, type Constants } from '../spec.ts';
import { errorText } from '../../checker/error-text.ts';
import { AssumptionError } from '../constants.ts';
import { EXIT, runExitCode, worst } from './exit-codes.ts';
import { constantsFor, ensureOutputDir, ensureOutputFile, ensureWritableFolder } from './options.ts';
import { refuseTooLittleMemory } from './check-options.ts';
import { UsageError } from './usage.ts';
import { relative, resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { formatTypeError, type SpecTypeError, startTypeCheck } from '../typecheck.ts';

type AuditResult = EngineAudit<Model>;

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
  /** Seconds one step of spec code may run before it is reported as a spec error (default 5). */
  stepTimeout?: number;
}

/** Seconds a step of spec code may take: far more than any real step, far less than a user's patience. */
export const DEFAULT_STEP_TIMEOUT = 5;

/** Statistics of a search whose thread had to be ended, as far as it had published them. */
function statsFrom(shared: SharedStats): CheckResult['stats'] {
  return { ...shared, collisionProbability: collisionProbability(shared.distinct, shared.generated), complete: false, storeBytes: 0, durationMs: shared.elapsedMs };
}

/** The result of a search whose thread was ended after Ctrl-C or SIGTERM went unanswered. */
export function endedResult(model: Model, shared: SharedStats, stopped: 'interrupted' | 'max-memory' | 'disk-failed' | 'internal-error' = 'interrupted', message?: string): CheckResult {
  return { model, outcome: 'ok', stats: statsFrom(shared), stopped, ...(message ? { message } : {}), symmetryReduced: [], expected: model.expect, matchesExpectation: false };
}

/** A step of spec code that did not return within the timeout: a spec error naming the action and the state. */
export function hungResult(model: Model, step: HungStep, shared: SharedStats, timeout: number): CheckResult {
  const message =
    `${step.where} ran for more than ${timeout} s without returning (an endless loop?), ` +
    `in state ${show(step.state)}; ${shared.searching ? 'the search was stopped there' : 'the check was stopped there, in the audits before its search (they take the first steps twice)'} ` +
    '(--step-timeout SECONDS allows slower steps)';
  return {
    model,
    outcome: 'error',
    message,
    stats: statsFrom(shared),
    violation: { outcome: 'error', phase: 'timeout', message, stateIndex: -1, step: step.action && { action: step.action } },
    symmetryReduced: [],
    expected: model.expect,
    matchesExpectation: false,
  };
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

/** What a worker thread of a search on disk holds besides the shares of the budget (measured: 40-55 MB). */
const THREAD_MEMORY = 64 * 2 ** 20;

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
  if (!onDisk && args.storeDir && (args.workers ?? 1) > 1) {
    throw new UsageError('a search that moves to disk half-way (--store-dir without --store disk) runs in one worker: add --store disk to search on disk with workers, or leave out --workers');
  }
  if (checkpointDir && args.continue) {
    throw new UsageError('--continue keeps the violations it finds in memory, which a checkpoint does not hold; leave out --continue or --checkpoint/--resume');
  }
  if (checkpointDir && models.length !== 1) {
    throw new UsageError(`a checkpoint holds one search, and these paths have ${models.length} variants to check: pick one file and --variant`);
  }
  if (!onDisk && !args.storeDir) return () => undefined;
  // The folder the search writes to is checked now, before any search: a search on disk that could
  // not write would otherwise fail half-way, with nothing of the other variants checked.
  if (args.resume) ensureWritableFolder('--resume', args.resume);
  else if (args.checkpoint) ensureWritableFolder('--checkpoint', args.checkpoint);
  else if (args.storeDir) ensureWritableFolder('--store-dir', args.storeDir);
  else ensureWritableFolder('the temporary folder (--store-dir)', tmpdir());
  // The front table of the visited set takes a fifth of the budget (and up to half as much again for
  // a moment at each merge), its Bloom filter at most an eighth; the rest is for the batch of put-off
  // lookups, the buffers, the runtime (about 100 MB) and the operating system's cache. Each further
  // worker thread runs a runtime of its own and its round's successors: 64 MB of the budget first.
  const budget = Math.max(maxMemory / 2, maxMemory - ((args.workers ?? 1) - 1) * THREAD_MEMORY);
  const frontSlots = Math.max(1 << 12, Math.floor((args.fpMemory ?? 0.2 * budget) / 12));
  return (model) => {
    const options = `variant ${model.variant}, symmetry ${usesSymmetry(model, symmetry) ? 'on' : 'off'}, deadlock ${(args.deadlock ?? model.deadlock) ? 'on' : 'off'}, max-depth ${args.maxDepth ?? 'none'}`;
    return {
      dir: checkpointDir ?? args.storeDir ?? tmpdir(),
      frontSlots,
      bloomBytes: Math.round(0.125 * budget),
      batchBytes: Math.min(16 * 2 ** 20, Math.round(0.05 * budget)),
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

export async function runCheck(args: CheckArgs, io: { writer?: FileWriter } = {}): Promise<number> {
  const c = makeChalk();
  // With --json, stdout is the document's alone: what spec code prints goes to stderr meanwhile.
  const stdout = args.json ? reserveStdout() : undefined;
  // The search runs in a thread of its own (started now, to load while this thread loads the specs);
  // this one keeps handling signals and watching it.
  const host = new SearchHost({ warmWorkers: (args.workers ?? 1) - 1, stepTimeoutMs: (args.stepTimeout ?? DEFAULT_STEP_TIMEOUT) * 1000 });
  // Ctrl-C or SIGTERM, once the specs are loaded: the current search ends with its statistics so
  // far, the variants not reached are counted, and every report is still written; a second one ends
  // it at once. Loading runs spec code in this thread, where a handler could not run while that code
  // loops: until then the signals end the process as they always do (nothing is checked yet).
  const onSignal = () => (host.interrupted ? host.kill() : host.interrupt());
  const armSignals = () => {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  };
  try {
    return await checkAndReport(args, io.writer ?? nodeWriter, c, stdout, host, armSignals);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await host.close();
    stdout?.release();
  }
}

async function checkAndReport(args: CheckArgs, writer: FileWriter, c: ReturnType<typeof makeChalk>, stdout: ReservedStdout | undefined, host: SearchHost, armSignals: () => void): Promise<number> {
  const log = (s: string) => {
    if (!args.json) process.stdout.write(s + '\n');
  };
  /** Spec files that did not load or do not type-check: one entry per file, with all its messages. */
  const problems: { file: string; message: string }[] = [];
  /** Files whose only problem is the type-check: they loaded, and may even have been checked. */
  const typeOnly = new Set<string>();
  const addProblem = (file: string, message: string, typeCheck: boolean) => {
    const known = problems.find((p) => resolve(p.file) === resolve(file));
    if (known) {
      known.message += `\n${message}`;
      if (!typeCheck) typeOnly.delete(resolve(file));
      return;
    }
    problems.push({ file, message });
    if (typeCheck) typeOnly.add(resolve(file));
  };
  let assumptionsFailed = 0;
  const results: { result: CheckResult; traceFile?: string; traceLost?: boolean; others: { result: CheckResult; traceFile?: string; traceLost: boolean }[] }[] = [];
  const audits: AuditResult[] = [];
  const nondeterministic: string[] = [];
  /** The trace files this run wrote, and what each is a trace of (saveTrace). */
  const traceNames = new Map<string, string>();
  /** What the determinism audit found, per variant it failed: the JSON document carries it too. */
  const determinismFailures: { spec: string; variant: string; message: string }[] = [];
  /** Outputs that could not be written; each is reported in one line, and the rest is still delivered. */
  const lost: OutputError[] = [];
  const lose = (e: unknown) => {
    if (!(e instanceof OutputError)) throw e;
    lost.push(e);
    process.stderr.write(`${c.red('error:')} ${escapeControl(e.message)}\n`);
  };

  /** Variants with temporal properties, refused by a cluster run. */
  const notInCluster: string[] = [];
  refuseTooLittleMemory(args.maxMemory, !!(args.storage === 'disk' || args.storeDir || args.checkpoint || args.resume));

  if (!args.cluster && (args.partitions !== undefined || args.clusterWorkers !== undefined)) throw new UsageError('--partitions and --cluster-workers go with --cluster');
  if (args.resumeRun !== undefined && !args.cluster) throw new UsageError('--resume-run goes with --cluster');
  if (args.partitions !== undefined && !(args.partitions >= 1 && args.partitions <= 4096)) throw new UsageError(`--partitions must be 1 to 4096, not ${args.partitions}`);
  if (args.clusterWorkers !== undefined && args.clusterWorkers < 1) throw new UsageError('--cluster-workers must be at least 1');
  if (args.cluster && args.workers !== undefined && args.workers > 1) {
    throw new UsageError("--workers and --cluster do not go together: a cluster run's workers are `interleave worker` processes");
  }

  // Found now, not after the search: a folder or report file that cannot be written.
  ensureOutputDir('--out', args.out);
  if (args.junit) {
    ensureOutputFile('--junit', args.junit);
    // With --json both reports would be written to one file, and the one written last replace the other.
    if (args.json && sameFileAsStdout(args.junit)) throw new UsageError(`--junit ${args.junit} is where the standard output goes, which --json fills: name another file for the JUnit report`);
  }
  const models: Model[] = [];
  /** The file each model came from, as found (its problems are reported under it). */
  const fileOf = new Map<Model, string>();
  const files = findSpecFiles(args.paths);
  if (files.length === 0) throw new LoadError(args.paths.join(', '), 'no spec files here (a spec is a .ts file whose default export is defineSpec({ ... }))');
  // The type-check runs in a child process beside loading and searching; cached results are known now.
  const typecheck = args.typecheck !== false && !process.env.INTERLEAVE_NO_TYPECHECK ? startTypeCheck(files) : undefined;
  host.start();
  const typeErrors = new Map<string, SpecTypeError[]>();
  const reportTypeErrors = (found: Map<string, SpecTypeError[]>) => {
    for (const [file, errors] of found) {
      if (errors.length === 0 || typeErrors.has(file)) continue;
      typeErrors.set(file, errors);
      const message = `${relative(process.cwd(), file)}: the spec does not type-check (${errors.length} error${errors.length > 1 ? 's' : ''}):\n${errors.map((e) => '  ' + formatTypeError(e).replaceAll('\n', '\n  ')).join('\n')}`;
      addProblem(file, message, true);
      process.stderr.write(`${c.red('error:')} ${escapeControl(message, true)}\n`);
    }
  };
  if (typecheck) reportTypeErrors(typecheck.cached);
  /** Spec name -> the file that declared it: trace files are named after specs, so names must not repeat. */
  const names = new Map<string, string>();
  for (const file of files) {
    try {
      const { spec, file: shown } = await loadSpec(file);
      if (args.variant !== undefined && !spec.variantNames.includes(args.variant)) {
        throw new UsageError(`${shown}: spec '${spec.def.name}' has no variant '${args.variant}' (variants: ${spec.variantNames.join(', ')})`);
      }
      const first = names.get(spec.def.name);
      if (first !== undefined) {
        throw new LoadError(shown, `spec '${spec.def.name}' has the same name as the spec in ${first}; give each spec its own name (its traces and reports are named after it)`);
      }
      names.set(spec.def.name, shown);
      const overrides = constantsFor(spec, shown, args.constants);
      // The search thread calls `init` when it compiles the variant again, and says what it threw.
      for (const v of args.variant !== undefined ? [args.variant] : spec.variantNames) {
        const model = compileModel(spec, v, shown, { constants: overrides, starvation: args.starvation, lazyInit: true });
        models.push(model);
        fileOf.set(model, file);
      }
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (e instanceof AssumptionError) assumptionsFailed++;
      if (!(e instanceof LoadError || e instanceof SpecError)) throw e;
      const message = e instanceof LoadError ? e.message : `${file}: ${e.message}`;
      addProblem(file, message, false);
      process.stderr.write(`${c.red('error:')} ${escapeControl(message)}\n`);
    }
  }

  armSignals();
  // Stop cleanly before the machine (or the container) runs out, rather than die in the garbage collector.
  const maxMemory = args.maxMemory ?? defaultMaxMemory();
  const live = !!process.stderr.isTTY && args.progress === undefined;
  let shownLive = false;
  const symmetry = args.symmetry;
  if (args.resumeRun !== undefined && models.length > 1) throw new UsageError(`--resume-run goes on with one run: name its variant with --variant (${models.length} variants here)`);
  const diskFor = diskOptions(args, models, maxMemory, symmetry);
  let typeSkipped = 0;
  /** Variants whose `init` threw (or gave no state) when the search thread compiled them. */
  let initFailed = 0;
  /** Why the cluster could not go on (the server or every worker lost): the run stops, what it found is still reported. */
  let clusterFailed: string | undefined;
  for (const model of models) {
    if (host.interrupted || clusterFailed) break;
    if (model.file && typeErrors.has(resolve(model.file))) {
      typeSkipped++;
      continue;
    }
    // Temporal properties are checked on the state graph in memory, on one machine (design.md).
    if (args.cluster && model.liveness) {
      notInCluster.push(variantTitle({ model } as CheckResult));
      continue;
    }
    // Reduction by a symmetry the spec does not have would make the check unsound, silently.
    const audited = args.auditSymmetry !== false && usesSymmetry(model, symmetry);
    if (!audited && args.auditSymmetry) log(formatNotAudited(model, c));
    const job: CheckJob = {
      kind: 'check',
      file: model.file!,
      variant: model.variant,
      constants: args.constants,
      starvation: args.starvation,
      audit: audited ? { thorough: args.auditSymmetry === true, samples: args.auditSamples, seed: args.auditSeed } : undefined,
      options: {
        symmetry,
        compareSymmetry: args.compareSymmetry,
        deadlock: args.deadlock,
        continue: args.continue,
        maxStates: args.maxStates,
        maxDepth: args.maxDepth,
        workers: args.workers,
        maxMemory,
        disk: diskFor(model),
        fewestSwitches: args.fewestSwitches,
      },
      cluster: args.cluster
        ? { url: args.cluster, resumeRun: args.resumeRun, partitions: args.partitions, workers: args.clusterWorkers, quiet: args.quiet }
        : undefined,
      // On a terminal a live line (rewritten every second, after the first few); otherwise a line every 15 s.
      progressEveryMs: args.quiet || args.json ? undefined : args.progress !== undefined ? args.progress * 1000 : live ? 1000 : 15_000,
    };
    let outcome: Awaited<ReturnType<typeof host.run>>;
    try {
      outcome = await host.run(job, model, (p) => {
        if (live && p.elapsedMs < 3000) return;
        const line = c.dim(`  ${variantTitle({ model } as CheckResult)}: ${formatProgress(p)}`);
        process.stderr.write(live ? `\r${line}\x1b[K` : `${line}\n`);
        shownLive = live;
      }, log);
    } catch (e) {
      if (e instanceof ClusterError) {
        clusterFailed = e.message;
        process.stderr.write(`interleave: ${escapeControl(e.message)}\n`);
        break;
      }
      // What the spec's `init` threw, or that it gave no state: a spec that does not load.
      if (!(e instanceof SpecError)) throw e;
      initFailed++;
      // One problem per file, as when loading it fails: the first variant's.
      const file = fileOf.get(model)!;
      if (problems.some((p) => resolve(p.file) === resolve(file) && !typeOnly.has(resolve(file)))) continue;
      const message = `${file}: ${e.message}`;
      addProblem(file, message, false);
      process.stderr.write(`${c.red('error:')} ${escapeControl(message)}\n`);
      continue;
    }
    if (outcome.audit) {
      audits.push(outcome.audit);
      const thorough = args.auditSymmetry === true;
      if (thorough || !outcome.audit.passed) log(formatAudit(outcome.audit, c, thorough) + (outcome.audit.passed ? '' : '\n'));
    }
    if (outcome.kind === 'audit-failed') continue;
    if (outcome.kind === 'nondeterministic') {
      nondeterministic.push(variantTitle({ model } as CheckResult));
      determinismFailures.push({ spec: model.specName, variant: model.variant, message: outcome.message });
      // The message is laid out on several lines (the state, then each of the two results).
      log(c.red(escapeControl(outcome.message, true)) + '\n');
      continue;
    }
    const heapFull = outcome.kind === 'ended' && outcome.reason === 'heap-full';
    const heapFullIn = heapFull && outcome.kind === 'ended' ? outcome.message : undefined;
    const diskFailed = outcome.kind === 'ended' && outcome.reason === 'disk-failed' ? (outcome.message ?? 'the disk failed') : undefined;
    const failed = outcome.kind === 'ended' && outcome.reason === 'failed' ? `interleave failed while checking this variant: ${outcome.message}` : undefined;
    const result: CheckResult =
      outcome.kind === 'done'
        ? outcome.result
        : outcome.kind === 'hung'
          ? hungResult(model, outcome.step, outcome.stats, args.stepTimeout ?? DEFAULT_STEP_TIMEOUT)
          : failed
            ? endedResult(model, outcome.stats, 'internal-error', failed)
            : endedResult(
                model,
                outcome.stats,
                heapFull ? 'max-memory' : diskFailed ? 'disk-failed' : 'interrupted',
                diskFailed ? `the search on disk failed: ${diskFailed}` : heapFull ? `the search thread's heap filled up${heapFullIn ? ` while ${heapFullIn}` : ''}` : undefined,
              );
    if (shownLive) process.stderr.write('\r\x1b[K');
    shownLive = false;
    const saved = saveTrace(result);
    // --continue: each other violated property with its own trace, after the one the exit code is for.
    const others = (result.violated ?? []).filter((v) => v.violation !== result.violation).map((v) => {
      const as: CheckResult = { ...result, outcome: v.outcome, property: v.property, message: v.message, violation: v.violation, trace: v.trace, lasso: v.lasso };
      return { result: as, ...saveTrace(as) };
    });
    results.push({ result, traceFile: saved.traceFile, traceLost: saved.traceLost, others });
    report(result, saved.traceFile, saved.traceLost, others, { heapFull, diskFailed, heapFullIn });
    // Only a whole search that met its expectation: a gate's golden trace of an expected violation stays.
    if (result.outcome === 'ok' && result.stats.complete && !result.stopped && !host.interrupted && result.matchesExpectation !== false) removeStaleTraces(result);
  }

  /** Removes the traces an earlier check wrote for properties that now hold, saying so; one that cannot be removed is named. */
  function removeStaleTraces(result: CheckResult): void {
    for (const file of staleTraces(args.out, result, args.deadlock ?? result.model.deadlock)) {
      try {
        rmSync(file);
        log(c.dim(`  removed ${escapeControl(file)}: its property now holds`));
      } catch (e) {
        process.stderr.write(`${c.red('error:')} could not remove ${escapeControl(file)}, a trace of a property that now holds: ${escapeControl(errorText(e))}\n`);
      }
    }
  }

  /** Writes a result's trace; one that cannot be written is reported, and the search's result kept. */
  function saveTrace(result: CheckResult): { traceFile?: string; traceLost: boolean } {
    if (!result.trace?.length) return { traceLost: false };
    try {
      // Names are made safe for file systems (`a/b` and `a b` both become `a_b`): a trace whose name
      // another one of this run took gets a short hash of what it is a trace of, not the other's file.
      const of = JSON.stringify([result.model.specName, result.model.variant, result.model.overrides, result.property ?? result.outcome]);
      const name = traceFileName(args.out, result);
      const taker = traceNames.get(name);
      const kind = taker !== undefined && taker !== of ? createHash('sha256').update(of).digest('hex').slice(0, 8) : undefined;
      if (taker === undefined) traceNames.set(name, of);
      return { traceFile: writeTrace(args.out, result, {}, writer, kind), traceLost: false };
    } catch (e) {
      lose(e);
      return { traceLost: true };
    }
  }

  function report(result: CheckResult, traceFile: string | undefined, traceLost: boolean, others: { result: CheckResult; traceFile?: string; traceLost: boolean }[], ended: { heapFull?: boolean; diskFailed?: string; heapFullIn?: string } = {}): void {
    // A trace that could not be saved is printed in full: the console is then the only copy.
    if (!traceLost && !others.some((o) => o.traceLost) && (args.quiet || (args.gate && result.matchesExpectation))) {
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
    if (result.stopped === 'internal-error') {
      log(c.red(`${escapeControl(result.message ?? '')}. The other variants are checked and reported; this is a fault of interleave's, or of a value it could not handle: please report it with the spec. ${formatStats(result).split('\n')[0]}`));
    }
    // Why a search stopped early, with its statistics: one line, under its verdict.
    if (ended.diskFailed) {
      log(c.yellow(`The search on disk failed: ${escapeControl(ended.diskFailed)} (free space, or name another folder with --store-dir / --checkpoint). ${formatStats(result).split('\n')[0]}`));
    } else if (ended.heapFull) {
      log(
        c.yellow(
          `Stopped: the search thread's JavaScript heap is full (${formatBytes(getHeapStatistics().heap_size_limit)})${ended.heapFullIn ? `, while ${escapeControl(ended.heapFullIn)}` : ''}. The states are stored outside it, so spec code keeps too much alive ` +
            `(values a helper collects, a huge init or domain): bound the model. ${formatStats(result).split('\n')[0]}`,
        ),
      );
    } else if (result.stopped === 'max-memory') {
      log(c.yellow(`Stopped at the memory limit (--max-memory ${formatBytes(maxMemory)}; raise it, or bound the model). ${formatStats(result).split('\n')[0]}`));
    }
  }

  if (typecheck) {
    try {
      // The type-check never holds up a run that was interrupted: signals are answered at once.
      const found = await Promise.race([typecheck.pending, host.interruption.then(() => undefined)]);
      if (found) reportTypeErrors(found);
      else {
        typecheck.stop();
        process.stderr.write(`${c.yellow('warning:')} the specs were not type-checked: interrupted\n`);
      }
    } catch (e) {
      process.stderr.write(`${c.yellow('warning:')} the specs were not type-checked: ${escapeControl((e as Error).message)}\n`);
    }
  }
  const all = results.map((r) => r.result);
  const unaudited = audits.filter((a) => !a.passed).map((a) => variantTitle({ model: a.model } as CheckResult));
  const notChecked = models.length - results.length - unaudited.length - nondeterministic.length - typeSkipped - initFailed;
  // A spec that did not load is counted, unless it was the only thing asked for: its error says it all.
  // --quiet keeps back what was expected, so its summary is printed even for one variant: never silence.
  if (!args.json && (all.length > 1 || args.gate || (args.quiet && all.length > 0) || (problems.length > 0 && all.length + problems.length > 1))) log(formatSummary(all, c, !!args.gate, { notLoaded: problems.length - typeOnly.size, notTypeChecked: typeOnly.size, notChecked }));
  if (unaudited.length) log(c.red(`Not checked, the symmetry audit failed: ${unaudited.join(', ')} (exit 75).`));
  if (nondeterministic.length) log(c.red(`Not checked, not deterministic: ${nondeterministic.join(', ')} (exit 75).`));
  const asymmetric = audits.some((a) => !a.passed) || nondeterministic.length > 0;
  const loadCode = problems.length === 0 ? EXIT.ok : assumptionsFailed === problems.length && typeErrors.size === 0 ? EXIT.assumption : EXIT.specDoesNotLoad;
  if (notInCluster.length) {
    log(c.red(`Not checked, temporal properties need the state graph on one machine: ${notInCluster.join(', ')} (check them without --cluster; exit 151 unless worse).`));
  }
  const verdict = () =>
    worst([
      loadCode,
      asymmetric ? EXIT.specError : EXIT.ok,
      host.interrupted || clusterFailed ? EXIT.internal : EXIT.ok,
      runExitCode(all, !!args.gate),
      lost.length ? EXIT.outputNotWritten : EXIT.ok,
    ]);
  if (args.junit) {
    try {
      writeFileAtomic(args.junit, toJUnit({ results, loadErrors: problems, deadlock: args.deadlock }), writer);
    } catch (e) {
      lose(e);
    }
  }
  // A variant a cluster run could not check is a refused option, unless something is worse.
  const code = notInCluster.length && verdict() === EXIT.ok ? EXIT.badOptions : verdict();
  if (stdout) {
    const doc = {
      tool: 'interleave',
      exitCode: code,
      gate: !!args.gate,
      loadErrors: problems,
      // A trace whose file could not be written is in the document itself (as the ITF the file would
      // have held): it is then the only copy.
      results: results.map(({ result, traceFile, traceLost, others }) => ({
        ...toJson(result, traceFile),
        ...lostTrace(result, traceLost),
        ...(result.violated ? { violations: [{ result, traceFile, traceLost }, ...others].map((o) => ({ ...violationJson(o.result, o.traceFile), ...lostTrace(o.result, o.traceLost) })) } : {}),
      })),
      ...(audits.length > 0 ? { symmetryAudits: audits.map(auditJson) } : {}),
      ...(determinismFailures.length > 0 ? { notDeterministic: determinismFailures } : {}),
      ...(lost.length > 0 ? { outputErrors: lost.map((e) => ({ file: e.file, message: e.message })) } : {}),
      ...(notInCluster.length > 0 ? { notCheckedInCluster: notInCluster } : {}),
      ...(clusterFailed ? { clusterError: clusterFailed } : {}),
    };
    stdout.write(JSON.stringify(doc, null, 2) + '\n');
  }
  return code;
}

/** The trace of a result whose file could not be written, as the ITF the file would have held. */
function lostTrace(result: CheckResult, lost: boolean | undefined): { trace?: unknown } {
  return lost ? { trace: toITF(result) } : {};
}

/** Whether `file` is the file the standard output is written to (`--json > F --junit F`). */
function sameFileAsStdout(file: string): boolean {
  try {
    // Both thrown away loses nothing.
    if (realpathSync(file) === '/dev/null') return false;
    const out = fstatSync(1);
    const f = statSync(file);
    return out.dev === f.dev && out.ino === f.ino;
  } catch {
    return false;
  }
}
