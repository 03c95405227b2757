// `tiergate plan --json` and `tiergate tiers --json`: the plan and the roadmaps for programs.
// The keys are a public contract (README, "Machine-readable plan and tiers"): add keys, never
// rename or drop them. Absent values are null, never missing.

import { withErrorGuard } from '../thresholds/gate.ts';
import type {
  Citation,
  LoadPlan,
  Objective,
  Roadmap,
  RollbackTrigger,
  Tier,
} from '../thresholds/model.ts';
import { formatObjective } from '../thresholds/objective.ts';
import { describeTraffic, tierPeak } from '../thresholds/traffic.ts';

export interface ObjectiveJson {
  id: string;
  /** As people write it: `p95 < 2 s`, `error_rate < 1%`. */
  expression: string;
  metric: string;
  stat: string;
  window: string;
  severity: string;
  optional: boolean;
  request: string | null;
  source: Citation | null;
}

export interface TriggerJson {
  id: string;
  /** The condition that must hold; the run aborts when it does not. */
  condition: string;
  windowS: number;
  forS: number;
  delayS: number;
}

export interface PlanJson {
  roadmap: string | null;
  tier: string | null;
  tierName: string | null;
  target: string;
  model: 'open' | 'closed';
  unit: 'req/s' | 'VUs';
  peak: number;
  tierPeak: number | null;
  durationS: number;
  stages: {
    name: string;
    startS: number;
    durationS: number;
    from: number;
    to: number;
    steady: boolean;
  }[];
  journey: { name: string; method: string; path: string; share: number }[];
  objectives: ObjectiveJson[];
  rollbackTriggers: TriggerJson[];
  generator: { workers: number; connections: number; maxInFlight: number; timeoutMs: number };
  notes: string[];
  /** Why `run` would refuse this plan (then `plan` exits 2), or null. */
  refused: string | null;
}

export interface TierJson {
  id: string;
  name: string;
  description: string | null;
  model: 'open' | 'closed';
  unit: 'req/s' | 'VUs';
  peak: number;
  traffic: string;
  stages: { durationS: number; target: number; steady: boolean }[];
  objectives: ObjectiveJson[];
  rollbackTriggers: TriggerJson[];
  nextPhase: { capacityShare: number } | null;
  gameDays: string[];
}

export interface TiersJson {
  roadmaps: { id: string; name: string; description: string; seeds: string[]; tiers: TierJson[] }[];
}

function objectiveJson(o: Objective): ObjectiveJson {
  return {
    id: o.id,
    expression: formatObjective(o),
    metric: o.metric,
    stat: o.stat,
    window: o.window,
    severity: o.severity,
    optional: o.optional === true,
    request: o.request ?? null,
    source: o.source ?? null,
  };
}

function triggerJson(t: RollbackTrigger): TriggerJson {
  return {
    id: t.id,
    condition: formatObjective(t.objective),
    windowS: t.windowS,
    forS: t.forS,
    delayS: t.delayS,
  };
}

const unitOf = (model: 'open' | 'closed') => (model === 'open' ? 'req/s' : 'VUs');

export function planJson(plan: LoadPlan, refused: string | null): PlanJson {
  const totalWeight = plan.journey.requests.reduce((s, r) => s + r.weight, 0);
  return {
    roadmap: plan.roadmap ?? null,
    tier: plan.tier ?? null,
    tierName: plan.tierName ?? null,
    target: plan.target,
    model: plan.shape.model,
    unit: unitOf(plan.shape.model),
    peak: plan.peak,
    tierPeak: plan.tierPeak ?? null,
    durationS: plan.durationS,
    stages: plan.shape.phases.map((p) => {
      const [from, to] = 'fromRps' in p ? [p.fromRps, p.toRps] : [p.fromVus, p.toVus];
      return { name: p.name, startS: p.startS, durationS: p.durationS, from, to, steady: p.steady };
    }),
    journey: plan.journey.requests.map((r) => ({
      name: r.name,
      method: r.method,
      path: r.path,
      share: r.weight / totalWeight,
    })),
    // What the gate will judge: the plan's objectives and, unless opted out, its error guard.
    objectives: withErrorGuard(plan.objectives, plan.allowErrors === true).map(objectiveJson),
    rollbackTriggers: plan.rollbackTriggers.map(triggerJson),
    generator: {
      workers: plan.workers,
      connections: plan.connections,
      maxInFlight: plan.maxInFlight,
      timeoutMs: plan.timeoutMs,
    },
    notes: plan.notes,
    refused,
  };
}

function tierJson(t: Tier): TierJson {
  const { model, peak } = tierPeak(t.load);
  return {
    id: t.id,
    name: t.name,
    description: t.description ?? null,
    model,
    unit: unitOf(model),
    peak,
    traffic: describeTraffic(t.load),
    stages: t.stages.map((s) => ({
      durationS: s.durationS,
      target: s.target,
      steady: s.steady === true,
    })),
    objectives: t.objectives.map(objectiveJson),
    rollbackTriggers: t.rollbackTriggers.map(triggerJson),
    nextPhase: t.nextPhase ? { capacityShare: t.nextPhase.capacityShare } : null,
    gameDays: t.gameDays ?? [],
  };
}

/** The roadmaps, each with the given tiers (all of them unless a filter keeps fewer). */
export function tiersJson(
  roadmaps: readonly Roadmap[],
  keep: (t: Tier) => boolean = () => true,
): TiersJson {
  return {
    roadmaps: roadmaps.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      seeds: r.seeds,
      tiers: r.tiers.filter(keep).map(tierJson),
    })),
  };
}
