// The --coverage table: each action (each labelled step, for processes), how often it fired, how
// many of those steps reached a new state, and which actions never fired.
import type { ChalkInstance } from 'chalk';
import type { ActionCoverage } from '../../checker/coverage.ts';

export function formatCoverage(coverage: ActionCoverage[], c: ChalkInstance, complete: boolean): string {
  const head = ['action', 'instances', 'fired', 'new states'];
  const rows = coverage.map((a) => [a.name, String(a.instances), String(a.fired), String(a.found)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  const lines = [`  ${c.bold(fmt(head))}`, ...rows.map((r, i) => `  ${coverage[i].fired === 0 ? c.red(fmt(r)) : fmt(r)}`)];
  const dead = coverage.filter((a) => a.fired === 0).map((a) => a.name);
  const scope = complete ? '' : ' (so far: the run did not explore every state)';
  lines.push(dead.length ? c.red(`  Never fired${scope}: ${dead.join(', ')}`) : `  Every action fired${scope}.`);
  return lines.join('\n');
}
