// `check --junit FILE`: writes the JUnit report, creating its folder, atomically (temp file, rename).
import { writeFileAtomic } from '../report/files.ts';
import { toJUnit, type JUnitInput } from '../report/junit.ts';
import { UsageError } from './usage.ts';

export function writeJUnit(file: string, input: JUnitInput): void {
  try {
    writeFileAtomic(file, toJUnit(input));
  } catch (e) {
    throw new UsageError(`--junit ${file}: cannot write the report: ${(e as Error).message}`);
  }
}
