import { describe, expect, it } from 'vitest';
import type { RatePhase } from '../../../thresholds/model.ts';
import { ArrivalSchedule } from './arrivals.ts';

const phase = (startS: number, durationS: number, fromRps: number, toRps: number): RatePhase => ({
  name: 'p',
  startS,
  durationS,
  fromRps,
  toRps,
  steady: false,
});

function arrivalsUntil(phases: RatePhase[]): number[] {
  const s = new ArrivalSchedule(phases);
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const t = s.timeOf(k);
    if (t === undefined) return out;
    out.push(t);
  }
}

describe('ArrivalSchedule', () => {
  it('spaces a constant rate evenly', () => {
    const times = arrivalsUntil([phase(0, 2, 10, 10)]);
    expect(times).toHaveLength(20);
    expect(times[1]! - times[0]!).toBeCloseTo(0.1, 9);
    expect(times[19]).toBeCloseTo(1.9, 9);
  });

  it('follows a linear ramp: arrivals in each second match the integral of the rate', () => {
    const times = arrivalsUntil([phase(0, 10, 0, 100)]);
    expect(times.length).toBe(500);
    const perSecond = Array.from(
      { length: 10 },
      (_, s) => times.filter((t) => Math.floor(t) === s).length,
    );
    // ∫ from s to s+1 of 10t dt = 10s + 5
    for (const [s, n] of perSecond.entries()) {
      expect(Math.abs(n - (10 * s + 5))).toBeLessThanOrEqual(1);
    }
  });

  it('ramps down and chains phases without gaps', () => {
    const times = arrivalsUntil([phase(0, 1, 100, 100), phase(1, 2, 100, 0)]);
    expect(times.length).toBe(200);
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
    expect(times.at(-1)!).toBeLessThan(3);
  });

  it('interleaves generators so their union is the plan', () => {
    const phases = [phase(0, 1, 0, 300)];
    const all = arrivalsUntil(phases);
    const g = 3;
    const shares = Array.from({ length: g }, (_, w) => {
      const s = new ArrivalSchedule(phases);
      const out: number[] = [];
      for (let k = w; ; k += g) {
        const t = s.timeOf(k);
        if (t === undefined) return out;
        out.push(t);
      }
    });
    expect(shares.flat().sort((a, b) => a - b)).toEqual(all);
  });
});
