// Before a run: how many samples each objective's window will hold, and whether that many can
// prove the objective at all (in the best case: no failure, latencies inside the limit). A
// window that cannot is named with the shortest one that could, at the same rate.
import { DEFAULT_CONFIDENCE } from './confidence.ts';
import { grouped } from './format.ts';
import { faultSpan, type GameDay } from './gameday.ts';
import type { LoadPlan, Objective, RatePhase } from './model.ts';
import { plannedArrivals, steadyBounds } from './plan.ts';
import { samplesToProve } from './proof.ts';
import { windowSeconds } from './seconds.ts';

/** The seconds of `o`'s window as the plan (and its game day, if any) lays them out. */
function plannedWindow(
  plan: LoadPlan,
  o: Objective,
  g: GameDay | undefined,
): { startS: number; endS: number } | undefined {
  if (o.window === 'whole') return { startS: 0, endS: plan.durationS };
  if (g === undefined) return o.window === 'steady' ? steadyBounds(plan) : undefined;
  // As gameDayWindows cuts them once the faults happened on schedule.
  const { firstS, lastEndS } = faultSpan(g);
  switch (o.window) {
    case 'steady':
      return { startS: g.steadyFromS ?? 0, endS: Math.floor(firstS) };
    case 'chaos':
      return { startS: Math.floor(firstS), endS: Math.ceil(lastEndS) };
    case 'recovery':
      return { startS: Math.ceil(lastEndS), endS: plan.durationS };
  }
}

/** One line on whether the plan's window can prove `o`; undefined where nothing is to prove. */
export function plannedProof(plan: LoadPlan, o: Objective, g?: GameDay): string | undefined {
  if (plan.shape.model !== 'open') return undefined;
  const confidence = plan.confidence ?? DEFAULT_CONFIDENCE;
  const needed = samplesToProve(o, confidence);
  const bounds = plannedWindow(plan, o, g);
  if (needed === undefined || bounds === undefined) return undefined;
  const { first, end } = windowSeconds(bounds.startS, bounds.endS);
  const seconds = end - first;
  if (seconds <= 0) return undefined;
  const requests = plan.journey.requests;
  const total = requests.reduce((s, r) => s + r.weight, 0);
  const share =
    o.request === undefined ? 1 : (requests.find((r) => r.name === o.request)?.weight ?? 0) / total;
  const samples = plannedArrivals(plan.shape.phases as RatePhase[], first, end) * share;
  const holds = `~${grouped(Math.round(samples))} in ${o.window}`;
  if (samples >= needed) return `${holds}: can prove it (≥ ${grouped(needed)} needed)`;
  const rate = samples / seconds;
  const longer =
    rate > 0 ? `: a ${o.window} window of ≥ ${grouped(Math.ceil(needed / rate))} s` : '';
  return `${holds}: too few to prove it (≥ ${grouped(needed)} needed${longer})`;
}

/**
 * `--prove` plans this much above the best case: a few of the planned arrivals can be lost to
 * a slow start or a request still in flight at the window's end.
 */
const PROVING_SLACK = 1.05;

/**
 * How much longer the steady stage must be for `o` to be provable; 0 when it already is. The
 * steady window is the first `steadyShare` of the stage (a game day's faults take the rest).
 */
function extraSteadyS(
  plan: LoadPlan,
  o: Objective,
  steady: RatePhase,
  steadyShare: number,
): number {
  if (o.window !== 'steady' && o.window !== 'whole') return 0;
  const best = samplesToProve(o, plan.confidence ?? DEFAULT_CONFIDENCE);
  if (best === undefined) return 0;
  const needed = best * PROVING_SLACK;
  const requests = plan.journey.requests;
  const total = requests.reduce((s, r) => s + r.weight, 0);
  const share =
    o.request === undefined ? 1 : (requests.find((r) => r.name === o.request)?.weight ?? 0) / total;
  const bounds = plannedWindow(plan, o, undefined);
  if (bounds === undefined || share === 0 || steady.toRps <= 0) return 0;
  const windowShare = o.window === 'steady' ? steadyShare : 1;
  const endS = bounds.startS + (bounds.endS - bounds.startS) * windowShare;
  const { first, end } = windowSeconds(bounds.startS, endS);
  const held = plannedArrivals(plan.shape.phases as RatePhase[], first, end) * share;
  // Every added second of the steady stage adds its rate to the whole window, and its share to
  // the steady one.
  return held >= needed ? 0 : Math.ceil((needed - held) / (steady.toRps * share * windowShare));
}

/**
 * `--prove`: the plan with its steady stage lengthened until every objective on the steady or
 * whole window can be proven in the best case with 5 % to spare, and a note saying so; the plan
 * itself when none needs more. Open plans only; a plan that would pass `maxS` is refused by the
 * caller. With a game day to lay over it, the steady window is the stage's first
 * `preFaultShare`; the chaos and recovery windows keep the game day's own lengths.
 */
export function provingPlan(
  plan: LoadPlan,
  preFaultShare?: number,
): { plan: LoadPlan; addedS: number } {
  const index = plan.shape.phases.findIndex((p) => p.steady);
  const steady = plan.shape.phases[index];
  if (plan.shape.model !== 'open' || steady === undefined || !('toRps' in steady)) {
    return { plan, addedS: 0 };
  }
  const addedS = Math.max(
    0,
    ...plan.objectives.map((o) => extraSteadyS(plan, o, steady, preFaultShare ?? 1)),
  );
  if (addedS === 0) return { plan, addedS };
  const phases = plan.shape.phases.map((p, i) =>
    i === index
      ? { ...p, durationS: p.durationS + addedS }
      : i > index
        ? { ...p, startS: p.startS + addedS }
        : p,
  );
  const note =
    `--prove: the steady stage is ${grouped(steady.durationS + addedS)} s instead of ` +
    `${grouped(steady.durationS)} s, so that ` +
    (preFaultShare === undefined
      ? 'its objectives can be proven'
      : "the steady state before the game day's first fault can prove its objectives (chaos and recovery windows keep the game day's lengths)");
  return {
    plan: {
      ...plan,
      shape: { ...plan.shape, phases } as LoadPlan['shape'],
      durationS: plan.durationS + addedS,
      notes: [...plan.notes, note],
    },
    addedS,
  };
}
