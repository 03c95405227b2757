// Open-model arrival times from the integral of a piecewise-linear rate plan. Arrival k is due
// when the cumulative planned arrivals reach k, so a ramp is followed exactly (no per-second
// steps) and generator g of G takes arrivals g, g+G, g+2G… (the merged rate is the plan's).
import type { RatePhase } from '../../../thresholds/model.ts';

export class ArrivalSchedule {
  private phase = 0;
  /** Cumulative arrivals at the start of `phase`. */
  private before = 0;

  constructor(private readonly phases: RatePhase[]) {}

  /** Intended time (s) of arrival k (0-based, increasing across calls), or undefined past the plan's end. */
  timeOf(k: number): number | undefined {
    for (;;) {
      const p = this.phases[this.phase];
      if (p === undefined) return undefined;
      const inPhase = ((p.fromRps + p.toRps) / 2) * p.durationS;
      const n = k - this.before;
      if (n < inPhase) return p.startS + timeWithin(p, n);
      this.before += inPhase;
      this.phase++;
    }
  }

  /** Planned arrivals over the whole schedule. */
  static total(phases: RatePhase[]): number {
    return phases.reduce((s, p) => s + ((p.fromRps + p.toRps) / 2) * p.durationS, 0);
  }
}

/**
 * Solves a·τ + c·τ²/2 = n for τ (rate a at the phase start, slope c). The form 2n / (a + √(a² + 2cn))
 * is stable for ramps up, ramps down and constant rates alike (c = 0 gives n / a).
 */
function timeWithin(p: RatePhase, n: number): number {
  if (n <= 0) return 0;
  const a = p.fromRps;
  const c = (p.toRps - p.fromRps) / p.durationS;
  const disc = Math.max(0, a * a + 2 * c * n);
  return (2 * n) / (a + Math.sqrt(disc));
}
