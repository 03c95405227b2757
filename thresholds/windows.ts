// Windows cut from the one timeline: `whole` is every second of the run, `steady` the plan's
// steady stage. Fault windows (`chaos`, `recovery`) come from the fault events.
import { faultSpan, type GameDay } from './gameday.ts';
import type { LoadPlan, WindowName } from './model.ts';
import { steadyBounds } from './plan.ts';
import type { TimelineEvent, WindowBounds } from './result.ts';

export type Windows = Partial<Record<WindowName, WindowBounds>>;

/** `endedEarly`: the run was aborted or interrupted, so it spans only the seconds it ran. */
export function planWindows(plan: LoadPlan, timelineSeconds: number, endedEarly = false): Windows {
  const endS = endedEarly ? timelineSeconds : Math.max(timelineSeconds, Math.ceil(plan.durationS));
  const windows: Windows = { whole: { startS: 0, endS } };
  const steady = steadyBounds(plan);
  if (steady && steady.endS > steady.startS) {
    windows.steady = { startS: steady.startS, endS: Math.min(steady.endS, endS) };
  }
  return windows;
}

/**
 * Game-day windows, cut at the fault events as they happened: `steady` before the first fault,
 * `chaos` from the first injection to the last removal, `recovery` after it. With no fault
 * injected there is no chaos or recovery window. The timeline has whole seconds, so `chaos`
 * takes every second the faults touched (the one they were injected in, the one they were
 * removed in): `steady` and `recovery` hold no request sent while a fault was in place, and no
 * second falls between the windows.
 */
export function gameDayWindows(
  g: GameDay,
  events: TimelineEvent[],
  timelineSeconds: number,
  durationS: number,
): Windows {
  const end = Math.max(timelineSeconds, Math.ceil(durationS));
  const injected = events.filter((e) => e.kind === 'fault-injected').map((e) => e.t);
  const removed = events.filter((e) => e.kind === 'fault-removed').map((e) => e.t);
  const firstS = Math.floor(injected.length > 0 ? Math.min(...injected) : faultSpan(g).firstS);
  const windows: Windows = {
    whole: { startS: 0, endS: end },
    steady: { startS: g.steadyFromS ?? 0, endS: firstS },
  };
  if (injected.length === 0) return windows;
  const lastEndS = removed.length > 0 ? Math.min(end, Math.ceil(Math.max(...removed))) : end;
  windows.chaos = { startS: firstS, endS: lastEndS };
  if (lastEndS < end) windows.recovery = { startS: lastEndS, endS: end };
  return windows;
}
