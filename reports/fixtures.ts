// A hand-built RunResult for the report tests: a small open-model run with two request names
// (`checkout`, `browse`), real encoded HDR histograms, and a gate with a passing, a failing
// and a warning objective. Deterministic: no randomness, no clock.
import { build, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type {
  LatencySummary,
  Objective,
  ObjectiveVerdict,
  WindowName,
  WindowStats,
} from '../thresholds/model.ts';
import { formatObjective } from '../thresholds/objective.ts';
import {
  type RequestSecond,
  RUN_SCHEMA_VERSION,
  type RunResult,
  type SecondBucket,
} from '../thresholds/result.ts';

export interface FixtureOptions {
  /** Length of the run in seconds (≥ 5); 2 seconds of ramp at each end. */
  seconds?: number;
  /** Objectives in the gate (≥ 3): the first three pass, fail and warn; the rest pass. */
  objectives?: number;
}

const RAMP_S = 2;
const PEAK_RPS = 100;

interface SecondSample {
  checkout: number[];
  browse: number[];
  checkoutErrors: Record<string, number>;
}

/** Latencies (µs) each request name sees in one second; steady seconds carry the tail. */
function secondSample(t: number, seconds: number): SecondSample {
  const ramp = t < RAMP_S || t >= seconds - RAMP_S;
  const n = ramp ? 20 : 40;
  const checkout: number[] = [];
  for (let i = 0; i < n; i++) {
    // 3 in 40 steady checkouts take 2.41 s: checkout's steady p95 is 2.41 s.
    checkout.push(!ramp && i < 3 ? 2_410_000 : 600_000 + ((i * 9_000) % 360_000));
  }
  const browse: number[] = [];
  for (let i = 0; i < n * 1.5; i++) browse.push(50_000 + ((i * 5_000) % 300_000));
  const checkoutErrors: Record<string, number> = {};
  if (!ramp) checkoutErrors.http_500 = 1;
  if (!ramp && t % 2 === 1) checkoutErrors.timeout = 1;
  return { checkout, browse, checkoutErrors };
}

interface Encoded {
  latency: Histogram;
  serviceTime: Histogram;
  sendLag: Histogram;
  byName: Record<'checkout' | 'browse', Histogram>;
  text: { latency: string; serviceTime: string; sendLag: string; checkout: string; browse: string };
}

function histogramOf(values: number[], scale = 1): Histogram {
  const h = build();
  for (const v of values) h.recordValue(Math.round(v * scale));
  return h;
}

function encodeSecond(s: SecondSample): Encoded {
  const all = [...s.checkout, ...s.browse];
  const latency = histogramOf(all);
  const serviceTime = histogramOf(all, 0.6);
  const sendLag = histogramOf(all.map((_, i) => 100 + ((i * 37) % 1_900)));
  const byName = { checkout: histogramOf(s.checkout), browse: histogramOf(s.browse) };
  return {
    latency,
    serviceTime,
    sendLag,
    byName,
    text: {
      latency: encodeIntoCompressedBase64(latency),
      serviceTime: encodeIntoCompressedBase64(serviceTime),
      sendLag: encodeIntoCompressedBase64(sendLag),
      checkout: encodeIntoCompressedBase64(byName.checkout),
      browse: encodeIntoCompressedBase64(byName.browse),
    },
  };
}

/** Latency summary in ms of a µs histogram. */
export function summarizeUs(h: Histogram): LatencySummary {
  const ms = (us: number) => us / 1000;
  const empty = h.totalCount === 0;
  return {
    count: h.totalCount,
    min: empty ? 0 : ms(h.minNonZeroValue),
    mean: empty ? 0 : ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p75: ms(h.getValueAtPercentile(75)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    'p99.9': ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
  };
}

export function makeRun(opts: FixtureOptions = {}): RunResult {
  const seconds = opts.seconds ?? 10;
  const objectiveCount = opts.objectives ?? 3;
  const cache = new Map<string, Encoded>();
  const timeline: SecondBucket[] = [];
  const perSecond: Array<{ t: number; enc: Encoded; sample: SecondSample }> = [];

  for (let t = 0; t < seconds; t++) {
    const sample = secondSample(t, seconds);
    const key = JSON.stringify([sample.checkout.length, sample.checkout[0], sample.checkoutErrors]);
    let enc = cache.get(key);
    if (!enc) {
      enc = encodeSecond(sample);
      cache.set(key, enc);
    }
    perSecond.push({ t, enc, sample });
    const errorsCheckout = Object.values(sample.checkoutErrors).reduce((a, b) => a + b, 0);
    const completed = sample.checkout.length + sample.browse.length;
    const byRequest: Record<string, RequestSecond> = {
      checkout: {
        completed: sample.checkout.length,
        errors: errorsCheckout,
        latency: enc.text.checkout,
      },
      browse: { completed: sample.browse.length, errors: 0, latency: enc.text.browse },
    };
    const dropped = t === Math.floor(seconds / 2) ? 3 : 0;
    timeline.push({
      t,
      target: completed,
      sent: completed,
      dropped,
      completed,
      errors: errorsCheckout,
      errorKinds: { ...sample.checkoutErrors },
      latency: enc.text.latency,
      serviceTime: enc.text.serviceTime,
      sendLag: enc.text.sendLag,
      byRequest,
    });
  }

  const steady = { startS: RAMP_S, endS: seconds - RAMP_S };
  const whole = { startS: 0, endS: seconds };
  const stats: WindowStats[] = [];
  for (const [window, bounds] of [
    ['whole', whole],
    ['steady', steady],
  ] as const) {
    for (const request of [undefined, 'checkout', 'browse'] as const) {
      stats.push(windowStats(window, bounds, request, perSecond, timeline));
    }
  }
  const find = (w: WindowName, r?: string) =>
    stats.find((s) => s.window === w && s.request === r) as WindowStats;

  const objectives: Objective[] = [
    {
      id: 'browse-p95-steady',
      metric: 'latency',
      stat: 'p95',
      op: '<',
      limit: { kind: 'absolute', value: 500 },
      window: 'steady',
      request: 'browse',
      severity: 'fail',
    },
    {
      id: 'checkout-p95-steady',
      metric: 'latency',
      stat: 'p95',
      op: '<',
      limit: { kind: 'absolute', value: 1500 },
      window: 'steady',
      request: 'checkout',
      severity: 'fail',
    },
    {
      id: 'error-rate',
      metric: 'error_rate',
      stat: 'value',
      op: '<',
      limit: { kind: 'absolute', value: 0.01 },
      window: 'whole',
      severity: 'warn',
    },
  ];
  for (let i = objectives.length; i < objectiveCount; i++) {
    objectives.push({
      id: `browse-p99-${i}`,
      metric: 'latency',
      stat: 'p99',
      op: '<=',
      limit: { kind: 'absolute', value: 1000 + i },
      window: 'whole',
      request: 'browse',
      severity: 'fail',
    });
  }

  const wholeAll = find('whole');
  const verdicts: ObjectiveVerdict[] = objectives.map((o, i) => {
    const s = o.metric === 'error_rate' ? wholeAll : find(o.window, o.request);
    const observed =
      o.metric === 'error_rate' ? s.errors / s.completed : s.latency[o.stat as 'p95' | 'p99'];
    const limit = o.limit.kind === 'absolute' ? o.limit.value : null;
    const status = i === 1 ? 'fail' : i === 2 ? 'warn' : 'pass';
    const reason =
      status === 'pass'
        ? 'within the limit'
        : status === 'fail'
          ? 'checkout p95 broke its limit in the steady window'
          : 'error rate above 1% ("http_500" & <timeout>), severity warn';
    return {
      id: o.id,
      objective: o,
      expression: formatObjective(o),
      window: o.window,
      status,
      observed,
      limit,
      samples: o.metric === 'error_rate' ? s.completed : s.latency.count,
      reason,
    };
  });

  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    runId: '20260101-000000-ab12',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + seconds * 1000).toISOString(),
    complete: true,
    environment: {
      tiergate: '0.1.0',
      node: 'v20.20.0',
      platform: 'linux',
      arch: 'x64',
      cpus: 2,
      cpuModel: 'test cpu',
      totalMemMb: 4096,
    },
    engine: { name: 'local', version: '0.1.0', generators: 2 },
    plan: {
      roadmap: 'ecommerce',
      tier: '10k',
      tierName: '10K users',
      target: 'http://127.0.0.1:8080',
      shape: {
        model: 'open',
        phases: [
          {
            name: 'ramp-up',
            startS: 0,
            durationS: RAMP_S,
            fromRps: 0,
            toRps: PEAK_RPS,
            steady: false,
          },
          {
            name: 'steady',
            startS: RAMP_S,
            durationS: seconds - 2 * RAMP_S,
            fromRps: PEAK_RPS,
            toRps: PEAK_RPS,
            steady: true,
          },
          {
            name: 'ramp-down',
            startS: seconds - RAMP_S,
            durationS: RAMP_S,
            fromRps: PEAK_RPS,
            toRps: 0,
            steady: false,
          },
        ],
      },
      journey: {
        name: 'shop',
        requests: [
          { name: 'browse', method: 'GET', path: '/products', weight: 3 },
          { name: 'checkout', method: 'POST', path: '/checkout', weight: 2, body: { sku: 'a' } },
        ],
      },
      objectives,
      rollbackTriggers: [],
      durationS: seconds,
      peak: PEAK_RPS,
      tierPeak: 1000,
      notes: ['Load scaled to 10% of the tier (--scale 0.1): one laptop cannot send 1000 req/s.'],
      timeoutMs: 10_000,
      maxInFlight: 1000,
      connections: 50,
      workers: 2,
      budget: { sendLagP99Ms: 50, droppedShare: 0.01 },
      recoveryGoodSeconds: 5,
    },
    outcome: { state: 'completed' },
    timeline,
    events: [
      { t: 0, kind: 'run-started' },
      { t: 0, kind: 'phase-started', subject: 'ramp-up' },
      { t: RAMP_S, kind: 'phase-started', subject: 'steady' },
      { t: seconds - RAMP_S, kind: 'phase-started', subject: 'ramp-down' },
      { t: seconds, kind: 'run-ended' },
    ],
    windows: { whole, steady },
    stats,
    verdict: { status: 'fail', objectives: verdicts, inconclusiveReasons: [] },
    exitCode: 1,
  };
}

function windowStats(
  window: WindowName,
  bounds: { startS: number; endS: number },
  request: 'checkout' | 'browse' | undefined,
  perSecond: Array<{ t: number; enc: Encoded; sample: SecondSample }>,
  timeline: SecondBucket[],
): WindowStats {
  const latency = build();
  const serviceTime = build();
  const sendLag = build();
  let completed = 0;
  let errors = 0;
  let dropped = 0;
  for (const { t, enc } of perSecond) {
    if (t < bounds.startS || t >= bounds.endS) continue;
    const bucket = timeline[t]!;
    if (request) {
      latency.add(enc.byName[request]);
      const r = bucket.byRequest[request]!;
      completed += r.completed;
      errors += r.errors;
    } else {
      latency.add(enc.latency);
      serviceTime.add(enc.serviceTime);
      sendLag.add(enc.sendLag);
      completed += bucket.completed;
      errors += bucket.errors;
      dropped += bucket.dropped;
    }
  }
  const stats: WindowStats = {
    window,
    startS: bounds.startS,
    endS: bounds.endS,
    scheduled: completed + dropped,
    completed,
    errors,
    dropped,
    latency: summarizeUs(latency),
    serviceTime: summarizeUs(request ? latency : serviceTime),
    sendLag: summarizeUs(request ? build() : sendLag),
  };
  if (request) stats.request = request;
  return stats;
}
