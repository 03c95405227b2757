import { describe, expect, it } from 'vitest';
import type { GateStatus, ObjectiveVerdict, WindowStats } from '../thresholds/model.ts';
import { formatObjective, parseObjective } from '../thresholds/objective.ts';
import type { RunResult } from '../thresholds/result.ts';
import { ECOMMERCE } from '../thresholds/roadmaps/ecommerce.ts';
import { makeRun } from './fixtures.ts';
import { buildLadder, headroom } from './history.ts';
import { renderLadder } from './history-text.ts';

const ESC = String.fromCharCode(27);

type Judged = [expression: string, observed: number, limit: number, pass: boolean];

/**
 * A finished ecommerce run of `tier`: the fixture run with the tier's plan figures, a steady
 * window (2–8 s) that completed `rps` requests per second, and these judged objectives.
 */
function tierRun(o: {
  tier: string;
  runId: string;
  startedAt: string;
  rps: number;
  planPeak: number;
  tierPeak: number;
  objectives: Judged[];
}): RunResult {
  const run = structuredClone(makeRun());
  run.runId = o.runId;
  run.startedAt = o.startedAt;
  run.plan.roadmap = 'ecommerce';
  run.plan.tier = o.tier;
  run.plan.peak = o.planPeak;
  run.plan.tierPeak = o.tierPeak;
  const steady = run.stats.find((s) => s.window === 'steady' && s.request === undefined)!;
  const stats: WindowStats = { ...steady, startS: 2, endS: 8, completed: o.rps * 6 };
  run.stats = [stats];
  const verdicts: ObjectiveVerdict[] = o.objectives.map(([expr, observed, limit, pass], i) => {
    const objective = parseObjective(expr, { id: `o${i}-${expr.split(' ')[0]}`, window: 'steady' });
    return {
      id: objective.id,
      objective,
      expression: formatObjective(objective),
      window: 'steady',
      status: pass ? 'pass' : 'fail',
      observed,
      limit,
      samples: 100,
      reason: pass ? 'within the limit' : 'over the limit',
    };
  });
  const status: GateStatus = verdicts.every((v) => v.status === 'pass') ? 'pass' : 'fail';
  run.verdict = { status, objectives: verdicts, inconclusiveReasons: [] };
  run.exitCode = status === 'pass' ? 0 : 1;
  return run;
}

// 1k passed at the tier's own rate (2.5 req/s); 10k passed at twice its rate (50 of 25 req/s);
// 30k failed its checkout p95.
const oneK = tierRun({
  tier: '1k',
  runId: 'run-1k',
  startedAt: '2026-05-01T10:00:00.000Z',
  rps: 2.5,
  planPeak: 2.5,
  tierPeak: 2.5,
  objectives: [
    ['p95 < 2s', 500, 2000, true],
    ['availability >= 99.5%', 0.998, 0.995, true],
    ['error_rate < 1%', 0.002, 0.01, true],
  ],
});
const tenK = tierRun({
  tier: '10k',
  runId: 'run-10k',
  startedAt: '2026-05-02T10:00:00.000Z',
  rps: 50,
  planPeak: 50,
  tierPeak: 25,
  objectives: [
    ['p95 < 1.5s', 1200, 1500, true],
    ['availability >= 99.9%', 1, 0.999, true],
  ],
});
const thirtyK = tierRun({
  tier: '30k',
  runId: 'run-30k',
  startedAt: '2026-05-03T10:00:00.000Z',
  rps: 70,
  planPeak: 75,
  tierPeak: 75,
  objectives: [['p95 < 1s', 1200, 1000, false]],
});

describe('buildLadder', () => {
  const ladder = buildLadder(ECOMMERCE, [thirtyK, oneK, tenK]);
  const [r1k, r10k, r30k, r50k] = ladder.rungs;

  it('lists every tier in the roadmap order, runs or not', () => {
    expect(ladder.rungs.map((r) => r.tier)).toEqual(['1k', '10k', '30k', '50k', '70k', '1m']);
    expect(ladder.runs).toBe(3);
    expect(r50k!.newest).toBeNull();
    expect(r50k!.lastPass).toBeNull();
  });

  it('gives each tier its verdict, last pass and tightest margin', () => {
    expect(r1k!.newest).toEqual({
      runId: 'run-1k',
      startedAt: '2026-05-01T10:00:00.000Z',
      verdict: 'pass',
    });
    expect(r1k!.lastPass?.runId).toBe('run-1k');
    // checkout p95 75 % left, error rate 80 %, availability 60 % of its error budget.
    expect(r1k!.margin?.objective).toBe('o1-availability');
    expect(r1k!.margin?.headroom).toBeCloseTo(0.6, 9);
    expect(r10k!.margin?.objective).toBe('o0-p95');
    expect(r10k!.margin?.headroom).toBeCloseTo(0.2, 9);
    expect(r30k!.newest?.verdict).toBe('fail');
    expect(r30k!.lastPass).toBeNull();
    expect(r30k!.margin).toBeNull();
    expect(r30k!.breach).toBe('p95 1.2 s > 1 s (+20%) [steady]');
  });

  it('measures tested capacity and how much of the next tier it covers', () => {
    expect(r1k!.capacity).toEqual({ testedRps: 2.5, window: 'steady', tierRps: 2.5 });
    expect(r1k!.next).toMatchObject({ tier: '10k', peakRps: 25, coverage: 0.1 });
    expect(r10k!.capacity?.testedRps).toBe(50);
    expect(r10k!.next?.peakRps).toBe(75);
    expect(r10k!.next?.coverage).toBeCloseTo(2 / 3, 9);
    expect(r30k!.capacity).toBeNull();
    expect(r30k!.next).toMatchObject({ tier: '50k', coverage: null });
  });

  it('advises the next phase when the tier load reaches 80 % of tested capacity', () => {
    // 1k was tested only at its own load: that load is 100 % of tested capacity.
    expect(r1k!.nextPhase).toMatchObject({ capacityShare: 0.8, plan: true, loadShare: 1 });
    expect(r1k!.nextPhase?.triggerRps).toBeCloseTo(2, 9);
    expect(r1k!.nextPhase?.triggerUsers).toBeCloseTo(800, 6);
    // 10k carried twice its load: 50 %, below the trigger at 40 req/s (16,000 daily users).
    expect(r10k!.nextPhase).toMatchObject({ plan: false, loadRps: 25, loadShare: 0.5 });
    expect(r10k!.nextPhase?.triggerRps).toBeCloseTo(40, 9);
    expect(r10k!.nextPhase?.triggerUsers).toBeCloseTo(16_000, 6);
    expect(r30k!.nextPhase).toBeNull();
  });

  it('keeps the newest verdict but the last pass for margins when a tier passed, then failed', () => {
    const later = structuredClone(thirtyK);
    const earlier = tierRun({
      tier: '30k',
      runId: 'run-30k-old',
      startedAt: '2026-04-01T10:00:00.000Z',
      rps: 30,
      planPeak: 30,
      tierPeak: 75,
      objectives: [['p95 < 1s', 900, 1000, true]],
    });
    const rung = buildLadder(ECOMMERCE, [earlier, later]).rungs[2]!;
    expect(rung.newest?.verdict).toBe('fail');
    expect(rung.lastPass?.runId).toBe('run-30k-old');
    expect(rung.margin?.headroom).toBeCloseTo(0.1, 9);
    expect(rung.capacity).toMatchObject({ testedRps: 30, rehearsalRps: 30 });
    expect(rung.runs).toBe(2);
  });

  it("ignores other roadmaps' runs and notes runs of unknown tiers", () => {
    const other = structuredClone(oneK);
    other.plan.roadmap = 'zero-world';
    const stray = structuredClone(oneK);
    stray.plan.tier = '5k';
    const l = buildLadder(ECOMMERCE, [other, stray]);
    expect(l.runs).toBe(1);
    expect(l.rungs.every((r) => r.newest === null)).toBe(true);
    expect(l.notes).toEqual(['1 run(s) of tiers no longer in ecommerce left out: 5k']);
  });
});

describe('headroom', () => {
  it('is the room left before the limit, in the objective’s direction', () => {
    const v = (expr: string, observed: number, limit: number) => {
      const objective = parseObjective(expr);
      return {
        id: objective.id,
        objective,
        expression: expr,
        window: 'whole' as const,
        status: 'pass' as const,
        observed,
        limit,
        samples: 1,
        reason: '',
      };
    };
    expect(headroom(v('p95 < 2s', 500, 2000))).toBeCloseTo(0.75, 9);
    expect(headroom(v('availability >= 99.9%', 0.9995, 0.999))).toBeCloseTo(0.5, 6);
    expect(headroom(v('throughput >= 100', 120, 100))).toBeCloseTo(0.2, 9);
    expect(headroom(v('p95 < 2s', 2500, 2000))).toBeCloseTo(-0.25, 9);
  });
});

describe('renderLadder', () => {
  const ladder = buildLadder(ECOMMERCE, [thirtyK, oneK, tenK]);

  it('shows the ladder, one block per tier that ran and one line per tier that did not', () => {
    const out = renderLadder(ladder, { color: false, resultsDir: 'results' });
    expect(out).not.toContain(ESC);
    expect(out).toContain('3 finished run(s) of this roadmap in results');
    expect(out).toMatch(/✓ 1k\s+1K users\s+PASS\s+newest run-1k · 2026-05-01 10:00 UTC · 1 run/);
    expect(out).toContain('margin      60% left on o1-availability');
    expect(out).toContain('next tier   10k needs 25 req/s: tested capacity covers 10%');
    expect(out).toContain(
      "next phase  plan the next phase: the tier's load 2.5 req/s is 100% of tested capacity (trigger 80% = 2 req/s ≈ 800 daily users)",
    );
    expect(out).toContain(
      "next phase  not yet: the tier's load 25 req/s is 50% of tested capacity; plan it at 80% = 40 req/s ≈ 16,000 daily users",
    );
    expect(out).toMatch(/✗ 30k\s+30K users\s+FAIL\s+newest run-30k/);
    expect(out).toContain('broke       p95 1.2 s > 1 s (+20%) [steady]');
    expect(out).toContain('last pass   never');
    expect(out).toMatch(/· 50k\s+50K users\s+not run\n· 70k/);
    expect(renderLadder(ladder, { color: true })).toContain(`${ESC}[32m✓`);
  });
});
