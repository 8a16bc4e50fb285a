// What the benchmarks share: reading their options (`--name value`) and running a child process
// with its wall time measured.
import { spawn } from 'node:child_process';

/** The value after `--name` on the command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** A comma-separated list of numbers after `--name` (`--workers 1,2`), or the fallback's. */
export function numbers(name: string, fallback: string): number[] {
  return option(name, fallback).split(',').map(Number);
}

export interface Finished {
  exit: number | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
}

/** Runs a command to its end, keeping what it prints. */
export async function runMeasured(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Finished> {
  const started = process.hrtime.bigint();
  const child = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exit = await new Promise<number | null>((done) => child.on('exit', done));
  return { exit, stdout, stderr, wallSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
