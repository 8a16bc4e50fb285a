// `interleave trace FILE`: show a saved ITF trace (changed variables per step, whole states, or one
// column per thread), or replay it against a spec to confirm it is still a behaviour of the spec.
import type { Argv, CommandModule } from 'yargs';
import { compileModel } from '../compile/model.ts';
import type { ReplayInput } from '../../checker/trace/replay.ts';
import type { Model } from '../compile/model.ts';
import { flatten } from '../report/diff.ts';
import { loadSpec } from '../load.ts';
import { makeChalk } from '../report/console.ts';
import { readItfFile, type ItfFile } from '../report/itf-read.ts';
import { ItfError, lassoOfITF, parseITF } from '../report/itf.ts';
import { formatHeader, formatSteps, formatSwimlane } from '../report/trace-view.ts';
import { SpecError } from '../spec.ts';
import { OutputError, writeFileAtomic } from '../report/files.ts';
import { EXIT } from './exit-codes.ts';
import { UsageError } from './usage.ts';
import { escapeControl } from '../report/terminal.ts';
import { CONST_OPTION, constOption, settingsOfTrace } from './options.ts';
import type { Constants } from '../spec.ts';

/** Exit code when a trace is well formed but is not a behaviour of the spec. */
export const TRACE_DOES_NOT_REPLAY = 1;

interface TraceArgs {
  file: string;
  full?: boolean;
  swimlane?: boolean;
  replay?: string;
  variant?: string;
  const?: unknown;
  html?: string;
}

export function traceCommand(done: (code: number) => void): CommandModule<{}, TraceArgs> {
  return {
    command: 'trace <file>',
    describe: 'show a saved ITF trace: changed variables per step, --full states, a --swimlane per thread, or --replay it against a spec',
    builder: (y: Argv) =>
      y
        .positional('file', { type: 'string', demandOption: true, describe: 'an ITF trace file (.itf.json)' })
        .option('full', { type: 'boolean', describe: 'print every variable of every state, not only what changed' })
        .option('swimlane', { type: 'boolean', describe: 'one column per process/thread, each step with the variables it changed' })
        .option('replay', { type: 'string', describe: 'spec file: re-execute the trace and say where it first is not a legal step' })
        .option('variant', { type: 'string', describe: 'with --replay: the variant (default: the one the trace names)' })
        .option('const', { ...CONST_OPTION, describe: `with --replay: ${CONST_OPTION.describe} (default: the constants the trace records, those its check set)` })
        .option('html', { type: 'string', describe: 'write the trace as one self-contained HTML page to this file: a swimlane to step through in a browser, no server or network needed' })
        .check((a) => {
          if (a.full && a.swimlane) throw new UsageError('--full and --swimlane are two ways to print a trace; give one of them');
          const withHtml = (['replay', 'full', 'swimlane'] as const).filter((o) => a[o] !== undefined && a[o] !== false);
          if (a.html !== undefined && withHtml.length > 0) throw new UsageError(`--html writes the trace as a page; it does not go with --${withHtml.join(', --')}`);
          for (const o of ['variant', 'const'] as const) {
            if (a[o] !== undefined && a.replay === undefined) throw new UsageError(`--${o} goes with --replay SPEC: it picks what the trace is replayed against`);
          }
          return true;
        }) as unknown as Argv<TraceArgs>,
    handler: async (a) => done(await runTrace(a)),
  };
}

export async function runTrace(args: TraceArgs): Promise<number> {
  const c = makeChalk();
  let t: ItfFile;
  try {
    t = readItfFile(args.file);
  } catch (e) {
    if (!(e instanceof ItfError)) throw e;
    process.stderr.write(`interleave: ${escapeControl(e.message)}\n`);
    return EXIT.specDoesNotLoad;
  }
  if (args.replay) return replay(t, args.replay, args.variant, args.const === undefined ? undefined : constOption(args.const));
  if (args.html !== undefined) return writeHtml(t, args.html);
  const body = args.swimlane ? formatSwimlane(t, c) : formatSteps(t, c, !!args.full);
  process.stdout.write(`${formatHeader(t, c)}\n\n${body}\n`);
  return EXIT.ok;
}

async function writeHtml(t: ItfFile, out: string): Promise<number> {
  let page: string;
  try {
    // Loaded here, not with the command line: other commands do not pay for the explorer's page.
    const [{ uiBundle }, { documentFromItf }, { explorerPage }] = await Promise.all([import('../explorer/bundle.ts'), import('../explorer/from-itf.ts'), import('../explorer/page.ts')]);
    page = explorerPage({ mode: 'trace', doc: documentFromItf(t) }, await uiBundle());
  } catch (e) {
    process.stderr.write(`interleave: --html ${out}: ${(e as Error).message}\n`);
    return EXIT.internal;
  }
  try {
    writeFileAtomic(out, page);
  } catch (e) {
    process.stderr.write(`interleave: --html ${escapeControl(out)}: cannot write the page: ${escapeControl(e instanceof OutputError ? e.cause : (e as Error).message)}\n`);
    return EXIT.badOptions;
  }
  process.stdout.write(`Wrote ${out}: the ${t.steps.length}-state trace as one HTML page (open it in a browser; it needs no server).\n`);
  return EXIT.ok;
}

async function replay(t: ItfFile, specFile: string, variantArg: string | undefined, constArg: Constants | undefined): Promise<number> {
  const c = makeChalk();
  // Loaded here, not with the command line: other commands do not pay for the replay.
  const { replayTrace, successorsOf } = await import('../../checker/trace/replay.ts');
  const { spec, file } = await loadSpec(specFile);
  let settings;
  try {
    settings = settingsOfTrace(spec, file, t, { variant: variantArg, constants: constArg }, 'trace --replay');
  } catch (e) {
    if (!(e instanceof ItfError)) throw e;
    process.stderr.write(`interleave: ${escapeControl(e.message)}\n`);
    return EXIT.specDoesNotLoad;
  }
  const { variant, constants } = settings;
  let model;
  try {
    model = compileModel(spec, variant, file, { constants });
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    process.stderr.write(`interleave: ${file}: ${escapeControl(e.message)}\n`);
    return EXIT.specDoesNotLoad;
  }
  let states: ReplayInput[];
  try {
    states = parseITF(model, t.json, t.file);
  } catch (e) {
    if (!(e instanceof ItfError)) throw e;
    process.stderr.write(`interleave: ${escapeControl(e.message)}\n`);
    return EXIT.specDoesNotLoad;
  }
  const title = variant === 'default' ? spec.def.name : `${spec.def.name} [${variant}]`;
  // A search never goes on from a state outside its type: only the last state of a trace (a TypeOK
  // counterexample's) may be one. A value that does not fit before it is the file's, not a step's.
  const misfit = (k: number) => model.encode(states[k].state, new Int32Array(model.width), 0);
  for (let k = 0; k < states.length - 1; k++) {
    const why = misfit(k);
    if (why !== undefined) {
      process.stderr.write(`interleave: ${t.file}: state ${k + 1} does not fit the types of ${escapeControl(title)}: ${escapeControl(why)}\n`);
      return EXIT.specDoesNotLoad;
    }
  }
  // A lasso: its step from the last state back to `loop` is replayed as one more step.
  const lasso = lassoOfITF(t.json);
  const backStep: ReplayInput | undefined = lasso?.back ? { state: states[lasso.loop].state, action: lasso.back } : undefined;
  if (backStep) states = [...states, backStep];
  let result;
  try {
    result = replayTrace(model, states, { backOnView: !!backStep });
  } catch (e) {
    process.stderr.write(`interleave: replaying ${t.file} against ${escapeControl(title)}: spec code threw: ${escapeControl((e as Error).message)}\n`);
    return EXIT.specError;
  }
  const width = String(t.steps.length + 1).length;
  const good = result.ok ? t.steps.length : Math.min(t.steps.length, result.step - 1);
  const lines = [`Replaying ${t.file} against ${escapeControl(title)} (${file}):`];
  // Labels from the file were escaped when it was read; the model's own are escaped here.
  const name = (i: number) => (result.ok ? escapeControl(result.steps[i].action?.label ?? (states[i].stutter ? 'stutter' : 'initial state')) : t.steps[i].label);
  t.steps.slice(0, good).forEach((_, i) => lines.push(`  ${String(i + 1).padStart(width)}  ${c.green('ok')}  ${name(i)}`));
  const onView = spec.def.view ? ` (a state equal to it on the view: ${escapeControl((spec.def.view as readonly string[]).join(', '))})` : '';
  if (result.ok && backStep) lines.push(`  ${' '.repeat(width)}  ${c.green('ok')}  ${escapeControl(result.steps[states.length - 1].action!.label)}: back to state ${lasso!.loop + 1}${onView}`);
  if (result.ok && lasso && !backStep) lines.push(`  ${' '.repeat(width)}  ${c.green('ok')}  stutters forever in state ${lasso.loop + 1} (always allowed)`);
  if (!result.ok && backStep && result.step === states.length) {
    lines.push(`  ${' '.repeat(width)}  ${c.red('NO')}  the step back to state ${lasso!.loop + 1}: ${escapeControl(result.reason)}`);
    lines.push(c.red(`The trace does not replay: its last state does not lead back to state ${lasso!.loop + 1} (${escapeControl(result.reason)}).`));
    process.stdout.write(lines.join('\n') + '\n');
    return TRACE_DOES_NOT_REPLAY;
  }
  // The last state, outside the types, reached by no step: the file's values, not a step, are wrong.
  const lastMisfit = !result.ok && !result.threw ? misfit(result.step - 1) : undefined;
  if (!result.ok && lastMisfit !== undefined) {
    process.stderr.write(`interleave: ${t.file}: state ${result.step} does not fit the types of ${escapeControl(title)}: ${escapeControl(lastMisfit)}\n`);
    return EXIT.specDoesNotLoad;
  }
  if (!result.ok) {
    lines.push(`  ${String(result.step).padStart(width)}  ${c.red('NO')}  ${escapeControl(result.reason)}`);
    const differs = whereItDiffers(model, states[result.step - 2], states[result.step - 1], successorsOf);
    if (differs) lines.push(`        ${escapeControl(differs)}`);
    if (result.threw) {
      lines.push(c.red(`The trace does not replay: spec code threw on the way to state ${result.step} of ${t.steps.length} (${escapeControl(result.reason)}).`));
      process.stdout.write(lines.join('\n') + '\n');
      return EXIT.specError;
    }
    lines.push(c.red(`The trace does not replay: state ${result.step} of ${t.steps.length} is not reachable by a legal step (${escapeControl(result.reason)}).`));
    process.stdout.write(lines.join('\n') + '\n');
    return TRACE_DOES_NOT_REPLAY;
  }
  lines.push(c.green(lasso ? `All ${t.steps.length} state${t.steps.length === 1 ? '' : 's'} and the step back replay: the lasso is a behaviour of ${escapeControl(title)}.` : `All ${t.steps.length} states replay: the trace is a behaviour of ${escapeControl(title)}.`));
  const last = states[states.length - 1].state;
  const broken = model.invariants.filter((inv) => {
    try {
      return inv.holds(last) === false;
    } catch {
      return false;
    }
  });
  if (broken.length) lines.push(`Its last state violates ${escapeControl(broken.map((inv) => inv.name).join(', '))}.`);
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT.ok;
}

/** When the trace names an enabled action, what the spec's step gives where the trace differs. */
function whereItDiffers(model: Model, from: ReplayInput | undefined, to: ReplayInput, successorsOf: typeof import('../../checker/trace/replay.ts').successorsOf): string | undefined {
  const named = to.action;
  if (!from || !named) return undefined;
  const action = model.actions.find((a) => a.name === named.name && Object.entries(a.params).every(([k, v]) => named.params?.[k] === v));
  if (!action) return undefined;
  const next = successorsOf(model, from.state).successors.find((s) => s.action === action)?.next;
  if (next === undefined) return undefined;
  try {
    const want = flatten(model.codec, next);
    const got = flatten(model.codec, to.state);
    const diffs = [...want].filter(([p, v]) => got.get(p) !== v).map(([p, v]) => `${p} = ${v} (the trace has ${got.get(p)})`);
    return diffs.length ? `the spec's ${action.label} gives ${diffs.join(', ')}` : undefined;
  } catch {
    return undefined;
  }
}
