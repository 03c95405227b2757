// The k6 stand-in's `--out experimental-prometheus-rw`, as k6's documentation describes that
// output: every series (metric + tag set) is aggregated from the process start and, each push
// interval, its current cumulative value goes to a Prometheus remote-write 1.0 endpoint
// (protobuf `prometheus.WriteRequest`, snappy block-compressed). As real k6 v1.8.1 was seen to
// do here, a push carries only the series that got samples since the last one, each stamped
// with its newest sample's time: series go quiet, and tiergate's k6-operator reader must cope.
// Trends go only as native histograms (bucket factor 1.1, hence schema 3); the trend-stats
// gauges are refused loudly.
import protobuf from 'protobufjs';
import { compress } from 'snappyjs';
import type { MetricSample, StandinOutput } from './output.ts';

const ENV = {
  url: 'K6_PROMETHEUS_RW_SERVER_URL',
  interval: 'K6_PROMETHEUS_RW_PUSH_INTERVAL',
  native: 'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM',
  stats: 'K6_PROMETHEUS_RW_TREND_STATS',
  features: 'K6_FEATURES',
} as const;
const OPTION_PREFIX = 'K6_PROMETHEUS_RW_';
const HONOURED: ReadonlySet<string> = new Set([ENV.url, ENV.interval, ENV.native, ENV.stats]);

export interface RemoteWriteSettings {
  url: string;
  pushIntervalMs: number;
}

const GO_DURATION_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go duration (`500ms`, `1m30s`, `1.5s`) in milliseconds; undefined if it is not one. */
function goDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((ms, [, n, unit]) => ms + Number(n) * GO_DURATION_UNIT_MS[unit!]!, 0);
}

/** Go's strconv.ParseBool, which k6's options use. */
function goBool(name: string, text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new Error(`${name}=${JSON.stringify(text)} is not a boolean: use true or false`);
}

/** The output's settings from the environment; throws on a bad or unsupported one. */
export function remoteWriteSettings(env: Record<string, string | undefined>): RemoteWriteSettings {
  const unsupported = Object.keys(env)
    .filter((k) => k.startsWith(OPTION_PREFIX) && env[k] !== undefined && !HONOURED.has(k))
    .sort();
  if (unsupported.length > 0) {
    throw new Error(
      `${unsupported.join(', ')}: not supported by the k6 stand-in's experimental-prometheus-rw output (it honours ${[...HONOURED].join(', ')} and ${ENV.features})`,
    );
  }
  const features = (env[ENV.features] ?? '').split(',').map((f) => f.trim());
  const nativeSetting = env[ENV.native];
  const native =
    features.includes('native-histograms') ||
    (nativeSetting !== undefined && goBool(ENV.native, nativeSetting));
  if (!native) {
    throw new Error(
      `${ENV.stats} (trends as stats gauges, default p(99)) is not supported by the k6 stand-in: set ${ENV.native}=true (or ${ENV.features}=native-histograms)`,
    );
  }

  const url = env[ENV.url] ?? 'http://localhost:9090/api/v1/write';
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new Error(`${ENV.url}=${JSON.stringify(url)} is not an http(s) URL`);
  }
  const interval = env[ENV.interval] ?? '5s';
  const pushIntervalMs = goDurationMs(interval);
  if (pushIntervalMs === undefined || pushIntervalMs <= 0) {
    throw new Error(
      `${ENV.interval}=${JSON.stringify(interval)} is not a positive Go duration such as 5s or 500ms`,
    );
  }
  return { url, pushIntervalMs };
}

// --- Native histograms, as client_golang keeps them with NativeHistogramBucketFactor 1.1 ---

/** The largest schema whose bucket growth 2^(2^-schema) does not exceed the factor 1.1. */
export const SCHEMA = 3;
/** client_golang's default zero bucket: |v| ≤ 2^-128. */
const ZERO_THRESHOLD = 2 ** -128;

/** A schema-3 bucket index: bucket i holds (2^((i-1)/8), 2^(i/8)]. */
export function bucketIndex(v: number): number {
  const per = 2 ** SCHEMA;
  let i = Math.ceil(Math.log2(v) * per);
  // Math.log2 can be off by an ulp right at a boundary: settle on the bucket that holds v.
  if (2 ** ((i - 1) / per) >= v) i -= 1;
  else if (2 ** (i / per) < v) i += 1;
  return i;
}

interface HistogramState {
  count: number;
  sum: number;
  zero: number;
  positive: Map<number, number>;
  negative: Map<number, number>;
}

function observeHistogram(h: HistogramState, v: number): void {
  h.count += 1;
  h.sum += v;
  if (Math.abs(v) <= ZERO_THRESHOLD) {
    h.zero += 1;
    return;
  }
  const side = v > 0 ? h.positive : h.negative;
  const i = bucketIndex(Math.abs(v));
  side.set(i, (side.get(i) ?? 0) + 1);
}

/** Buckets as remote write carries them: spans of consecutive indices, counts as deltas. */
function spansAndDeltas(buckets: Map<number, number>): {
  spans: { offset: number; length: number }[];
  deltas: number[];
} {
  const spans: { offset: number; length: number }[] = [];
  const deltas: number[] = [];
  let prevIndex: number | undefined;
  let prevCount = 0;
  for (const i of [...buckets.keys()].sort((a, b) => a - b)) {
    const last = spans.at(-1);
    if (last !== undefined && prevIndex !== undefined && i === prevIndex + 1) last.length += 1;
    else spans.push({ offset: prevIndex === undefined ? i : i - prevIndex - 1, length: 1 });
    const count = buckets.get(i)!;
    deltas.push(count - prevCount);
    prevCount = count;
    prevIndex = i;
  }
  return { spans, deltas };
}

// --- Series: one per metric and tag set, cumulative from the process start ---

type Aggregate =
  | { kind: 'counter'; total: number }
  | { kind: 'gauge'; last: number }
  | { kind: 'rate'; nonZero: number; total: number }
  | { kind: 'histogram'; h: HistogramState };

interface Series {
  /** Sorted by name, byte order, as Prometheus requires (`__name__` first for lower-case tags). */
  labels: { name: string; value: string }[];
  /** Sample value → Prometheus value (ms → s for time gauges and trends). */
  scale: number;
  agg: Aggregate;
  /** The newest sample's time (epoch ms) and the stamp of this series' last push. */
  newestMs: number;
  pushedMs: number;
  /** Got samples since its last push. */
  fresh: boolean;
}

/** k6's mapping: `k6_` prefix, the base unit's suffix where k6 knows it, the type's suffix. */
function prometheusName(s: MetricSample): { name: string; scale: number } {
  const unit = s.contains === 'time' ? { suffix: '_seconds', scale: 1 / 1000 } : undefined;
  switch (s.type) {
    case 'counter':
      return { name: `k6_${s.metric}_total`, scale: 1 };
    case 'rate':
      return { name: `k6_${s.metric}_rate`, scale: 1 };
    case 'gauge':
    case 'trend':
      return { name: `k6_${s.metric}${unit?.suffix ?? ''}`, scale: unit?.scale ?? 1 };
  }
}

function newAggregate(type: MetricSample['type']): Aggregate {
  switch (type) {
    case 'counter':
      return { kind: 'counter', total: 0 };
    case 'gauge':
      return { kind: 'gauge', last: 0 };
    case 'rate':
      return { kind: 'rate', nonZero: 0, total: 0 };
    case 'trend':
      return {
        kind: 'histogram',
        h: { count: 0, sum: 0, zero: 0, positive: new Map(), negative: new Map() },
      };
  }
}

function observe(agg: Aggregate, v: number): void {
  switch (agg.kind) {
    case 'counter':
      agg.total += v;
      return;
    case 'gauge':
      agg.last = v;
      return;
    case 'rate':
      agg.total += 1;
      if (v !== 0) agg.nonZero += 1;
      return;
    case 'histogram':
      observeHistogram(agg.h, v);
      return;
  }
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// --- Wire format: remote write 1.0 (Prometheus' prompb messages, the fields this output sends) ---

const REMOTE_WRITE_PROTO = `
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; }
message TimeSeries {
  repeated Label labels = 1;
  repeated Sample samples = 2;
  repeated Histogram histograms = 4;
}
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message BucketSpan { sint32 offset = 1; uint32 length = 2; }
message Histogram {
  oneof count { uint64 count_int = 1; double count_float = 2; }
  double sum = 3;
  sint32 schema = 4;
  double zero_threshold = 5;
  oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
  repeated BucketSpan negative_spans = 8;
  repeated sint64 negative_deltas = 9;
  repeated BucketSpan positive_spans = 11;
  repeated sint64 positive_deltas = 12;
  int64 timestamp = 15;
}
`;

/** `prometheus.WriteRequest` (the tests decode what was sent with it too). */
export const WriteRequest = protobuf
  .parse(REMOTE_WRITE_PROTO)
  .root.lookupType('prometheus.WriteRequest');

function timeSeries(s: Series, timestamp: number): Record<string, unknown> {
  const base = { labels: s.labels };
  switch (s.agg.kind) {
    case 'counter':
      return { ...base, samples: [{ value: s.agg.total, timestamp }] };
    case 'gauge':
      return { ...base, samples: [{ value: s.agg.last, timestamp }] };
    case 'rate':
      return { ...base, samples: [{ value: s.agg.nonZero / s.agg.total, timestamp }] };
    case 'histogram': {
      const { h } = s.agg;
      const positive = spansAndDeltas(h.positive);
      const negative = spansAndDeltas(h.negative);
      return {
        ...base,
        histograms: [
          {
            countInt: h.count,
            sum: h.sum,
            schema: SCHEMA,
            zeroThreshold: ZERO_THRESHOLD,
            zeroCountInt: h.zero,
            positiveSpans: positive.spans,
            positiveDeltas: positive.deltas,
            negativeSpans: negative.spans,
            negativeDeltas: negative.deltas,
            timestamp,
          },
        ],
      };
    }
  }
}

// --- The output ---

const PUSH_TIMEOUT_MS = 10_000;

/** One k6-style logfmt line on stderr (logrus' text format: RFC 3339 time, quoted values). */
function logError(msg: string, error: string): void {
  const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  process.stderr.write(
    `time="${time}" level=error msg=${JSON.stringify(msg)} error=${JSON.stringify(error)} output="Prometheus remote write"\n`,
  );
}

class PrometheusRemoteWrite implements StandinOutput {
  private readonly series = new Map<string, Series>();
  private readonly timer: NodeJS.Timeout;
  private pushing: Promise<void> | undefined;

  constructor(private readonly settings: RemoteWriteSettings) {
    // A push still under way when the next is due is not doubled: the next one is cumulative.
    this.timer = setInterval(() => {
      if (this.pushing === undefined) void this.push();
    }, settings.pushIntervalMs);
    this.timer.unref();
  }

  add(samples: readonly MetricSample[]): void {
    for (const s of samples) {
      // Prometheus has no empty-valued labels: an empty tag is no label there.
      const tags = Object.entries(s.tags).filter(([, v]) => v !== '');
      const key = `${s.metric}\u0000${tags
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join('\u0000')}`;
      let series = this.series.get(key);
      if (series === undefined) {
        const { name, scale } = prometheusName(s);
        const labels = [
          { name: '__name__', value: name },
          ...tags.map(([n, value]) => ({ name: n, value })),
        ];
        series = {
          labels: labels.sort((a, b) => byteOrder(a.name, b.name)),
          scale,
          agg: newAggregate(s.type),
          newestMs: s.timeMs,
          pushedMs: 0,
          fresh: true,
        };
        this.series.set(key, series);
      }
      observe(series.agg, s.value * series.scale);
      series.newestMs = Math.max(series.newestMs, s.timeMs);
      series.fresh = true;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pushing;
    await this.push();
  }

  private push(): Promise<void> {
    const pushing = this.send().finally(() => {
      this.pushing = undefined;
    });
    this.pushing = pushing;
    return pushing;
  }

  /** Each series with new samples, cumulative, at its newest sample's time. */
  private async send(): Promise<void> {
    const fresh = [...this.series.values()].filter((s) => s.fresh);
    if (fresh.length === 0) return;
    const timeseries = fresh.map((s) => {
      // Prometheus refuses a sample not later than the series' previous one.
      const stamp = Math.max(Math.floor(s.newestMs), s.pushedMs + 1);
      s.pushedMs = stamp;
      s.fresh = false;
      return timeSeries(s, stamp);
    });
    const message = WriteRequest.fromObject({ timeseries });
    // Copied onto a plain ArrayBuffer, the body type fetch is declared to take.
    const body = new Uint8Array(compress(WriteRequest.encode(message).finish()));
    try {
      const res = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'Content-Encoding': 'snappy',
          'Content-Type': 'application/x-protobuf',
          'X-Prometheus-Remote-Write-Version': '0.1.0',
          'User-Agent': 'k6-standin',
        },
        body,
        signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
      });
      const text = await res.text();
      if (!res.ok) {
        logError(
          'Failed to send the time series data to the endpoint',
          `HTTP ${res.status} from ${this.settings.url}: ${text.trim()}`,
        );
      }
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      logError(
        'Failed to send the time series data to the endpoint',
        `POST ${this.settings.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      );
    }
  }
}

/** `--out experimental-prometheus-rw`, configured from k6's environment variables. */
export function createPrometheusRemoteWrite(
  env: Record<string, string | undefined>,
): StandinOutput {
  return new PrometheusRemoteWrite(remoteWriteSettings(env));
}
