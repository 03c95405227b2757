import { describe, expect, it } from 'vitest';
import { nativeIndex, nativeUpperBound, spansAndDeltas } from './native-histogram.ts';

describe('native histogram buckets (schema 5)', () => {
  it('puts a value in the bucket whose upper bound closes it', () => {
    expect(nativeIndex(1)).toBe(0);
    expect(nativeIndex(2)).toBe(32);
    expect(nativeIndex(0.5)).toBe(-32);
    expect(nativeIndex(nativeUpperBound(7))).toBe(7);
    expect(nativeIndex(nativeUpperBound(7) * 1.000001)).toBe(8);
    expect(nativeIndex(0.0123)).toBe(Math.ceil(Math.log2(0.0123) * 32));
  });

  it('writes runs of indexes as spans and counts as deltas', () => {
    const counts = new Map([
      [-3, 3],
      [-2, 5],
      [1, 2],
    ]);
    expect(spansAndDeltas(counts)).toEqual({
      spans: [
        { offset: -3, length: 2 },
        { offset: 2, length: 1 },
      ],
      deltas: [3, 2, -3],
    });
    expect(spansAndDeltas(new Map())).toEqual({ spans: [], deltas: [] });
  });
});
