// HDR histograms of durations in integer microseconds: one configuration for every generator,
// so histograms from worker threads, k6 processes and stored runs can always be added.
import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from '../../thresholds/model.ts';

export type Histogram = hdr.Histogram;

/** One hour in µs: anything longer is clamped by auto-resize, never dropped. */
const HIGHEST_US = 3_600_000_000;

export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

/** Records a duration in ms (fractional) as integer µs; sub-µs values count as 1 µs. */
export function recordMs(h: Histogram, ms: number): void {
  const us = Math.round(ms * 1000);
  h.recordValue(Math.max(us, 1));
}

/** Compressed base64 (V2), or '' for an empty histogram (kept small in run.json). */
export function encode(h: Histogram): string {
  return h.totalCount === 0 ? '' : hdr.encodeIntoCompressedBase64(h);
}

export function decode(encoded: string): Histogram {
  if (encoded === '') return newHistogram();
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** Adds an encoded histogram into `into`. */
export function addEncoded(into: Histogram, encoded: string): void {
  if (encoded === '') return;
  const h = decode(encoded);
  into.add(h);
}

const EMPTY: LatencySummary = {
  count: 0,
  min: 0,
  mean: 0,
  p50: 0,
  p75: 0,
  p90: 0,
  p95: 0,
  p99: 0,
  'p99.9': 0,
  max: 0,
};

/** Percentiles in ms. HDR's getValueAtPercentile returns a value equivalent within its precision. */
export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { ...EMPTY };
  const ms = (us: number) => us / 1000;
  return {
    count: h.totalCount,
    min: ms(h.minNonZeroValue),
    mean: ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p75: ms(h.getValueAtPercentile(75)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    'p99.9': ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
  };
}
