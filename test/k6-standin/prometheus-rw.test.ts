// The stand-in's experimental-prometheus-rw output against a real Prometheus (remote-write
// receiver, native histograms): k6's documented names and labels, cumulative counters, native
// histograms whose server-side quantiles lie within one schema-3 bucket of the truth, two runners
// merged by Prometheus, and tiergate's own k6-operator reader reading the pushes back per second.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { uncompress } from 'snappyjs';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import { runSelector, SeriesIngest, seriesQuery } from '../../runner/engines/k6-operator/ingest.ts';
import { PrometheusClient } from '../../runner/engines/k6-operator/prometheus.ts';
import { runnerStarts } from '../../runner/engines/k6-operator/start.ts';
import { addEncoded, decode, newHistogram } from '../../runner/timeline/hdr.ts';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.ts';
import { exactPercentile } from '../helpers/servers.ts';
import type { MetricSample, StandinOutput } from './output.ts';
import {
  bucketIndex,
  createPrometheusRemoteWrite,
  remoteWriteSettings,
  WriteRequest,
} from './prometheus-rw.ts';

/** Schema-3 buckets are 2^(1/8) wide (≈ 9 %). */
const BUCKET = 2 ** (1 / 8);
const INTERVAL = '200ms';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

type Tags = Record<string, string>;

function sample(
  metric: string,
  type: MetricSample['type'],
  value: number,
  tags: Tags,
  contains: MetricSample['contains'] = 'default',
): MetricSample {
  return { metric, type, contains, value, tags, timeMs: Date.now() };
}

/** Tags k6 puts on a request's samples but not on its iteration's. */
const REQUEST_ONLY = new Set(['name', 'method', 'status', 'expected_response']);

/** One HTTP request as k6 reports it: its duration, the request counter, its iteration. */
function request(durationMs: number, tags: Tags): MetricSample[] {
  const iterationTags = Object.fromEntries(
    Object.entries(tags).filter(([k]) => !REQUEST_ONLY.has(k)),
  );
  return [
    sample('http_req_duration', 'trend', durationMs, tags, 'time'),
    sample('http_reqs', 'counter', 1, tags),
    sample('iterations', 'counter', 1, iterationTags),
  ];
}

/** Deterministic latencies spread 5–55 ms (MINSTD: exact in doubles). */
function latencies(n: number, seed: number): number[] {
  const M = 2 ** 31 - 1;
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 48_271) % M;
    return 5 + (x / M) * 50;
  });
}

function requestTags(testid: string, instance: string, status = '200'): Tags {
  return {
    name: 'checkout',
    scenario: 'tier_ramp',
    instance_id: instance,
    testid,
    method: 'GET',
    status,
    expected_response: status === '200' ? 'true' : 'false',
  };
}

describe('remoteWriteSettings', () => {
  it("takes k6's defaults and honours a Go-duration interval and the native-histograms feature", () => {
    expect(remoteWriteSettings({ K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' })).toEqual({
      url: 'http://localhost:9090/api/v1/write',
      pushIntervalMs: 5000,
    });
    expect(
      remoteWriteSettings({
        K6_FEATURES: 'async-metric-context, native-histograms',
        K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:1/api/v1/write',
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '1m1.5s',
        // Ignored with native histograms on, as k6 documents.
        K6_PROMETHEUS_RW_TREND_STATS: 'p(95)',
      }),
    ).toEqual({ url: 'http://127.0.0.1:1/api/v1/write', pushIntervalMs: 61_500 });
  });

  it('refuses loudly what it does not implement or cannot read, naming the setting', () => {
    expect(() => remoteWriteSettings({})).toThrow(
      /K6_PROMETHEUS_RW_TREND_STATS .* not supported .* K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM=true/,
    );
    expect(() =>
      remoteWriteSettings({
        K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'false',
        K6_PROMETHEUS_RW_TREND_STATS: 'p(99),max',
      }),
    ).toThrow(/K6_PROMETHEUS_RW_TREND_STATS .* not supported/);
    const native = { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' };
    expect(() =>
      remoteWriteSettings({
        ...native,
        K6_PROMETHEUS_RW_STALE_MARKERS: 'true',
        K6_PROMETHEUS_RW_LABELS: 'a=b',
      }),
    ).toThrow(
      /^K6_PROMETHEUS_RW_LABELS, K6_PROMETHEUS_RW_STALE_MARKERS: not supported by the k6 stand-in/,
    );
    expect(() =>
      remoteWriteSettings({ K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'yes' }),
    ).toThrow('K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM="yes" is not a boolean');
    expect(() => remoteWriteSettings({ ...native, K6_PROMETHEUS_RW_PUSH_INTERVAL: '500' })).toThrow(
      'K6_PROMETHEUS_RW_PUSH_INTERVAL="500" is not a positive Go duration',
    );
    expect(() =>
      remoteWriteSettings({ ...native, K6_PROMETHEUS_RW_SERVER_URL: 'localhost' }),
    ).toThrow('K6_PROMETHEUS_RW_SERVER_URL="localhost" is not an http(s) URL');
  });
});

describe('bucketIndex', () => {
  it('puts a value in the schema-3 bucket (2^((i-1)/8), 2^(i/8)] that holds it', () => {
    expect(bucketIndex(1)).toBe(0);
    expect(bucketIndex(2 ** (1 / 8))).toBe(1);
    expect(bucketIndex(2 ** (1 / 8) * 1.000001)).toBe(2);
    expect(bucketIndex(0.5)).toBe(-8);
    for (const v of [0.0031, 0.01, 0.0427, 1.7, 250]) {
      const i = bucketIndex(v);
      expect(2 ** ((i - 1) / 8)).toBeLessThan(v);
      expect(2 ** (i / 8)).toBeGreaterThanOrEqual(v);
    }
  });
});

describe('experimental-prometheus-rw into a real Prometheus', () => {
  let prometheus: TestPrometheus;
  let client: PrometheusClient;
  /** Passes through; each test ends with no push refused. */
  let stderr: MockInstance<typeof process.stderr.write>;
  const outputs: StandinOutput[] = [];
  const output = () => {
    const o = createPrometheusRemoteWrite({
      K6_PROMETHEUS_RW_SERVER_URL: `${prometheus.url}/api/v1/write`,
      K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
      K6_PROMETHEUS_RW_PUSH_INTERVAL: INTERVAL,
    });
    outputs.push(o);
    return o;
  };
  const value = async (expr: string) => {
    const result = await client.query(expr);
    expect(result, expr).toHaveLength(1);
    return Number(result[0]!.value?.[1]);
  };

  beforeAll(async () => {
    stderr = vi.spyOn(process.stderr, 'write');
    prometheus = await startPrometheus();
    client = new PrometheusClient(prometheus.url);
  }, 60_000);
  afterEach(() => {
    const errors = stderr.mock.calls
      .map(([c]) => String(c))
      .filter((l) => l.includes('level=error'));
    stderr.mockClear();
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    stderr?.mockRestore();
    await Promise.all(outputs.map((o) => o.stop()));
    await prometheus?.stop();
  });

  it("maps k6's metrics to its documented series and labels, cumulative at every push", async () => {
    const testid = 'rw-one';
    const ok = latencies(300, 7);
    const failed = latencies(20, 11).map((ms) => ms * 4);
    const o = output();
    o.add([sample('tiergate_test_start_ms', 'gauge', 1_700_000_000_123, { testid })]);
    // Three batches, each pushed before the next.
    for (let batch = 0; batch < 3; batch++) {
      o.add([
        ...ok
          .slice(batch * 100, batch * 100 + 100)
          .flatMap((ms) => request(ms, requestTags(testid, '1'))),
        ...(batch === 0
          ? failed.flatMap((ms) => request(ms, requestTags(testid, '1', '503')))
          : []),
        sample('vus', 'gauge', 5 + batch, { testid }),
        sample('checks', 'rate', batch === 1 ? 0 : 1, { testid, check: 'status is 200' }),
      ]);
      if (batch === 0) {
        o.add([sample('dropped_iterations', 'counter', 4, { testid, scenario: 'tier_ramp' })]);
      }
      await sleep(450);
    }
    await o.stop();

    const names = await client.query(`count by (__name__) ({testid="${testid}"})`);
    expect(names.map((s) => s.metric.__name__).sort()).toEqual([
      'k6_checks_rate',
      'k6_dropped_iterations_total',
      'k6_http_req_duration_seconds',
      'k6_http_reqs_total',
      'k6_iterations_total',
      'k6_tiergate_test_start_ms',
      'k6_vus',
    ]);
    const reqs = await client.query(`k6_http_reqs_total{testid="${testid}",status="200"}`);
    expect(reqs.map((s) => s.metric)).toEqual([
      { __name__: 'k6_http_reqs_total', ...requestTags(testid, '1') },
    ]);
    expect(Number(reqs[0]!.value![1])).toBe(300);
    expect(await value(`k6_http_reqs_total{testid="${testid}",status="503"}`)).toBe(20);
    expect(await value(`k6_iterations_total{testid="${testid}"}`)).toBe(320);
    expect(await value(`k6_dropped_iterations_total{testid="${testid}"}`)).toBe(4);
    expect(await value(`k6_vus{testid="${testid}"}`)).toBe(7);
    expect(await value(`k6_checks_rate{testid="${testid}"}`)).toBeCloseTo(2 / 3, 10);
    expect(await value(`k6_tiergate_test_start_ms{testid="${testid}"}`)).toBe(1_700_000_000_123);

    // The native histogram: count and sum of what was fed, in seconds.
    const [h] = await client.query(`k6_http_req_duration_seconds{testid="${testid}",status="200"}`);
    expect(h!.metric).toEqual({
      __name__: 'k6_http_req_duration_seconds',
      ...requestTags(testid, '1'),
    });
    expect(Number(h!.histogram![1].count)).toBe(300);
    expect(Number(h!.histogram![1].sum)).toBeCloseTo(ok.reduce((a, b) => a + b, 0) / 1000, 9);
    const all = [...ok, ...failed];
    const p99 = await value(
      `histogram_quantile(0.99, sum(k6_http_req_duration_seconds{testid="${testid}"}))`,
    );
    const exact = exactPercentile(all, 99) / 1000;
    expect(p99, `p99 ${p99} vs exact ${exact}`).toBeGreaterThanOrEqual(exact / BUCKET);
    expect(p99, `p99 ${p99} vs exact ${exact}`).toBeLessThanOrEqual(exact * BUCKET);

    // As real k6: a push carries only the series that got samples since the last one, at its
    // newest sample's time. The dropped iterations fed once are pushed once; the requests at
    // each of their batches, cumulative, at strictly rising times.
    const raw = await client.range(
      `{__name__=~"k6_http_reqs_total|k6_dropped_iterations_total",testid="${testid}",status!="503"}[1m]`,
    );
    const pointsOf = (name: string) => raw.find((s) => s.metric.__name__ === name)?.values ?? [];
    const requests = pointsOf('k6_http_reqs_total');
    expect(requests.map(([, v]) => v)).toEqual(['100', '200', '300']);
    const times = requests.map(([t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
    expect(pointsOf('k6_dropped_iterations_total').map(([, v]) => v)).toEqual(['4']);
  }, 30_000);

  it('two runners (instance_id 1 and 2), summed by Prometheus: the merged count and p99', async () => {
    const testid = 'rw-two';
    const values = { 1: latencies(250, 3), 2: latencies(150, 5).map((ms) => ms * 1.5) };
    const runners = (['1', '2'] as const).map((instance) => {
      const o = output();
      o.add(values[instance].flatMap((ms) => request(ms, requestTags(testid, instance))));
      return o;
    });
    await sleep(300);
    await Promise.all(runners.map((o) => o.stop()));

    const sel = `{testid="${testid}"}`;
    expect(await value(`histogram_count(sum(k6_http_req_duration_seconds${sel}))`)).toBe(400);
    expect(await value(`sum(k6_http_reqs_total${sel})`)).toBe(400);
    const perRunner = await client.query(`histogram_count(k6_http_req_duration_seconds${sel})`);
    expect(
      Object.fromEntries(perRunner.map((s) => [s.metric.instance_id, Number(s.value![1])])),
    ).toEqual({ 1: 250, 2: 150 });
    const p99 = await value(`histogram_quantile(0.99, sum(k6_http_req_duration_seconds${sel}))`);
    const exact = exactPercentile([...values[1], ...values[2]], 99) / 1000;
    expect(p99, `p99 ${p99} vs exact ${exact}`).toBeGreaterThanOrEqual(exact / BUCKET);
    expect(p99, `p99 ${p99} vs exact ${exact}`).toBeLessThanOrEqual(exact * BUCKET);
  }, 30_000);

  it("tiergate's k6-operator reader reads two runners' pushes back into the right seconds", async () => {
    const testid = 'rw-reader';
    // Per second from t = 0: [runner 1 requests, runner 2 requests, runner 2 503s, dropped].
    const plan: [number, number, number, number][] = [
      [3, 2, 0, 0],
      [5, 0, 1, 2],
      [9, 4, 0, 0],
    ];
    const t0 = Date.now();
    const runners = ['1', '2'].map((instance) => {
      const o = output();
      o.add([sample('tiergate_test_start_ms', 'gauge', t0, { testid, instance_id: instance })]);
      return o;
    });
    const fed: number[] = [];
    for (const [second, [one, two, errors, dropped]] of plan.entries()) {
      // Early in its second, so that the next push (≤ 200 ms later) lands in the same second.
      await sleep(t0 + second * 1000 + 50 - Date.now());
      const ms = latencies(one + two + errors, 100 + second);
      fed.push(...ms);
      runners[0]!.add(ms.slice(0, one).flatMap((v) => request(v, requestTags(testid, '1'))));
      runners[1]!.add([
        ...ms.slice(one, one + two).flatMap((v) => request(v, requestTags(testid, '2'))),
        ...ms.slice(one + two).flatMap((v) => request(v, requestTags(testid, '2', '503'))),
        ...(dropped > 0
          ? [sample('dropped_iterations', 'counter', dropped, { testid, instance_id: '2' })]
          : []),
      ]);
    }
    await sleep(t0 + 3000 + 50 - Date.now());
    await Promise.all(runners.map((o) => o.stop()));

    const starts = runnerStarts(
      await client.query(runSelector(testid, ['k6_tiergate_test_start_ms'])),
    );
    expect(starts).toEqual(
      new Map([
        ['1', t0],
        ['2', t0],
      ]),
    );
    const ingest = new SeriesIngest(Math.min(...starts.values()));
    const buckets = ingest.read(
      await client.range(ingest.rangeQuery(seriesQuery(testid), Date.now())),
    );
    const seconds = buckets.filter((b) => b.t < 3);
    expect(
      seconds.map((b) => [
        b.t,
        b.completed,
        b.sent,
        b.errors,
        b.dropped,
        decode(b.latency).totalCount,
      ]),
    ).toEqual(
      plan.map(([one, two, errors, dropped], t) => [
        t,
        one + two + errors,
        one + two + errors,
        errors,
        dropped,
        one + two + errors,
      ]),
    );
    // Later seconds (the final pushes) add nothing.
    for (const b of buckets.filter((x) => x.t >= 3)) expect([b.completed, b.sent]).toEqual([0, 0]);
    expect(seconds[1]!.errorKinds).toEqual({ http_503: 1 });
    expect(seconds[2]!.byRequest.checkout).toMatchObject({ completed: 13, errors: 0 });
    expect(ingest.requests).toBe(fed.length);
    expect(ingest.histogramCount).toBe(fed.length);

    // The reader's merged histogram (each latency at its bucket's upper bound): p99 within a bucket.
    const merged = newHistogram();
    for (const b of buckets) addEncoded(merged, b.latency);
    const p99 = merged.getValueAtPercentile(99) / 1000;
    const exact = exactPercentile(fed, 99);
    expect(p99, `p99 ${p99} vs exact ${exact}`).toBeGreaterThanOrEqual(exact * 0.999);
    expect(p99, `p99 ${p99} vs exact ${exact}`).toBeLessThanOrEqual(exact * BUCKET * 1.001);
  }, 30_000);
});

describe('experimental-prometheus-rw against an endpoint that refuses', () => {
  it('logs the refusal k6-style on stderr, keeps taking samples, and stop() resolves', async () => {
    const seen: { headers: IncomingMessage['headers']; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('out of order sample\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const o = createPrometheusRemoteWrite({
        K6_PROMETHEUS_RW_SERVER_URL: url,
        K6_FEATURES: 'native-histograms',
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '100ms',
      });
      const tags = { testid: 'refused', Zone: 'eu', name: 'checkout' };
      o.add(request(12.5, tags));
      await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(1), { timeout: 5000 });
      expect(() => o.add(request(20, tags))).not.toThrow();
      await o.stop();

      const lines = stderr.mock.calls
        .map(([chunk]) => String(chunk))
        .filter((l) => l.includes('level=error'));
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines[0]).toMatch(
        new RegExp(
          `^time="\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ" level=error msg="Failed to send the time series data to the endpoint" error="HTTP 400 from ${url.replace(/[.]/g, '\\.')}: out of order sample" output="Prometheus remote write"\n$`,
        ),
      );

      // The wire format, as Prometheus' receiver reads it.
      const last = seen.at(-1)!;
      expect(last.headers).toMatchObject({
        'content-encoding': 'snappy',
        'content-type': 'application/x-protobuf',
        'x-prometheus-remote-write-version': '0.1.0',
      });
      const decoded = WriteRequest.toObject(
        WriteRequest.decode(uncompress(new Uint8Array(last.body))),
        {
          longs: Number,
        },
      ) as {
        timeseries: {
          labels: { name: string; value: string }[];
          samples?: { value: number; timestamp: number }[];
          histograms?: Record<string, unknown>[];
        }[];
      };
      const byName = new Map(
        decoded.timeseries.map((s) => [s.labels.find((l) => l.name === '__name__')!.value, s]),
      );
      // Byte order, as Prometheus requires: an upper-case tag sorts before `__name__`.
      expect(byName.get('k6_http_reqs_total')!.labels.map((l) => l.name)).toEqual([
        'Zone',
        '__name__',
        'name',
        'testid',
      ]);
      expect(byName.get('k6_http_reqs_total')!.samples).toEqual([
        { value: 2, timestamp: expect.any(Number) },
      ]);
      const [h] = byName.get('k6_http_req_duration_seconds')!.histograms!;
      expect(h).toMatchObject({
        countInt: 2,
        sum: 0.0325,
        schema: 3,
        zeroThreshold: 2 ** -128,
        // 12.5 ms and 20 ms: buckets -50 (0.01205, 0.01314] and -45 (0.01858, 0.02026], two spans.
        positiveSpans: [
          { offset: bucketIndex(0.0125), length: 1 },
          { offset: bucketIndex(0.02) - bucketIndex(0.0125) - 1, length: 1 },
        ],
        positiveDeltas: [1, 0],
      });
      expect([bucketIndex(0.0125), bucketIndex(0.02)]).toEqual([-50, -45]);
    } finally {
      stderr.mockRestore();
      await new Promise((r) => server.close(r));
    }
  });

  it('logs an endpoint that is down, and does not throw', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise((r) => server.close(r));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const o = createPrometheusRemoteWrite({
        K6_PROMETHEUS_RW_SERVER_URL: `http://127.0.0.1:${port}/api/v1/write`,
        K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
      });
      o.add([sample('vus', 'gauge', 3, {})]);
      await expect(o.stop()).resolves.toBeUndefined();
      const lines = stderr.mock.calls.map(([chunk]) => String(chunk));
      expect(lines.join('')).toMatch(
        /level=error msg="Failed to send the time series data to the endpoint" error="POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write: ECONNREFUSED"/,
      );
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('experimental-prometheus-rw in a process of its own', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  /** A process that pushes every 50 ms to a closed port and ends its main work after 400 ms. */
  function run(stop: boolean): Promise<{ code: number | null; ms: number; stderr: string }> {
    const script = `
      import { createPrometheusRemoteWrite } from './test/k6-standin/prometheus-rw.ts';
      const o = createPrometheusRemoteWrite({
        K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:1/api/v1/write',
        K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '50ms',
      });
      const feed = () => o.add([{ metric: 'vus', type: 'gauge', contains: 'default', value: 1, timeMs: Date.now(), tags: {} }]);
      feed();
      const feeding = setInterval(feed, 40);
      setTimeout(() => {
        clearInterval(feeding);
        ${stop ? 'o.stop().then(() => console.log("stopped"));' : ''}
      }, 400);
    `;
    const started = Date.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    let out = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    return new Promise((resolve) => {
      child.once('exit', (code) => {
        clearTimeout(killer);
        resolve({ code, ms: Date.now() - started, stderr: err + out });
      });
    });
  }

  it('pushes on its timer while the process works, and the timer does not keep it alive', async () => {
    const [idle, stopped] = await Promise.all([run(false), run(true)]);
    for (const r of [idle, stopped]) {
      expect(r.code, r.stderr).toBe(0);
      // Exited on its own (SIGKILL after 20 s would leave code null).
      expect(r.ms).toBeLessThan(20_000);
      expect(
        r.stderr.match(/level=error msg="Failed to send/g)?.length ?? 0,
      ).toBeGreaterThanOrEqual(2);
    }
    expect(stopped.stderr).toContain('stopped');
  }, 30_000);
});
