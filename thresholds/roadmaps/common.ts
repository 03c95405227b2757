// What the built-in roadmaps share: the default ramp, tiergate's own throughput objective, and
// a rollback trigger whose objective carries the same citation as the trigger.
import type { Citation, Objective, RampStage, RollbackTrigger } from '../model.ts';
import { parseObjective } from '../objective.ts';

/** Half the peak after a minute, the peak after two, five steady minutes, then ramp down. */
export function defaultRamp(): RampStage[] {
  return [
    { durationS: 60, target: 0.5 },
    { durationS: 60, target: 1 },
    { durationS: 300, target: 1, steady: true },
    { durationS: 30, target: 0 },
  ];
}

/**
 * Achieved ÷ scheduled requests in the steady window. No seed states it: it is tiergate's
 * check that the tier's load was really offered, so a target that sheds load cannot pass.
 * Open (arrival-rate) tiers only; a closed loop schedules nothing it does not send.
 */
export function throughputRatio(): Objective {
  return parseObjective('throughput_ratio >= 95%', {
    id: 'throughput-ratio',
    window: 'steady',
    description:
      "tiergate's default, not a seed figure: at least 95% of the scheduled requests completed",
  });
}

export interface TriggerTiming {
  /** Sliding window the condition is measured on, seconds. */
  windowS: number;
  /** Seconds the condition must stay broken before the run aborts. */
  forS: number;
  /** Warm-up seconds before the trigger is checked. */
  delayS: number;
}

/** A rollback trigger: `expression` is the condition that must hold (it fires when it does not). */
export function rollbackTrigger(
  id: string,
  expression: string,
  timing: TriggerTiming,
  source: Citation,
  description: string,
): RollbackTrigger {
  const objective = parseObjective(expression, { id, description, source });
  return { id, objective, ...timing, source };
}
