// Prometheus native histograms: exponential buckets of one schema, so histograms from any
// number of runs or generators add up bucket by bucket in Prometheus and Grafana. Schema 5:
// each bucket is 2^(1/32) ≈ 1.022 times the one below (2.2 % wide), against HDR's 0.1 %.
export const NATIVE_SCHEMA = 5;

const PER_DOUBLING = 2 ** NATIVE_SCHEMA;

/** The upper bound of bucket `index`: bucket i holds (2^((i-1)/32), 2^(i/32)]. */
export function nativeUpperBound(index: number): number {
  return 2 ** (index / PER_DOUBLING);
}

/** Index of the bucket holding `value` (> 0). */
export function nativeIndex(value: number): number {
  const index = Math.ceil(Math.log2(value) * PER_DOUBLING);
  // log2 rounds: put a value on a bound in the bucket the bound closes.
  if (nativeUpperBound(index - 1) >= value) return index - 1;
  if (nativeUpperBound(index) < value) return index + 1;
  return index;
}

export interface BucketSpan {
  /** Gap to the previous span's end (the first span: its starting index). */
  offset: number;
  length: number;
}

/** Buckets as the exposition formats carry them: runs of indexes and counts as deltas. */
export interface SpansAndDeltas {
  spans: BucketSpan[];
  /** Each bucket's count less the previous bucket's (the first: less 0). */
  deltas: number[];
}

export function spansAndDeltas(counts: ReadonlyMap<number, number>): SpansAndDeltas {
  const indexes = [...counts.keys()].sort((a, b) => a - b);
  const spans: BucketSpan[] = [];
  const deltas: number[] = [];
  let end = 0; // one past the last index of the previous span
  let previous = 0;
  for (const index of indexes) {
    const last = spans[spans.length - 1];
    if (last !== undefined && index === end) last.length++;
    else spans.push({ offset: last === undefined ? index : index - end, length: 1 });
    end = index + 1;
    const count = counts.get(index)!;
    deltas.push(count - previous);
    previous = count;
  }
  return { spans, deltas };
}
