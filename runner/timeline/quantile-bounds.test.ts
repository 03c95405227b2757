// Coverage by simulation, no network, seeded: for known latency distributions and error rates,
// 1,000 synthetic runs each. The 95 % bounds must hold for the true value in ≥ 93 % of runs
// (order statistics and Clopper–Pearson promise ≥ 95 %), so a limit the truth breaks is
// "proven" in at most about 5 % of runs, never more.

import { describe, expect, it } from 'vitest';
import { normal, seeded } from '../../test/helpers/random.ts';
import { shareBounds } from '../../thresholds/confidence.ts';
import { newHistogram, quantileBoundsMs, recordMs } from './hdr.ts';

const RUNS = 1000;
const CONFIDENCE = 0.95;

type Draw = (rand: () => number) => number;

const distributions: Record<string, Draw> = {
  lognormal: (r) => Math.exp(Math.log(50) + 0.6 * normal(r)),
  'bimodal 10/100 ms': (r) => (r() < 0.9 ? 10 : 100) * (0.95 + 0.1 * r()),
  'a 500 ms stall mixture': (r) => (r() < 0.05 ? 300 + 200 * r() : 5 + 20 * r()),
};

/** The true quantile, from a large sample of the same distribution (another seed). */
function truth(draw: Draw, q: number): number {
  const rand = seeded(7);
  const xs = Array.from({ length: 400_000 }, () => draw(rand)).sort((a, b) => a - b);
  return xs[Math.floor(q * xs.length)]!;
}

describe('quantile bounds from an HDR histogram, 1,000 seeded runs of 400 samples', () => {
  for (const [name, draw] of Object.entries(distributions)) {
    it(`${name}: p50, p95, p99 bounds cover the truth in ≥ 93 % of runs`, () => {
      const rand = seeded(name.length * 7919);
      const h = newHistogram();
      const quantiles = [0.5, 0.95, 0.99];
      const truths = quantiles.map((q) => truth(draw, q));
      const covered = quantiles.map(() => ({ upper: 0, lower: 0 }));
      for (let run = 0; run < RUNS; run++) {
        h.reset();
        for (let i = 0; i < 400; i++) recordMs(h, draw(rand));
        quantiles.forEach((q, i) => {
          const b = quantileBoundsMs(h, q, CONFIDENCE);
          // 400 samples bound all three from above and below.
          expect(b.upper).not.toBeNull();
          expect(b.lower).not.toBeNull();
          if (b.upper! >= truths[i]!) covered[i]!.upper++;
          if (b.lower! <= truths[i]!) covered[i]!.lower++;
        });
      }
      for (const c of covered) {
        expect(c.upper / RUNS).toBeGreaterThanOrEqual(0.93);
        expect(c.lower / RUNS).toBeGreaterThanOrEqual(0.93);
        // Not vacuous: the bounds are not so wide that they always cover.
        expect(c.upper / RUNS).toBeLessThan(1);
      }
    });
  }
});

/** A latency as k6-operator's runs carry it: the top of its native-histogram bucket (schema 3). */
const SCHEMA_3_RATIO = 2 ** (1 / 8);
const bucketTop = (ms: number) => 2 ** (Math.ceil(Math.log2(ms) * 8) / 8);

describe('quantile bounds of latencies recorded at native-histogram bucket tops (k6-operator)', () => {
  it('cover the truth from below only when widened by the bucket width', () => {
    const draw = distributions.lognormal!;
    const rand = seeded(31);
    const h = newHistogram();
    const q = 0.95;
    const truthP95 = truth(draw, q);
    let widened = 0;
    let narrow = 0;
    let upper = 0;
    for (let run = 0; run < RUNS; run++) {
      h.reset();
      for (let i = 0; i < 400; i++) recordMs(h, bucketTop(draw(rand)));
      if (quantileBoundsMs(h, q, CONFIDENCE, SCHEMA_3_RATIO).lower! <= truthP95) widened++;
      if (quantileBoundsMs(h, q, CONFIDENCE).lower! <= truthP95) narrow++;
      if (quantileBoundsMs(h, q, CONFIDENCE, SCHEMA_3_RATIO).upper! >= truthP95) upper++;
    }
    expect(widened / RUNS).toBeGreaterThanOrEqual(0.93);
    // Recorded at the bucket tops, the upper bound is safe already; the lower one is not.
    expect(upper / RUNS).toBeGreaterThanOrEqual(0.93);
    expect(narrow / RUNS).toBeLessThan(0.93);
  });
});

describe('error-rate bounds, 1,000 seeded runs of 3,000 requests', () => {
  for (const p of [0, 0.0001, 0.01, 0.1]) {
    it(`true error rate ${p * 100} %: the upper bound covers it, a limit it breaks passes ≤ 5 %`, () => {
      const rand = seeded(Math.round(p * 1e6) + 1);
      let covered = 0;
      let passedBrokenLimit = 0;
      // A limit the truth breaks by 10 %: "proving" it would be a false pass.
      const brokenLimit = p * 0.9;
      for (let run = 0; run < RUNS; run++) {
        let errors = 0;
        for (let i = 0; i < 3000; i++) if (rand() < p) errors++;
        const { upper } = shareBounds(errors, 3000, CONFIDENCE);
        if (upper >= p) covered++;
        if (upper < brokenLimit) passedBrokenLimit++;
      }
      expect(covered / RUNS).toBeGreaterThanOrEqual(0.93);
      expect(passedBrokenLimit / RUNS).toBeLessThanOrEqual(0.05);
    });
  }
});
