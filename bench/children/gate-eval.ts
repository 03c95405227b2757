// Child process: gate evaluation of a long stored run, as `tiergate gate` does it: a synthetic
// run.json timeline (`seconds` × `requests` request names, every second with its encoded
// histograms, all different) → TimelineStore.fromBuckets → windowStats + judge. Prints timings.
import { judge, windowStats } from '../../runner/run/evaluate.ts';
import { encode, newHistogram, recordMs } from '../../runner/timeline/hdr.ts';
import { TimelineStore } from '../../runner/timeline/store.ts';
import { parseObjective } from '../../thresholds/objective.ts';
import { planAdhoc } from '../../thresholds/plan.ts';
import type { SecondBucket } from '../../thresholds/result.ts';
import { planWindows } from '../../thresholds/windows.ts';
import { Rng } from '../lib/synthetic.ts';

export interface GateSpec {
  seconds: number;
  requests: number;
  /** Requests per second and name in the synthetic run. */
  perRequestRps: number;
}

export interface GateResult {
  seconds: number;
  requests: number;
  histograms: number;
  runJsonMb: number;
  loadMs: number;
  windowStatsMs: number;
  judgeMs: number;
  totalMs: number;
  objectives: number;
  verdict: string;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as GateSpec;
const rng = new Rng(3);

/** A pool of distinct encoded histograms (encoding 70 000 of them would dominate the run). */
function encodedPool(size: number, samples: number): string[] {
  return Array.from({ length: size }, () => {
    const h = newHistogram();
    for (let i = 0; i < samples; i++) recordMs(h, rng.latencyMs());
    return encode(h);
  });
}

const names = Array.from({ length: spec.requests }, (_, i) => `GET /api/endpoint-${i}`);
const perRequest = encodedPool(64, spec.perRequestRps);
const all = encodedPool(16, spec.perRequestRps * spec.requests);
const lag = encodedPool(8, spec.perRequestRps * spec.requests);
const pick = (pool: string[]): string => pool[Math.floor(rng.next() * pool.length)]!;
const total = spec.perRequestRps * spec.requests;
const timeline: SecondBucket[] = Array.from({ length: spec.seconds }, (_, t) => ({
  t,
  target: total,
  sent: total,
  dropped: 0,
  completed: total,
  errors: 2,
  errorKinds: { http_503: 2 },
  latency: pick(all),
  serviceTime: pick(all),
  sendLag: pick(lag),
  byRequest: Object.fromEntries(
    names.map((n) => [n, { completed: spec.perRequestRps, errors: 0, latency: pick(perRequest) }]),
  ),
}));
const runJson = JSON.stringify(timeline);

const plan = planAdhoc({ url: 'http://127.0.0.1:8080/', rate: total, durationS: spec.seconds });
plan.journey.requests = names.map((name) => ({ name, method: 'GET', path: '/', weight: 1 }));
plan.objectives = [
  parseObjective('p99 < 2s'),
  parseObjective('error_rate < 1%'),
  ...names.flatMap((request) => [
    parseObjective('p95 < 500ms', { request }),
    parseObjective('p99 < 1s', { request, window: 'steady' }),
  ]),
];

const t0 = performance.now();
// As `tiergate gate` loads a stored run: parsed from run.json text.
const store = TimelineStore.fromBuckets(JSON.parse(runJson) as SecondBucket[]);
const t1 = performance.now();
const stats = windowStats(store, planWindows(plan, spec.seconds), names);
const t2 = performance.now();
const verdict = judge({ plan, stats });
const t3 = performance.now();

const result: GateResult = {
  seconds: spec.seconds,
  requests: spec.requests,
  histograms: spec.seconds * (3 + spec.requests),
  runJsonMb: runJson.length / (1024 * 1024),
  loadMs: t1 - t0,
  windowStatsMs: t2 - t1,
  judgeMs: t3 - t2,
  totalMs: t3 - t0,
  objectives: verdict.objectives.length,
  verdict: verdict.status,
};
console.log(JSON.stringify(result));
