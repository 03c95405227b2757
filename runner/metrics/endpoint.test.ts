import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { HistogramPool, recordMs } from '../timeline/hdr.ts';
import { RunTotals } from '../timeline/run-totals.ts';
import { SecondAccumulator } from '../timeline/second.ts';
import { MetricsEndpoint } from './endpoint.ts';
import { snapshotOf } from './snapshot.ts';

/** A second with `latenciesMs` completed for request `name`, `failed` of them errors. */
function second(t: number, name: string, latenciesMs: number[], failed = 0) {
  const s = new SecondAccumulator(t, new HistogramPool());
  s.sent = latenciesMs.length + 1; // one still in flight
  s.dropped = 2;
  const r = s.request(name);
  latenciesMs.forEach((ms, i) => {
    s.complete(r, 1, i < failed ? 'http-500' : undefined);
    recordMs(s.latency, ms);
    recordMs(r.latency, ms);
  });
  return s.close();
}

describe('MetricsEndpoint', () => {
  let endpoint: MetricsEndpoint | undefined;
  afterEach(async () => {
    await endpoint?.close();
    endpoint = undefined;
  });

  it('serves the published totals in the text format, latency as classic buckets', async () => {
    const totals = new RunTotals();
    totals.add(second(0, 'GET /', [3, 30, 300], 1));
    totals.add(second(1, 'GET /', [4]));
    endpoint = await MetricsEndpoint.listen({ host: '127.0.0.1', port: 0 });
    endpoint.publish(snapshotOf(totals, 25));

    const res = await fetch(endpoint.url);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const lines = (await res.text()).split('\n');
    for (const line of [
      'tiergate_requests_sent_total 6',
      'tiergate_requests_dropped_total 4',
      'tiergate_requests_completed_total{request="GET /"} 4',
      'tiergate_request_errors_total{request="GET /"} 1',
      'tiergate_requests_in_flight 2',
      'tiergate_target_arrival_rate 25',
      'tiergate_request_duration_seconds_bucket{request="GET /",le="0.005"} 2',
      'tiergate_request_duration_seconds_bucket{request="GET /",le="0.05"} 3',
      'tiergate_request_duration_seconds_bucket{request="GET /",le="0.25"} 3',
      'tiergate_request_duration_seconds_bucket{request="GET /",le="+Inf"} 4',
      'tiergate_request_duration_seconds_count{request="GET /"} 4',
      '# TYPE tiergate_request_duration_seconds histogram',
    ]) {
      expect(lines).toContain(line);
    }
    const sum = lines.find((l) => l.startsWith('tiergate_request_duration_seconds_sum'));
    expect(Number(sum?.split(' ').pop())).toBeCloseTo(0.337, 3);
    expect((await fetch(endpoint.url.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('speaks OpenMetrics to a scraper that asks for it', async () => {
    const totals = new RunTotals();
    totals.add(second(0, 'GET /', [3]));
    endpoint = await MetricsEndpoint.listen({ host: '127.0.0.1', port: 0 });
    endpoint.publish(snapshotOf(totals, 5));
    const res = await fetch(endpoint.url, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' },
    });
    expect(res.headers.get('content-type')).toContain('application/openmetrics-text');
    const text = await res.text();
    expect(text).toContain('# TYPE tiergate_requests_sent counter\n');
    expect(text).toContain('\ntiergate_requests_sent_total 2\n');
    expect(text).toContain('# TYPE tiergate_request_duration_seconds histogram\n');
    expect(text.endsWith('\n# EOF\n')).toBe(true);
  });

  it('waits on close for the scraper to read the final figures', async () => {
    const totals = new RunTotals();
    endpoint = await MetricsEndpoint.listen({ host: '127.0.0.1', port: 0 });
    const { url } = endpoint;
    await (await fetch(url)).text();
    await (await fetch(url)).text();
    totals.add(second(0, 'GET /', [5]));
    endpoint.publish(snapshotOf(totals, 0));
    const closed = endpoint.close();
    endpoint = undefined;
    const last = await (await fetch(url)).text();
    await closed;
    expect(last).toContain('tiergate_requests_completed_total{request="GET /"} 1');
    await expect(fetch(url)).rejects.toThrow();
  });

  it('refuses a port in use (exit 2)', async () => {
    endpoint = await MetricsEndpoint.listen({ host: '127.0.0.1', port: 0 });
    const port = Number(new URL(endpoint.url).port);
    await expect(MetricsEndpoint.listen({ host: '127.0.0.1', port })).rejects.toThrow(UsageError);
  });
});
