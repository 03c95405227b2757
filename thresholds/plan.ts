// Tier → LoadPlan: the ramp as linear rate segments, sized and checked for one machine.

import { grouped } from './format.ts';
import type {
  GeneratorBudget,
  Journey,
  LoadPlan,
  LoadShape,
  Objective,
  RampStage,
  RatePhase,
  RollbackTrigger,
  Tier,
  VuPhase,
} from './model.ts';
import { describeTraffic, tierPeak } from './traffic.ts';

/** The longest plan tiergate runs: a day (a soak test); longer is refused at planning. */
export const MAX_RUN_S = 24 * 3600;

export const DEFAULT_BUDGET: GeneratorBudget = { sendLagP99Ms: 25, droppedShare: 0.01 };

/**
 * What the local engine is trusted to hold per generator core (worker). Above it the plan says
 * so instead of pretending. `npm run bench` measures the real figure: about 78 000 req/s on one
 * core of a 2-core EPYC against nginx's 2-byte answer; real targets send larger bodies, so half
 * of that is promised. A run that still falls behind is judged inconclusive by its send lag.
 */
export const LOCAL_RPS_PER_CORE = 40_000;
export const LOCAL_MAX_VUS = 2_000;

export interface GeneratorOptions {
  workers: number;
  connections: number;
  maxInFlight: number;
  timeoutMs: number;
  budget: GeneratorBudget;
  recoveryGoodSeconds: number;
}

export const DEFAULT_GENERATOR: GeneratorOptions = {
  workers: 1,
  connections: 64,
  maxInFlight: 2_000,
  timeoutMs: 10_000,
  budget: DEFAULT_BUDGET,
  recoveryGoodSeconds: 5,
};

export interface TierPlanOptions {
  roadmap: string;
  target: string;
  /** Stretch or shrink the ramp so it lasts this long, keeping its shape. */
  durationS?: number;
  /** Multiply every stage's duration (0.1 = a tenth as long). */
  timeScale?: number;
  /** Run at this peak (req/s or VUs) instead of the tier's, e.g. a scaled-down rehearsal. */
  peak?: number;
  generator?: Partial<GeneratorOptions>;
}

/** Seconds of every stage after --duration or --scale. */
function scaledStages(stages: RampStage[], durationS?: number, timeScale?: number): RampStage[] {
  const total = stages.reduce((s, st) => s + st.durationS, 0);
  const factor = durationS !== undefined ? durationS / total : (timeScale ?? 1);
  return stages.map((st) => ({ ...st, durationS: st.durationS * factor }));
}

function rampPhases(stages: RampStage[], peak: number): RatePhase[] {
  let start = 0;
  let from = 0;
  return stages.map((st, i) => {
    const to = st.target * peak;
    const phase: RatePhase = {
      name: st.steady
        ? 'steady'
        : to > from
          ? `ramp-up-${i + 1}`
          : to < from
            ? `ramp-down-${i + 1}`
            : `hold-${i + 1}`,
      startS: start,
      durationS: st.durationS,
      fromRps: from,
      toRps: to,
      steady: st.steady === true,
    };
    start += st.durationS;
    from = to;
    return phase;
  });
}

function toVuPhases(phases: RatePhase[]): VuPhase[] {
  return phases.map((p) => ({
    name: p.name,
    startS: p.startS,
    durationS: p.durationS,
    fromVus: Math.round(p.fromRps),
    toVus: Math.round(p.toRps),
    steady: p.steady,
  }));
}

/** Where the plan's load is beyond one machine, or was reduced: said plainly. */
export function capacityNotes(shape: LoadShape, peak: number, workers: number): string[] {
  if (shape.model === 'open') {
    const capacity = LOCAL_RPS_PER_CORE * workers;
    if (peak > capacity) {
      return [
        `peak ${grouped(Math.round(peak))} req/s is beyond what the local engine holds on ` +
          `${workers} generator core(s) (about ${grouped(capacity)} req/s): use --workers N ` +
          '(one per spare core), --engine k6 --processes N or --engine k6-operator ' +
          '--parallelism N, or a lower --rate for a scaled-down rehearsal',
      ];
    }
    return [];
  }
  if (peak > LOCAL_MAX_VUS) {
    return [
      `peak ${grouped(peak)} VUs is beyond one machine's local engine (about ` +
        `${grouped(LOCAL_MAX_VUS)}): use --engine k6-operator --parallelism N, ` +
        'or --vus for a scaled-down rehearsal',
    ];
  }
  return [];
}

/** Why one machine's local engine cannot hold this plan's load, if it cannot. */
export function beyondOneMachine(plan: LoadPlan): string | undefined {
  return capacityNotes(plan.shape, plan.peak, plan.workers)[0];
}

export function planTier(tier: Tier, options: TierPlanOptions): LoadPlan {
  const { model, peak: tierPeakValue } = tierPeak(tier.load);
  const peak = options.peak ?? tierPeakValue;
  const stages = scaledStages(tier.stages, options.durationS, options.timeScale);
  const ratePhases = rampPhases(stages, peak);
  const shape: LoadShape =
    model === 'open' ? { model, phases: ratePhases } : { model, phases: toVuPhases(ratePhases) };
  const generator = { ...DEFAULT_GENERATOR, ...options.generator };
  const notes: string[] = [];
  if (options.peak !== undefined && options.peak !== tierPeakValue) {
    notes.push(
      `peak overridden: ${round(options.peak)} instead of the tier's ${round(tierPeakValue)} ` +
        `(${model === 'open' ? 'req/s' : 'VUs'}); the gate judges this rehearsal, not the tier`,
    );
  }
  if (options.peak === undefined && tier.load.kind === 'daily-users') {
    const assumed = tier.load.source?.assumption;
    notes.push(
      `traffic: ${describeTraffic(tier.load)}, a model of the tier's users${assumed ? ` (assumed: ${assumed})` : ''}; ` +
        'a peak rate measured on your own traffic, given to the run, replaces it',
    );
  }
  notes.push(...capacityNotes(shape, peak, generator.workers));
  return {
    roadmap: options.roadmap,
    tier: tier.id,
    tierName: tier.name,
    target: options.target.replace(/\/+$/, ''),
    shape,
    journey: tier.journey,
    objectives: tier.objectives,
    rollbackTriggers: tier.rollbackTriggers,
    durationS: stages.reduce((s, st) => s + st.durationS, 0),
    peak,
    tierPeak: tierPeakValue,
    notes,
    ...generator,
  };
}

export interface AdhocPlanOptions {
  /** Full URL of the one request to send. */
  url: string;
  rate: number;
  durationS: number;
  /** Seconds of linear ramp from 0 before the constant rate (0 = start at full rate). */
  rampS?: number;
  method?: Journey['requests'][number]['method'];
  body?: unknown;
  headers?: Record<string, string>;
  objectives?: Objective[];
  rollbackTriggers?: RollbackTrigger[];
  generator?: Partial<GeneratorOptions>;
}

/** A constant arrival rate against one URL, like `k6 run` with constant-arrival-rate or `oha -q`. */
export function planAdhoc(options: AdhocPlanOptions): LoadPlan {
  const url = new URL(options.url);
  const generator = { ...DEFAULT_GENERATOR, ...options.generator };
  const ramp = options.rampS ?? 0;
  const phases: RatePhase[] = [];
  if (ramp > 0) {
    phases.push({
      name: 'ramp-up',
      startS: 0,
      durationS: ramp,
      fromRps: 0,
      toRps: options.rate,
      steady: false,
    });
  }
  phases.push({
    name: 'steady',
    startS: ramp,
    durationS: options.durationS,
    fromRps: options.rate,
    toRps: options.rate,
    steady: true,
  });
  const shape: LoadShape = { model: 'open', phases };
  const request: Journey['requests'][number] = {
    name: `${options.method ?? 'GET'} ${url.pathname}`,
    method: options.method ?? 'GET',
    path: `${url.pathname}${url.search}`,
    weight: 1,
  };
  if (options.body !== undefined) request.body = options.body;
  if (options.headers !== undefined) request.headers = options.headers;
  return {
    target: url.origin,
    shape,
    journey: { name: 'adhoc', requests: [request] },
    objectives: options.objectives ?? [],
    rollbackTriggers: options.rollbackTriggers ?? [],
    durationS: ramp + options.durationS,
    peak: options.rate,
    notes: capacityNotes(shape, options.rate, generator.workers),
    ...generator,
  };
}

/** The steady stage's bounds: the `steady` window. */
export function steadyBounds(plan: LoadPlan): { startS: number; endS: number } | undefined {
  const steady = plan.shape.phases.find((p) => p.steady);
  return steady ? { startS: steady.startS, endS: steady.startS + steady.durationS } : undefined;
}

/** Arrivals an open plan schedules from `fromS` to `toS` (exact for its linear phases). */
export function plannedArrivals(phases: RatePhase[], fromS: number, toS: number): number {
  let n = 0;
  for (const p of phases) {
    const a = Math.max(fromS, p.startS);
    const b = Math.min(toS, p.startS + p.durationS);
    if (b <= a) continue;
    const rate = (t: number) => p.fromRps + ((p.toRps - p.fromRps) * (t - p.startS)) / p.durationS;
    n += ((rate(a) + rate(b)) / 2) * (b - a);
  }
  return n;
}

/** The plan's target (req/s or VUs) at time t seconds. */
export function targetAt(plan: LoadPlan, t: number): number {
  for (const p of plan.shape.phases) {
    if (t >= p.startS && t < p.startS + p.durationS) {
      const [from, to] = 'fromRps' in p ? [p.fromRps, p.toRps] : [p.fromVus, p.toVus];
      return from + ((to - from) * (t - p.startS)) / p.durationS;
    }
  }
  return 0;
}

function round(n: number): string {
  return n >= 10 ? grouped(Math.round(n)) : n.toFixed(1);
}

/** The plan with the demo's real address once it listens. */
export function withTarget(plan: LoadPlan, target: string): LoadPlan {
  return { ...plan, target: target.replace(/\/+$/, '') };
}
