// JUnit XML for CI systems (GitHub, GitLab, Jenkins, Azure read it): one test suite per
// (spec, variant) and one test case per property, so a dashboard names the property that broke.
import { Chalk } from 'chalk';
import type { CheckResult } from '../compile/check.ts';
import { ASSERTION, DEADLOCK, expectedViolations, findingOf, TYPE_OK } from '../spec.ts';
import { describeExpectation, describeOutcome, formatTrace, plural, variantTitle } from './console.ts';

export interface JUnitInput {
  results: { result: CheckResult; traceFile?: string }[];
  /** Spec files that did not load: one erroring test case each. */
  loadErrors: { file: string; message: string }[];
  /** Whether deadlock was checked, when the command line overrode the spec. */
  deadlock?: boolean;
}

type Verdict =
  | { kind: 'passed'; note?: string }
  | { kind: 'failure'; message: string; detail: string }
  | { kind: 'error'; message: string; detail: string }
  | { kind: 'incomplete'; message: string; detail: string }
  | { kind: 'skipped'; message: string };

interface TestCase {
  name: string;
  classname: string;
  file?: string;
  seconds: number;
  verdict: Verdict;
}

const plain = new Chalk({ level: 0 });

export function toJUnit(input: JUnitInput): string {
  const suites: { name: string; seconds: number; cases: TestCase[] }[] = [];
  for (const { result, traceFile } of input.results) {
    const classname = `${result.model.specName}.${result.model.variant}`;
    const seconds = result.stats.durationMs / 1000;
    const properties = propertiesOf(result, input.deadlock);
    // One search checks every property at once: its time is shared out so suite totals stay true.
    const cases = properties.map((property) => ({
      name: property,
      classname,
      file: result.model.file,
      seconds: seconds / properties.length,
      verdict: judge(result, property, traceFile),
    }));
    if (result.model.spec.def.coverage === 'all-actions-fire') {
      const dead = result.deadActions ?? [];
      cases.push({
        name: 'coverage: all actions fire',
        classname,
        file: result.model.file,
        seconds: 0,
        verdict: dead.length
          ? { kind: 'failure', message: `never fired: ${dead.join(', ')}`, detail: `These actions never fired in a complete run: ${dead.join(', ')}. A guard that is never true usually means a wrong spec.` }
          : result.stats.complete
            ? { kind: 'passed' }
            : { kind: 'skipped', message: 'coverage is judged only on runs that explore every state' },
      });
    }
    suites.push({ name: variantTitle(result), seconds, cases });
  }
  for (const p of input.loadErrors) {
    suites.push({
      name: p.file,
      seconds: 0,
      cases: [{ name: 'load', classname: p.file, file: p.file, seconds: 0, verdict: { kind: 'error', message: p.message, detail: p.message } }],
    });
  }
  return render(suites);
}

function propertiesOf(r: CheckResult, deadlock: boolean | undefined): string[] {
  const names = [...r.model.invariants.map((p) => p.name), ...r.model.actionProperties.map((p) => p.name), TYPE_OK, ...(r.model.liveness?.properties.map((p) => p.name) ?? [])];
  if ((deadlock ?? r.model.deadlock) || r.property === DEADLOCK) names.push(DEADLOCK);
  if (r.property === ASSERTION || expectedViolations(r.expected).includes(ASSERTION)) names.push(ASSERTION);
  // A property with []P conjuncts is an invariant and a temporal property at once: one case.
  return [...new Set(names)];
}

/** A property passes when the run agrees with what the variant expects of it. */
function judge(r: CheckResult, property: string, traceFile?: string): Verdict {
  const expected = expectedViolations(r.expected).includes(property) ? property : undefined;
  // A failed assert() is a finding, judged as a property ('assertion'); any other error is an error in the spec.
  const reported = findingOf(r);
  const violated = reported !== undefined && (reported === property || !!r.violated?.some((v) => findingOf(v) === property));
  const trace = () => (r.trace?.length ? `\nCounterexample, ${plural(r.trace.length, 'state')}${traceFile ? ` (${traceFile})` : ''}:\n${formatTrace(r, plain)}` : '');
  if (r.outcome === 'error' && reported === undefined) {
    return { kind: 'error', message: r.message ?? 'error in spec', detail: `${r.message ?? ''}${trace()}` };
  }
  if (violated) {
    if (expected === property) return { kind: 'passed', note: `violated as expected${traceFile ? `; counterexample: ${traceFile}` : ''}` };
    return { kind: 'failure', message: `${property}: ${r.message}${traceFile ? ` (trace: ${traceFile})` : ''}`, detail: `${r.message}${trace()}` };
  }
  if (expected === property) {
    const found = r.outcome === 'ok' ? describeOutcome(r) : `the search stopped at: ${r.message}`;
    return { kind: 'failure', message: `${property}: expected a violation, found none (${found})`, detail: `expected: ${describeExpectation(r.expected)}; result: ${describeOutcome(r)}` };
  }
  if (r.model.liveness?.properties.some((p) => p.name === property) && !r.liveness?.holds.includes(property)) {
    return { kind: 'skipped', message: `not checked: temporal properties are checked after a complete search without violations` };
  }
  if (r.stats.complete) return { kind: 'passed' };
  if (r.outcome !== 'ok') return { kind: 'skipped', message: `not checked to the end: the search stopped at the violation of ${r.property}` };
  // A run that stopped early is neither a pass nor a violation: an error of its own type.
  const mustHold = !expectedViolations(r.expected).length;
  return { kind: 'incomplete', message: `${property}: not checked to the end (${STOPPED[r.stopped ?? ''] ?? 'the search stopped early'})`, detail: `the search stopped early (${r.stopped}) before it explored every state, so ${property} was not checked to the end${mustHold ? '; the variant is expected to hold, which needs every state explored' : ''}` };
}

const STOPPED: Record<string, string> = {
  'max-states': 'stopped at --max-states',
  'max-depth': 'stopped at --max-depth',
  'max-memory': 'stopped at the memory limit',
  interrupted: 'interrupted',
  'disk-failed': 'the search on disk failed',
  'internal-error': 'interleave failed on this variant',
};

function render(suites: { name: string; seconds: number; cases: TestCase[] }[]): string {
  const count = (cases: TestCase[], kind: Verdict['kind']) => cases.filter((t) => t.verdict.kind === kind || (kind === 'error' && t.verdict.kind === 'incomplete')).length;
  const all = suites.flatMap((s) => s.cases);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="interleave" tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}" skipped="${count(all, 'skipped')}" time="${secs(suites.reduce((t, s) => t + s.seconds, 0))}">`,
  );
  for (const s of suites) {
    out.push(
      `  <testsuite name="${attr(s.name)}" tests="${s.cases.length}" failures="${count(s.cases, 'failure')}" errors="${count(s.cases, 'error')}" skipped="${count(s.cases, 'skipped')}" time="${secs(s.seconds)}">`,
    );
    for (const t of s.cases) {
      const open = `    <testcase name="${attr(t.name)}" classname="${attr(t.classname)}"${t.file ? ` file="${attr(t.file)}"` : ''} time="${secs(t.seconds)}"`;
      const v = t.verdict;
      if (v.kind === 'passed' && !v.note) {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      if (v.kind === 'passed') out.push(`      <system-out>${text(v.note!)}</system-out>`);
      else if (v.kind === 'skipped') out.push(`      <skipped message="${attr(v.message)}"/>`);
      else if (v.kind === 'incomplete') out.push(`      <error message="${attr(v.message)}" type="Incomplete">${text(v.detail)}</error>`);
      else out.push(`      <${v.kind} message="${attr(v.message)}" type="${v.kind === 'error' ? 'SpecError' : 'PropertyViolation'}">${text(v.detail)}</${v.kind}>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

const secs = (s: number) => s.toFixed(3);

/** XML 1.0 allows no control characters besides tab, newline and carriage return, even escaped. */
function clean(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
