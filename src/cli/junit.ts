// `check --junit FILE`: writes the JUnit report, creating its folder, atomically (temp file, rename).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { toJUnit, type JUnitInput } from '../report/junit.ts';
import { UsageError } from './usage.ts';

export function writeJUnit(file: string, input: JUnitInput): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, toJUnit(input));
    renameSync(tmp, file);
  } catch (e) {
    throw new UsageError(`--junit ${file}: cannot write the report: ${(e as Error).message}`);
  }
}
