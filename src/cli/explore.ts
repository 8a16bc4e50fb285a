// `interleave explore SPEC [TRACE]`: a local page to walk a spec's state space by hand, from its
// initial state or along a saved trace. It serves on the loopback address until interrupted.
import { spawn } from 'node:child_process';
import type { Argv, CommandModule } from 'yargs';
import type { ExploreSystem } from '../explorer/engine-adapter.ts';
import type { Path } from '../explorer/walk.ts';
import { loadSpec } from '../load.ts';
import { ItfError } from '../report/itf.ts';
import { SpecError } from '../spec.ts';
import { EXIT } from './exit-codes.ts';
import { CONST_OPTION, constOption, settingsOfTrace, wholeNumber } from './options.ts';
import { escapeControl } from '../report/terminal.ts';

interface ExploreArgs {
  spec: string;
  trace?: string;
  variant?: string;
  port?: number;
  open?: boolean;
  const?: unknown;
}

export function exploreCommand(done: (code: number) => void): CommandModule<{}, ExploreArgs> {
  return {
    command: 'explore <spec> [trace]',
    describe: 'serve a local page to walk the state space by hand: the enabled actions of each state, the guard that blocks the others, a swimlane of the path',
    builder: (y: Argv) =>
      y
        .positional('spec', { type: 'string', demandOption: true, describe: 'a spec file' })
        .positional('trace', { type: 'string', describe: 'an ITF trace to start from (its variant is the default)' })
        .option('variant', { type: 'string', describe: 'the variant to explore (needed when the spec has several and no trace names one)' })
        .option('port', { type: 'string', coerce: wholeNumber('port', 0, 65535), describe: 'the port to listen on (default: a free one)' })
        .option('open', { type: 'boolean', describe: 'open the page in the default browser' })
        .option('const', { ...CONST_OPTION, describe: `${CONST_OPTION.describe} (default: the constants the trace records, if it records any)` }) as unknown as Argv<ExploreArgs>,
    handler: async (a) => done(await runExplore(a)),
  };
}

export async function runExplore(args: ExploreArgs): Promise<number> {
  // Loaded here, not with the command line: other commands do not pay for the explorer.
  const [{ uiBundle }, { exploreSystem }, { serveExplorer }, { pathOfTrace }, { PathError, pathText }, { readItfFile }] = await Promise.all([
    import('../explorer/bundle.ts'),
    import('../explorer/engine-adapter.ts'),
    import('../explorer/server.ts'),
    import('../explorer/trace-path.ts'),
    import('../explorer/walk.ts'),
    import('../report/itf-read.ts'),
  ]);
  let trace;
  if (args.trace !== undefined) {
    try {
      trace = readItfFile(args.trace);
    } catch (e) {
      if (!(e instanceof ItfError)) throw e;
      process.stderr.write(`interleave: ${escapeControl(e.message, true)}\n`);
      return EXIT.specDoesNotLoad;
    }
  }
  const { spec, file } = await loadSpec(args.spec);
  let settings;
  try {
    settings = settingsOfTrace(spec, file, trace, { variant: args.variant, constants: args.const === undefined ? undefined : constOption(args.const) }, 'explore');
  } catch (e) {
    if (!(e instanceof ItfError)) throw e;
    process.stderr.write(`interleave: ${escapeControl(e.message)}\n`);
    return EXIT.specDoesNotLoad;
  }
  const { variant, constants } = settings;
  let sys: ExploreSystem;
  try {
    sys = exploreSystem(spec, variant, file, constants);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    process.stderr.write(`interleave: ${file}: ${escapeControl(e.message, true)}\n`);
    return EXIT.specDoesNotLoad;
  }
  let path: Path = { init: 0, steps: [] };
  if (trace) {
    try {
      path = pathOfTrace(sys, trace);
    } catch (e) {
      // Values that do not fit the spec's types: the trace cannot be used with this spec.
      if (e instanceof ItfError) {
        process.stderr.write(`interleave: ${escapeControl(e.message, true)}\n`);
        return EXIT.specDoesNotLoad;
      }
      if (!(e instanceof PathError)) throw e;
      process.stderr.write(`interleave: ${escapeControl(e.message, true)}\n`);
      return 1;
    }
  }
  let running;
  try {
    running = await serveExplorer(sys, await uiBundle(), args.port);
  } catch (e) {
    process.stderr.write(`interleave: explore: cannot listen on 127.0.0.1${args.port ? `:${args.port}` : ''}: ${(e as Error).message}\n`);
    return EXIT.badOptions;
  }
  const url = `${running.url}#p=${pathText(path)}&s=${path.steps.length + 1}`;
  process.stdout.write(`Exploring ${escapeControl(sys.title)} (${file}) at ${url}\nPress Ctrl-C to stop.\n`);
  if (args.open) openBrowser(url);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.server.close(() => resolve());
      running.server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return EXIT.ok;
}

/** The desktop's way to open a URL; where there is none, the printed URL is enough. */
function openBrowser(url: string): void {
  const [cmd, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`interleave: could not open a browser (${cmd}); open ${url} yourself\n`));
  child.unref();
}
