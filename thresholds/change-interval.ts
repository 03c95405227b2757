// Whether a change between two runs is shown, ruled out or still open, from each run's
// confidence bounds. The true values lie within [lower, upper] on each run's side; a change is
// a regression only when even the most favourable pair of values (a at its highest, b at its
// lowest) breaks the tolerance, and "no regression" only when even the least favourable pair
// (a at its lowest, b at its highest) keeps it. Each side holds at ≥ 1 − 2(1 − c) by
// Bonferroni, since it uses one bound of each run.

/** Where a run's true value lies; `upper` is Infinity where the samples cannot bound it. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export type Call = 'regression' | 'no-regression' | 'open';

/** Breaks the tolerance going from `a` to `b`; it must rise with b and fall with a. */
export type Worse = (a: number, b: number) => boolean;

export function call(worse: Worse, a: Interval, b: Interval): Call {
  if (worse(a.upper, b.lower)) return 'regression';
  if (!worse(a.lower, b.upper)) return 'no-regression';
  return 'open';
}

/** The most samples a hint suggests, as a multiple of today's: beyond it, say so instead. */
const MAX_SCALE = 10_000;

/**
 * The interval `k` times the samples would give a quantile if its estimate stayed where it is:
 * order-statistic bounds narrow as 1/√n.
 */
export function shrink(i: Interval, k: number): Interval {
  const s = 1 / Math.sqrt(k);
  return {
    estimate: i.estimate,
    lower: i.estimate - (i.estimate - i.lower) * s,
    upper: i.estimate + (i.upper - i.estimate) * s,
  };
}

/** Both runs' intervals with `k` times their samples. */
export type Scaled = (k: number) => [a: Interval, b: Interval];

/**
 * About how many times today's samples would settle an open call, if both estimates stayed
 * where they are; undefined when not even MAX_SCALE times would.
 */
export function settlingScale(worse: Worse, at: Scaled): number | undefined {
  const open = (k: number) => call(worse, ...at(k)) === 'open';
  if (open(MAX_SCALE)) return undefined;
  let low = 1;
  let high = MAX_SCALE;
  while (high / low > 1.05) {
    const mid = Math.sqrt(low * high);
    if (open(mid)) low = mid;
    else high = mid;
  }
  return high;
}
