// The live metrics endpoint scraped by a real Prometheus (Debian's, native histograms on) through
// a short run against the demo: afterwards Prometheus holds the run's final counts, a
// histogram_quantile over the native histogram lands within a bucket of the run's own p95, and
// every query of the Grafana dashboard (dashboards/tiergate.json) returns data.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../runner/engines/k6/rest.ts';
import { tiergate } from './helpers/cli.ts';
import { startPrometheus, type TestPrometheus } from './helpers/prometheus.ts';

const DASHBOARD = fileURLToPath(new URL('../dashboards/tiergate.json', import.meta.url));

/** Schema-5 native buckets are 2^(1/32) wide; HDR's own buckets add 0.1 %. */
const PRECISION = 2 ** (1 / 32) * 1.001;

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

describe('live metrics scraped by Prometheus', () => {
  let prometheus: TestPrometheus;
  let dir: string;
  let address: string;

  async function query(promql: string, time?: number): Promise<Vector[]> {
    const params = new URLSearchParams({ query: promql, ...(time ? { time: String(time) } : {}) });
    const res = await fetch(`${prometheus.url}/api/v1/query?${params}`);
    const body = (await res.json()) as { status: string; data: { result: Vector[] } };
    expect(body.status).toBe('success');
    return body.data.result;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiergate-live-metrics-'));
    address = `127.0.0.1:${await freePort()}`;
    prometheus = await startPrometheus({ scrape: address });
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds the run summary’s counts and its p95 within the histogram’s precision', async () => {
    const summaryPath = join(dir, 'summary.json');
    const run = await tiergate(
      [
        'run',
        '--target',
        'demo',
        '--rate',
        '30',
        '--duration',
        '6s',
        '--metrics-addr',
        address,
        '--summary-json',
        summaryPath,
        '--results-dir',
        join(dir, 'results'),
        '--quiet',
      ],
      { timeoutMs: 60_000 },
    );
    // On a busy machine the generator may fall behind its schedule (inconclusive, exit 4): the
    // metrics are what is tested here, and they hold either way.
    expect([0, 4], run.stderr).toContain(run.code);
    expect(run.stderr).toContain(`metrics: http://${address}/metrics`);
    const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as {
      requests: number;
      errors: number;
      dropped: number;
      latencyMs: { p95: number };
    };
    expect(summary.requests).toBeGreaterThan(100);

    // The endpoint is gone now (its series are marked stale): read at the last scrape's time.
    const [sent] = await query('tiergate_requests_sent_total[1m]').then(
      (r) => r as unknown as { values: [number, string][] }[],
    );
    const last = sent!.values[sent!.values.length - 1]!;
    const at = last[0];
    const scalar = async (promql: string) => Number((await query(promql, at))[0]?.value[1]);

    expect(Number(last[1])).toBe(summary.requests + summary.dropped);
    expect(await scalar('sum(tiergate_requests_completed_total)')).toBe(summary.requests);
    expect(await scalar('sum(tiergate_request_errors_total)')).toBe(summary.errors);
    expect(await scalar('tiergate_requests_dropped_total')).toBe(summary.dropped);
    expect(await scalar('tiergate_requests_in_flight')).toBe(0);
    // A native histogram: histogram_count reads it (a classic one has no such sample).
    expect(await scalar('histogram_count(sum(tiergate_request_duration_seconds))')).toBe(
      summary.requests,
    );

    const p95S = await scalar('histogram_quantile(0.95, sum(tiergate_request_duration_seconds))');
    const ratio = (p95S * 1000) / summary.latencyMs.p95;
    expect(ratio).toBeGreaterThan(1 / PRECISION);
    expect(ratio).toBeLessThan(PRECISION);

    // Grafana's variables as it would fill them: every job, a rate window of 5 scrapes.
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(8);
    for (const expr of exprs) {
      const filled = expr.replaceAll('$__rate_interval', '5s').replaceAll('$job', '.+');
      const result = await query(filled, at - 1);
      expect(result.length, filled).toBeGreaterThan(0);
      expect(
        result.every((r) => Number.isFinite(Number(r.value[1]))),
        filled,
      ).toBe(true);
    }
  }, 60_000);
});
