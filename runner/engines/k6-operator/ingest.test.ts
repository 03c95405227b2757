// The runners' cumulative Prometheus series → per-second buckets: every raw sample of a range
// read, differences per series at their own time from t = 0, histograms added bucket by bucket,
// overlapping reads, resets and quiet series handled.
import { describe, expect, it } from 'vitest';
import { decode } from '../../timeline/hdr.ts';
import { bucketMicros, DURATION, REQUESTS, SeriesIngest, seriesQuery } from './ingest.ts';
import type { PromSeries } from './prometheus.ts';

const T0_MS = 1_000_000_000_000;
const at = (s: number) => T0_MS / 1000 + s;

type Buckets = [string, string, number][];

function hist(instance: string, points: [number, Buckets][]): PromSeries {
  return {
    metric: { __name__: DURATION, name: 'checkout', instance_id: instance },
    histograms: points.map(([tsS, buckets]) => [
      at(tsS),
      {
        count: String(buckets.reduce((n, [, , c]) => n + c, 0)),
        sum: '0',
        buckets: buckets.map(([lo, up, c]) => [0, lo, up, String(c)]),
      },
    ]),
  };
}

function reqs(instance: string, points: [number, number][], status = '200'): PromSeries {
  return {
    metric: {
      __name__: REQUESTS,
      name: 'checkout',
      instance_id: instance,
      status,
      expected_response: status === '200' ? 'true' : 'false',
    },
    values: points.map(([tsS, n]) => [at(tsS), String(n)]),
  };
}

const B10: [string, string] = ['0.01', '0.0109'];
const B40: [string, string] = ['0.04', '0.0436'];

describe('SeriesIngest', () => {
  it('places every push of a read at its own second from t = 0, none collapsed into the last', () => {
    const ingest = new SeriesIngest(T0_MS);
    const buckets = ingest.read([
      // Three pushes of runner 1 read at once (a slow poll, or Prometheus was away).
      hist('1', [
        [0.9, [[...B10, 3]]],
        [1.9, [[...B10, 5]]],
        [
          2.9,
          [
            [...B10, 5],
            [...B40, 4],
          ],
        ],
      ]),
      reqs('1', [
        [0.9, 3],
        [1.9, 5],
        [2.9, 9],
      ]),
      reqs('2', [[1.95, 2]], '503'),
    ]);
    expect(buckets.map((b) => [b.t, b.completed, b.errors])).toEqual([
      [0, 3, 0],
      [1, 4, 2],
      [2, 4, 0],
    ]);
    expect(buckets[1]).toMatchObject({ errorKinds: { http_503: 2 }, sendLag: '' });
    expect(buckets.map((b) => decode(b.latency).totalCount)).toEqual([3, 2, 4]);
    // Each at its bucket's upper bound.
    const third = decode(buckets[2]!.latency);
    expect(third.minNonZeroValue).toBeGreaterThanOrEqual(43_600 * 0.999);
    expect(buckets[2]!.byRequest.checkout).toMatchObject({ completed: 4, errors: 0 });
    expect(ingest.requests).toBe(11);
    expect(ingest.histogramCount).toBe(9);
  });

  it('counts nothing twice when reads overlap, and nothing of a series gone quiet', () => {
    const ingest = new SeriesIngest(T0_MS);
    ingest.read([
      reqs('1', [
        [0.9, 3],
        [1.9, 5],
      ]),
      reqs('2', [[0.95, 2]]),
    ]);
    const next = ingest.read([
      reqs('1', [
        [1.9, 5],
        [2.9, 8],
        [3.9, 8],
      ]),
      reqs('2', [[0.95, 2]]),
    ]);
    expect(next.map((b) => [b.t, b.completed])).toEqual([
      [2, 3],
      [3, 0],
    ]);
    expect(ingest.requests).toBe(10);
  });

  it('takes a series that went down as restarted, and counts all of it again', () => {
    const ingest = new SeriesIngest(T0_MS);
    ingest.read([reqs('1', [[0.5, 10]])]);
    const after = ingest.read([reqs('1', [[2.5, 3]])]);
    expect(after[0]).toMatchObject({ t: 2, completed: 3 });
  });

  it('puts a sample stamped before t = 0 (a runner clock behind) into second 0', () => {
    const ingest = new SeriesIngest(T0_MS);
    expect(ingest.read([reqs('1', [[-0.2, 4]])])[0]).toMatchObject({ t: 0, completed: 4 });
  });

  it('reads back to the newest sample it has, and a late push further', () => {
    const ingest = new SeriesIngest(T0_MS);
    expect(ingest.rangeQuery('{x}', T0_MS + 2000)).toBe('{x}[7000ms]');
    ingest.read([reqs('1', [[2.9, 1]])]);
    expect(ingest.rangeQuery('{x}', T0_MS + 4000)).toBe('{x}[6100ms]');
    // This machine's clock behind the runners': still the late-push allowance.
    expect(ingest.rangeQuery('{x}', T0_MS)).toBe('{x}[5000ms]');
  });

  it('records a bucket at its upper bound in µs, and queries one run by its testid', () => {
    expect(bucketMicros(0.0109)).toBe(10_900);
    const ingest = new SeriesIngest(T0_MS);
    expect(ingest.bucketRatio).toBe(1);
    ingest.read([
      hist('1', [
        [0.5, [[...B10, 1]]],
        [1.5, [[...B40, 2]]],
      ]),
    ]);
    // The widest bucket read: a latency may lie this factor below where it was recorded.
    expect(ingest.bucketRatio).toBeCloseTo(0.0109 / 0.01, 9);
    expect(bucketMicros(1e-128)).toBe(1);
    expect(seriesQuery('run-1')).toBe(
      '{__name__=~"k6_http_req_duration_seconds|k6_http_reqs_total|k6_iterations_total|k6_dropped_iterations_total",testid="run-1"}',
    );
  });
});

describe('what the k6-operator path cannot know', () => {
  it('counts a request at the push that reported its completion, not at its send', () => {
    const ingest = new SeriesIngest(T0_MS);
    // Sent at 5.2 s, held 5.1 s by a frozen replica, reported by the push at 10.5 s: the push
    // carries no send time, so it counts in second 10 (the reports name this edge caveat).
    const buckets = ingest.read([reqs('1', [[10.5, 1]]), hist('1', [[10.5, [['5', '5.5', 1]]]])]);
    expect(buckets.map((b) => [b.t, b.completed])).toEqual([[10, 1]]);
    expect(decode(buckets[0]!.latency).maxValue).toBeGreaterThanOrEqual(5_500_000 * 0.999);
  });
});
