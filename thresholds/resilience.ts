// Time to detect and time to recover, from per-second stats around a fault. A second is "good"
// when it meets every steady-state objective on its own; no samples in a second is not good.
import { evaluateObjective } from './gate.ts';
import type { Objective, WindowStats } from './model.ts';

export interface ResilienceTimes {
  /** Fault start → the first second that breaks the steady state; null if none did. */
  timeToDetectS: number | null;
  /** Fault removal → the first of `goodSeconds` consecutive good seconds; null if never. */
  timeToRecoverS: number | null;
}

export function isGoodSecond(second: WindowStats, steadyState: Objective[]): boolean {
  if (second.completed === 0) return false;
  return steadyState.every((o) => evaluateObjective(o, second).status !== 'fail');
}

/**
 * `seconds[t]` are the stats of second t of the run. Detection is looked for while the fault is
 * held; recovery from its removal on.
 */
export function resilienceTimes(
  seconds: WindowStats[],
  steadyState: Objective[],
  fault: { startS: number; endS: number },
  goodSeconds: number,
): ResilienceTimes {
  let timeToDetectS: number | null = null;
  for (let t = Math.floor(fault.startS); t < Math.ceil(fault.endS) && t < seconds.length; t++) {
    if (!isGoodSecond(seconds[t]!, steadyState)) {
      timeToDetectS = Math.max(0, t - fault.startS);
      break;
    }
  }
  let timeToRecoverS: number | null = null;
  let run = 0;
  for (let t = Math.ceil(fault.endS); t < seconds.length; t++) {
    run = isGoodSecond(seconds[t]!, steadyState) ? run + 1 : 0;
    if (run === goodSeconds) {
      timeToRecoverS = t - goodSeconds + 1 - fault.endS;
      break;
    }
  }
  return { timeToDetectS, timeToRecoverS };
}
