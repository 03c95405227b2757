// One step of a capacity search as a plan: (after the first step) a short re-check at the
// search's lowest rate, a ramp to the step's rate, and the hold at it, the step's `steady`
// window. Steady load only: every objective is judged on the hold (a `whole` objective too,
// since the ramp and re-check are not the rate being measured), and fault windows do not exist.
import { grouped } from './format.ts';
import type { LoadPlan, Objective, RatePhase } from './model.ts';
import { provingPlan } from './plan-proof.ts';

export interface StepShape {
  rateRps: number;
  /** The hold; without it, long enough to prove every objective in the best case. */
  holdS?: number;
  rampS: number;
  /** The steady state re-checked first at this rate, for this long (absent on the first step). */
  recheck?: { rateRps: number; seconds: number };
}

/** The shortest hold tiergate plans, and the longest it lengthens one to prove its objectives. */
export const MIN_HOLD_S = 10;
export const MAX_PROVING_HOLD_S = 600;

/** The objectives a steady step can judge, each on the hold. */
export function stepObjectives(objectives: Objective[]): Objective[] {
  return objectives
    .filter((o) => o.window === 'steady' || o.window === 'whole')
    .filter((o) => o.metric !== 'recovery_time')
    .map((o) => (o.window === 'whole' ? { ...o, window: 'steady' } : o));
}

function phase(
  name: string,
  startS: number,
  durationS: number,
  fromRps: number,
  toRps: number,
  steady = false,
): RatePhase {
  return { name, startS, durationS, fromRps, toRps, steady };
}

/** The step's plan: `base` (journey, objectives, triggers, generator) at the step's rate. */
export function planStep(base: LoadPlan, shape: StepShape): { plan: LoadPlan; holdS: number } {
  const phases: RatePhase[] = [];
  let at = 0;
  if (shape.recheck) {
    phases.push(
      phase('recheck', 0, shape.recheck.seconds, shape.recheck.rateRps, shape.recheck.rateRps),
    );
    at = shape.recheck.seconds;
  }
  const from = shape.recheck?.rateRps ?? 0;
  if (shape.rampS > 0) {
    phases.push(phase('ramp-up', at, shape.rampS, from, shape.rateRps));
    at += shape.rampS;
  }
  const holdS = shape.holdS ?? MIN_HOLD_S;
  phases.push(phase('steady', at, holdS, shape.rateRps, shape.rateRps, true));
  const plan: LoadPlan = {
    ...base,
    shape: { model: 'open', phases },
    objectives: stepObjectives(base.objectives),
    durationS: at + holdS,
    peak: shape.rateRps,
    notes: [],
  };
  if (shape.holdS !== undefined) return { plan, holdS };
  const proving = provingPlan(plan).plan;
  const provingHoldS = Math.min(MAX_PROVING_HOLD_S, holdS + (proving.durationS - plan.durationS));
  if (provingHoldS === holdS) return { plan, holdS };
  const lengthened = phases.map((p) => (p.steady ? { ...p, durationS: provingHoldS } : p));
  return {
    plan: { ...plan, shape: { model: 'open', phases: lengthened }, durationS: at + provingHoldS },
    holdS: provingHoldS,
  };
}

/** "340 req/s" as the search prints rates. */
export function rateText(rps: number): string {
  return `${rps >= 100 ? grouped(Math.round(rps)) : Number(rps.toPrecision(3))} req/s`;
}
