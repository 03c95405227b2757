// The bounds against their definitions: a binomial CDF summed exactly for small n, the
// zero-failure boundary the README quotes, and the sample counts planning promises.
import { describe, expect, it } from 'vitest';
import {
  quantileRanks,
  samplesToBoundQuantile,
  shareBounds,
  trialsToProveShare,
  zeroFailureTrials,
} from './confidence.ts';

/** P(Binomial(n, p) ≤ k), summed term by term (fine for the small n used here). */
function binomialCdf(k: number, n: number, p: number): number {
  // In logs: (1 − p)^n underflows for the tail quantiles.
  let logTerm = n * Math.log1p(-p);
  let sum = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i) + Math.log(p / (1 - p));
    sum += Math.exp(logTerm);
  }
  return sum;
}

describe('shareBounds (Clopper–Pearson, one-sided)', () => {
  it('puts the upper bound where seeing this few failures has probability 1 − confidence', () => {
    for (const [x, n] of [
      [0, 50],
      [1, 100],
      [5, 100],
      [30, 200],
    ] as const) {
      const { upper, lower } = shareBounds(x, n, 0.95);
      expect(binomialCdf(x, n, upper)).toBeCloseTo(0.05, 9);
      if (x > 0) expect(1 - binomialCdf(x - 1, n, lower)).toBeCloseTo(0.05, 9);
      else expect(lower).toBe(0);
      expect(lower).toBeLessThan(x / n + 1e-12);
      expect(upper).toBeGreaterThan(x / n);
    }
  });

  it('needs 2,995 requests without an error to prove 99.9 % at 95 %, and 2,994 do not', () => {
    expect(shareBounds(0, 2995, 0.95).upper).toBeLessThan(0.001);
    expect(shareBounds(0, 2994, 0.95).upper).toBeGreaterThan(0.001);
    expect(zeroFailureTrials(0.001, 0.95)).toBe(2995);
    // The quick start's 325 clean requests only show errors below about 0.9 %.
    expect(shareBounds(0, 325, 0.95).upper).toBeCloseTo(0.00918, 4);
  });

  it('refuses a confidence that is not a one-sided probability above one half', () => {
    expect(() => shareBounds(1, 10, 95)).toThrow(/confidence 95 must be above 0.5 and below 1/);
    expect(() => shareBounds(1, 10, 0.4)).toThrow(RangeError);
  });
});

describe('quantileRanks (order statistics)', () => {
  it('covers the quantile with at least the confidence, and one rank less would not', () => {
    for (const [n, q] of [
      [20, 0.5],
      [100, 0.95],
      [500, 0.99],
      [1000, 0.999],
    ] as const) {
      const { upper, lower } = quantileRanks(n, q, 0.95);
      if (upper !== null) {
        expect(binomialCdf(upper - 1, n, q)).toBeGreaterThanOrEqual(0.95);
        expect(binomialCdf(upper - 2, n, q)).toBeLessThan(0.95);
      }
      if (lower !== null) {
        expect(1 - binomialCdf(lower - 1, n, q)).toBeGreaterThanOrEqual(0.95);
        expect(1 - binomialCdf(lower, n, q)).toBeLessThan(0.95);
      }
    }
  });

  it('cannot bound p99 from above with fewer than 299 samples (at 95 %)', () => {
    expect(samplesToBoundQuantile(0.99, 0.95)).toBe(299);
    expect(quantileRanks(299, 0.99, 0.95).upper).toBe(299);
    expect(quantileRanks(298, 0.99, 0.95).upper).toBeNull();
    expect(samplesToBoundQuantile(0.95, 0.95)).toBe(59);
    expect(quantileRanks(31, 0.95, 0.95).upper).toBeNull();
  });
});

describe('trialsToProveShare', () => {
  it('is the zero-failure count when nothing failed', () => {
    expect(trialsToProveShare(0, 325, 0.001, 0.95)).toBe(2995);
  });

  it('finds the trials at which the observed share would be proven below the limit', () => {
    const n = trialsToProveShare(2, 1000, 0.01, 0.95);
    expect(shareBounds(Math.round(0.002 * n), n, 0.95).upper).toBeLessThan(0.01);
    const half = Math.floor(n / 2);
    expect(shareBounds(Math.round(0.002 * half), half, 0.95).upper).toBeGreaterThanOrEqual(0.01);
  });

  it('says it never can when the observed share is not below the limit', () => {
    expect(trialsToProveShare(20, 1000, 0.01, 0.95)).toBe(Number.POSITIVE_INFINITY);
  });
});
