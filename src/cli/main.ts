// The `interleave` command line. Each command is a small module; this file wires them to yargs and
// turns every failure into a one-line message and one of TLC's exit codes.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { availableParallelism } from 'node:os';
import { endProcess } from '../../checker/refuse-exit.js';
import { LivenessRefused } from '../../checker/liveness/errors.ts';
import { CheckpointError } from '../../checker/store/checkpoint.ts';
import { LoadError } from '../load.ts';
import { OutputError } from '../report/files.ts';
import { escapeControl } from '../report/terminal.ts';
import { runCheck } from './check.ts';
import { EXIT, worst } from './exit-codes.ts';
import { guardStdout, noteStdoutError, stdoutFailed } from './stdout.ts';
import { exploreCommand } from './explore.ts';
import { graphCommand } from './graph.ts';
import { listCommand } from './list.ts';
import { checkChoices, checkFlags } from './check-options.ts';
import { CONST_OPTION, constOption, natsAddress, wholeNumber } from './options.ts';
import { simulateCommand } from './simulate.ts';
import { traceCommand } from './trace.ts';
import { UsageError } from './usage.ts';
import { discardEarly } from './search-thread-start.js';
import { AssumptionError } from '../constants.ts';
import { SpecError } from '../spec.ts';
import { ClusterError } from '../cluster/protocol.ts';

/** Threads beyond the cores share them; far beyond, they only cost memory and start-up time. */
function checkWorkers(workers: number | undefined): void {
  if (workers === undefined || workers === 1) return;
  const cores = availableParallelism();
  const most = Math.max(8, 4 * cores);
  if (workers > most) throw new UsageError(`--workers ${workers} is far more than the ${cores} cores of this machine; give at most ${most} (the cores, ${cores}, is best)`);
  if (workers > cores) process.stderr.write(`interleave: warning: --workers ${workers} is more than the ${cores} cores of this machine; the extra threads only share them\n`);
}

/** `--x` beside `--no-x` (yargs would let the last one win, silently). */
function refuseContradictions(argv: string[]): void {
  for (const arg of argv) {
    const m = /^--no-([\w-]+)$/.exec(arg);
    if (m && argv.some((a) => a === `--${m[1]}` || a.startsWith(`--${m[1]}=`))) {
      throw new UsageError(`--${m[1]} and --no-${m[1]} contradict each other; give one of them`);
    }
  }
}

/**
 * yargs lays out a command's whole help text each time it starts the command's handler (a
 * twentieth of a second, before the command can go on), only so that the handler could print it
 * later; ours never do. Left as it is should a yargs release no longer have this.
 */
function skipHelpLayout(cli: object): void {
  const usage = (cli as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const setCode = (c: number) => {
    code = c;
  };
  const cli = yargs(argv)
    .scriptName('interleave')
    .usage('$0 <command> [options]')
    .command(
      'check <paths..>',
      'check spec files (or folders of them), every variant unless --variant picks one',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'spec files or folders' })
          .option('variant', { type: 'string', describe: 'check only this variant' })
          .options(checkFlags() as {})
          .option('progress', { type: 'string', coerce: wholeNumber('progress'), describe: 'seconds between progress lines (default: a live line on a terminal, else every 15 s)' })
          .option('audit-symmetry', {
            type: 'boolean',
            describe:
              'before checking with symmetry reduction, test thoroughly on sampled reachable states (2000, not the 50 of the quick audit that runs by default) that the spec is symmetric in its scalarsets, and report it; a variant that is not is reported (action, state, permutation), left unchecked, and the run exits 75. --no-audit-symmetry skips even the quick audit',
          })
          .option('audit-samples', { type: 'string', coerce: wholeNumber('audit-samples'), describe: 'states the audit samples (default 2000)' })
          .option('audit-seed', { type: 'string', coerce: wholeNumber('audit-seed'), describe: 'seed of the audit\'s sampling (default 1)' })
          .option('json', { type: 'boolean', describe: 'print one JSON document instead of text' })
          .option('out', { type: 'string', default: 'counterexamples', describe: 'folder for counterexample traces (ITF JSON)' })
          .option('quiet', { type: 'boolean', alias: 'q', describe: 'print only the summary and unexpected results' })
          .option('gate', { type: 'boolean', describe: 'exit 0 exactly when every variant behaves as its spec expects' })
          .option('junit', { type: 'string', describe: 'also write a JUnit XML report to this file (one test case per property)' })
          .option('coverage', { type: 'boolean', describe: 'print how often each action fired, and which never did' })
          .option('step-timeout', { type: 'string', coerce: wholeNumber('step-timeout'), describe: 'seconds one step of spec code may run before it is reported as a spec error (default 5)' })
          .option('const', CONST_OPTION)
          .option('typecheck', { type: 'boolean', default: true, describe: 'type-check the spec files in a child process beside the search (cached); --no-typecheck skips it' })
          .option('cluster', { type: 'string', coerce: natsAddress, describe: 'search partitioned across `interleave worker` processes through the NATS server at this URL (nats://HOST:PORT)' })
          .option('partitions', { type: 'string', coerce: wholeNumber('partitions'), describe: 'with --cluster: partitions of the state space (default: the number of workers)' })
          .option('cluster-workers', { type: 'string', coerce: wholeNumber('cluster-workers'), describe: 'with --cluster: workers to wait for before starting (default 1; later ones are spares)' })
          .option('resume-run', { type: 'string', describe: 'with --cluster: go on with this run (its id) from its last committed level, after the server was lost' })
          .option('starvation', {
            type: 'boolean',
            describe: "check that every process that is not done eventually takes a step (the property 'Starvation'), assuming weak fairness of each process id the spec declares none for",
          }),
      async (a) => {
        if ((a.auditSamples !== undefined || a.auditSeed !== undefined) && a.auditSymmetry !== true) {
          throw new UsageError('--audit-samples and --audit-seed only apply with --audit-symmetry');
        }
        if (a.symmetry === 'off' && a.symmetryCompare) {
          throw new UsageError('--symmetry-compare compares a search with symmetry to one without; it cannot be given with --symmetry off');
        }
        checkWorkers(a.workers as number | undefined);
        code = await runCheck({
          ...checkChoices(a as Record<string, unknown>),
          paths: a.paths as string[],
          variant: a.variant,
          progress: a.progress as number | undefined,
          auditSymmetry: a.auditSymmetry,
          auditSamples: a.auditSamples as number | undefined,
          auditSeed: a.auditSeed as number | undefined,
          json: a.json,
          out: a.out,
          quiet: a.quiet,
          gate: a.gate,
          junit: a.junit,
          coverage: a.coverage,
          stepTimeout: a.stepTimeout as number | undefined,
          constants: constOption(a.const),
          typecheck: a.typecheck,
          cluster: a.cluster,
          partitions: a.partitions as number | undefined,
          clusterWorkers: a.clusterWorkers as number | undefined,
          resumeRun: a.resumeRun,
          starvation: a.starvation,
        });
      },
    )
    .command(
      'worker',
      'own partitions of the cluster runs that `check --cluster` coordinates, until stopped',
      (y) => y.option('cluster', { type: 'string', demandOption: true, coerce: natsAddress, describe: 'the NATS server, nats://HOST:PORT' }),
      async (a) => {
        // Loaded only here: the NATS client is no cost to the other commands.
        const { runWorker } = await import('../cluster/worker.ts');
        await runWorker(a.cluster!);
      },
    )
    .command(traceCommand(setCode))
    .command(graphCommand(setCode))
    .command(listCommand(setCode))
    .command(simulateCommand(setCode))
    .command(exploreCommand(setCode))
    .middleware((argv) => {
      // Every option but the list of paths takes one value; yargs would silently make an array.
      for (const [key, value] of Object.entries(argv)) {
        if (Array.isArray(value) && key !== '_' && key !== 'paths' && key !== 'const' && key === key.toLowerCase()) {
          throw new UsageError(`--${key} was given ${value.length} times; give it once`);
        }
      }
    }, true)
    .demandCommand(1, 'Name a command; `interleave --help` lists them.')
    .strict()
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((msg, err) => {
      // yargs reports its own parse errors (and errors from `coerce`) as YError: those are usage errors.
      if (err && err.name !== 'YError') throw err;
      throw err instanceof UsageError ? err : new UsageError(msg ?? err?.message);
    });
  skipHelpLayout(cli);
  try {
    refuseContradictions(argv);
    await cli.parseAsync();
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`interleave: ${escapeControl(e.message, true)}\nRun 'interleave --help' for the commands and options.\n`);
      refusedAsJson(argv, e.message);
      return EXIT.badOptions;
    }
    if (e instanceof ClusterError) {
      process.stderr.write(`interleave: ${e.message}\n`);
      return EXIT.internal;
    }
    if (e instanceof LoadError || e instanceof SpecError) {
      process.stderr.write(`interleave: ${escapeControl(e.message)}\n`);
      return e instanceof AssumptionError ? EXIT.assumption : EXIT.specDoesNotLoad;
    }
    if (e instanceof OutputError) {
      process.stderr.write(`interleave: ${escapeControl(e.message)}\n`);
      return EXIT.outputNotWritten;
    }
    if (e instanceof CheckpointError || e instanceof LivenessRefused) {
      process.stderr.write(`interleave: ${escapeControl(e.message)}\n`);
      refusedAsJson(argv, e.message);
      return EXIT.badOptions;
    }
    const io = e as NodeJS.ErrnoException;
    if (io?.syscall && io.code) {
      // A system call that failed outside the search (the search on disk reports its own): say which.
      process.stderr.write(`interleave: ${escapeControl(io.message)}\n`);
      return EXIT.internal;
    }
    process.stderr.write(`interleave: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.internal;
  }
  return code;
}

/**
 * With --json, a run refused before it started (bad options, a checkpoint it cannot resume) still
 * prints one JSON document, so that a CI job that reads standard output reads why.
 */
function refusedAsJson(argv: string[], message: string): void {
  if (!['check', 'simulate', 'list'].includes(argv[0]) || !argv.includes('--json') || argv.includes('--help')) return;
  process.stdout.write(JSON.stringify({ tool: 'interleave', exitCode: EXIT.badOptions, refused: message, results: [] }, null, 2) + '\n');
}

/** Runs the command line of this process (what bin/interleave.js does); importing this module does not. */
export function run(): void {
  // A reader that stops early (`interleave check specs | head`) is not an error: what it did not
  // read is dropped, and the run ends with its own exit code (a gate piped into head still fails).
  guardStdout();
  process.stdout.on('error', noteStdoutError);
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  const argv = hideBin(process.argv);
  main(argv).then((code) => {
    // A standard output that could not be written is an output lost (74), unless worse happened.
    process.exitCode = stdoutFailed() ? worst([code, EXIT.outputNotWritten]) : code;
    // A search thread started with the process that no search took (a usage error): it would keep it alive.
    discardEarly();
    // `worker` returns only when it failed; the NATS client may keep a socket of a failed connection
    // open (a server that does not speak NATS), which would keep the process alive for ever.
    if (argv[0] === 'worker') endProcess(code);
  });
}
