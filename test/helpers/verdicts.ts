// Short runs meet their objectives but may hold too few requests to prove some of them: such a
// gate is WARN, and every objective it did not pass is `unproven`, none failed or warned.
import { expect } from 'vitest';

interface SummaryObjective {
  status: string;
  reason: string;
}

/** Every objective met: each passed or, met but too thin to prove, is unproven (gate WARN). */
export function expectMet(verdict: string, objectives: SummaryObjective[]): void {
  const notPassed = objectives.filter((o) => o.status !== 'pass');
  for (const o of notPassed) expect(o.status, o.reason).toBe('unproven');
  expect(verdict).toBe(notPassed.length > 0 ? 'warn' : 'pass');
}
