// A game day's load: the tier's journey at its steady level (peak rate) for the whole schedule,
// with the tier's own objectives beside the game day's resilience ones.

import type { GameDay } from './gameday.ts';
import { gameDayDurationS } from './gameday.ts';
import { GAMEDAY_TRIGGERS } from './gamedays/builtin.ts';
import type { LoadPlan, Tier } from './model.ts';
import { type GeneratorOptions, planTier } from './plan.ts';

export interface GameDayTiming {
  steadyS?: number;
  holdS?: number;
  recoveryS?: number;
}

/** The game day with its timing overridden: every fault shifts with the steady period. */
export function retime(g: GameDay, t: GameDayTiming): GameDay {
  const steadyS = t.steadyS ?? g.steadyS;
  const shift = steadyS - g.steadyS;
  return {
    ...g,
    steadyS,
    recoveryS: t.recoveryS ?? g.recoveryS,
    faults: g.faults.map((f) => ({ ...f, atS: f.atS + shift, holdS: t.holdS ?? f.holdS })),
  };
}

export function planGameDay(
  tier: Tier,
  g: GameDay,
  options: {
    roadmap: string;
    target: string;
    peak?: number;
    generator?: Partial<GeneratorOptions>;
  },
): LoadPlan {
  const durationS = gameDayDurationS(g);
  // A short ramp-in warms connections; it is part of the steady period before the first fault.
  const rampS = Math.min(5, g.steadyS / 4);
  const steadyTier: Tier = {
    ...tier,
    stages: [
      { durationS: rampS, target: 1 },
      { durationS: durationS - rampS, target: 1, steady: true },
    ],
  };
  const plan = planTier(steadyTier, {
    roadmap: options.roadmap,
    target: options.target,
    ...(options.peak !== undefined ? { peak: options.peak } : {}),
    ...(options.generator ? { generator: options.generator } : {}),
  });
  plan.rollbackTriggers = g.rollbackTriggers ?? GAMEDAY_TRIGGERS;
  // The tier's steady-window objectives judge the game day's pre-fault steady state.
  plan.notes.push(
    `game day ${g.id}: steady ${g.steadyS}s, then ${g.faults.map((f) => `${f.fault.kind} at ${f.atS}s for ${f.holdS}s`).join(', ')}, recovery ${g.recoveryS}s`,
  );
  return plan;
}
