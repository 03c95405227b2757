import type * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { addEncoded, decode, encode, newHistogram } from './hdr.ts';

/** A histogram of `n` values spread over µs…an hour, some with large counts. */
function sample(seed: number, n: number): hdr.Histogram {
  const h = newHistogram();
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    const us = Math.max(1, Math.floor(10 ** (next() * 9.5)));
    h.recordValueWithCount(us, 1 + Math.floor(next() ** 8 * 5_000_000));
  }
  return h;
}

describe('addEncoded', () => {
  it('adds exactly what decoding and adding would, index by index', () => {
    for (const [seed, n] of [
      [1, 1],
      [2, 50],
      [3, 5000],
    ] as const) {
      const parts = [sample(seed, n), sample(seed + 10, n), newHistogram()];
      const viaDecode = newHistogram();
      const viaPayload = newHistogram();
      for (const p of parts) {
        viaDecode.add(decode(encode(p)));
        addEncoded(viaPayload, encode(p));
      }
      const a = viaDecode as hdr.JsHistogram;
      const b = viaPayload as hdr.JsHistogram;
      expect(b.totalCount).toBe(a.totalCount);
      expect(b.maxValue).toBe(a.maxValue);
      expect(b.minNonZeroValue).toBe(a.minNonZeroValue);
      for (let i = 0; i < a.countsArrayLength; i++) {
        if (a.getCountAtIndex(i) !== b.getCountAtIndex(i)) {
          throw new Error(`index ${i}: ${a.getCountAtIndex(i)} ≠ ${b.getCountAtIndex(i)}`);
        }
      }
      for (const p of [50, 90, 99, 99.99]) {
        expect(b.getValueAtPercentile(p)).toBe(a.getValueAtPercentile(p));
      }
    }
  });

  it('refuses what is not an HdrHistogram V2 encoding', () => {
    expect(() =>
      addEncoded(newHistogram(), Buffer.from('not a histogram').toString('base64')),
    ).toThrow(/V2/);
  });
});
