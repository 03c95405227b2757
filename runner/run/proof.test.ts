// Verdicts that say how sure they are: a met objective passes only when its confidence bound
// meets the limit too; otherwise it is `unproven`, with what would prove it.
import { describe, expect, it } from 'vitest';
import { evaluateGate, evaluateObjective } from '../../thresholds/gate.ts';
import type { WindowStats } from '../../thresholds/model.ts';
import { parseObjective } from '../../thresholds/objective.ts';
import { newHistogram, recordMs, summarize } from '../timeline/hdr.ts';

/** A steady window of `seconds` holding `values` latencies (ms) and `errors` failures. */
function windowOf(values: number[], errors = 0, seconds = 13): WindowStats {
  const h = newHistogram();
  for (const v of values) recordMs(h, v);
  const latency = summarize(h, 0.95);
  return {
    window: 'steady',
    startS: 16,
    endS: 16 + seconds,
    scheduled: values.length,
    completed: values.length,
    errors,
    dropped: 0,
    latency,
    serviceTime: latency,
    sendLag: summarize(newHistogram()),
  };
}

const evenly = (n: number, lo: number, hi: number) =>
  Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / Math.max(1, n - 1));

describe('proof of an objective', () => {
  it("the quick start's availability: 325 clean requests are met but unproven, with what proves it", () => {
    const v = evaluateObjective(
      { ...parseObjective('availability >= 99.9%'), window: 'steady' },
      windowOf(evenly(325, 5, 60)),
    );
    expect(v.status).toBe('unproven');
    expect(v.observed).toBe(1);
    expect(v.bound).toBeCloseTo(0.99082, 4);
    expect(v.confidence).toBe(0.95);
    expect(v.needs).toBe(
      'proving it needs ≥ 2,995 requests with no error (a steady window of ≥ 120 s at 25 req/s)',
    );
    expect(v.reason).toBe(`100% meets >= 99.9%, unproven: 325 of 325 succeeded; ${v.needs}`);
  });

  it('3,000 clean requests prove 99.9 %', () => {
    const v = evaluateObjective(
      { ...parseObjective('availability >= 99.9%'), window: 'steady' },
      windowOf(evenly(3000, 5, 60), 0, 120),
    );
    expect(v.status).toBe('pass');
    expect(v.bound).toBeGreaterThan(0.999);
    expect(v.reason).toMatch(
      /^100% meets >= 99.9% \(95 % bound 99\.9\d*%, 3,000 of 3,000 succeeded\)$/,
    );
  });

  it('a p95 on 31 samples cannot be bounded from above; on 400 it can', () => {
    const thin = evaluateObjective(
      { ...parseObjective('p95 < 1.5s'), window: 'steady' },
      windowOf(evenly(31, 10, 100)),
    );
    expect(thin.status).toBe('unproven');
    expect(thin.bound).toBeNull();
    expect(thin.needs).toBe('bounding p95 from above needs ≥ 59 samples');
    const enough = evaluateObjective(
      { ...parseObjective('p95 < 1.5s'), window: 'steady' },
      windowOf(evenly(400, 10, 100)),
    );
    expect(enough.status).toBe('pass');
    // The bound lies above the estimate, within the sample range.
    expect(enough.bound).toBeGreaterThanOrEqual(enough.observed!);
    expect(enough.bound).toBeLessThanOrEqual(100.1);
  });

  it('a p99 close to its limit is unproven when its bound reaches past it', () => {
    const values = [...evenly(990, 10, 100), ...evenly(10, 290, 320)];
    const v = evaluateObjective(
      { ...parseObjective('p99 < 300ms'), window: 'steady' },
      windowOf(values),
    );
    expect(v.observed).toBeLessThan(300);
    expect(v.status).toBe('unproven');
    expect(v.needs).toMatch(
      /^its 95 % bound 3\d\d(\.\d+)? ms reaches past 300 ms: more samples or more margin$/,
    );
  });

  it('a breach the run saw is a failure, whatever the samples', () => {
    const v = evaluateObjective(
      { ...parseObjective('error_rate < 1%'), window: 'steady' },
      windowOf(evenly(20, 5, 10), 1),
    );
    expect(v.status).toBe('fail');
    expect(v.bound).toBeUndefined();
  });

  it('the gate warns on unproven objectives, and fails where one must be proven', () => {
    const w = windowOf(evenly(325, 5, 60));
    const objectives = [{ ...parseObjective('availability >= 99.9%'), window: 'steady' as const }];
    const stats = () => w;
    expect(evaluateGate({ objectives, stats }).status).toBe('warn');
    expect(
      evaluateGate({ objectives: objectives.map((o) => ({ ...o, prove: true })), stats }).status,
    ).toBe('fail');
  });

  it('a higher confidence asks for more', () => {
    const v = evaluateObjective(
      { ...parseObjective('availability >= 99.9%'), window: 'steady' },
      windowOf(evenly(3000, 5, 60), 0, 120),
      undefined,
      0.99,
    );
    expect(v.status).toBe('unproven');
    expect(v.needs).toMatch(/^proving it needs ≥ 4,603 requests with no error/);
  });
});
