// HDR histograms of durations in integer microseconds: one configuration for every generator,
// so histograms from worker threads, k6 processes and stored runs can always be added.
import { inflateSync } from 'node:zlib';
import * as hdr from 'hdr-histogram-js';
import { QUANTILE_LEVELS, quantileRanks } from '../../thresholds/confidence.ts';
import type { Bounds, LatencySummary, QuantileStat } from '../../thresholds/model.ts';

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

/**
 * Histograms of closed seconds, reset and reused by the next ones: a long run allocates a
 * second's histograms (~94 KB of counts each) a few times, not once per second; churning
 * through that many large buffers fragments the native heap and the process keeps growing.
 */
export class HistogramPool {
  private readonly free: Histogram[] = [];

  take(): Histogram {
    return this.free.pop() ?? newHistogram();
  }

  give(h: Histogram): void {
    h.reset();
    this.free.push(h);
  }
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

/** HdrHistogram's V2 encodings: the compressed wrapper and the counts inside it. */
const V2_COMPRESSED_COOKIE = 0x1c849304;
const V2_COOKIE = 0x1c849303;
const V2_HEADER_BYTES = 40;

/** A histogram's non-empty counts, by index in the shared counts layout. */
export interface SparseCounts {
  indexes: number[];
  counts: number[];
}

/**
 * The non-empty counts of an encoded histogram, read from its V2 payload without building a
 * histogram: decoding allocates a full counts array (~94 KB) per histogram, and adding one walks
 * every index of it, where a second's histogram has a few hundred non-empty ones.
 */
export function sparseCounts(encoded: string): SparseCounts {
  const out: SparseCounts = { indexes: [], counts: [] };
  if (encoded === '') return out;
  const wrapped = Buffer.from(encoded, 'base64');
  if ((wrapped.readInt32BE(0) & ~0xf0) !== V2_COMPRESSED_COOKIE) {
    throw new Error('not an HdrHistogram V2 compressed encoding');
  }
  const data = inflateSync(wrapped.subarray(8, 8 + wrapped.readInt32BE(4)));
  if ((data.readInt32BE(0) & ~0xf0) !== V2_COOKIE)
    throw new Error('not an HdrHistogram V2 payload');
  const end = V2_HEADER_BYTES + data.readInt32BE(4);
  let index = 0;
  let pos = V2_HEADER_BYTES;
  while (pos < end) {
    // ZigZag LEB128 (at most 9 bytes, the 9th carries 8 bits); values stay below 2^53.
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < 9; i++) {
      const byte = data[pos++]!;
      if (i === 8) {
        raw += byte * scale;
        break;
      }
      raw += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) break;
    }
    const value = raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    if (value < 0) {
      index += -value; // a run of empty indexes
      continue;
    }
    if (value > 0) {
      out.indexes.push(index);
      out.counts.push(value);
    }
    index++;
  }
  return out;
}

/**
 * Adds sparse counts into `into`, index by index (same configuration on both sides, so the same
 * index means the same value), and sets total, min and max as adding the decoded histogram
 * would. Index arithmetic only: mapping each count back to a value and recording it was most of
 * a long run's gate evaluation.
 */
export function addSparse(into: Histogram, sparse: SparseCounts): void {
  const { indexes, counts } = sparse;
  const first = indexes[0];
  const last = indexes[indexes.length - 1];
  if (first === undefined || last === undefined) return;
  const h = into as hdr.JsHistogram;
  const top = h.highestEquivalentValue(h.valueFromIndex(last));
  if (last >= h.countsArrayLength) h.resize(top);
  let total = 0;
  for (let i = 0; i < indexes.length; i++) {
    h.addToCountAtIndex(indexes[i]!, counts[i]!);
    total += counts[i]!;
  }
  h.addToTotalCount(total);
  h.maxValue = Math.max(h.maxValue, top + h.unitMagnitudeMask);
  const low = first === 0 ? indexes[1] : first; // index 0 is the value 0: not a minimum
  if (low !== undefined) {
    const step = h.lowestDiscernibleValueRounded;
    const min = Math.floor(h.valueFromIndex(low) / step) * step;
    if (min > h.unitMagnitudeMask) h.minNonZeroValue = Math.min(h.minNonZeroValue, min);
  }
}

/** Adds an encoded histogram into `into`. */
export function addEncoded(into: Histogram, encoded: string): void {
  addSparse(into, sparseCounts(encoded));
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

/**
 * Percentiles in ms. HDR's getValueAtPercentile returns a value equivalent within its precision.
 * With a `confidence`, each percentile's one-sided bounds too (what the gate proves against),
 * lower bounds divided by `bucketRatio` where values were recorded at coarser buckets' tops.
 */
export function summarize(h: Histogram, confidence?: number, bucketRatio = 1): LatencySummary {
  if (h.totalCount === 0) return { ...EMPTY };
  const ms = (us: number) => us / 1000;
  const summary: LatencySummary = {
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
  if (confidence !== undefined) {
    summary.confidence = confidence;
    summary.bounds = Object.fromEntries(
      Object.entries(QUANTILE_LEVELS).map(([stat, q]) => [
        stat,
        quantileBoundsMs(h, q, confidence, bucketRatio),
      ]),
    ) as Record<QuantileStat, Bounds>;
  }
  return summary;
}

interface EquivalentRanges {
  lowestEquivalentValue(value: number): number;
}

/**
 * One-sided confidence bounds on the `q` quantile (0–1) of what `h` holds, in ms: the order
 * statistics of `quantileRanks`, widened to the outer edges of their HDR buckets so the
 * histogram's precision never narrows the interval. Values recorded at the top of a bucket
 * `bucketRatio` wide (upper ÷ lower edge) may stand for latencies that much lower: the lower
 * bound reaches down by it. null where the samples cannot bound a side.
 */
export function quantileBoundsMs(
  h: Histogram,
  q: number,
  confidence: number,
  bucketRatio = 1,
): { lower: number | null; upper: number | null } {
  const n = h.totalCount;
  const ranks = quantileRanks(n, q, confidence);
  // getValueAtPercentile(100·r/n) is the top of the bucket holding the r-th smallest value.
  const top = (rank: number) => h.getValueAtPercentile((100 * rank) / n);
  const bottom = (rank: number) =>
    (h as unknown as EquivalentRanges).lowestEquivalentValue(top(rank));
  return {
    lower: ranks.lower === null ? null : bottom(ranks.lower) / bucketRatio / 1000,
    upper: ranks.upper === null ? null : top(ranks.upper) / 1000,
  };
}

/** An empty histogram of the shared layout, to map counts indexes to values. */
const LAYOUT = newHistogram() as hdr.JsHistogram;

/** The value (µs) that stands for counts index `index` of the shared layout: its bucket's middle. */
export function valueAtIndexUs(index: number): number {
  return LAYOUT.medianEquivalentValue(LAYOUT.valueFromIndex(index));
}
