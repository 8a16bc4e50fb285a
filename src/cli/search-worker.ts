// The thread that searches for the command line. The main thread keeps its event loop free for
// signals and the step watchdog: a search stopped by Ctrl-C, SIGTERM or a step that never returns
// still ends with its statistics and every report (search-host.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { auditDeterminism } from '../../checker/determinism-audit.ts';
import { prepareWorkers } from '../../checker/search/warm.js';
import { show } from '../../checker/show.ts';
import { StepProbe, watchSteps } from '../../checker/step-probe.ts';
import { checkModel } from '../compile/check.ts';
import { compileModel, usesSymmetry } from '../compile/model.ts';
import { loadSpec } from '../load.ts';
import type { Spec } from '../spec.ts';
import { type FromThread, type Job, STATS, type ThreadSetup, threadError, toPortable } from './search-jobs.ts';

const setup = workerData as ThreadSetup;
const flags = new Int32Array(setup.control);
const stats = new Float64Array(setup.stats);

/** Reads the main thread's request to stop each time the search polls it. */
const control = {
  get stop(): 'interrupted' | undefined {
    return Atomics.load(flags, 0) === 1 ? 'interrupted' : undefined;
  },
};

const specs = new Map<string, Spec>();
const send = (m: FromThread) => {
  try {
    parentPort!.postMessage(m);
  } catch (e) {
    // A state that holds what cannot cross to another thread (a symbol or a function a recipe
    // put where a value goes): its type violation is reported with those values as their text.
    if ((e as Error)?.name !== 'DataCloneError') throw e;
    parentPort!.postMessage(cloneable(m));
  }
};

/** `value` with each symbol and function in it replaced by its text (`Symbol(y)`, `() => 1`). */
function cloneable(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof value === 'symbol' || typeof value === 'function') return show(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const x of value) out.push(cloneable(x, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    seen.set(value, out);
    for (const x of value) out.add(cloneable(x, seen));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(value, out);
    for (const [k, x] of value) out.set(cloneable(k, seen), cloneable(x, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, x] of Object.entries(value)) out[k] = cloneable(x, seen);
  return out;
}

async function run(job: Job): Promise<void> {
  const spec = specs.get(job.file) ?? (await loadSpec(job.file)).spec;
  specs.set(job.file, spec);
  const model = compileModel(spec, job.variant, job.file, { constants: job.constants, starvation: job.starvation, assumptionsChecked: true, streamOnce: job.kind !== 'simulate' });
  // Every step this thread takes for the job (audits, search, walks, trace rebuild) reports to the watchdog.
  watchSteps(new StepProbe(job.probe, model.width));
  stats.fill(0);
  // Worker threads rebuild the system while this one audits it.
  if (job.kind !== 'simulate' && (job.options.workers ?? 1) > 1 && !job.cluster) prepareWorkers(model.source);
  // A step that gives other successors when taken again makes counts, traces and seeds meaningless.
  const determinism = auditDeterminism(model);
  if (!determinism.passed) {
    send({ kind: 'nondeterministic', message: determinism.problem!.message });
    return;
  }
  if (job.kind === 'simulate') stats[STATS.searching] = 1;
  // What only some jobs need is loaded for them: this thread starts before every check.
  if (job.kind === 'simulate') {
    const { simulate } = await import('../compile/simulate.ts');
    const start = Date.now();
    const result = simulate(model, {
      seed: job.seed,
      steps: job.steps,
      runs: job.runs,
      deadlock: job.deadlock,
      control,
      onWalk: (walks, generated, distinct) => {
        stats[STATS.walks] = walks;
        stats[STATS.generated] = generated;
        stats[STATS.distinct] = distinct;
        stats[STATS.elapsedMs] = Date.now() - start;
      },
    });
    send({ kind: 'done', result: toPortable(result) });
    return;
  }
  if (job.audit) {
    const { auditSymmetry, QUICK_AUDIT } = await import('../../checker/symmetry/audit.ts');
    const { model: _m, ...audit } = auditSymmetry(model, job.audit.thorough ? { samples: job.audit.samples, seed: job.audit.seed } : QUICK_AUDIT);
    send({ kind: 'audit', audit });
    if (!audit.passed) return;
  }
  stats[STATS.searching] = 1;
  let lastSent = 0;
  const cluster = job.cluster
    ? await (await import('./cluster-run.ts')).clusterRun(model, job.cluster, { symmetry: usesSymmetry(model, job.options.symmetry), deadlock: job.options.deadlock }, (line) => {
        if (!job.cluster!.quiet) send({ kind: 'log', line });
      })
    : undefined;
  const result = await checkModel(model, {
    ...job.options,
    levels: cluster?.levels,
    control,
    // Often, so that a search that never answers still has recent statistics; sent on as asked.
    progressEveryMs: Math.min(job.progressEveryMs ?? 250, 250),
    // The counts at every look-up, for a search whose thread is ended (a hung step, a full heap).
    onLevel: (p) => {
      stats[STATS.generated] = p.generated;
      stats[STATS.distinct] = p.distinct;
      stats[STATS.queue] = p.queue;
      stats[STATS.depth] = p.depth;
    },
    onProgress: (p) => {
      stats[STATS.elapsedMs] = p.elapsedMs;
      if (job.progressEveryMs !== undefined && p.elapsedMs - lastSent >= job.progressEveryMs) {
        lastSent = p.elapsedMs;
        send({ kind: 'progress', progress: p });
      }
    },
  });
  cluster?.done(result);
  send({ kind: 'done', result: toPortable(result) });
}

parentPort!.on('message', (job: Job | { kind: 'exit' }) => {
  // Closing the port lets the thread end once what it printed has been sent.
  if (job.kind === 'exit') parentPort!.close();
  else
    run(job)
      .catch((e: unknown) => send({ kind: 'failed', error: threadError(e) }))
      .finally(() => watchSteps(undefined));
});
