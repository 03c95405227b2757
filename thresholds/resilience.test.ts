import { describe, expect, it } from 'vitest';
import type { LatencySummary, WindowStats } from './model.ts';
import { parseObjective } from './objective.ts';
import { resilienceTimes } from './resilience.ts';

const lat = (p95: number): LatencySummary => ({
  count: 100,
  min: 1,
  mean: p95,
  p50: p95,
  p75: p95,
  p90: p95,
  p95,
  p99: p95,
  'p99.9': p95,
  max: p95,
});
const second = (t: number, p95: number, errors = 0, completed = 100): WindowStats => ({
  window: 'whole',
  startS: t,
  endS: t + 1,
  scheduled: completed,
  completed,
  errors,
  dropped: 0,
  latency: lat(p95),
  serviceTime: lat(p95),
  sendLag: lat(0.1),
});
const steady = [parseObjective('p95 < 100ms'), parseObjective('error_rate < 1%')];

describe('resilienceTimes', () => {
  it('measures detection from fault start and recovery from fault end', () => {
    // fault held 10..20; seconds 12..24 are bad (slow), good again from 25.
    const seconds = Array.from({ length: 40 }, (_, t) => second(t, t >= 12 && t < 25 ? 300 : 10));
    expect(resilienceTimes(seconds, steady, { startS: 10, endS: 20 }, 5)).toEqual({
      timeToDetectS: 2,
      timeToRecoverS: 5,
    });
  });

  it('needs consecutive good seconds, and says null when the system never recovered', () => {
    const flapping = Array.from({ length: 40 }, (_, t) =>
      second(t, t >= 20 && t % 3 === 0 ? 300 : 10),
    );
    expect(
      resilienceTimes(flapping, steady, { startS: 10, endS: 20 }, 5).timeToRecoverS,
    ).toBeNull();
    const errors = Array.from({ length: 30 }, (_, t) => second(t, 10, t >= 10 ? 5 : 0));
    expect(resilienceTimes(errors, steady, { startS: 10, endS: 20 }, 3)).toEqual({
      timeToDetectS: 0,
      timeToRecoverS: null,
    });
  });

  it('counts a second without samples as not good', () => {
    const seconds = Array.from({ length: 30 }, (_, t) =>
      second(t, 10, 0, t >= 20 && t < 23 ? 0 : 100),
    );
    expect(resilienceTimes(seconds, steady, { startS: 10, endS: 20 }, 2)).toEqual({
      timeToDetectS: null,
      timeToRecoverS: 3,
    });
  });
});
