// `interleave graph SPEC`: the reachable state graph of one variant in DOT, with its counterexample
// (when it has one) highlighted. Small models only: a size guard stops before the output is unreadable.
import type { Argv, CommandModule } from 'yargs';
import { compileModel } from '../compile/model.ts';
import { loadSpec } from '../load.ts';
import { OutputError, writeFileAtomic } from '../report/files.ts';
import { SpecError } from '../spec.ts';
import { EXIT } from './exit-codes.ts';
import { reserveStdout } from './stdout.ts';
import { AssumptionError } from '../constants.ts';
import { ensureOutputFile, pickVariant, wholeNumber } from './options.ts';
import { UsageError } from './usage.ts';
import { escapeControl } from '../report/terminal.ts';

interface GraphArgs {
  spec: string;
  variant?: string;
  maxNodes: number;
  out?: string;
}

export function graphCommand(done: (code: number) => void): CommandModule<{}, GraphArgs> {
  return {
    command: 'graph <spec>',
    describe: 'print the reachable state graph of a variant in DOT (Graphviz), its counterexample in red',
    builder: (y: Argv) =>
      y
        .positional('spec', { type: 'string', demandOption: true, describe: 'a spec file' })
        .option('variant', { type: 'string', describe: 'the variant to draw (needed when the spec has several)' })
        .option('max-nodes', { type: 'string', default: '500', coerce: wholeNumber('max-nodes'), describe: 'refuse graphs with more states than this' })
        .option('out', { type: 'string', alias: 'o', describe: 'write the DOT to this file instead of standard output' }) as unknown as Argv<GraphArgs>,
    handler: async (a) => done(await runGraph(a)),
  };
}

export async function runGraph(args: GraphArgs): Promise<number> {
  // The DOT goes to stdout (for `| dot -Tsvg`): what spec code prints goes to stderr meanwhile.
  const stdout = args.out ? undefined : reserveStdout();
  try {
    return await graphOf(args, (dot) => (stdout ? stdout.write(dot) : process.stdout.write(dot)));
  } finally {
    stdout?.release();
  }
}

async function graphOf(args: GraphArgs, writeDot: (dot: string) => void): Promise<number> {
  // Loaded here, not with the command line: other commands do not pay for the search and DOT.
  const [{ checkModel }, { exploreGraph, GraphSpecError, GraphTooBig, stateKey }, { toDot }] = await Promise.all([
    import('../compile/check.ts'),
    import('../../checker/search/graph.ts'),
    import('../report/dot.ts'),
  ]);
  // Found now, not after the graph was explored.
  if (args.out) ensureOutputFile('--out', args.out);
  const { spec, file } = await loadSpec(args.spec);
  const variant = pickVariant(spec, file, args.variant, 'graph');
  let model;
  try {
    model = compileModel(spec, variant, file);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    process.stderr.write(`interleave: ${file}: ${escapeControl(e.message, true)}\n`);
    // An assumption about the constants that does not hold: TLC's 10, as check and simulate say.
    return e instanceof AssumptionError ? EXIT.assumption : EXIT.specDoesNotLoad;
  }
  const title = variant === 'default' ? spec.def.name : `${spec.def.name} [${variant}]`;
  let graph;
  try {
    graph = exploreGraph(model, args.maxNodes);
  } catch (e) {
    if (e instanceof GraphTooBig) throw new UsageError(`${file}: ${e.message}`);
    if (e instanceof GraphSpecError) {
      process.stderr.write(`interleave: ${file}: ${escapeControl(title)}: ${escapeControl(e.message, true)}\n`);
      return EXIT.specError;
    }
    throw e;
  }
  // The counterexample, found without symmetry so that its states are the graph's concrete states.
  const result = await checkModel(model, { symmetry: false });
  const ids = new Map(graph.nodes.map((n) => [stateKey(model, n.state), n.id]));
  const path = result.trace?.map((step) => ids.get(stateKey(model, step.state))).filter((id): id is number => id !== undefined);
  const dot = toDot(graph, { title, codec: model.codec, path: path?.length ? path : undefined });
  if (args.out) {
    try {
      writeFileAtomic(args.out, dot);
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      process.stderr.write(`interleave: ${escapeControl(e.message, true)}\n`);
      return EXIT.outputNotWritten;
    }
    process.stderr.write(`${args.out}: ${graph.nodes.length} states, ${graph.edges.length} transitions\n`);
  } else {
    writeDot(dot);
  }
  return EXIT.ok;
}
