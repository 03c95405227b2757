import { describe, expect, it } from 'vitest';
import { encode, newHistogram, recordMs, sparseCounts } from './hdr.ts';
import { RunTotals, UNNAMED } from './run-totals.ts';
import type { GeneratorBucket } from './second.ts';

function latency(...ms: number[]): string {
  const h = newHistogram();
  for (const v of ms) recordMs(h, v);
  return encode(h);
}

const EMPTY: GeneratorBucket = {
  t: 0,
  sent: 0,
  dropped: 0,
  completed: 0,
  errors: 0,
  errorKinds: {},
  latency: '',
  serviceTime: '',
  sendLag: '',
  byRequest: {},
};

describe('RunTotals', () => {
  it('adds every bucket, late ones for old seconds included, per request name', () => {
    const totals = new RunTotals();
    const named = (t: number, ms: number[], errors: number): GeneratorBucket => ({
      ...EMPTY,
      t,
      sent: ms.length,
      completed: ms.length,
      errors,
      latency: latency(...ms),
      byRequest: { checkout: { completed: ms.length, errors, latency: latency(...ms) } },
    });
    totals.add(named(3, [10, 20], 1));
    totals.add(named(1, [30], 0)); // a late report of an earlier second
    totals.add({ ...EMPTY, t: 4, sent: 1, dropped: 5 });
    expect(totals.sent).toBe(4);
    expect(totals.dropped).toBe(5);
    expect(totals.completed).toBe(3);
    const checkout = totals.byRequest.get('checkout')!;
    expect(checkout.errors).toBe(1);
    const all = sparseCounts(latency(10, 20, 30));
    expect([...checkout.latency]).toEqual(all.indexes.map((index, i) => [index, all.counts[i]]));
  });

  it('keeps completions a bucket did not name apart, with their latency', () => {
    const totals = new RunTotals();
    totals.add({ ...EMPTY, sent: 2, completed: 2, errors: 1, latency: latency(5, 6) });
    const unnamed = totals.byRequest.get(UNNAMED)!;
    expect(unnamed.completed).toBe(2);
    expect(unnamed.errors).toBe(1);
    expect([...unnamed.latency.values()].reduce((a, b) => a + b, 0)).toBe(2);
  });
});
