// The runners' Prometheus series → the run's per-second buckets. Every k6 series (one per
// runner and tag set) is cumulative from its runner's start; the differences between two reads
// of the same series are the requests of that interval, and they are added into the second of
// the series' sample timestamp (k6 stamps a push with its newest sample, pushes every second).
//
// Series are tracked one by one here rather than summed by Prometheus: k6 pushes a series only
// when it got new samples, an instant query forgets a series 5 minutes after its last push,
// and `last_over_time` does not carry native histograms in Prometheus 2.42, so a server-side
// sum would shrink when one request name goes quiet. Adding the differences per series is the
// same merge, bucket by bucket: histograms are added, never percentiles.
import { encode, type Histogram, newHistogram } from '../../timeline/hdr.ts';
import type { GeneratorBucket } from '../../timeline/recorder.ts';
import { errorKind } from '../k6/samples.ts';
import type { PromSample } from './prometheus.ts';

export const DURATION = 'k6_http_req_duration_seconds';
export const REQUESTS = 'k6_http_reqs_total';
export const ITERATIONS = 'k6_iterations_total';
export const DROPPED = 'k6_dropped_iterations_total';

/** One query for every series the engine reads, of one run. */
export function seriesQuery(testid: string): string {
  const names = [DURATION, REQUESTS, ITERATIONS, DROPPED].join('|');
  return `{__name__=~"${names}",testid="${testid.replace(/["\\]/g, '\\$&')}"}`;
}

interface Cumulative {
  ts: number;
  /** Counters: the value; histograms: count per bucket ("lower|upper"). */
  value: number;
  buckets: Map<string, number>;
}

interface OpenSecond {
  sent: number;
  dropped: number;
  completed: number;
  errors: number;
  errorKinds: Record<string, number>;
  latency: Histogram;
  byRequest: Map<string, { completed: number; errors: number; latency: Histogram }>;
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

export class SeriesIngest {
  private readonly last = new Map<string, Cumulative>();
  /** Latencies and requests read so far (the engine checks histograms came at all). */
  histogramCount = 0;
  requests = 0;

  /** `runStartWallMs`: t = 0 of the run in epoch ms. */
  constructor(private readonly runStartWallMs: number) {}

  /** One query's samples → buckets holding what changed since the previous read. */
  read(samples: PromSample[]): GeneratorBucket[] {
    const seconds = new Map<number, OpenSecond>();
    const second = (tsS: number): OpenSecond => {
      const t = Math.max(0, Math.floor((tsS * 1000 - this.runStartWallMs) / 1000));
      let s = seconds.get(t);
      if (s === undefined) {
        s = {
          sent: 0,
          dropped: 0,
          completed: 0,
          errors: 0,
          errorKinds: {},
          latency: newHistogram(),
          byRequest: new Map(),
        };
        seconds.set(t, s);
      }
      return s;
    };
    const request = (s: OpenSecond, name: string) => {
      let r = s.byRequest.get(name);
      if (r === undefined) {
        r = { completed: 0, errors: 0, latency: newHistogram() };
        s.byRequest.set(name, r);
      }
      return r;
    };

    for (const sample of samples) {
      const delta = this.delta(sample);
      if (delta === undefined) continue;
      const s = second(delta.ts);
      const labels = sample.metric;
      switch (labels.__name__) {
        case DURATION: {
          const r = request(s, requestName(labels));
          for (const [upperS, n] of delta.buckets) {
            const us = bucketMicros(upperS);
            s.latency.recordValueWithCount(us, n);
            r.latency.recordValueWithCount(us, n);
            this.histogramCount += n;
          }
          break;
        }
        case REQUESTS: {
          const r = request(s, requestName(labels));
          s.completed += delta.value;
          this.requests += delta.value;
          r.completed += delta.value;
          const kind = errorKind(labels);
          if (kind !== undefined) {
            s.errors += delta.value;
            r.errors += delta.value;
            s.errorKinds[kind] = (s.errorKinds[kind] ?? 0) + delta.value;
          }
          break;
        }
        case ITERATIONS:
          s.sent += delta.value;
          break;
        case DROPPED:
          s.dropped += delta.value;
          break;
      }
    }
    return [...seconds].sort(([a], [b]) => a - b).map(([t, s]) => close(t, s));
  }

  /**
   * What a series gained since its previous read: `value` for counters, `[upper bound, count]`
   * per histogram bucket. Undefined when it has not been pushed since. A series that went down
   * was restarted: all of it is new.
   */
  private delta(
    sample: PromSample,
  ): { ts: number; value: number; buckets: [number, number][] } | undefined {
    const key = seriesKey(sample.metric);
    const prev = this.last.get(key);
    const ts = sample.histogram?.[0] ?? sample.value?.[0];
    if (ts === undefined || (prev !== undefined && ts <= prev.ts)) return undefined;
    const now: Cumulative = { ts, value: 0, buckets: new Map() };
    const uppers = new Map<string, number>();
    if (sample.histogram) {
      const h = sample.histogram[1];
      now.value = Number(h.count);
      for (const [, lower, upper, count] of h.buckets ?? []) {
        const id = `${lower}|${upper}`;
        now.buckets.set(id, (now.buckets.get(id) ?? 0) + Number(count));
        uppers.set(id, Number(upper));
      }
    } else if (sample.value) {
      now.value = Number(sample.value[1]);
    }
    this.last.set(key, now);
    const reset =
      prev !== undefined &&
      (now.value < prev.value ||
        [...prev.buckets].some(([id, n]) => (now.buckets.get(id) ?? 0) < n));
    const base = prev === undefined || reset ? undefined : prev;
    const buckets: [number, number][] = [];
    for (const [id, n] of now.buckets) {
      const d = n - (base?.buckets.get(id) ?? 0);
      if (d > 0) buckets.push([uppers.get(id) ?? 0, d]);
    }
    return { ts, value: now.value - (base?.value ?? 0), buckets };
  }
}

/** k6 has no send lag and measures from the actual send: latency is service time too. */
function close(t: number, s: OpenSecond): GeneratorBucket {
  const byRequest: GeneratorBucket['byRequest'] = {};
  for (const [name, r] of s.byRequest) {
    byRequest[name] = { completed: r.completed, errors: r.errors, latency: encode(r.latency) };
  }
  const latency = encode(s.latency);
  return {
    t,
    sent: s.sent,
    dropped: s.dropped,
    completed: s.completed,
    errors: s.errors,
    errorKinds: s.errorKinds,
    latency,
    serviceTime: latency,
    sendLag: '',
    byRequest,
  };
}
