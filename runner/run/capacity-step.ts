// One finished step of a capacity search → how it ended for the search (thresholds/capacity.ts).
// A step the generator could not keep on schedule measured nothing about the target, unless an
// objective broke on the requests it did send on time: dropped requests only hide latency, so
// a breach among the sent ones is a breach (the dropped ones are counted in the step's reason).
import type { CapacityBreak, CapacityStep, CapacityStepStatus } from '../../thresholds/capacity.ts';
import type { ObjectiveVerdict, WindowStats } from '../../thresholds/model.ts';
import type { RunResult } from '../../thresholds/result.ts';
import { TimelineStore } from '../timeline/store.ts';
import { judge, windowStats } from './evaluate.ts';

function breakOf(v: ObjectiveVerdict): CapacityBreak {
  return { id: v.id, expression: v.expression, observed: v.observed, reason: v.reason };
}

/** The first objective whose estimate broke a fail-severity limit, if any. */
function firstBroken(objectives: ObjectiveVerdict[]): ObjectiveVerdict | undefined {
  return objectives.find((v) => v.status === 'fail');
}

/**
 * Why the re-check at the start of the step (the search's lowest rate, after the cool-down)
 * shows the target not back in its steady state: an objective's estimate broken there.
 */
function recheckBroken(run: RunResult): ObjectiveVerdict | undefined {
  const recheck = run.plan.shape.phases.find((p) => p.name === 'recheck');
  if (recheck === undefined) return undefined;
  const bounds = { startS: recheck.startS, endS: recheck.startS + recheck.durationS };
  const windows = { whole: bounds, steady: bounds };
  const stats = windowStats(
    TimelineStore.fromBuckets(run.timeline),
    windows,
    run.plan.journey.requests.map((r) => r.name),
    { confidence: run.plan.confidence },
  );
  return firstBroken(judge({ plan: run.plan, stats }).objectives);
}

function classify(
  run: RunResult,
  steady: WindowStats | undefined,
): {
  status: CapacityStepStatus;
  broke?: ObjectiveVerdict;
  reason: string;
} {
  const { outcome, verdict } = run;
  if (outcome.state === 'aborted') return { status: 'aborted', reason: outcome.reason };
  if (outcome.state === 'interrupted')
    return { status: 'interrupted', reason: `interrupted (${outcome.signal})` };
  if (outcome.state === 'errored') return { status: 'errored', reason: outcome.reason };
  const notSteady = recheckBroken(run);
  if (notSteady) {
    return {
      status: 'not-steady',
      reason: `the target was not back in its steady state after the cool-down: ${notSteady.reason} in the re-check (lengthen --cooldown)`,
    };
  }
  const broke = firstBroken(verdict.objectives);
  const behind = verdict.inconclusiveReasons;
  const lagging =
    steady !== undefined &&
    steady.sendLag.count > 0 &&
    steady.sendLag.p99 > run.plan.budget.sendLagP99Ms;
  if (broke && !lagging) {
    const dropped = behind.length > 0 ? ` (and ${behind.join('; ')})` : '';
    return {
      status: 'fail',
      broke,
      reason: `${broke.expression} broke: ${broke.reason}${dropped}`,
    };
  }
  if (behind.length > 0) return { status: 'generator-bound', reason: behind.join('; ') };
  if (verdict.objectives.some((v) => v.status === 'unproven')) {
    const unproven = verdict.objectives.filter((v) => v.status === 'unproven').map((v) => v.id);
    return {
      status: 'unproven',
      reason: `held on the estimates; unproven: ${unproven.join(', ')}`,
    };
  }
  return { status: 'pass', reason: 'every objective held' };
}

export interface StepPlace {
  index: number;
  kind: CapacityStep['kind'];
  tier?: string;
  rateRps: number;
  /** Where the step starts on the search's timeline. */
  offsetS: number;
}

/** The step as the search records it: its status, figures of its hold, and what broke. */
export function capacityStep(run: RunResult, place: StepPlace): CapacityStep {
  const steady = run.stats.find((s) => s.window === 'steady' && s.request === undefined);
  const hold = run.plan.shape.phases.find((p) => p.steady);
  const { status, broke, reason } = classify(run, steady);
  const holdS = steady ? steady.endS - steady.startS : 0;
  const lat = steady && steady.latency.count > 0 ? steady.latency : undefined;
  const step: CapacityStep = {
    index: place.index,
    rateRps: place.rateRps,
    kind: place.kind,
    ...(place.tier !== undefined ? { tier: place.tier } : {}),
    status,
    startS: place.offsetS,
    holdStartS: place.offsetS + (hold?.startS ?? 0),
    endS: place.offsetS + run.timeline.length,
    scheduled: steady?.scheduled ?? 0,
    completed: steady?.completed ?? 0,
    dropped: steady?.dropped ?? 0,
    errors: steady?.errors ?? 0,
    achievedRps: steady && holdS > 0 ? steady.completed / holdS : 0,
    latencyMs: { p50: lat?.p50 ?? null, p95: lat?.p95 ?? null, p99: lat?.p99 ?? null },
    errorRate: steady && steady.completed > 0 ? steady.errors / steady.completed : null,
    reason,
  };
  if (broke) step.broke = breakOf(broke);
  if (run.outcome.state === 'aborted') {
    const trigger = run.plan.rollbackTriggers.find(
      (t) => t.id === (run.outcome as { trigger: string }).trigger,
    );
    step.broke = {
      id: trigger?.id ?? 'rollback',
      expression: `rollback trigger ${trigger?.id ?? ''}`.trim(),
      observed: null,
      reason,
    };
  }
  return step;
}
