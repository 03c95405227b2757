// What the endpoint serves, made once a second from the run's running totals: counters, gauges
// and per request name a latency histogram in seconds, both as native buckets and as classic
// cumulative buckets for scrapers that read only the text format.
import { valueAtIndexUs } from '../timeline/hdr.ts';
import type { IndexCounts, RunTotals } from '../timeline/run-totals.ts';
import { nativeIndex } from './native-histogram.ts';

/** Classic bucket bounds in seconds (`le`), +Inf implied. */
export const CLASSIC_BOUNDS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

export interface LatencyHistogram {
  count: number;
  sumS: number;
  /** Native bucket index → count. */
  native: Map<number, number>;
  /** Cumulative counts at each of CLASSIC_BOUNDS_S. */
  classic: number[];
}

export interface RequestSnapshot {
  /** The request name; '' for completions the engine did not name. */
  request: string;
  completed: number;
  errors: number;
  latency: LatencyHistogram;
}

export interface MetricsSnapshot {
  sent: number;
  dropped: number;
  inFlight: number;
  /** The plan's arrival rate (req/s) at the moment, or VUs for a closed plan. */
  target: number;
  requests: RequestSnapshot[];
}

export const EMPTY_SNAPSHOT: MetricsSnapshot = {
  sent: 0,
  dropped: 0,
  inFlight: 0,
  target: 0,
  requests: [],
};

export function snapshotOf(totals: RunTotals, target: number): MetricsSnapshot {
  const requests = [...totals.byRequest]
    .map(([request, r]) => ({
      request,
      completed: r.completed,
      errors: r.errors,
      latency: latencyHistogram(r.latency),
    }))
    .sort((a, b) => a.request.localeCompare(b.request));
  return {
    sent: totals.sent,
    dropped: totals.dropped,
    inFlight: Math.max(0, totals.sent - totals.completed),
    target,
    requests,
  };
}

function latencyHistogram(counts: IndexCounts): LatencyHistogram {
  const h: LatencyHistogram = {
    count: 0,
    sumS: 0,
    native: new Map(),
    classic: CLASSIC_BOUNDS_S.map(() => 0),
  };
  for (const [index, n] of counts) {
    const s = valueAtIndexUs(index) / 1e6;
    h.count += n;
    h.sumS += n * s;
    const bucket = nativeIndex(s);
    h.native.set(bucket, (h.native.get(bucket) ?? 0) + n);
    CLASSIC_BOUNDS_S.forEach((le, i) => {
      if (s <= le) h.classic[i]! += n;
    });
  }
  return h;
}
