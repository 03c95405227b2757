// Reading k6's JSON lines into per-second buckets (lines as k6 v1.8 writes them).
import { describe, expect, it } from 'vitest';
import { decode } from '../../timeline/hdr.ts';
import { SecondRecorder } from '../../timeline/recorder.ts';
import { errorKind, K6SampleReader, parseK6Time } from './samples.ts';

const T0 = Date.parse('2026-11-23T20:37:26Z');

function point(metric: string, time: string, value: number, tags: Record<string, string> = {}) {
  return JSON.stringify({ metric, type: 'Point', data: { time, value, tags } });
}

describe('parseK6Time', () => {
  it('keeps the sub-millisecond part of a nanosecond timestamp', () => {
    expect(parseK6Time('2026-11-23T20:37:26.868245214Z') - T0).toBeCloseTo(868.245214, 3);
    expect(parseK6Time('2026-11-23T21:37:26.5+01:00') - T0).toBeCloseTo(500, 6);
    expect(parseK6Time('2026-11-23T20:37:27Z') - T0).toBe(1000);
    expect(parseK6Time('yesterday')).toBeNaN();
  });
});

describe('errorKind', () => {
  it("follows k6's expected_response, then names the status or the network error", () => {
    expect(errorKind({ status: '201', expected_response: 'true' })).toBeUndefined();
    expect(errorKind({ status: '200', expected_response: 'false' })).toBe('http_200');
    expect(errorKind({ status: '503', expected_response: 'false' })).toBe('http_503');
    expect(errorKind({ status: '0', expected_response: 'false', error_code: '1212' })).toBe(
      'econnrefused',
    );
    expect(errorKind({ status: '0', expected_response: 'false', error_code: '1050' })).toBe(
      'timeout',
    );
    expect(errorKind({ status: '0', expected_response: 'false', error_code: '1101' })).toBe('dns');
    expect(errorKind({ status: '404' })).toBe('http_404');
  });
});

describe('K6SampleReader', () => {
  it('records completions, iterations at their start and drops, and skips the rest', () => {
    const recorder = new SecondRecorder();
    const reader = new K6SampleReader(recorder, T0);
    const lines = [
      '{"type":"Metric","data":{"name":"http_reqs","type":"counter"},"metric":"http_reqs"}',
      'not json: a banner line',
      point('http_reqs', '2026-11-23T20:37:26.900Z', 1, { name: 'browse' }),
      point('http_req_duration', '2026-11-23T20:37:27.010Z', 12.5, {
        name: 'browse',
        status: '200',
        expected_response: 'true',
      }),
      point('http_req_duration', '2026-11-23T20:37:27.020Z', 3, {
        name: 'checkout',
        status: '500',
        expected_response: 'false',
      }),
      point('iteration_duration', '2026-11-23T20:37:27.030Z', 200),
      point('iterations', '2026-11-23T20:37:27.030Z', 1),
      point('iterations', '2026-11-23T20:37:28.100Z', 1),
      point('dropped_iterations', '2026-11-23T20:37:28.500Z', 2),
      // Another key order is read too.
      JSON.stringify({
        type: 'Point',
        data: { time: '2026-11-23T20:37:28.600Z', value: 1, tags: null },
        metric: 'dropped_iterations',
      }),
    ];
    for (const l of lines) reader.line(l);
    expect(reader.points).toBe(7);
    const [s0, s1, s2] = recorder.flush();
    // The iteration that ended at 1.030 s after 200 ms started in second 0, and so did the
    // request that ended at 1.010 s after 12.5 ms: each counts in the second it was sent.
    expect(s0).toMatchObject({ t: 0, sent: 1, completed: 1, errors: 0 });
    expect(s1).toMatchObject({ t: 1, sent: 0, completed: 1, errors: 1 });
    expect(s1!.errorKinds).toEqual({ http_500: 1 });
    expect(Object.keys(s0!.byRequest)).toEqual(['browse']);
    expect(Object.keys(s1!.byRequest)).toEqual(['checkout']);
    expect(decode(s0!.latency).maxValue).toBeGreaterThanOrEqual(12_500);
    expect(s1!.serviceTime).toBe(s1!.latency);
    expect(s2).toMatchObject({ t: 2, sent: 1, dropped: 3 });
  });

  it('counts a request held 5 s by a frozen server in the second it was sent', () => {
    const recorder = new SecondRecorder();
    const reader = new K6SampleReader(recorder, T0);
    // Sent at 5.2 s, answered at 10.3 s: k6 stamps it at its end.
    reader.line(
      point('http_req_duration', '2026-11-23T20:37:36.300Z', 5100, {
        name: 'checkout',
        status: '200',
        expected_response: 'true',
      }),
    );
    reader.line(point('iteration_duration', '2026-11-23T20:37:36.300Z', 5101));
    reader.line(point('iterations', '2026-11-23T20:37:36.300Z', 1));
    expect(recorder.flush()).toMatchObject([{ t: 5, sent: 1, completed: 1 }]);
  });
});
