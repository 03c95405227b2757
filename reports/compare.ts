// Two runs side by side — `a` before (the baseline), `b` after — per window and per request
// name: requests, achieved throughput, error rate and latency percentiles, with their changes,
// and the changes beyond the tolerances called out as regressions. Pure: RunResults in, a
// Comparison out (its text is in compare-text.ts, its HTML table in html/compare.ts).
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
}

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
  rows: CompareRow[];
  regressions: Regression[];
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
  for (const window of WINDOW_ORDER) {
    const requests = requestNames(window, b, a);
    if (requests.length === 0) continue;
    for (const request of requests) {
      // A journey of one request: its row would repeat the all-requests row.
      if (request !== undefined && singleSame) continue;
      const how = { tolerances, judgeRps: window !== 'whole' || judgeWholeRps };
      rows.push(
        compareRow(window, request, find(a, window, request), find(b, window, request), how),
      );
    }
  }
  const regressions: Regression[] = [];
  for (const row of rows) {
    for (const delta of row.deltas) {
      if (delta.regression === undefined) continue;
      const r: Regression = { window: row.window, delta };
      if (row.request !== undefined) r.request = row.request;
      regressions.push(r);
    }
  }
  return { a: ref(a), b: ref(b), tolerances, rows, regressions, notes: comparabilityNotes(a, b) };
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
  switch (metric) {
    case 'p50':
    case 'p95':
    case 'p99': {
      const needed = MIN_SAMPLES[metric];
      const fewest = Math.min(sa.latency.count, sb.latency.count);
      if (fewest < needed) {
        delta.note = `not judged: ${count(fewest)} samples, ${metric} needs ${needed}`;
      } else if (
        rel !== null &&
        rel >= t.latencyShare - EPSILON &&
        change > t.latencyMinMs + EPSILON
      ) {
        delta.regression = `${metric} rose ${signedPercent(rel)} (tolerance +${percent(t.latencyShare)} and more than ${ms(t.latencyMinMs)})`;
      }
      break;
    }
    case 'errorRate':
      if (change > 0 && change >= t.errorRatePoints - EPSILON) {
        delta.regression = `error rate rose ${points(change)} (tolerance +${points(t.errorRatePoints).slice(1)})`;
      }
      break;
    case 'rps':
      if (!how.judgeRps) {
        delta.note =
          'not judged: the whole window includes the drain after the plan ends; throughput is judged in the steady window';
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
