// The runners' Prometheus series → the run's per-second buckets. Every k6 series (one per
// runner and tag set) is cumulative from its runner's start, and k6 stamps each push of a series
// with its newest sample's time (xk6-output-prometheus-remote), on the runner's clock. Each read
// is a range selector, so it returns every raw sample since the previous read: the difference
// between two consecutive samples of a series is the requests of that push, and it goes into
// the second of its own timestamp, counted from t = 0 on the same runner clock.
//
// What this cannot do: count a request in the second it was sent, as the local engine does.
// A push carries counts and a latency histogram of the requests k6 collected since the last
// push (k6 stamps a request's samples when it ended); which request had which latency, and
// so when each was sent, is gone. A request counts in the second of the push that reported
// its completion: up to one push interval after it completed, and its latency after it was
// sent. So near a window edge a request can count in the window after the one it was sent in
// (one held by a fault until its removal counts in recovery); the reports say so.
//
// Series are tracked one by one here rather than summed by Prometheus: k6 pushes a series only
// when it got new samples, so a server-side sum would shrink when one request name goes quiet.
// Adding the differences per series is the same merge, bucket by bucket: histograms are added,
// never percentiles.
import { HistogramPool } from '../../timeline/hdr.ts';
import { type GeneratorBucket, SecondAccumulator } from '../../timeline/second.ts';
import { errorKind } from '../k6/samples.ts';
import type { NativeHistogram, PromSeries } from './prometheus.ts';

export const DURATION = 'k6_http_req_duration_seconds';
export const REQUESTS = 'k6_http_reqs_total';
export const ITERATIONS = 'k6_iterations_total';
export const DROPPED = 'k6_dropped_iterations_total';

/**
 * How far behind the newest sample seen a push may land and still be read at its own second.
 * One landing later is not lost: its requests merge into the series' next sample.
 */
const LATE_PUSH_MS = 5000;

/** A selector of one run's series of these metric names. */
export function runSelector(testid: string, names: string[]): string {
  return `{__name__=~"${names.join('|')}",testid="${testid.replace(/["\\]/g, '\\$&')}"}`;
}

/** Every series the ingest reads, of one run. */
export function seriesQuery(testid: string): string {
  return runSelector(testid, [DURATION, REQUESTS, ITERATIONS, DROPPED]);
}

interface Cumulative {
  tsMs: number;
  /** Counters: the value; histograms: the count. */
  value: number;
  /** Histograms: count per bucket ("lower|upper"). */
  buckets: Map<string, number>;
}

function seriesKey(metric: Record<string, string>): string {
  return Object.keys(metric)
    .sort()
    .map((k) => `${k}=${metric[k]}`)
    .join(',');
}

/**
 * A native-histogram bucket's value in µs: its upper bound. Prometheus keeps only the bucket
 * (schema 3 from k6's bucket factor 1.1: each bucket ~9 % wide), so a recorded latency is at
 * most one bucket above the true one and never below it: a percentile is exact to within one
 * bucket (+9 %), erring on the side an objective such as `p95 < 300ms` can trust.
 */
export function bucketMicros(upperS: number): number {
  return Math.max(1, Math.round(upperS * 1e6));
}

function requestName(metric: Record<string, string>): string {
  return metric.name ?? metric.url ?? 'request';
}

function histogramPoint(tsS: number, h: NativeHistogram): Cumulative {
  const buckets = new Map<string, number>();
  for (const [, lower, upper, count] of h.buckets ?? []) {
    const id = `${lower}|${upper}`;
    buckets.set(id, (buckets.get(id) ?? 0) + Number(count));
  }
  return { tsMs: Math.round(tsS * 1000), value: Number(h.count), buckets };
}

/** A series' raw samples, oldest first. */
function points(s: PromSeries): Cumulative[] {
  const out = (s.values ?? []).map(([ts, v]) => ({
    tsMs: Math.round(ts * 1000),
    value: Number(v),
    buckets: new Map<string, number>(),
  }));
  for (const [ts, h] of s.histograms ?? []) out.push(histogramPoint(ts, h));
  return s.values && s.histograms ? out.sort((a, b) => a.tsMs - b.tsMs) : out;
}

/**
 * What a series gained from `prev` to `now`: `value` for counters, `[lower, upper, count]` per
 * histogram bucket. A series that went down was restarted: all of it is new.
 */
function difference(
  prev: Cumulative | undefined,
  now: Cumulative,
): { value: number; buckets: [number, number, number][] } {
  const reset =
    prev !== undefined &&
    (now.value < prev.value || [...prev.buckets].some(([id, n]) => (now.buckets.get(id) ?? 0) < n));
  const base = reset ? undefined : prev;
  const buckets: [number, number, number][] = [];
  for (const [id, n] of now.buckets) {
    const d = n - (base?.buckets.get(id) ?? 0);
    if (d > 0) {
      const bar = id.indexOf('|');
      buckets.push([Number(id.slice(0, bar)), Number(id.slice(bar + 1)), d]);
    }
  }
  return { value: now.value - (base?.value ?? 0), buckets };
}

export class SeriesIngest {
  private readonly last = new Map<string, Cumulative>();
  private readonly pool = new HistogramPool();
  /** The newest sample time read, on the runners' clock (ms). */
  private newestMs: number | undefined;
  /** Latencies and requests read so far (the engine checks histograms came at all). */
  histogramCount = 0;
  requests = 0;
  /**
   * The widest latency bucket read, as upper ÷ lower edge (1 before any): a true latency lies
   * up to this factor below the upper edge it was recorded at.
   */
  bucketRatio = 1;

  /** `t0Ms`: t = 0 of the run in epoch ms on the runners' clock, the one stamping samples. */
  constructor(private readonly t0Ms: number) {}

  /**
   * The range selector for the next read: back to the newest sample already read (t = 0 at
   * first), and as far again as a push may land late. `nowMs` is this machine's clock: only the
   * range's length depends on it, not where a sample is placed.
   */
  rangeQuery(selector: string, nowMs: number): string {
    const sinceMs = Math.max(0, nowMs - (this.newestMs ?? this.t0Ms));
    return `${selector}[${Math.ceil(sinceMs + LATE_PUSH_MS)}ms]`;
  }

  /** One range read → buckets holding every sample not read before, each at its own second. */
  read(series: PromSeries[]): GeneratorBucket[] {
    const seconds = new Map<number, SecondAccumulator>();
    const second = (tsMs: number): SecondAccumulator => {
      const t = Math.max(0, Math.floor((tsMs - this.t0Ms) / 1000));
      let s = seconds.get(t);
      if (s === undefined) {
        s = new SecondAccumulator(t, this.pool);
        seconds.set(t, s);
      }
      return s;
    };

    for (const one of series) {
      const key = seriesKey(one.metric);
      for (const now of points(one)) {
        const prev = this.last.get(key);
        if (prev !== undefined && now.tsMs <= prev.tsMs) continue; // read before
        this.last.set(key, now);
        this.newestMs = Math.max(this.newestMs ?? now.tsMs, now.tsMs);
        this.add(second(now.tsMs), one.metric, difference(prev, now));
      }
    }
    return [...seconds.values()].sort((a, b) => a.t - b.t).map(close);
  }

  private add(
    s: SecondAccumulator,
    labels: Record<string, string>,
    delta: { value: number; buckets: [number, number, number][] },
  ): void {
    switch (labels.__name__) {
      case DURATION: {
        const r = s.request(requestName(labels));
        for (const [lowerS, upperS, n] of delta.buckets) {
          const us = bucketMicros(upperS);
          if (lowerS > 0) this.bucketRatio = Math.max(this.bucketRatio, upperS / lowerS);
          s.latency.recordValueWithCount(us, n);
          r.latency.recordValueWithCount(us, n);
          this.histogramCount += n;
        }
        break;
      }
      case REQUESTS:
        s.complete(s.request(requestName(labels)), delta.value, errorKind(labels));
        this.requests += delta.value;
        break;
      case ITERATIONS:
        s.sent += delta.value;
        break;
      case DROPPED:
        s.dropped += delta.value;
        break;
    }
  }
}

/**
 * k6 has no send lag (that histogram stays empty) and measures from the actual send: latency
 * is service time too.
 */
function close(s: SecondAccumulator): GeneratorBucket {
  const bucket = s.close();
  bucket.serviceTime = bucket.latency;
  return bucket;
}
