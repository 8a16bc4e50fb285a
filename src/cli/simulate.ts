// `interleave simulate SPEC`: seeded random walks checking the same properties as `check`, for state
// spaces too big to exhaust. A violation is printed and saved like any other; the seed reproduces it.
import type { Argv, CommandModule } from 'yargs';
import { compileModel, type Model } from '../compile/model.ts';
import type { SimulationResult } from '../compile/simulate.ts';
import { loadSpec } from '../load.ts';
import { formatTrace, makeChalk, plural, variantTitle, describeExpectation, describeOutcome } from '../report/console.ts';
import { formatCoverage } from '../report/coverage.ts';
import { writeTrace } from '../report/itf.ts';
import { toJson } from '../report/json.ts';
import { show } from '../schema/index.ts';
import { EXIT, exitCodeOf, worst } from './exit-codes.ts';
import { nodeWriter, OutputError } from '../report/files.ts';
import { escapeControl } from '../report/terminal.ts';
import { reserveStdout, type ReservedStdout } from './stdout.ts';
import { SearchHost, type SharedStats } from './search-host.ts';
import { DEFAULT_STEP_TIMEOUT, hungResult } from './check.ts';
import type { SimulateJob } from './search-jobs.ts';
import { CONST_OPTION, constOption, constantsFor, ensureOutputDir, pickVariant, wholeNumber } from './options.ts';

interface SimulateArgs {
  spec: string;
  variant?: string;
  seed?: number;
  steps: number;
  runs: number;
  deadlock?: boolean;
  out: string;
  json?: boolean;
  coverage?: boolean;
  stepTimeout?: number;
  const?: string[];
}

export function simulateCommand(done: (code: number) => void): CommandModule<{}, SimulateArgs> {
  return {
    command: 'simulate <spec>',
    describe: 'check a spec by seeded random walks (for state spaces too big to exhaust)',
    builder: (y: Argv) =>
      y
        .positional('spec', { type: 'string', demandOption: true, describe: 'a spec file' })
        .option('variant', { type: 'string', describe: 'simulate only this variant (default: every variant)' })
        .option('seed', { type: 'string', coerce: wholeNumber('seed', 0, 2 ** 32 - 1), describe: 'seed of the random walks (default: chosen and printed)' })
        .option('steps', { type: 'string', default: '100', coerce: wholeNumber('steps'), describe: 'steps per walk at most' })
        .option('runs', { type: 'string', default: '1000', coerce: wholeNumber('runs'), describe: 'number of walks' })
        .option('deadlock', { type: 'boolean', describe: 'check for deadlock (--no-deadlock to switch off; default: the spec decides)' })
        .option('out', { type: 'string', default: 'counterexamples', describe: 'folder for counterexample traces (ITF JSON)' })
        .option('json', { type: 'boolean', describe: 'print one JSON document instead of text' })
        .option('coverage', { type: 'boolean', describe: 'print how often each action fired, and which never did' })
        .option('const', CONST_OPTION)
        .option('step-timeout', { type: 'string', coerce: wholeNumber('step-timeout'), describe: 'seconds one step of spec code may run before it is reported as a spec error (default 5)' })
        // Accepted so that one set of flags serves check and simulate in a CI script.
        .option('typecheck', { type: 'boolean', describe: 'simulate does not type-check spec files (check does): --typecheck and --no-typecheck change nothing here' }) as unknown as Argv<SimulateArgs>,
    handler: async (a) => done(await runSimulate(a)),
  };
}

export async function runSimulate(args: SimulateArgs): Promise<number> {
  // With --json, stdout is the document's alone: what spec code prints goes to stderr meanwhile.
  const stdout = args.json ? reserveStdout() : undefined;
  // The walks run in a thread of their own: Ctrl-C and SIGTERM are heard even when spec code loops,
  // and the seed and the statistics so far are printed.
  const host = new SearchHost({ stepTimeoutMs: (args.stepTimeout ?? DEFAULT_STEP_TIMEOUT) * 1000 });
  const onSignal = () => (host.interrupted ? host.kill() : host.interrupt());
  // Heard once the spec is loaded and compiled in this thread (see runCheck).
  const armSignals = () => {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  };
  try {
    return await simulateAndReport(args, stdout, host, armSignals);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await host.close();
    stdout?.release();
  }
}

async function simulateAndReport(args: SimulateArgs, stdout: ReservedStdout | undefined, host: SearchHost, armSignals: () => void): Promise<number> {
  const c = makeChalk();
  ensureOutputDir('--out', args.out);
  const { spec, file } = await loadSpec(args.spec);
  const variants = args.variant !== undefined ? [pickVariant(spec, file, args.variant, 'simulate')] : spec.variantNames;
  host.start();
  const seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
  const overrides = constantsFor(spec, file, constOption(args.const));
  const models: Model[] = variants.map((v) => compileModel(spec, v, file, { constants: overrides }));
  armSignals();
  const results: { result: SimulationResult; traceFile?: string }[] = [];
  const out: string[] = [];
  const lost: OutputError[] = [];
  const notDeterministic: { spec: string; variant: string; message: string }[] = [];
  for (const model of models) {
    if (host.interrupted) break;
    const job: SimulateJob = { kind: 'simulate', file, variant: model.variant, constants: overrides, seed, steps: args.steps, runs: args.runs, deadlock: args.deadlock };
    const outcome = await host.run(job, model);
    if (outcome.kind === 'nondeterministic') {
      // Walks of a step that differs when taken again could not be repeated from their seed.
      notDeterministic.push({ spec: model.specName, variant: model.variant, message: outcome.message });
      if (!args.json) out.push(c.red(escapeControl(outcome.message, true)) + '\n');
      continue;
    }
    const result =
      outcome.kind === 'done'
        ? outcome.result
        : outcome.kind === 'hung'
          ? { ...hungResult(model, outcome.step, statsOfWalks(outcome.stats), args.stepTimeout ?? DEFAULT_STEP_TIMEOUT), runs: outcome.stats.walks + 1, run: outcome.stats.walks + 1, seed }
          : outcome.kind === 'ended' && outcome.reason === 'failed'
            ? { ...interruptedWalks(model, seed, outcome.stats, 'internal-error'), message: `interleave failed while simulating this variant: ${outcome.message}` }
            : interruptedWalks(model, seed, outcome.kind === 'ended' ? outcome.stats : undefined, outcome.kind === 'ended' && outcome.reason === 'heap-full' ? 'max-memory' : 'interrupted');
    let traceFile: string | undefined;
    if (result.trace?.length) {
      try {
        // Under a name of its own: a random walk must not replace the shortest trace `check` wrote.
        traceFile = writeTrace(args.out, result, { simulation: { seed, run: result.run, steps: args.steps } }, nodeWriter, 'simulate');
      } catch (e) {
        if (!(e instanceof OutputError)) throw e;
        lost.push(e);
        process.stderr.write(`${c.red('error:')} ${escapeControl(e.message)}\n`);
      }
    }
    results.push({ result, traceFile });
    if (!args.json) out.push(formatSimulation(result, args, file, traceFile, c));
    if (!args.json && args.coverage && result.coverage) out.push(`Coverage of ${variantTitle(result)}:\n${formatCoverage(result.coverage, c, false)}\n`);
  }
  const code = worst([
    ...results.map(({ result }) => exitCodeOf(result)),
    notDeterministic.length ? EXIT.specError : EXIT.ok,
    lost.length ? EXIT.outputNotWritten : EXIT.ok,
    host.interrupted ? EXIT.internal : EXIT.ok,
  ]);
  if (stdout) {
    const doc = {
      tool: 'interleave',
      command: 'simulate',
      exitCode: code,
      seed,
      results: results.map(({ result, traceFile }) => ({ ...toJson(result, traceFile), run: result.run, runs: result.runs })),
      ...(notDeterministic.length > 0 ? { notDeterministic } : {}),
      ...(lost.length > 0 ? { outputErrors: lost.map((e) => ({ file: e.file, message: e.message })) } : {}),
    };
    stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    process.stdout.write(out.join('\n'));
  }
  return code;
}

function formatSimulation(r: SimulationResult, args: SimulateArgs, file: string, traceFile: string | undefined, c: ReturnType<typeof makeChalk>): string {
  const title = c.bold(variantTitle(r));
  const walks = `${r.runs} walk${r.runs === 1 ? '' : 's'} of up to ${args.steps} steps, seed ${r.seed}`;
  const stats = c.dim(`  ${r.stats.generated} states generated, ${r.stats.distinct} distinct states visited, longest walk ${r.stats.depth} states. ${(r.stats.durationMs / 1000).toFixed(2)} s.`);
  if (r.stopped === 'internal-error') return [`${c.red('✗')} ${title}: ${escapeControl(r.message ?? '')}; the other variants are simulated and reported`, stats, ''].join('\n');
  if (r.stopped === 'interrupted' || r.stopped === 'max-memory') {
    const done = `${r.runs} walk${r.runs === 1 ? '' : 's'} of ${args.runs} (up to ${args.steps} steps each), seed ${r.seed}`;
    // A walk so long that the states it keeps fill the heap: fewer --steps.
    const why = r.stopped === 'max-memory' ? "stopped, the search thread's heap full (give fewer --steps)," : 'interrupted';
    return [`${c.yellow('!')} ${title}: ${why} after ${done}: no violation so far`, stats, c.dim(`  Repeat these walks: interleave simulate ${file}${r.model.variant === 'default' ? '' : ` --variant ${r.model.variant}`} --seed ${r.seed} --steps ${args.steps} --runs ${args.runs}${sameChoices(args)}`), ''].join('\n');
  }
  if (r.outcome === 'ok') {
    // A spec that expects a violation the walks did not meet: not a pass (the JSON says asExpected: false).
    const expecting = r.matchesExpectation ? '' : ` ${c.yellow(`(the spec expects: ${describeExpectation(r.expected)})`)}`;
    const mark = r.matchesExpectation ? c.green('✓') : c.yellow('!');
    return [`${mark} ${title}: no violation in ${walks}${expecting}`, c.dim('  Random walks sample the state space; only `check` can show that a property holds.'), stats, ''].join('\n');
  }
  const mark = r.matchesExpectation ? c.green('✓') : c.red('✗');
  const variant = r.model.variant === 'default' ? '' : ` --variant ${r.model.variant}`;
  const lines = [`${mark} ${title}: ${c.red(describeOutcome(r))} in walk ${r.run} (${walks})`, `  ${escapeControl(r.message ?? '')}`];
  if (r.outcome === 'error' && r.trace?.length) lines.push(`  in state: ${escapeControl(show(r.trace.at(-1)!.state))}`);
  if (r.trace?.length) {
    lines.push(`  Counterexample, ${plural(r.trace.length, 'state')}${traceFile ? ` (${traceFile})` : ''}:`);
    lines.push(formatTrace(r, c));
  }
  lines.push(stats);
  lines.push(c.dim(`  Reproduce: interleave simulate ${file}${variant} --seed ${r.seed} --steps ${args.steps} --runs ${r.run}${sameChoices(args)}`));
  return lines.join('\n') + '\n';
}

/** The options besides the seed and the walks that decide what a walk finds: --const and --deadlock, as given. */
function sameChoices(args: SimulateArgs): string {
  const quote = (v: string) => (/^[\w.=,:/@%+-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`);
  const consts = (args.const ?? []).map((k) => ` --const ${escapeControl(quote(k))}`).join('');
  return consts + (args.deadlock === undefined ? '' : args.deadlock ? ' --deadlock' : ' --no-deadlock');
}

/** Walks have no queue and no depth to report. */
const statsOfWalks = (shared: SharedStats | undefined): SharedStats => ({ generated: 0, distinct: 0, elapsedMs: 0, walks: 0, searching: false, ...shared, queue: 0, depth: 0 });

/** The walks of a thread that had to be ended after Ctrl-C or SIGTERM, as far as it had published them. */
function interruptedWalks(model: Model, seed: number, shared: SharedStats | undefined, stopped: 'interrupted' | 'max-memory' | 'internal-error' = 'interrupted'): SimulationResult {
  const s = statsOfWalks(shared);
  return {
    model,
    outcome: 'ok',
    stats: { generated: s.generated, distinct: s.distinct, queue: 0, depth: 0, durationMs: s.elapsedMs, collisionProbability: 0, complete: false, storeBytes: 0 },
    stopped,
    symmetryReduced: [],
    expected: model.expect,
    matchesExpectation: false,
    runs: s.walks,
    seed,
  };
}
