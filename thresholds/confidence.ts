// How sure a measured figure is: one-sided confidence bounds for the statistics tiergate gates
// on, and how many samples it takes to prove a limit. Distribution-free on purpose: latency
// tails are anything but normal.
//   shares (error rate, availability, dropped, throughput ratio): Clopper–Pearson exact bounds,
//     which hold with zero failures too (where the normal approximation claims certainty);
//   quantiles (p50…p99.9): order statistics, whose coverage is a binomial probability exactly.
// The distributions come from stdlib (Apache-2.0), which is tested against reference values:
// the incomplete beta and the binomial quantile are numerics not to write by hand.
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import binomialQuantile from '@stdlib/stats-base-dists-binomial-quantile';
import type { QuantileStat } from './model.ts';

/** The quantile each percentile statistic names. */
export const QUANTILE_LEVELS: Readonly<Record<QuantileStat, number>> = {
  p50: 0.5,
  p75: 0.75,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
  'p99.9': 0.999,
};

/** The default one-sided confidence of every bound. */
export const DEFAULT_CONFIDENCE = 0.95;

/** Bounds on a true share from `hits` of `trials`, each holding with probability `confidence`. */
export interface ShareBounds {
  lower: number;
  upper: number;
}

export function checkConfidence(confidence: number): void {
  if (!(confidence > 0.5 && confidence < 1)) {
    throw new RangeError(`confidence ${confidence} must be above 0.5 and below 1 (e.g. 0.95)`);
  }
}

/** Clopper–Pearson one-sided bounds on the share of `hits` in `trials`. */
export function shareBounds(hits: number, trials: number, confidence: number): ShareBounds {
  checkConfidence(confidence);
  if (trials <= 0) return { lower: 0, upper: 1 };
  const lower = hits <= 0 ? 0 : betaQuantile(1 - confidence, hits, trials - hits + 1);
  const upper = hits >= trials ? 1 : betaQuantile(confidence, hits + 1, trials - hits);
  return { lower, upper };
}

/**
 * 1-based ranks of the order statistics that bound the `q` quantile of `n` samples one-sidedly:
 * P(X(upper) ≥ ξq) ≥ confidence and P(X(lower) ≤ ξq) ≥ confidence for any continuous
 * distribution. null where `n` samples cannot bound that side at all (too few for the tail).
 */
export function quantileRanks(
  n: number,
  q: number,
  confidence: number,
): { lower: number | null; upper: number | null } {
  checkConfidence(confidence);
  if (n <= 0) return { lower: null, upper: null };
  // X(k) ≥ ξq ⟺ fewer than k samples fall below ξq ⟺ Binomial(n, q) ≤ k − 1.
  const upper = binomialQuantile(confidence, n, q) + 1;
  // X(j) ≤ ξq ⟺ at least j samples fall at or below ξq ⟺ Binomial(n, q) ≥ j.
  const lower = binomialQuantile(1 - confidence, n, q);
  return { lower: lower >= 1 ? lower : null, upper: upper <= n ? upper : null };
}

/**
 * The fewest trials without a single failure that prove a failure share below `limit`:
 * the exact upper bound 1 − (1 − c)^(1/n) falls below `limit` once n > ln(1 − c) / ln(1 − limit).
 */
export function zeroFailureTrials(limit: number, confidence: number): number {
  checkConfidence(confidence);
  if (limit >= 1) return 1;
  if (limit <= 0) return Number.POSITIVE_INFINITY;
  return Math.floor(Math.log(1 - confidence) / Math.log(1 - limit)) + 1;
}

/**
 * The fewest trials that prove a failure share below `limit` if failures keep coming at the
 * observed share (`failures` of `trials`); Infinity when that share is not below the limit.
 */
export function trialsToProveShare(
  failures: number,
  trials: number,
  limit: number,
  confidence: number,
): number {
  if (failures <= 0 || trials <= 0) return zeroFailureTrials(limit, confidence);
  const share = failures / trials;
  if (share >= limit) return Number.POSITIVE_INFINITY;
  const proves = (n: number) => shareBounds(Math.round(share * n), n, confidence).upper < limit;
  // Doubling then bisection: the bound shrinks (almost) monotonically with n at a fixed share.
  let hi = Math.max(1, trials);
  while (!proves(hi)) {
    hi *= 2;
    if (hi > 1e12) return Number.POSITIVE_INFINITY;
  }
  let lo = Math.floor(hi / 2);
  while (hi - lo > Math.max(1, hi * 1e-3)) {
    const mid = Math.floor((lo + hi) / 2);
    if (proves(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The fewest samples whose order statistics can bound the `q` quantile from above at all: the
 * largest sample is an upper bound once q^n ≤ 1 − confidence (p99 at 95 %: 299 samples).
 */
export function samplesToBoundQuantile(q: number, confidence: number): number {
  checkConfidence(confidence);
  return Math.ceil(Math.log(1 - confidence) / Math.log(q));
}
