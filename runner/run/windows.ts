// Windows cut from the one timeline: `whole` is every second of the run, `steady` the plan's
// steady stage. Fault windows (`chaos`, `recovery`) come from the fault events.
import type { LoadPlan, WindowName } from '../../thresholds/model.ts';
import { steadyBounds } from '../../thresholds/plan.ts';
import type { WindowBounds } from '../../thresholds/result.ts';

export type Windows = Partial<Record<WindowName, WindowBounds>>;

export function planWindows(plan: LoadPlan, timelineSeconds: number): Windows {
  const windows: Windows = {
    whole: { startS: 0, endS: Math.max(timelineSeconds, Math.ceil(plan.durationS)) },
  };
  const steady = steadyBounds(plan);
  if (steady && steady.endS > steady.startS) windows.steady = steady;
  return windows;
}
