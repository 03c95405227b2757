// A game day laid over a tier's ramp (`tiergate run --gameday`): its faults go into the ramp's
// steady stage, the first a third of the way in (the schedule squeezed into the middle third
// when longer), so the steady state is judged on the stage before any fault and recovery on
// what is left of it. The ramp itself is never judged as steady state.

import { UsageError } from '../core/errors.ts';
import { faultSpan, type GameDay } from './gameday.ts';
import { GAMEDAY_TRIGGERS } from './gamedays/builtin.ts';
import type { LoadPlan } from './model.ts';
import { steadyBounds } from './plan.ts';

/** The share of the steady stage before the first fault: the steady state the run judges. */
export const PRE_FAULT_SHARE = 1 / 3;

export function overlayGameDay(plan: LoadPlan, g: GameDay): { plan: LoadPlan; gameDay: GameDay } {
  const steady = steadyBounds(plan);
  if (steady === undefined || steady.endS - steady.startS < 6) {
    throw new UsageError(
      `--gameday ${g.id}: the plan has no steady stage of 6 s or more to hold the faults in`,
      'lengthen the run (--duration) or run the game day on its own: tiergate gameday --fault …',
    );
  }
  const length = steady.endS - steady.startS;
  const { firstS, lastEndS } = faultSpan(g);
  const scale = Math.min(1, length / 3 / Math.max(1, lastEndS - firstS));
  const startS = Math.round(steady.startS + length * PRE_FAULT_SHARE);
  const faults = g.faults.map((f) => ({
    ...f,
    atS: startS + Math.round((f.atS - firstS) * scale),
    holdS: Math.max(1, Math.round(f.holdS * scale)),
  }));
  const endS = Math.max(...faults.map((f) => f.atS + f.holdS));
  const gameDay: GameDay = {
    ...g,
    steadyS: startS,
    steadyFromS: steady.startS,
    faults,
    recoveryS: Math.max(0, plan.durationS - endS),
  };
  const schedule = faults.map((f) => `${f.fault.kind} at ${f.atS}s for ${f.holdS}s`).join(', ');
  return {
    plan: {
      ...plan,
      // A tier's deploy triggers (errors > 1 %) would end every error-injection game day.
      rollbackTriggers: g.rollbackTriggers ?? GAMEDAY_TRIGGERS,
      notes: [
        ...plan.notes,
        `game day ${g.id} in the steady stage: steady state ${steady.startS}s–${startS}s, then ${schedule}; the game day's rollback triggers replace the tier's`,
      ],
    },
    gameDay,
  };
}
