// Whether a figure that meets its limit is *shown* to meet it: the confidence bound on the side
// the objective guards must meet the limit too. A breach the run saw stays a breach (the gate
// judges the point estimate first); this only decides between `pass` and `unproven`.

import { type Interval, shrink } from './change-interval.ts';
import {
  QUANTILE_LEVELS,
  samplesToBoundQuantile,
  shareBounds,
  trialsToProveShare,
  zeroFailureTrials,
} from './confidence.ts';
import { grouped } from './format.ts';
import type { Comparator, Metric, Objective, QuantileStat, WindowStats } from './model.ts';
import { compare, formatMetricValue } from './objective.ts';
import { windowSeconds } from './seconds.ts';

export interface Proof {
  /** The bound on the guarded side; null where the samples cannot bound it. */
  bound: number | null;
  proven: boolean;
  /** What the samples show, e.g. `325 of 325 succeeded`. */
  evidence?: string;
  /** For an unproven figure: what would prove it, in one line. */
  needs?: string;
}

/** The percentile a latency objective judges (`p95` for a bare value); undefined otherwise. */
function quantileStat(o: Pick<Objective, 'metric' | 'stat'>): QuantileStat | undefined {
  if (o.metric !== 'latency' && o.metric !== 'service_time') return undefined;
  const stat = o.stat === 'value' ? 'p95' : o.stat;
  return stat in QUANTILE_LEVELS ? (stat as QuantileStat) : undefined;
}

/** A share metric as hits of trials, and the words for its failures. */
interface ShareCounts {
  hits: number;
  trials: number;
  /** Hits are the failures (error_rate) rather than the successes (availability). */
  hitsFail: boolean;
  unit: string;
  failure: string;
  evidence: string;
}

function shareCounts(metric: Metric, s: WindowStats): ShareCounts | undefined {
  switch (metric) {
    case 'error_rate':
    case 'availability': {
      const ok = s.completed - s.errors;
      return {
        hits: metric === 'error_rate' ? s.errors : ok,
        trials: s.completed,
        hitsFail: metric === 'error_rate',
        unit: 'requests',
        failure: 'error',
        evidence: `${grouped(ok)} of ${grouped(s.completed)} succeeded`,
      };
    }
    case 'dropped_rate':
      return {
        hits: s.dropped,
        trials: s.scheduled,
        hitsFail: true,
        unit: 'scheduled requests',
        failure: 'drop',
        evidence: `${grouped(s.dropped)} of ${grouped(s.scheduled)} dropped`,
      };
    case 'throughput_ratio':
      return {
        hits: s.completed,
        trials: s.scheduled,
        hitsFail: false,
        unit: 'scheduled requests',
        failure: 'request left incomplete',
        evidence: `${grouped(s.completed)} of ${grouped(s.scheduled)} completed`,
      };
    default:
      return undefined;
  }
}

export const guardsUpper = (op: Comparator) => op === '<' || op === '<=';

/**
 * The confidence bound of `o`'s statistic in `s` on one side: null where the samples cannot
 * bound it, undefined for exact figures, a mean, and stored runs without bounds.
 */
export function statBound(
  o: Pick<Objective, 'metric' | 'stat'>,
  s: WindowStats,
  side: 'lower' | 'upper',
  confidence: number,
): number | null | undefined {
  if (o.metric === 'latency' || o.metric === 'service_time') {
    const stat = quantileStat(o);
    const summary = o.metric === 'latency' ? s.latency : s.serviceTime;
    return stat === undefined ? undefined : summary.bounds?.[stat]?.[side];
  }
  const c = shareCounts(o.metric, s);
  return c && c.trials > 0 ? shareBounds(c.hits, c.trials, confidence)[side] : undefined;
}

/**
 * Where `o`'s statistic in `s` lies at `confidence`, as it would with `k` times the samples at
 * the same estimate (k = 1: as it is); undefined where `statBound` has no bound to give.
 */
export function statInterval(
  o: Pick<Objective, 'metric' | 'stat'>,
  s: WindowStats,
  confidence: number,
): ((k: number) => Interval) | undefined {
  if (o.metric === 'latency' || o.metric === 'service_time') {
    const stat = quantileStat(o);
    const summary = o.metric === 'latency' ? s.latency : s.serviceTime;
    const b = stat === undefined ? undefined : summary.bounds?.[stat];
    if (stat === undefined || b === undefined) return undefined;
    const now = { estimate: summary[stat], lower: b.lower ?? 0, upper: b.upper ?? Infinity };
    return (k) => shrink(now, k);
  }
  const c = shareCounts(o.metric, s);
  if (c === undefined || c.trials === 0) return undefined;
  return (k) => ({
    estimate: c.hits / c.trials,
    ...shareBounds(Math.round(c.hits * k), Math.round(c.trials * k), confidence),
  });
}

/** `(a steady window of ≥ 120 s at 25 req/s)`: how long the window must be at its own rate. */
function windowNeeded(s: WindowStats, trials: number, needed: number): string {
  const { first, end } = windowSeconds(s.startS, s.endS);
  const seconds = end - first;
  if (seconds <= 0 || trials <= 0) return '';
  const rate = trials / seconds;
  return ` (a ${s.window} window of ≥ ${grouped(Math.ceil(needed / rate))} s at ${grouped(Math.round(rate * 10) / 10)} req/s)`;
}

function proveShare(
  c: ShareCounts,
  s: WindowStats,
  limit: number,
  op: Comparator,
  confidence: number,
): Proof {
  const b = shareBounds(c.hits, c.trials, confidence);
  const bound = guardsUpper(op) ? b.upper : b.lower;
  const proven = compare(bound, op, limit);
  if (proven) return { bound, proven, evidence: c.evidence };
  const failures = c.hitsFail ? c.hits : c.trials - c.hits;
  // The limit on the failing share: 99.9 % availability allows 0.1 % errors.
  const failLimit = c.hitsFail ? limit : 1 - limit;
  const needed = trialsToProveShare(failures, c.trials, failLimit, confidence);
  const needs = Number.isFinite(needed)
    ? failures === 0
      ? `proving it needs ≥ ${grouped(needed)} ${c.unit} with no ${c.failure}${windowNeeded(s, c.trials, needed)}`
      : `proving it needs ≥ ${grouped(needed)} ${c.unit} at this ${c.failure} share${windowNeeded(s, c.trials, needed)}`
    : `no number of ${c.unit} proves it at this ${c.failure} share`;
  return { bound, proven, evidence: c.evidence, needs };
}

function proveQuantile(
  o: Pick<Objective, 'metric'>,
  stat: QuantileStat,
  s: WindowStats,
  limit: number,
  op: Comparator,
  confidence: number,
): Proof | undefined {
  const summary = o.metric === 'latency' ? s.latency : s.serviceTime;
  const b = summary.bounds?.[stat];
  if (b === undefined) return undefined;
  const upper = guardsUpper(op);
  const bound = upper ? b.upper : b.lower;
  const evidence = `${grouped(summary.count)} samples`;
  if (bound !== null && compare(bound, op, limit)) return { bound, proven: true, evidence };
  const q = QUANTILE_LEVELS[stat];
  const needs =
    bound === null
      ? `bounding ${stat} ${upper ? 'from above' : 'from below'} needs ≥ ${grouped(samplesToBoundQuantile(upper ? q : 1 - q, confidence))} samples`
      : `its ${Math.round(confidence * 100)} % bound ${formatMetricValue(o.metric, bound)} reaches past ${formatMetricValue(o.metric, limit)}: more samples or more margin`;
  return { bound, proven: false, evidence, needs };
}

/**
 * The proof of an objective whose estimate met `limit`; undefined for exact figures (min, max,
 * throughput, recovery time) and for the mean, which has no distribution-free bound.
 */
export function proveObjective(
  o: Pick<Objective, 'metric' | 'stat'>,
  s: WindowStats,
  limit: number,
  op: Comparator,
  confidence: number,
): Proof | undefined {
  if (o.metric === 'latency' || o.metric === 'service_time') {
    const stat = quantileStat(o);
    return stat === undefined ? undefined : proveQuantile(o, stat, s, limit, op, confidence);
  }
  const counts = shareCounts(o.metric, s);
  return counts ? proveShare(counts, s, limit, op, confidence) : undefined;
}

/** Share metrics whose failures are the counted hits (the rest count successes). */
const FAILURE_SHARES: ReadonlySet<Metric> = new Set(['error_rate', 'dropped_rate']);
const SUCCESS_SHARES: ReadonlySet<Metric> = new Set(['availability', 'throughput_ratio']);

/**
 * The fewest samples that can prove `o` at all, in the best case (no failure at all, or any
 * latencies below the limit); undefined for exact figures, a mean, or a relative limit.
 */
export function samplesToProve(o: Objective, confidence: number): number | undefined {
  if (o.limit.kind !== 'absolute') return undefined;
  const upper = guardsUpper(o.op);
  if (o.metric === 'latency' || o.metric === 'service_time') {
    const stat = quantileStat(o);
    if (stat === undefined) return undefined;
    const q = QUANTILE_LEVELS[stat];
    return samplesToBoundQuantile(upper ? q : 1 - q, confidence);
  }
  if (FAILURE_SHARES.has(o.metric)) return zeroFailureTrials(o.limit.value, confidence);
  if (SUCCESS_SHARES.has(o.metric)) return zeroFailureTrials(1 - o.limit.value, confidence);
  return undefined;
}
