// Capacity search, the pure part: the rungs to climb (a roadmap's tiers, or rates doubling from
// --from to --to), the next rate to try given the steps so far, and what the steps show: the
// knee, the break, the highest tier qualified and the headroom to the next one.
//
// The climb runs the rungs in order until one does not hold; then it bisects (geometric mean,
// since the resolution is a ratio) between the highest rate that held and the lowest that broke.
// Only rates inside that bracket are tried and its ends only move inwards, so the knee is below
// every step that broke however noisy the target, and the search ends in a bounded number of steps.
import type { Citation, GateStatus } from './model.ts';

/** One rate the climb visits: a tier of the roadmap, or a rate of the --from…--to ladder. */
export interface CapacityRung {
  rateRps: number;
  /** The tier this rung is (roadmap mode). */
  tier?: string;
}

/**
 * How one step ended, for the search:
 * `pass` every objective held and was proven; `unproven` every estimate held but its samples
 * cannot prove all of them; `fail` an objective broke; `aborted` a rollback trigger fired;
 * `generator-bound` the generator could not keep its schedule while every estimate held;
 * `not-steady` the target had not returned to its steady state after the cool-down;
 * `interrupted` and `errored` as for a run.
 */
export const CAPACITY_STEP_STATUSES = [
  'pass',
  'unproven',
  'fail',
  'aborted',
  'generator-bound',
  'not-steady',
  'interrupted',
  'errored',
] as const;

export type CapacityStepStatus = (typeof CAPACITY_STEP_STATUSES)[number];

/** What broke a step: the first objective (or trigger) that did, as people read it. */
export interface CapacityBreak {
  id: string;
  /** `checkout p95 < 2 s`. */
  expression: string;
  observed: number | null;
  reason: string;
}

export interface CapacityStep {
  index: number;
  rateRps: number;
  /** `climb` (a rung) or `bisect`. */
  kind: 'climb' | 'bisect';
  /** The tier whose journey and objectives the step ran (roadmap mode). */
  tier?: string;
  status: CapacityStepStatus;
  /** Seconds on the search's timeline: the step's start, its held (judged) rate's start, end. */
  startS: number;
  holdStartS: number;
  endS: number;
  /** Of the held window: requests scheduled, completed, dropped, failed. */
  scheduled: number;
  completed: number;
  dropped: number;
  errors: number;
  /** Achieved requests per second over the held window. */
  achievedRps: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  errorRate: number | null;
  broke?: CapacityBreak;
  /** Why the step ended as it did, one line. */
  reason: string;
}

export type CapacityStop =
  /** The bracket is within the resolution. */
  | 'resolved'
  /** Every rung held: the knee is above the top one. */
  | 'top-held'
  /** The lowest rung already broke: there is no rate that held. */
  | 'lowest-broke'
  | 'generator-bound'
  | 'rollback'
  | 'not-steady'
  | 'max-steps'
  | 'interrupted'
  | 'errored';

export interface CapacityOptions {
  /** Stop bisecting when break ÷ knee ≤ 1 + resolution (0.05 = 5 %). */
  resolution: number;
  /** No rate above this is tried. */
  maxRateRps?: number;
  /** Steps in all, climb and bisection. */
  maxSteps: number;
}

export const DEFAULT_RESOLUTION = 0.05;
export const DEFAULT_MAX_STEPS = 20;

/** Rates from `from` doubling up to `to` (the last rung is `to` itself). */
export function doublingRungs(fromRps: number, toRps: number): CapacityRung[] {
  const rungs: CapacityRung[] = [];
  for (let r = fromRps; r < toRps; r *= 2) rungs.push({ rateRps: r });
  rungs.push({ rateRps: toRps });
  return rungs;
}

/** The rungs below the cap, and the cap itself where a rung went past it. */
export function cappedRungs(rungs: CapacityRung[], maxRateRps?: number): CapacityRung[] {
  if (maxRateRps === undefined) return rungs;
  const below = rungs.filter((r) => r.rateRps <= maxRateRps);
  const over = rungs.find((r) => r.rateRps > maxRateRps);
  return over && below.at(-1)?.rateRps !== maxRateRps
    ? [...below, { ...over, rateRps: maxRateRps }]
    : below;
}

const HELD: ReadonlySet<CapacityStepStatus> = new Set(['pass', 'unproven']);

export function held(step: Pick<CapacityStep, 'status'>): boolean {
  return HELD.has(step.status);
}

/** The step that broke the climb or bisection (fail or rollback), lowest rate first. */
function lowestBroken(steps: CapacityStep[]): CapacityStep | undefined {
  const broken = steps.filter((s) => s.status === 'fail' || s.status === 'aborted');
  return broken.sort((a, b) => a.rateRps - b.rateRps)[0];
}

/** The highest step that held below every step that broke. */
function highestHeld(steps: CapacityStep[], below: number): CapacityStep | undefined {
  const ok = steps.filter((s) => held(s) && s.rateRps < below);
  return ok.sort((a, b) => b.rateRps - a.rateRps)[0];
}

/** Why the search must stop now, if it must (a step it cannot go past). */
function stopAfter(step: CapacityStep): CapacityStop | undefined {
  switch (step.status) {
    case 'generator-bound':
    case 'interrupted':
    case 'errored':
    case 'not-steady':
      return step.status;
    case 'aborted':
      return 'rollback';
    default:
      return undefined;
  }
}

export type NextStep =
  | { kind: 'climb'; rung: CapacityRung }
  | { kind: 'bisect'; rateRps: number; tier?: string }
  | { kind: 'stop'; stop: CapacityStop };

/** What to do after `steps` (in the order they ran). */
export function nextStep(
  rungs: CapacityRung[],
  steps: CapacityStep[],
  o: CapacityOptions,
): NextStep {
  const last = steps.at(-1);
  if (last) {
    const stop = stopAfter(last);
    if (stop !== undefined) return { kind: 'stop', stop };
  }
  const broken = lowestBroken(steps);
  if (broken === undefined) {
    const rung = rungs[steps.length];
    if (rung === undefined) return { kind: 'stop', stop: 'top-held' };
    return steps.length >= o.maxSteps
      ? { kind: 'stop', stop: 'max-steps' }
      : { kind: 'climb', rung };
  }
  const knee = highestHeld(steps, broken.rateRps);
  if (knee === undefined) return { kind: 'stop', stop: 'lowest-broke' };
  if (broken.rateRps / knee.rateRps <= 1 + o.resolution) return { kind: 'stop', stop: 'resolved' };
  if (steps.length >= o.maxSteps) return { kind: 'stop', stop: 'max-steps' };
  const rateRps = roundRate(Math.sqrt(knee.rateRps * broken.rateRps), knee.rateRps, broken.rateRps);
  return { kind: 'bisect', rateRps, ...(broken.tier !== undefined ? { tier: broken.tier } : {}) };
}

/** A rate people can read (3 significant figures), kept strictly inside the bracket. */
function roundRate(r: number, lo: number, hi: number): number {
  const rounded = Number(r.toPrecision(3));
  return rounded > lo && rounded < hi ? rounded : r;
}

/** A tier of the ladder with its rate, for the headroom. */
export interface LadderTier {
  id: string;
  rateRps: number;
  /** Seed 002's "plan the next phase at 80 % of capacity", where the tier carries it. */
  nextPhase?: { capacityShare: number; source?: Citation };
}

export interface CapacityFindings {
  stop: CapacityStop;
  /**
   * The highest rate at which every objective held, below every step that broke; null where the
   * search measured none (nothing held, or it stopped before a step broke).
   */
  knee: { rateRps: number; step: number; proven: boolean } | null;
  /** The highest rate that held below every break, knee or not (a generator-bound search's floor). */
  carriedRps: number | null;
  /** The lowest rate that broke, and what broke. */
  break: { rateRps: number; step: number; broke?: CapacityBreak } | null;
  /** Roadmap mode: the highest tier whose own step held, and the next one up. */
  highestTier?: { id: string; rateRps: number } | null;
  nextTier?: { id: string; rateRps: number; headroom: number | null } | null;
  /** The highest tier's rate as a share of the knee, with seed 002's advice when it is due. */
  utilisation?: { share: number; advice?: string } | null;
}

export function findings(
  steps: CapacityStep[],
  stop: CapacityStop,
  tiers?: LadderTier[],
): CapacityFindings {
  const broken = lowestBroken(steps);
  const kneeStep = highestHeld(steps, broken?.rateRps ?? Number.POSITIVE_INFINITY);
  // A generator that fell behind, or a target not back to steady, measured no knee there.
  const measured = stop !== 'generator-bound' && stop !== 'not-steady' && stop !== 'errored';
  const knee =
    kneeStep && measured && broken !== undefined
      ? { rateRps: kneeStep.rateRps, step: kneeStep.index, proven: kneeStep.status === 'pass' }
      : null;
  const out: CapacityFindings = {
    stop,
    knee,
    carriedRps: kneeStep?.rateRps ?? null,
    break: broken
      ? {
          rateRps: broken.rateRps,
          step: broken.index,
          ...(broken.broke ? { broke: broken.broke } : {}),
        }
      : null,
  };
  if (tiers === undefined) return out;
  const qualified = tiers.filter((t) =>
    // A rung capped below its tier's rate (--max-rate) does not qualify the tier.
    steps.some((s) => s.kind === 'climb' && s.tier === t.id && held(s) && s.rateRps >= t.rateRps),
  );
  const top = qualified.at(-1);
  out.highestTier = top ? { id: top.id, rateRps: top.rateRps } : null;
  const next = tiers.find(
    (t) => !qualified.includes(t) && (top === undefined || t.rateRps > top.rateRps),
  );
  out.nextTier = next
    ? { id: next.id, rateRps: next.rateRps, headroom: knee ? knee.rateRps / next.rateRps : null }
    : null;
  out.utilisation = top && knee ? utilisation(top, knee.rateRps) : null;
  return out;
}

function utilisation(top: LadderTier, kneeRps: number): { share: number; advice?: string } {
  const share = top.rateRps / kneeRps;
  const at = top.nextPhase?.capacityShare;
  if (at === undefined || share < at) return { share };
  const cited = top.nextPhase?.source
    ? ` (${top.nextPhase.source.seed}:${top.nextPhase.source.line})`
    : '';
  return {
    share,
    advice: `tier ${top.id} runs at ${Math.round(share * 100)} % of the measured capacity, at or above the ${Math.round(at * 100)} % the roadmap plans the next phase at${cited}: plan the next phase`,
  };
}

/**
 * The search as a gate: a knee measured is a pass (warn where its step could not prove every
 * objective), and so is a ladder carried to its top; nothing held is a fail; a generator that
 * fell behind, or a target that never returned to its steady state, measured no knee:
 * inconclusive.
 */
export function capacityStatus(f: CapacityFindings, steps: CapacityStep[]): GateStatus {
  switch (f.stop) {
    case 'lowest-broke':
      return 'fail';
    case 'generator-bound':
    case 'not-steady':
      return 'inconclusive';
    case 'top-held': {
      const top = steps.find((s) => s.rateRps === f.carriedRps && held(s));
      return top?.status === 'pass' ? 'pass' : 'warn';
    }
    default:
      if (f.knee === null) return f.break ? 'fail' : 'inconclusive';
      return f.knee.proven ? 'pass' : 'warn';
  }
}
