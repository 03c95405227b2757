// A second merged from buckets is the sum of what they counted, histograms added.
import { describe, expect, it } from 'vitest';
import { decode, HistogramPool, recordMs } from './hdr.ts';
import { SecondAccumulator } from './second.ts';

describe('SecondAccumulator', () => {
  it('merges closed seconds into one holding every count and latency', () => {
    const pool = new HistogramPool();
    const a = new SecondAccumulator(7, pool);
    a.sent = 2;
    a.complete(a.request('a'), 2, 'http_500');
    recordMs(a.latency, 10);
    recordMs(a.request('a').latency, 10);
    const b = new SecondAccumulator(7, pool);
    b.dropped = 1;
    b.complete(b.request('b'), 1, undefined);
    recordMs(b.latency, 30);
    recordMs(b.request('b').latency, 30);

    const merged = new SecondAccumulator(7, pool);
    merged.merge(a.close());
    merged.merge(b.close());
    const out = merged.close();
    expect(out).toMatchObject({ t: 7, sent: 2, dropped: 1, completed: 3, errors: 2 });
    expect(out.errorKinds).toEqual({ http_500: 2 });
    expect(out.byRequest.a).toMatchObject({ completed: 2, errors: 2 });
    expect(out.byRequest.b).toMatchObject({ completed: 1, errors: 0 });
    expect(decode(out.latency).totalCount).toBe(2);
    expect(out.sendLag).toBe('');
  });
});
