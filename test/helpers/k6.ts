// The k6 the tests run: a real k6 when K6_BIN names one, else tiergate's test-only stand-in
// (test/k6-standin/k6). The same tests, the same assertions, either way.
import { fileURLToPath } from 'node:url';
import { findK6, type K6Binary } from '../../runner/engines/k6/binary.ts';

export const STANDIN_K6 = fileURLToPath(new URL('../k6-standin/k6', import.meta.url));

/** The path of the k6 under test. */
export function testK6Path(): string {
  return process.env.K6_BIN || STANDIN_K6;
}

/** Whether the tests run against a real k6 (K6_BIN) rather than the stand-in. */
export const realK6 = Boolean(process.env.K6_BIN);

/** The k6 under test, found and version-checked as tiergate finds it. */
export function testK6(): Promise<K6Binary> {
  return findK6({ explicit: testK6Path() });
}

/** Environment for a tiergate child process so that it runs the k6 under test. */
export function k6Env(): Record<string, string> {
  return { K6_BIN: testK6Path() };
}
