import { describe, expect, it } from 'vitest';
import {
  type CapacityOptions,
  type CapacityRung,
  type CapacityStep,
  type CapacityStepStatus,
  capacityStatus,
  cappedRungs,
  doublingRungs,
  findings,
  type LadderTier,
  nextStep,
} from './capacity.ts';

const OPTIONS: CapacityOptions = { resolution: 0.05, maxSteps: 20 };

function step(
  index: number,
  rateRps: number,
  status: CapacityStepStatus,
  tier?: string,
): CapacityStep {
  return {
    index,
    rateRps,
    kind: 'climb',
    ...(tier !== undefined ? { tier } : {}),
    status,
    startS: 0,
    holdStartS: 0,
    endS: 0,
    scheduled: 0,
    completed: 0,
    dropped: 0,
    errors: 0,
    achievedRps: rateRps,
    latencyMs: { p50: null, p95: null, p99: null },
    errorRate: 0,
    reason: status,
  };
}

/** Runs the search against `outcome(rate)` until it stops; the steps it took. */
function search(
  rungs: CapacityRung[],
  outcome: (rate: number, i: number) => CapacityStepStatus,
  o: CapacityOptions = OPTIONS,
): { steps: CapacityStep[]; stop: string } {
  const steps: CapacityStep[] = [];
  for (;;) {
    const next = nextStep(rungs, steps, o);
    if (next.kind === 'stop') return { steps, stop: next.stop };
    const rate = next.kind === 'climb' ? next.rung.rateRps : next.rateRps;
    const tier = next.kind === 'climb' ? next.rung.tier : next.tier;
    steps.push({ ...step(steps.length, rate, outcome(rate, steps.length), tier), kind: next.kind });
  }
}

const ECOMMERCE: LadderTier[] = [
  { id: '1k', rateRps: 2.5 },
  { id: '10k', rateRps: 25 },
  { id: '30k', rateRps: 75 },
  {
    id: '50k',
    rateRps: 125,
    nextPhase: {
      capacityShare: 0.8,
      source: { seed: '002_c7c80fd92324b3a9.txt', line: 1, quote: 'q' },
    },
  },
  { id: '70k', rateRps: 175 },
  { id: '1m', rateRps: 2500 },
];
const RUNGS = ECOMMERCE.map((t) => ({ rateRps: t.rateRps, tier: t.id }));

describe('capacity search', () => {
  it('doubles from --from to --to, and caps the rungs at --max-rate', () => {
    expect(doublingRungs(50, 500).map((r) => r.rateRps)).toEqual([50, 100, 200, 400, 500]);
    expect(cappedRungs(RUNGS, 100).map((r) => [r.rateRps, r.tier])).toEqual([
      [2.5, '1k'],
      [25, '10k'],
      [75, '30k'],
      [100, '50k'],
    ]);
    expect(cappedRungs(RUNGS, 75).map((r) => r.rateRps)).toEqual([2.5, 25, 75]);
  });

  it('climbs the tiers, bisects between the last that held and the first that broke, to the resolution', () => {
    const capacity = 140;
    const { steps, stop } = search(RUNGS, (r) => (r <= capacity ? 'pass' : 'fail'));
    expect(stop).toBe('resolved');
    expect(steps.slice(0, 5).map((s) => s.tier)).toEqual(['1k', '10k', '30k', '50k', '70k']);
    const f = findings(steps, 'resolved', ECOMMERCE);
    expect(f.knee!.rateRps).toBeLessThanOrEqual(capacity);
    expect(f.break!.rateRps / f.knee!.rateRps).toBeLessThanOrEqual(1.05);
    expect(f.break!.rateRps).toBeGreaterThan(capacity);
    // The bisection runs the broken tier's journey and objectives.
    expect(steps.slice(5).every((s) => s.tier === '70k' && s.kind === 'bisect')).toBe(true);
    expect(f.highestTier).toEqual({ id: '50k', rateRps: 125 });
    expect(f.nextTier!.id).toBe('70k');
    expect(f.nextTier!.headroom).toBeCloseTo(f.knee!.rateRps / 175, 10);
    // 125 / knee ≥ 80 %: the roadmap's next-phase advice, cited.
    expect(f.utilisation!.share).toBeCloseTo(125 / f.knee!.rateRps, 10);
    expect(f.utilisation!.advice).toMatch(/plan the next phase/);
    expect(f.utilisation!.advice).toContain('002_c7c80fd92324b3a9.txt:1');
    expect(capacityStatus(f, steps)).toBe('pass');
  });

  it('never reports a knee above a step that broke, and stops, however noisy the target', () => {
    for (let seed = 1; seed <= 200; seed++) {
      let x = seed;
      const random = () => {
        x = (x * 1103515245 + 12345) % 2 ** 31;
        return x / 2 ** 31;
      };
      // Near the knee (100–300 req/s) a step passes or fails at random.
      const { steps, stop } = search(doublingRungs(10, 5000), (r) =>
        r < 100 ? 'pass' : r > 300 ? 'fail' : random() < 0.5 ? 'pass' : 'fail',
      );
      expect(steps.length).toBeLessThanOrEqual(OPTIONS.maxSteps);
      const f = findings(steps, stop as never);
      const lowestFail = Math.min(
        ...steps.filter((s) => s.status === 'fail').map((s) => s.rateRps),
      );
      expect(f.knee).not.toBeNull();
      expect(f.knee!.rateRps).toBeLessThan(lowestFail);
      expect(['resolved', 'max-steps']).toContain(stop);
    }
  });

  it('ends at a rollback trigger: that step is the break, no bisection past it', () => {
    const { steps, stop } = search(RUNGS, (r) => (r < 100 ? 'pass' : 'aborted'));
    expect(stop).toBe('rollback');
    expect(steps.map((s) => s.status)).toEqual(['pass', 'pass', 'pass', 'aborted']);
    const f = findings(steps, 'rollback', ECOMMERCE);
    expect(f.break!.rateRps).toBe(125);
    expect(f.knee!.rateRps).toBe(75);
    expect(f.highestTier!.id).toBe('30k');
  });

  it('a generator that falls behind measures no knee: inconclusive, with what the target carried', () => {
    const { steps, stop } = search(doublingRungs(50, 800), (r) =>
      r < 200 ? 'pass' : 'generator-bound',
    );
    expect(stop).toBe('generator-bound');
    const f = findings(steps, 'generator-bound');
    expect(f.knee).toBeNull();
    expect(f.carriedRps).toBe(100);
    expect(capacityStatus(f, steps)).toBe('inconclusive');
  });

  it('the lowest rung breaking is a fail with no knee; every rung holding is a pass above the top', () => {
    const low = search(RUNGS, () => 'fail');
    expect(low.stop).toBe('lowest-broke');
    const lf = findings(low.steps, 'lowest-broke', ECOMMERCE);
    expect(lf.knee).toBeNull();
    expect(lf.highestTier).toBeNull();
    expect(capacityStatus(lf, low.steps)).toBe('fail');

    const top = search(RUNGS, () => 'pass');
    expect(top.stop).toBe('top-held');
    const tf = findings(top.steps, 'top-held', ECOMMERCE);
    expect(tf.knee).toBeNull();
    expect(tf.carriedRps).toBe(2500);
    expect(tf.highestTier!.id).toBe('1m');
    expect(tf.nextTier).toBeNull();
    expect(capacityStatus(tf, top.steps)).toBe('pass');
  });

  it('an unproven step counts as held but its knee warns; a capped rung does not qualify its tier', () => {
    const { steps, stop } = search(cappedRungs(RUNGS, 100), (r) => (r <= 75 ? 'pass' : 'unproven'));
    expect(stop).toBe('top-held');
    const f = findings(steps, stop as never, ECOMMERCE);
    expect(f.highestTier!.id).toBe('30k');
    expect(capacityStatus(f, steps)).toBe('warn');
    const knee = search(RUNGS, (r) => (r < 100 ? 'unproven' : 'fail'));
    const kf = findings(knee.steps, knee.stop as never, ECOMMERCE);
    expect(kf.knee!.proven).toBe(false);
    expect(capacityStatus(kf, knee.steps)).toBe('warn');
  });
});
