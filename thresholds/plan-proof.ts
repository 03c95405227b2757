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
