// The plan says, per objective, how many samples its window will hold and whether that many
// can prove it: the quick start's 99.9 % availability cannot, 3,000 clean requests could.
import { describe, expect, it } from 'vitest';
import { overlayGameDay, PRE_FAULT_SHARE } from './gameday-overlay.ts';
import { findGameDay } from './gamedays/builtin.ts';
import { parseObjective } from './objective.ts';
import { planAdhoc, planTier } from './plan.ts';
import { plannedProof, provingPlan } from './plan-proof.ts';
import { findRoadmap, findTier } from './roadmaps/index.ts';

describe('plannedProof', () => {
  const roadmap = findRoadmap('ecommerce')!;
  const plan = planTier(findTier(roadmap, '10k')!, {
    roadmap: 'ecommerce',
    target: 'http://127.0.0.1:1',
    durationS: 60,
  });
  const objective = (id: string) => plan.objectives.find((o) => o.id === id)!;

  it("names the steady window's samples and the shortest window that could prove it", () => {
    expect(plannedProof(plan, objective('availability'))).toBe(
      '~1,000 in steady: too few to prove it (≥ 2,995 needed: a steady window of ≥ 120 s)',
    );
    // checkout is 10 % of the journey: ~100 of its requests bound a p95 (59 needed).
    expect(plannedProof(plan, objective('checkout-p95'))).toBe(
      '~100 in steady: can prove it (≥ 59 needed)',
    );
  });

  it('says nothing where there is nothing to prove', () => {
    const adhoc = planAdhoc({ url: 'http://127.0.0.1:1/', rate: 30, durationS: 200 });
    expect(plannedProof(adhoc, parseObjective('max < 2s'))).toBeUndefined();
    expect(plannedProof(adhoc, parseObjective('p95 <= 2x baseline'))).toBeUndefined();
    expect(plannedProof(adhoc, parseObjective('availability >= 99.9%'))).toBe(
      '~6,000 in whole: can prove it (≥ 2,995 needed)',
    );
  });
});

describe('provingPlan', () => {
  it('lengthens the steady stage until every steady objective can be proven, and says so', () => {
    const plan = planTier(findTier(findRoadmap('ecommerce')!, '10k')!, {
      roadmap: 'ecommerce',
      target: 'http://127.0.0.1:1',
      durationS: 60,
    });
    const { plan: proving, addedS } = provingPlan(plan);
    // 99.9 % availability at 25 req/s: 2,995 clean requests and 5 % to spare (3,145), 1,000
    // held already → 86 s more.
    expect(addedS).toBe(86);
    expect(proving.durationS).toBe(plan.durationS + 86);
    for (const o of proving.objectives) {
      const line = plannedProof(proving, o);
      if (line !== undefined) expect(line).toMatch(/can prove it/);
    }
    expect(proving.notes.at(-1)).toMatch(/--prove: the steady stage is 126 s instead of 40 s/);
    // Later stages keep their length, shifted.
    const [before, after] = [plan.shape.phases.at(-1)!, proving.shape.phases.at(-1)!];
    expect(after.startS - before.startS).toBe(86);
    expect(after.durationS).toBe(before.durationS);
  });

  it('with a game day laid over it, lengthens the stage until the part before the first fault can prove', () => {
    const plan = planTier(findTier(findRoadmap('ecommerce')!, '10k')!, {
      roadmap: 'ecommerce',
      target: 'http://127.0.0.1:1',
      durationS: 60,
    });
    const { plan: proving, addedS } = provingPlan(plan, PRE_FAULT_SHARE);
    const g = overlayGameDay(proving, findGameDay('network-latency')!).gameDay;
    // The first fault a third of the way into the stage: 126 s of steady state before it.
    expect(g.faults[0]!.atS - g.steadyFromS!).toBe(126);
    expect(addedS).toBe(339);
    for (const o of proving.objectives) {
      if (o.window === 'steady') expect(plannedProof(proving, o, g)).toMatch(/can prove it/);
    }
    expect(proving.notes.at(-1)).toMatch(/before the game day's first fault/);
  });

  it("says the tier's rate comes from a traffic model, and what the model assumed", () => {
    const plan = planTier(findTier(findRoadmap('ecommerce')!, '10k')!, {
      roadmap: 'ecommerce',
      target: 'http://127.0.0.1:1',
    });
    expect(plan.notes[0]).toMatch(
      /^traffic: 10,000 daily users × 30 req\/user\/day × 15% in the peak hour × 2 headroom = 25\.0 req\/s, a model of the tier's users \(assumed: the seed gives daily users only;/,
    );
    // A peak of the user's own replaces the model: the note says that instead.
    const own = planTier(findTier(findRoadmap('ecommerce')!, '10k')!, {
      roadmap: 'ecommerce',
      target: 'http://127.0.0.1:1',
      peak: 80,
    });
    expect(own.notes.some((n) => n.startsWith('traffic:'))).toBe(false);
    expect(own.notes[0]).toMatch(/^peak overridden: 80 instead of the tier's 25/);
  });

  it('leaves a plan that can already prove its objectives as it is', () => {
    const adhoc = planAdhoc({
      url: 'http://127.0.0.1:1/',
      rate: 30,
      durationS: 200,
      objectives: [parseObjective('availability >= 99.9%')],
    });
    expect(provingPlan(adhoc)).toEqual({ plan: adhoc, addedS: 0 });
  });
});
