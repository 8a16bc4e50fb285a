// `interleave list [paths]`: what the specs are: variants and what each expects, properties,
// actions, and the bounds that decide the size of the state space.
import type { Argv, CommandModule } from 'yargs';
import { compileModel, type Model } from '../compile/model.ts';
import { findSpecFiles, LoadError, loadSpec } from '../load.ts';
import { describeExpectation, makeChalk } from '../report/console.ts';
import { show } from '../schema/index.ts';
import { SpecError, TYPE_OK, type Spec } from '../spec.ts';
import { EXIT } from './exit-codes.ts';
import { escapeControl } from '../report/terminal.ts';

interface ListArgs {
  paths: string[];
  json?: boolean;
}

export interface SpecListing {
  file: string;
  spec: string;
  description?: string;
  variants: {
    name: string;
    expect: string;
    description?: string;
    constants: Record<string, unknown>;
    /** The properties this variant checks, when it checks only some. */
    checks?: string[];
    state: Record<string, string>;
    scalarsets: Record<string, number>;
    /** Scalarsets declared `{ symmetric: false }`: their ids are told apart, never permuted. */
    notSymmetric?: string[];
  }[];
  actions: { name: string; process?: string; instances: number }[];
  invariants: string[];
  actionProperties: string[];
  /** Names of the assumptions about the constants. */
  assumptions: string[];
  /** Temporal properties (and 'Starvation' when the starvation check is on in some variant). */
  temporal: string[];
  deadlock: boolean;
  constraint: boolean;
  symmetry: boolean;
  coverage?: string;
}

export function listCommand(done: (code: number) => void): CommandModule<{}, ListArgs> {
  return {
    command: 'list [paths..]',
    describe: 'list specs with their variants, expectations, properties, actions and bounds',
    builder: (y: Argv) =>
      y
        .positional('paths', { type: 'string', array: true, default: ['specs'], describe: 'spec files or folders (default: specs)' })
        .option('json', { type: 'boolean', describe: 'print JSON' }) as unknown as Argv<ListArgs>,
    handler: async (a) => done(await runList(a)),
  };
}

export async function runList(args: ListArgs): Promise<number> {
  const c = makeChalk();
  const listings: SpecListing[] = [];
  let failed = false;
  const files = findSpecFiles(args.paths);
  // As check says it: a folder with no spec in it is a mistake in the path, not an empty answer.
  if (files.length === 0) throw new LoadError(args.paths.join(', '), 'no spec files here (a spec is a .ts file whose default export is defineSpec({ ... }))');
  for (const f of files) {
    try {
      const { spec, file } = await loadSpec(f);
      const { listing, errors } = describeSpec(spec, file);
      listings.push(listing);
      // A variant that does not compile is named; the spec's other variants are still listed (check checks them).
      for (const message of errors) {
        failed = true;
        process.stderr.write(`${c.red('error:')} ${escapeControl(`${f}: ${message}`, true)}\n`);
      }
    } catch (e) {
      if (!(e instanceof LoadError || e instanceof SpecError)) throw e;
      failed = true;
      process.stderr.write(`${c.red('error:')} ${escapeControl(e instanceof LoadError ? e.message : `${f}: ${e.message}`, true)}\n`);
    }
  }
  if (args.json) process.stdout.write(JSON.stringify(listings, null, 2) + '\n');
  // Names and descriptions come from spec code: control characters in them are shown, not sent to the terminal.
  else process.stdout.write(listings.map((l) => formatListing(JSON.parse(JSON.stringify(l), (_k, v) => (typeof v === 'string' ? escapeControl(v) : v)), c)).join('\n\n') + (listings.length ? '\n' : ''));
  return failed ? EXIT.specDoesNotLoad : EXIT.ok;
}

export function describeSpec(spec: Spec, file: string): { listing: SpecListing; errors: string[] } {
  const errors: string[] = [];
  const models = spec.variantNames.flatMap((v) => {
    try {
      return [compileModel(spec, v, file)];
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      errors.push(e.message);
      return [];
    }
  });
  if (models.length === 0) throw new SpecError(errors[0]);
  return { listing: listingOf(spec, file, models), errors };
}

function listingOf(spec: Spec, file: string, models: Model[]): SpecListing {
  const first = models[0];
  const actions = new Map<string, { name: string; process?: string; instances: number }>();
  for (const a of first.actions) {
    const entry = actions.get(a.name) ?? { name: a.name, process: a.process, instances: 0 };
    entry.instances++;
    actions.set(a.name, entry);
  }
  return {
    file,
    spec: spec.def.name,
    description: spec.def.description,
    variants: models.map((m) => ({
      name: m.variant,
      expect: describeExpectation(m.expect),
      description: spec.def.variants?.[m.variant]?.description,
      constants: m.constants,
      checks: spec.def.variants?.[m.variant]?.properties,
      state: stateSummary(m),
      scalarsets: Object.fromEntries(m.codec.scalarsets().map((s) => [s.name, s.size])),
      ...notSymmetric(m.codec.scalarsets()),
    })),
    actions: [...actions.values()],
    // With the temporal properties []P, which are checked as invariants.
    invariants: [...new Set([...Object.keys(spec.def.invariants ?? {}), ...models.flatMap((m) => m.invariants.map((i) => i.name))])],
    // With the temporal properties [][A]_v, which are checked as action properties.
    actionProperties: [...new Set([...Object.keys(spec.def.actionProperties ?? {}), ...models.flatMap((m) => m.actionProperties.map((p) => p.name))])],
    assumptions: Object.keys(spec.def.assumptions ?? {}),
    temporal: [...new Set(models.flatMap((m) => m.liveness?.properties.map((p) => p.name) ?? []))],
    deadlock: first.deadlock,
    constraint: !!first.constraint,
    symmetry: first.symmetryDefault,
    coverage: spec.def.coverage,
  };
}

function stateSummary(m: Model): Record<string, string> {
  return Object.fromEntries(m.vars.map((v) => [v, m.codec.fields[v].describe()]));
}

function formatListing(l: SpecListing, c: ReturnType<typeof makeChalk>): string {
  const lines = [`${c.bold(l.spec)}  ${c.dim(l.file)}`];
  if (l.description) lines.push(`  ${l.description}`);
  const nameWidth = Math.max(...l.variants.map((v) => v.name.length));
  const expWidth = Math.max(...l.variants.map((v) => v.expect.length));
  lines.push('  variants:');
  for (const v of l.variants) {
    const consts = Object.entries(v.constants).map(([k, x]) => `${k} = ${show(x)}`).join(', ');
    const checks = v.checks ? `  checks only ${v.checks.join(', ')}` : '';
    lines.push(`    ${v.name.padEnd(nameWidth)}  expects ${v.expect.padEnd(expWidth)}${checks}${consts ? `  ${c.dim(consts)}` : ''}`.trimEnd());
  }
  // The bounds usually share one schema; a variant whose bounds differ is listed on its own.
  const shown = new Set<string>();
  for (const v of l.variants) {
    const key = JSON.stringify(v.state);
    if (shown.has(key)) continue;
    shown.add(key);
    lines.push(l.variants.length > 1 && shown.size > 1 ? `  state (variant ${v.name}):` : '  state:');
    for (const [name, type] of Object.entries(v.state)) lines.push(`    ${name}: ${type}`);
    const fixed = new Set(v.notSymmetric);
    const sets = Object.entries(v.scalarsets).map(([n, size]) => `${n} (${size}${fixed.has(n) ? ', not symmetric' : ''})`);
    const reduced = Object.keys(v.scalarsets).filter((n) => !fixed.has(n));
    if (sets.length) lines.push(`    scalarsets: ${sets.join(', ')}${l.symmetry && reduced.length ? `, reduced by symmetry${fixed.size ? ` over ${reduced.join(', ')}` : ''}` : ''}`);
  }
  // Process steps are listed by process, in program order, as the protocol reads.
  const plain = l.actions.filter((a) => !a.process);
  if (plain.length || l.actions.length === 0) {
    lines.push(`  actions: ${plain.map((a) => (a.instances > 1 ? `${a.name} (${a.instances} instances)` : a.name)).join(', ') || '(none)'}`);
  }
  for (const p of new Set(l.actions.flatMap((a) => (a.process ? [a.process] : [])))) {
    const steps = l.actions.filter((a) => a.process === p);
    const threads = steps[0].instances;
    lines.push(`  process ${p} (${threads} thread${threads === 1 ? '' : 's'}): ${steps.map((a) => a.name.slice(p.length + 1)).join(', ')}`);
  }
  // A spec's own invariant named TypeOK (a TLA+ port's) is listed once, beside the type check of that name.
  lines.push(`  invariants: ${[...new Set([...l.invariants, TYPE_OK])].join(', ')}`);
  if (l.actionProperties.length) lines.push(`  action properties: ${l.actionProperties.join(', ')}`);
  if (l.assumptions.length) lines.push(`  assumptions: ${l.assumptions.join(', ')}`);
  if (l.temporal.length) lines.push(`  temporal properties: ${l.temporal.join(', ')}`);
  const checks = [l.deadlock ? 'deadlock checked' : 'deadlock not checked', l.constraint ? 'state constraint' : '', l.coverage ? `coverage: ${l.coverage}` : ''];
  lines.push(`  ${checks.filter(Boolean).join('; ')}`);
  return lines.join('\n');
}

function notSymmetric(sets: readonly { name: string; symmetric: boolean }[]): { notSymmetric?: string[] } {
  const names = [...new Set(sets.filter((s) => !s.symmetric).map((s) => s.name))];
  return names.length ? { notSymmetric: names } : {};
}
