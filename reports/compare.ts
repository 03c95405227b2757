// Two runs side by side — `a` before (the baseline), `b` after — per window and per request
// name: requests, achieved throughput, error rate and latency percentiles, with their changes,
// and the changes beyond the tolerances called out as regressions. Pure: RunResults in, a
// Comparison out (its text is in compare-text.ts, its HTML table in html/compare.ts).

import {
  type Call,
  call,
  type Interval,
  settlingScale,
  shrink,
  type Worse,
} from '../thresholds/change-interval.ts';
import {
  DEFAULT_CONFIDENCE,
  QUANTILE_LEVELS,
  samplesToBoundQuantile,
  shareBounds,
} from '../thresholds/confidence.ts';
import type { WindowName, WindowStats } from '../thresholds/model.ts';
import { formatMetricValue } from '../thresholds/objective.ts';
import type { RunResult } from '../thresholds/result.ts';
import {
  count,
  outcomeSentence,
  percent,
  type RunVerdict,
  runLabel,
  runVerdict,
  seconds,
  signedPercent,
  windowRps,
} from './facts.ts';

/** What counts as a regression of b against a. */
export interface Tolerances {
  /** A latency percentile that rises by this share or more (0.1 = +10 %) … */
  latencyShare: number;
  /** … and by more than this many ms is a regression. */
  latencyMinMs: number;
  /** An error rate that rises by this many points or more (0.005 = +0.5 pp) is a regression. */
  errorRatePoints: number;
  /** Achieved throughput that falls by this share or more (0.05 = −5 %) is a regression. */
  throughputShare: number;
}

export const DEFAULT_TOLERANCES: Tolerances = {
  latencyShare: 0.1,
  latencyMinMs: 1,
  errorRatePoints: 0.005,
  throughputShare: 0.05,
};

export type CompareMetric = 'requests' | 'rps' | 'errorRate' | 'p50' | 'p95' | 'p99' | 'max';

export const COMPARE_METRICS: readonly CompareMetric[] = [
  'requests',
  'rps',
  'errorRate',
  'p50',
  'p95',
  'p99',
  'max',
];

export const METRIC_NAMES: Record<CompareMetric, string> = {
  requests: 'requests',
  rps: 'throughput',
  errorRate: 'error rate',
  p50: 'p50',
  p95: 'p95',
  p99: 'p99',
  max: 'max',
};

/**
 * Samples both runs need before a percentile's change is judged: 1 / (1 − p), so the
 * percentile rests on at least one request beyond it (p95: 20, p99: 100).
 */
export const MIN_SAMPLES: Record<'p50' | 'p95' | 'p99', number> = { p50: 2, p95: 20, p99: 100 };

/** Float noise allowance, so a change exactly at a tolerance counts as reaching it. */
const EPSILON = 1e-9;

export interface Delta {
  metric: CompareMetric;
  /** In the metric's unit: a count, req/s, a fraction (error rate) or ms. */
  a: number | null;
  b: number | null;
  /** b − a; null when either side has no value. */
  change: number | null;
  /** (b − a) / a; null when either side has no value or a is 0. */
  relative: number | null;
  /** The tolerance this change breaks, in words; absent when it is no regression. */
  regression?: string;
  /** Why the change was not judged (too few samples), when it was not. */
  note?: string;
  /** The kind of that reason, for the lines under the table. */
  notJudged?: NotJudged;
  /**
   * Why the change could be either a regression or none (its interval reaches both sides of
   * the tolerance), and what would settle it; absent when it is decided.
   */
  open?: string;
}

/** Too few samples for the estimate; too few to bound it; the whole window's drain (throughput). */
export type NotJudged = 'few-samples' | 'unbounded' | 'drain';

export interface CompareRow {
  window: WindowName;
  /** A request name; absent for all requests together. */
  request?: string;
  /** Set when only one of the runs has this window or request name. */
  only?: 'a' | 'b';
  /** Window bounds (s) of each run, when it has the window. */
  spanA?: [startS: number, endS: number];
  spanB?: [startS: number, endS: number];
  deltas: Delta[];
}

export interface RunRef {
  runId: string;
  /** `ecommerce/10k` or `ad-hoc`. */
  label: string;
  startedAt: string;
  verdict: RunVerdict;
}

export interface Regression {
  window: WindowName;
  request?: string;
  delta: Delta;
}

export interface Comparison {
  a: RunRef;
  b: RunRef;
  tolerances: Tolerances;
  /** One-sided confidence of each run's bounds; each side of a change holds at 1 − 2(1 − c). */
  confidence: number;
  rows: CompareRow[];
  regressions: Regression[];
  /** Changes whose interval reaches both sides of the tolerance: the runs cannot tell. */
  open: Regression[];
  /** Why the two runs may not be like for like (different tier, rate, machine, …). */
  notes: string[];
}

export const WINDOW_ORDER: readonly WindowName[] = ['whole', 'steady', 'chaos', 'recovery'];

export function compareRuns(
  a: RunResult,
  b: RunResult,
  tolerances: Tolerances = DEFAULT_TOLERANCES,
): Comparison {
  const rows: CompareRow[] = [];
  // The whole window runs on past the plan until the last response: when latency rises it
  // lasts longer and its req/s falls. With a steady window, throughput is judged there.
  const judgeWholeRps = !a.windows.steady && !b.windows.steady;
  const singleSame = soleRequestName(a) !== undefined && soleRequestName(a) === soleRequestName(b);
  const confidence = Math.min(
    a.plan.confidence ?? DEFAULT_CONFIDENCE,
    b.plan.confidence ?? DEFAULT_CONFIDENCE,
  );
  // A run against itself changed by nothing, with certainty: no sampling stands between them.
  const sameRun = a.runId === b.runId && a.startedAt === b.startedAt;
  for (const window of WINDOW_ORDER) {
    const requests = requestNames(window, b, a);
    if (requests.length === 0) continue;
    for (const request of requests) {
      // A journey of one request: its row would repeat the all-requests row.
      if (request !== undefined && singleSame) continue;
      const how = {
        tolerances,
        judgeRps: window !== 'whole' || judgeWholeRps,
        confidence,
        sameRun,
      };
      rows.push(
        compareRow(window, request, find(a, window, request), find(b, window, request), how),
      );
    }
  }
  return {
    a: ref(a),
    b: ref(b),
    tolerances,
    confidence,
    rows,
    regressions: findings(rows, (d) => d.regression !== undefined),
    open: findings(rows, (d) => d.open !== undefined),
    notes: comparabilityNotes(a, b),
  };
}

export type CompareVerdict = 'regressed' | 'inconclusive' | 'no-regression';

/** Regressed when any change is one; inconclusive when none is but some could be. */
export function compareVerdict(c: Comparison): CompareVerdict {
  if (c.regressions.length > 0) return 'regressed';
  return c.open.length > 0 ? 'inconclusive' : 'no-regression';
}

function findings(rows: CompareRow[], holds: (d: Delta) => boolean): Regression[] {
  const out: Regression[] = [];
  for (const row of rows) {
    for (const delta of row.deltas) {
      if (!holds(delta)) continue;
      const r: Regression = { window: row.window, delta };
      if (row.request !== undefined) r.request = row.request;
      out.push(r);
    }
  }
  return out;
}

function ref(run: RunResult): RunRef {
  return {
    runId: run.runId,
    label: runLabel(run),
    startedAt: run.startedAt,
    verdict: runVerdict(run),
  };
}

function find(run: RunResult, window: WindowName, request?: string): WindowStats | undefined {
  return run.stats.find((s) => s.window === window && s.request === request);
}

/** `undefined` (all requests) first, then request names as b lists them, then a's others. */
function requestNames(window: WindowName, ...runs: RunResult[]): Array<string | undefined> {
  const names = new Set<string>();
  let any = false;
  for (const run of runs) {
    for (const s of run.stats) {
      if (s.window !== window) continue;
      any = true;
      if (s.request !== undefined) names.add(s.request);
    }
  }
  return any ? [undefined, ...names] : [];
}

function soleRequestName(run: RunResult): string | undefined {
  const names = new Set(run.stats.flatMap((s) => (s.request === undefined ? [] : [s.request])));
  return names.size === 1 ? [...names][0] : undefined;
}

function compareRow(
  window: WindowName,
  request: string | undefined,
  a: WindowStats | undefined,
  b: WindowStats | undefined,
  how: Judging,
): CompareRow {
  const row: CompareRow = {
    window,
    deltas: COMPARE_METRICS.map((metric) => judge(metric, a, b, how)),
  };
  if (request !== undefined) row.request = request;
  if (!a) row.only = 'b';
  else if (!b) row.only = 'a';
  if (a) row.spanA = [a.startS, a.endS];
  if (b) row.spanB = [b.startS, b.endS];
  return row;
}

function value(metric: CompareMetric, s: WindowStats | undefined): number | null {
  if (!s) return null;
  switch (metric) {
    case 'requests':
      return s.completed;
    case 'rps':
      return windowRps(s);
    case 'errorRate':
      return s.completed > 0 ? s.errors / s.completed : null;
    default:
      return s.latency.count > 0 ? s.latency[metric] : null;
  }
}

interface Judging {
  tolerances: Tolerances;
  /** Whether a throughput drop in this window counts (not in `whole` beside a steady window). */
  judgeRps: boolean;
  confidence: number;
  /** a and b are one run: every change is exactly what it shows. */
  sameRun: boolean;
}

function judge(
  metric: CompareMetric,
  sa: WindowStats | undefined,
  sb: WindowStats | undefined,
  how: Judging,
): Delta {
  const t = how.tolerances;
  const a = value(metric, sa);
  const b = value(metric, sb);
  const delta: Delta = { metric, a, b, change: null, relative: null };
  if (a === null || b === null) return delta;
  const change = b - a;
  delta.change = change;
  delta.relative = a !== 0 ? change / a : null;
  // Only both runs' stats reach here, so sa and sb are set.
  if (!sa || !sb) return delta;
  const rel = delta.relative;
  // Runs stored before confidence bounds, and a run against itself, are judged on their
  // estimates: the first have no bounds to judge by, the second needs none.
  const onEstimates = how.sameRun || !sa.latency.bounds || !sb.latency.bounds;
  switch (metric) {
    case 'p50':
    case 'p95':
    case 'p99': {
      const worse: Worse = (x, y) =>
        x > 0 && y >= x * (1 + t.latencyShare) - EPSILON && y - x > t.latencyMinMs + EPSILON;
      const reason = `${metric} rose ${rel === null ? '' : `${signedPercent(rel)} `}(tolerance +${percent(t.latencyShare)} and more than ${ms(t.latencyMinMs)})`;
      const ba = sa.latency.bounds?.[metric];
      const bb = sb.latency.bounds?.[metric];
      const needed = MIN_SAMPLES[metric];
      const fewest = Math.min(sa.latency.count, sb.latency.count);
      if (onEstimates || ba === undefined || bb === undefined) {
        if (fewest < needed) {
          delta.note = `not judged: ${count(fewest)} samples, ${metric} needs ${needed}`;
          delta.notJudged = 'few-samples';
        } else if (worse(a, b)) {
          delta.regression = reason;
        }
        break;
      }
      if (ba.upper === null || bb.upper === null) {
        const least = samplesToBoundQuantile(QUANTILE_LEVELS[metric], how.confidence);
        delta.note = `not judged: ${count(fewest)} samples cannot bound ${metric} from above (it needs ≥ ${count(least)} in each run)`;
        delta.notJudged = 'unbounded';
        break;
      }
      const ia = { estimate: a, lower: ba.lower ?? 0, upper: ba.upper };
      const ib = { estimate: b, lower: bb.lower ?? 0, upper: bb.upper };
      decide(delta, call(worse, ia, ib), reason, () =>
        openText(
          metric,
          ia,
          ib,
          settlingScale(worse, (k) => [shrink(ia, k), shrink(ib, k)]),
          fewest,
          ms,
        ),
      );
      break;
    }
    case 'errorRate': {
      const worse: Worse = (x, y) => y - x > 0 && y - x >= t.errorRatePoints - EPSILON;
      const reason = `error rate rose ${points(change)} (tolerance +${points(t.errorRatePoints).slice(1)})`;
      if (onEstimates) {
        if (worse(a, b)) delta.regression = reason;
        break;
      }
      // Exact bounds of the shares as they stand, and with k times the requests at the same rates.
      const share = (s: WindowStats, k: number): Interval => ({
        estimate: s.errors / s.completed,
        ...shareBounds(Math.round(s.errors * k), Math.round(s.completed * k), how.confidence),
      });
      const ia = share(sa, 1);
      const ib = share(sb, 1);
      const fewest = Math.min(sa.completed, sb.completed);
      const scaled = (k: number): [Interval, Interval] => [share(sa, k), share(sb, k)];
      decide(delta, call(worse, ia, ib), reason, () =>
        openText('error rate', ia, ib, settlingScale(worse, scaled), fewest, percent),
      );
      break;
    }
    case 'rps':
      if (!how.judgeRps) {
        delta.note =
          'not judged: the whole window includes the drain after the plan ends; throughput is judged in the steady window';
        delta.notJudged = 'drain';
      } else if (rel !== null && rel <= -t.throughputShare + EPSILON) {
        delta.regression = `throughput fell ${signedPercent(rel)} (tolerance -${percent(t.throughputShare)})`;
      }
      break;
    default:
      // Request counts follow throughput; the max is one request: shown, never judged.
      break;
  }
  return delta;
}

/** Why a and b may not be like for like: each difference that changes what a delta means. */
function comparabilityNotes(a: RunResult, b: RunResult): string[] {
  const notes: string[] = [];
  const differ = (what: string, x: string, y: string) => {
    if (x !== y) notes.push(`${what} differ: a ${x}, b ${y}`);
  };
  differ('roadmap/tier', runLabel(a), runLabel(b));
  const load = (r: RunResult) =>
    `${count(Math.round(r.plan.peak * 100) / 100)} ${r.plan.shape.model === 'open' ? 'req/s' : 'VUs'} peak over ${seconds(r.plan.durationS)}`;
  differ('plans', load(a), load(b));
  const engine = (r: RunResult) => `${r.engine.name} ×${r.engine.generators}`;
  differ('engines', engine(a), engine(b));
  const machine = (r: RunResult) => `${r.environment.cpus} × ${r.environment.cpuModel}`;
  differ('machines', machine(a), machine(b));
  for (const [name, run] of [
    ['a', a],
    ['b', b],
  ] as const) {
    const sentence = outcomeSentence(run);
    if (sentence) notes.push(`${name} ${sentence}`);
    else if (!run.complete) notes.push(`${name} did not finish writing its results`);
  }
  return notes;
}

/** A change of a share in percentage points: `+0.52 pp`. */
export function points(change: number): string {
  const text = percent(Math.abs(change)).replace('%', ' pp');
  return change > 0 ? `+${text}` : change < 0 ? `-${text}` : text;
}

export function ms(v: number): string {
  return formatMetricValue('latency', v);
}

/** Records a decided call on the delta; an open one gets `open()`'s words. */
function decide(delta: Delta, verdict: Call, regression: string, open: () => string): void {
  if (verdict === 'regression') delta.regression = regression;
  else if (verdict === 'open') delta.open = open();
}

/** `p95 of a in 38.1–41.2 ms, of b in 39.0–44.7 ms: …; about 2,400 samples in each run would tell`. */
function openText(
  what: string,
  a: Interval,
  b: Interval,
  scale: number | undefined,
  fewest: number,
  unit: (v: number) => string,
): string {
  const where = `${what} of a in ${unit(a.lower)}–${unit(a.upper)}, of b in ${unit(b.lower)}–${unit(b.upper)}`;
  const settle =
    scale === undefined
      ? 'a change this close to the tolerance would take more than 10,000 times the samples to tell'
      : `about ${count(Math.ceil((fewest * scale) / 10) * 10)} samples in each run could tell, if the estimates hold`;
  return `${where}: it may or may not break the tolerance; ${settle}`;
}
