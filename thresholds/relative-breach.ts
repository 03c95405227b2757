// Whether a relative objective (`p95 <= 2x baseline`) that breaks its limit on the estimates
// is shown to break it: both runs are uncertain, so the breach is called only when it holds
// with the run at its most favourable bound and the baseline at its most favourable one (the
// change interval excludes the tolerance, at ≥ 1 − 2(1 − c) by Bonferroni). Otherwise it is
// inconclusive, with the samples that could settle it.
import { call, type Interval, settlingScale, type Worse } from './change-interval.ts';
import { grouped } from './format.ts';
import type { Comparator, Objective, WindowStats } from './model.ts';
import { compare, formatMetricValue } from './objective.ts';
import { guardsUpper, statInterval } from './proof.ts';

export interface RelativeBreach {
  proven: boolean;
  /** The bounds it rests on, in one clause. */
  text: string;
  /** For an unproven breach: what would settle it. */
  needs?: string;
}

/**
 * `limitFrom` gives the objective's limit for a baseline value. Undefined where either run has
 * no bound to judge by (a stored run without bounds, an exact figure): the estimate stands.
 */
export function relativeBreach(
  o: Pick<Objective, 'metric' | 'stat'>,
  run: WindowStats,
  baseline: WindowStats,
  op: Comparator,
  limitFrom: (baselineValue: number) => number | null,
  samples: { run: number; baseline: number },
  confidence: number,
): RelativeBreach | undefined {
  const atRun = statInterval(o, run, confidence);
  const atBaseline = statInterval(o, baseline, confidence);
  if (atRun === undefined || atBaseline === undefined) return undefined;
  // `call` wants a breach that grows with the run's value: a `>=` limit is turned around.
  const sign = guardsUpper(op) ? 1 : -1;
  const orient = (i: Interval): Interval =>
    sign === 1 ? i : { estimate: -i.estimate, lower: -i.upper, upper: -i.lower };
  const breaks: Worse = (a, b) => {
    const limit = limitFrom(sign * a);
    return limit !== null && !compare(sign * b, op, limit);
  };
  const r = atRun(1);
  const b = atBaseline(1);
  const runSide = sign === 1 ? 'lower' : 'upper';
  const baseSide = sign === 1 ? 'upper' : 'lower';
  const fmt = (v: number) => formatMetricValue(o.metric, v);
  const limit = limitFrom(b[baseSide]);
  const pct = `${Math.round(confidence * 1000) / 10} %`;
  const text = `the run's ${pct} ${runSide} bound ${fmt(r[runSide])} against ${limit === null ? 'no limit' : fmt(limit)} from the baseline's ${baseSide} bound ${fmt(b[baseSide])}`;
  if (call(breaks, orient(b), orient(r)) === 'regression') return { proven: true, text };
  const scale = settlingScale(breaks, (k) => [orient(atBaseline(k)), orient(atRun(k))]);
  const fewest = Math.min(samples.run, samples.baseline);
  const needs =
    scale === undefined
      ? 'a change this close to the limit would take more than 10,000 times the samples to tell'
      : `about ${grouped(Math.ceil((fewest * scale) / 10) * 10)} samples in each run could tell, if the estimates hold`;
  return { proven: false, text, needs };
}
