import { describe, expect, it } from 'vitest';
import type { RatePhase } from './model.ts';
import { plannedArrivals } from './plan.ts';

const ramp: RatePhase[] = [
  { name: 'ramp', startS: 0, durationS: 10, fromRps: 0, toRps: 100, steady: false },
  { name: 'steady', startS: 10, durationS: 20, fromRps: 100, toRps: 100, steady: true },
  { name: 'down', startS: 30, durationS: 10, fromRps: 100, toRps: 0, steady: false },
];

describe('plannedArrivals', () => {
  it('integrates the linear phases exactly, over any span', () => {
    expect(plannedArrivals(ramp, 0, 40)).toBe(500 + 2000 + 500);
    expect(plannedArrivals(ramp, 0, 5)).toBe(125);
    expect(plannedArrivals(ramp, 5, 15)).toBe(375 + 500);
    expect(plannedArrivals(ramp, 35, 60)).toBe(125);
    expect(plannedArrivals(ramp, 50, 60)).toBe(0);
  });
});
