// The options compiler: plan phases → k6 scenarios, objectives → k6 thresholds.
import { describe, expect, it } from 'vitest';
import { compileOptions } from '../../../scenarios/lib/options.ts';
import { scaleRates } from '../../../scenarios/lib/rates.ts';
import type { LoadPlan, Objective } from '../../../thresholds/model.ts';
import { parseObjective } from '../../../thresholds/objective.ts';
import { planAdhoc, planTier } from '../../../thresholds/plan.ts';
import { findRoadmap, findTier } from '../../../thresholds/roadmaps/index.ts';

function tierPlan(roadmap: string, tier: string): LoadPlan {
  const r = findRoadmap(roadmap)!;
  return planTier(findTier(r, tier)!, { roadmap, target: 'http://127.0.0.1:9' });
}

function adhoc(rate: number, objectives: Objective[] = []): LoadPlan {
  return planAdhoc({ url: 'http://127.0.0.1:9/', rate, durationS: 10, rampS: 5, objectives });
}

describe('scaleRates', () => {
  it('keeps whole rates per second', () => {
    expect(scaleRates([0, 50])).toEqual({ timeUnitS: 1, rates: [0, 50], error: 0 });
  });

  it('stretches the time unit for a fractional rate: 25.5/s → 51 per 2s', () => {
    expect(scaleRates([25.5, 25.5])).toEqual({ timeUnitS: 2, rates: [51, 51], error: 0 });
    expect(scaleRates([12.5, 2.25])).toEqual({ timeUnitS: 4, rates: [50, 9], error: 0 });
  });

  it('settles within 0.1 % when no unit is exact', () => {
    const s = scaleRates([1000 / 36, Math.PI]);
    expect(s.error).toBeLessThanOrEqual(0.001);
    expect(Math.abs(s.rates[1]! / s.timeUnitS - Math.PI) / Math.PI).toBeLessThanOrEqual(0.001);
  });
});

describe('compileOptions: executors', () => {
  it('makes one arrival-rate scenario per phase, each at its start time', () => {
    const { options } = compileOptions(adhoc(50), { abortOnFail: true });
    expect(Object.keys(options.scenarios)).toEqual(['ramp-up', 'steady']);
    expect(options.scenarios['ramp-up']).toMatchObject({
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      stages: [{ duration: '5s', target: 50 }],
      startTime: '0s',
    });
    expect(options.scenarios.steady).toMatchObject({
      executor: 'constant-arrival-rate',
      rate: 50,
      timeUnit: '1s',
      duration: '10s',
      startTime: '5s',
    });
  });

  it('writes a fractional rate as whole iterations per longer unit', () => {
    const { options } = compileOptions(adhoc(25.5), { abortOnFail: true });
    expect(options.scenarios.steady).toMatchObject({ rate: 51, timeUnit: '2s' });
    expect(options.scenarios['ramp-up']).toMatchObject({ startRate: 0, timeUnit: '2s' });
  });

  it('sizes VUs from rate × the loosest latency limit, else 1 s, up to the in-flight cap', () => {
    const none = compileOptions(adhoc(100), { abortOnFail: true }).options.scenarios.steady;
    expect(none).toMatchObject({ preAllocatedVUs: 100, maxVUs: 1500 });
    const slow = adhoc(100, [parseObjective('p95 < 2s'), parseObjective('p99 < 500ms')]);
    expect(compileOptions(slow, { abortOnFail: true }).options.scenarios.steady).toMatchObject({
      preAllocatedVUs: 200,
    });
    const capped = { ...adhoc(1000), maxInFlight: 300 };
    expect(compileOptions(capped, { abortOnFail: true }).options.scenarios.steady).toMatchObject({
      preAllocatedVUs: 300,
      maxVUs: 300,
    });
  });

  it('gives every k6 process at least one VU of its own', () => {
    const { options } = compileOptions(adhoc(0.5), { abortOnFail: false, generators: 4 });
    expect(options.scenarios.steady).toMatchObject({ rate: 1, timeUnit: '2s', preAllocatedVUs: 4 });
  });

  it('skips phases without load and writes fractional seconds in ms', () => {
    const plan = { ...adhoc(10), durationS: 2.25 };
    plan.shape = {
      model: 'open',
      phases: [
        { name: 'idle', startS: 0, durationS: 1, fromRps: 0, toRps: 0, steady: false },
        { name: 'steady 1', startS: 1, durationS: 1.25, fromRps: 10, toRps: 10, steady: true },
      ],
    };
    const { options } = compileOptions(plan, { abortOnFail: true });
    expect(Object.keys(options.scenarios)).toEqual(['steady_1']);
    expect(options.scenarios.steady_1).toMatchObject({ startTime: '1s', duration: '1250ms' });
    expect(options.thresholds['http_req_duration{scenario:steady_1}']).toBeUndefined();
  });

  it('runs a closed-model (VU) tier as ramping-vus', () => {
    const { options } = compileOptions(tierPlan('ai-platform', 'cutover'), { abortOnFail: true });
    const scenarios = Object.values(options.scenarios);
    expect(scenarios.length).toBeGreaterThan(0);
    for (const s of scenarios) expect(s.executor).toBe('ramping-vus');
    expect(options.thresholds.dropped_iterations).toBeUndefined();
  });
});

describe('compileOptions: thresholds', () => {
  const plan = tierPlan('ecommerce', '10k');

  it('scopes steady-window objectives to the steady scenario and requests to their name tag', () => {
    const { options } = compileOptions(plan, { abortOnFail: true });
    expect(options.thresholds['http_req_duration{scenario:steady,name:checkout}']).toEqual([
      'p(95)<1500',
    ]);
    // availability ≥ 99.9 % → failed share ≤ 0.1 %; error_rate < 1 %
    expect(options.thresholds['http_req_failed{scenario:steady}']).toEqual([
      'rate<=0.001',
      'rate<0.01',
    ]);
  });

  it('makes rollback triggers abortOnFail with their warm-up as delayAbortEval', () => {
    const { options } = compileOptions(plan, { abortOnFail: true });
    expect(options.thresholds.http_req_failed).toContainEqual({
      threshold: 'rate<=0.01',
      abortOnFail: true,
      delayAbortEval: '10s',
    });
  });

  it('keeps triggers as plain thresholds when tiergate aborts globally (the k6 engine)', () => {
    const { options } = compileOptions(plan, { abortOnFail: false });
    expect(options.thresholds.http_req_failed).toContain('rate<=0.01');
    for (const list of Object.values(options.thresholds)) {
      for (const t of list) expect(typeof t).toBe('string');
    }
  });

  it('bounds dropped iterations by the generator budget', () => {
    const { options } = compileOptions(plan, { abortOnFail: true });
    // 12.5/2·60 + 37.5/2·60 + 25·300 + 12.5·30 = 9375 scheduled; 1 % of it
    expect(options.thresholds.dropped_iterations).toEqual(['count<=93']);
  });

  it('maps statistics and comparators, and says what k6 cannot express', () => {
    const objectives = [
      parseObjective('p99.9 <= 800ms', { window: 'whole' }),
      parseObjective('mean < 100ms'),
      parseObjective('availability > 99%'),
      parseObjective('throughput_ratio >= 95%', { id: 'ratio', window: 'steady' }),
      parseObjective('p95 <= 2x baseline', { id: 'vs-baseline' }),
      parseObjective('error_rate < 5%', { id: 'chaos-errors', window: 'chaos' }),
      parseObjective('p50 < 10ms', { id: 'soft', severity: 'warn' }),
      parseObjective('p95 < 1s', { id: 'comma', request: 'a,b' }),
    ];
    const { options, notes } = compileOptions(adhoc(10, objectives), { abortOnFail: true });
    expect(options.thresholds.http_req_duration).toEqual(['p(99.9)<=800', 'avg<100']);
    expect(options.thresholds.http_req_failed).toEqual(['rate<0.01']);
    for (const id of ['ratio', 'vs-baseline', 'chaos-errors', 'soft', 'comma']) {
      expect(notes.some((n) => n.startsWith(`${id} `))).toBe(true);
    }
  });
});
