import { describe, expect, it } from 'vitest';
import {
  ERROR_GUARD_ID,
  evaluateGate,
  evaluateObjective,
  generatorValidity,
  NO_OBJECTIVES_REASON,
  withErrorGuard,
} from './gate.ts';
import type { LatencySummary, WindowStats } from './model.ts';
import { parseObjective } from './objective.ts';
import { DEFAULT_BUDGET } from './plan.ts';

const latency = (p95: number, count = 1000): LatencySummary => ({
  count,
  min: 1,
  mean: p95 / 2,
  p50: p95 / 2,
  p75: p95 * 0.8,
  p90: p95 * 0.9,
  p95,
  p99: p95 * 1.5,
  'p99.9': p95 * 2,
  max: p95 * 3,
});

function stats(over: Partial<WindowStats> = {}): WindowStats {
  return {
    window: 'whole',
    startS: 0,
    endS: 10,
    scheduled: 1000,
    completed: 1000,
    errors: 0,
    dropped: 0,
    latency: latency(100),
    serviceTime: latency(90),
    sendLag: latency(0.2),
    ...over,
  };
}

describe('evaluateObjective at the edges', () => {
  const p95 = parseObjective('p95 < 200ms');
  it('passes just under the limit and fails at and just over it', () => {
    expect(evaluateObjective(p95, stats({ latency: latency(199.999) })).status).toBe('pass');
    expect(evaluateObjective(p95, stats({ latency: latency(200) })).status).toBe('fail');
    const over = evaluateObjective(p95, stats({ latency: latency(230) }));
    expect(over.status).toBe('fail');
    expect(over.observed).toBe(230);
    expect(over.limit).toBe(200);
    expect(over.samples).toBe(1000);
    expect(over.reason).toMatch(/by 30 ms \(\+15\.0%\)/);
  });

  it('treats <= as inclusive (a figure at the limit is met, though not proven)', () => {
    expect(
      evaluateObjective(parseObjective('error_rate <= 1%'), stats({ errors: 10 })).status,
    ).toBe('unproven');
    expect(
      evaluateObjective(parseObjective('error_rate <= 1%'), stats({ errors: 11 })).status,
    ).toBe('fail');
  });

  it('computes availability and throughput ratio', () => {
    const a = evaluateObjective(parseObjective('availability >= 99.9%'), stats({ errors: 2 }));
    expect(a.observed).toBeCloseTo(0.998, 9);
    expect(a.status).toBe('fail');
    const t = evaluateObjective(
      parseObjective('throughput_ratio >= 95%'),
      stats({ completed: 960 }),
    );
    expect(t.observed).toBeCloseTo(0.96, 9);
    // 960 of 1,000 only show ≥ 94.8 % at 95 % confidence: met, not proven.
    expect(t.status).toBe('unproven');
    expect(t.bound).toBeCloseTo(0.9482, 3);
  });

  it('fails closed on no data, unless optional', () => {
    const empty = stats({ completed: 0, scheduled: 0, latency: latency(0, 0) });
    const v = evaluateObjective(p95, empty);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/no data fails closed/);
    expect(evaluateObjective(p95, undefined).status).toBe('fail');
    const optional = evaluateObjective({ ...p95, optional: true }, empty);
    expect(optional.status).toBe('skipped');
  });

  it('marks a breached warn-severity objective warn, not fail', () => {
    const o = parseObjective('p95 < 50ms', { severity: 'warn' });
    expect(evaluateObjective(o, stats()).status).toBe('warn');
  });
});

describe('baseline-relative objectives', () => {
  const factor = parseObjective('p95 <= 2x baseline');
  const within = parseObjective('p95 within 20% of baseline');
  it('resolves the limit from the baseline run', () => {
    const v = evaluateObjective(
      factor,
      stats({ latency: latency(190) }),
      stats({ latency: latency(100) }),
    );
    expect(v.limit).toBe(200);
    expect(v.baseline).toBe(100);
    expect(v.status).toBe('pass');
    expect(evaluateObjective(factor, stats({ latency: latency(201) }), stats()).status).toBe(
      'fail',
    );
  });

  it('guards the worse side for "within x %"', () => {
    expect(evaluateObjective(within, stats({ latency: latency(119) }), stats()).status).toBe(
      'pass',
    );
    expect(evaluateObjective(within, stats({ latency: latency(121) }), stats()).status).toBe(
      'fail',
    );
    expect(evaluateObjective(within, stats({ latency: latency(50) }), stats()).status).toBe('pass');
    const thr = parseObjective('throughput within 10% of baseline');
    expect(evaluateObjective(thr, stats({ completed: 850 }), stats()).status).toBe('fail');
  });

  /** p95 of `estimate` whose 95 % bounds are [lower, upper] (null: not bounded). */
  const bounded = (estimate: number, lower: number | null, upper: number | null) => ({
    ...latency(estimate),
    confidence: 0.95,
    bounds: Object.fromEntries(
      (['p50', 'p75', 'p90', 'p95', 'p99', 'p99.9'] as const).map((q) => [q, { lower, upper }]),
    ) as NonNullable<LatencySummary['bounds']>,
  });

  it('proves a relative limit against the baseline bound that makes it tightest', () => {
    // run p95 ≤ 60 ms at 95 %; the baseline's is ≥ 30 ms, so its limit is ≥ 60 ms: proven.
    const proven = evaluateObjective(
      factor,
      stats({ latency: bounded(50, 45, 60) }),
      stats({ latency: bounded(40, 30, 45) }),
    );
    expect(proven.limit).toBe(80);
    expect(proven.status).toBe('pass');
    expect(proven.reason).toMatch(/against 60 ms from the baseline's lower bound 30 ms/);
    // The baseline may be as fast as 25 ms: a limit of 50 ms, which the run's 60 ms passes.
    const open = evaluateObjective(
      factor,
      stats({ latency: bounded(50, 45, 60) }),
      stats({ latency: bounded(40, 25, 45) }),
    );
    expect(open.status).toBe('unproven');
    expect(open.reason).toMatch(/unproven: .*against 50 ms from the baseline's lower bound 25 ms/);
  });

  it('leaves a relative limit unproven when the baseline cannot be bounded', () => {
    const v = evaluateObjective(
      factor,
      stats({ latency: bounded(50, 45, 60) }),
      stats({ latency: bounded(40, null, 45) }),
    );
    expect(v.status).toBe('unproven');
    expect(v.needs).toMatch(/the baseline's lower bound is needed too/);
  });

  it('fails a relative limit only when the bounds of both runs show the breach', () => {
    // The run is ≥ 110 ms; the baseline ≤ 50 ms, so its limit ≤ 100 ms: broken beyond doubt.
    const shown = evaluateObjective(
      factor,
      stats({ latency: bounded(130, 110, 150) }),
      stats({ latency: bounded(40, 30, 50) }),
    );
    expect(shown.status).toBe('fail');
    expect(shown.reason).toMatch(
      /breaks <= 80 ms .*\(the run's 95 % lower bound 110 ms against 100 ms from the baseline's upper bound 50 ms\)/,
    );
  });

  it('calls a relative breach on the estimates alone inconclusive, with the samples that settle it', () => {
    // 90 ms breaks 2 × 40 ms, but the run may be 60 ms and the baseline 50 ms (a 100 ms limit).
    const v = evaluateObjective(
      factor,
      stats({ latency: bounded(90, 60, 120) }),
      stats({ latency: bounded(40, 30, 50) }),
    );
    expect(v.status).toBe('unproven');
    expect(v.breachUnproven).toBe(true);
    expect(v.reason).toMatch(
      /breaks <= 80 ms .* on the estimates, inconclusive: the run's 95 % lower bound 60 ms against 100 ms/,
    );
    // Both intervals shrink as 1/√k: (90 − 30/√k) > 2(40 + 10/√k) from k = 25 on, so about
    // 25 × the 1,000 samples (to the search's 5 % resolution).
    expect(v.needs).toMatch(/^about [\d,]+ samples in each run could tell, if the estimates hold$/);
    const needed = Number(v.needs!.match(/about ([\d,]+)/)![1]!.replace(/,/g, ''));
    expect(needed).toBeGreaterThanOrEqual(25_000);
    expect(needed).toBeLessThanOrEqual(25_000 * 1.05 + 10);
    // A breach of a limit from an exact figure stays a breach (throughput has no bounds).
    const thr = parseObjective('throughput within 10% of baseline');
    expect(evaluateObjective(thr, stats({ completed: 850 }), stats()).status).toBe('fail');
  });

  it('fails without a baseline unless optional', () => {
    expect(evaluateObjective(factor, stats()).status).toBe('fail');
    expect(evaluateObjective(factor, stats()).reason).toMatch(/no baseline run given/);
    expect(evaluateObjective({ ...factor, optional: true }, stats()).status).toBe('skipped');
  });
});

describe('evaluateGate', () => {
  const objectives = [
    parseObjective('p95 < 200ms'),
    parseObjective('error_rate < 1%', { severity: 'warn' }),
  ];
  it('is pass, warn, fail by the worst objective', () => {
    expect(evaluateGate({ objectives, stats: () => stats() }).status).toBe('pass');
    expect(evaluateGate({ objectives, stats: () => stats({ errors: 50 }) }).status).toBe('warn');
    expect(evaluateGate({ objectives, stats: () => stats({ latency: latency(300) }) }).status).toBe(
      'fail',
    );
  });

  it('is inconclusive when the generator fell behind, whatever the objectives say', () => {
    const lagging = stats({ sendLag: latency(40) });
    const reasons = generatorValidity(lagging, DEFAULT_BUDGET);
    expect(reasons[0]).toMatch(/send lag p99 60\.0 ms > 25 ms/);
    const gate = evaluateGate({ objectives, stats: () => lagging, inconclusiveReasons: reasons });
    expect(gate.status).toBe('inconclusive');
    expect(generatorValidity(stats({ dropped: 20 }), DEFAULT_BUDGET)[0]).toMatch(
      /could not be sent on time/,
    );
    expect(generatorValidity(stats({ dropped: 10 }), DEFAULT_BUDGET)).toEqual([]);
  });
});

describe('the failed-requests guard', () => {
  const ids = (objectives: Parameters<typeof withErrorGuard>[0], allow = false) =>
    withErrorGuard(objectives, allow).map((o) => o.id);

  it('adds error_rate <= 1% when no objective judges failed requests of all requests', () => {
    expect(ids([parseObjective('p99 < 300ms')])).toEqual(['p99', ERROR_GUARD_ID]);
    expect(ids([parseObjective('error_rate < 5%', { request: 'checkout' })])).toContain(
      ERROR_GUARD_ID,
    );
    expect(ids([])).toEqual([ERROR_GUARD_ID]);
    expect(ids([parseObjective('error_rate < 5%', { window: 'steady' })])).not.toContain(
      ERROR_GUARD_ID,
    );
    expect(ids([parseObjective('availability >= 99%')])).not.toContain(ERROR_GUARD_ID);
    expect(ids([parseObjective('p99 < 300ms')], true)).toEqual(['p99']);
  });

  it('fails a latency-only gate whose requests failed, and names itself implicit', () => {
    const gate = evaluateGate({
      objectives: [parseObjective('p99 < 300ms')],
      stats: () => stats({ errors: 1000 }),
    });
    expect(gate.status).toBe('fail');
    expect(gate.objectives[1]).toMatchObject({
      id: ERROR_GUARD_ID,
      status: 'fail',
      expression: 'error_rate <= 1% (implicit)',
    });
    expect(
      evaluateGate({
        objectives: [parseObjective('p99 < 300ms')],
        stats: () => stats({ errors: 10 }),
      }).status,
    ).toBe('pass');
  });

  it('is inconclusive with nothing to judge (opted out, no objectives)', () => {
    const gate = evaluateGate({ objectives: [], allowErrors: true, stats: () => stats() });
    expect(gate.status).toBe('inconclusive');
    expect(gate.inconclusiveReasons).toEqual([NO_OBJECTIVES_REASON]);
  });
});
