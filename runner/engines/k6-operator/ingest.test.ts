// The runners' cumulative Prometheus series → per-second buckets: differences per series,
// histograms added bucket by bucket, resets and quiet series handled.
import { describe, expect, it } from 'vitest';
import { decode } from '../../timeline/hdr.ts';
import { bucketMicros, DURATION, REQUESTS, SeriesIngest, seriesQuery } from './ingest.ts';
import type { PromSample } from './prometheus.ts';

const START_MS = 1_000_000_000_000;
const at = (s: number) => START_MS / 1000 + s;

function hist(instance: string, tsS: number, buckets: [string, string, number][]): PromSample {
  const count = buckets.reduce((n, [, , c]) => n + c, 0);
  return {
    metric: { __name__: DURATION, name: 'checkout', instance_id: instance },
    histogram: [
      at(tsS),
      {
        count: String(count),
        sum: '0',
        buckets: buckets.map(([lo, up, c]) => [0, lo, up, String(c)]),
      },
    ],
  };
}

function reqs(instance: string, tsS: number, n: number, status = '200'): PromSample {
  return {
    metric: {
      __name__: REQUESTS,
      name: 'checkout',
      instance_id: instance,
      status,
      expected_response: status === '200' ? 'true' : 'false',
    },
    value: [at(tsS), String(n)],
  };
}

describe('SeriesIngest', () => {
  it('adds what each series gained since its last read into the second it was pushed', () => {
    const ingest = new SeriesIngest(START_MS);
    const first = ingest.read([
      hist('1', 0.9, [['0.01', '0.0109', 3]]),
      hist('2', 0.95, [['0.02', '0.0218', 2]]),
      reqs('1', 0.9, 3),
      reqs('2', 0.95, 2),
    ]);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ t: 0, completed: 5, errors: 0, sendLag: '' });
    expect(decode(first[0]!.latency).totalCount).toBe(5);

    // Runner 2 went quiet (not pushed again, or no longer returned): nothing of it counts twice.
    const second = ingest.read([
      hist('1', 1.9, [
        ['0.01', '0.0109', 4],
        ['0.04', '0.0436', 1],
      ]),
      hist('2', 0.95, [['0.02', '0.0218', 2]]),
      reqs('1', 1.9, 4),
      reqs('1', 1.9, 1, '503'),
    ]);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ t: 1, completed: 2, errors: 1, errorKinds: { http_503: 1 } });
    expect(second[0]!.byRequest.checkout).toMatchObject({ completed: 2, errors: 1 });
    const h = decode(second[0]!.latency);
    expect(h.totalCount).toBe(2);
    // Each at its bucket's upper bound.
    expect(h.maxValue).toBeGreaterThanOrEqual(43_600 * 0.999);
    expect(h.minNonZeroValue).toBeGreaterThanOrEqual(10_900 * 0.999);
    expect(ingest.requests).toBe(7);
  });

  it('takes a series that went down as restarted, and counts all of it again', () => {
    const ingest = new SeriesIngest(START_MS);
    ingest.read([reqs('1', 0.5, 10)]);
    const after = ingest.read([reqs('1', 2.5, 3)]);
    expect(after[0]).toMatchObject({ t: 2, completed: 3 });
  });

  it('records a bucket at its upper bound in µs, and queries one run by its testid', () => {
    expect(bucketMicros(0.0109)).toBe(10_900);
    expect(bucketMicros(1e-128)).toBe(1);
    expect(seriesQuery('run-1')).toBe(
      '{__name__=~"k6_http_req_duration_seconds|k6_http_reqs_total|k6_iterations_total|k6_dropped_iterations_total",testid="run-1"}',
    );
  });
});
