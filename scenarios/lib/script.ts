// A plan as a k6 script: its options and its iteration.
import type { LoadPlan } from '../../thresholds/model.ts';
import { journeyIteration } from './journey.ts';
import type { K6Options } from './k6-types.ts';
import { type CompileSettings, compileOptions } from './options.ts';

export interface JourneyScript {
  options: K6Options;
  iteration: () => void;
  notes: string[];
}

export function journeyScript(plan: LoadPlan, settings: CompileSettings): JourneyScript {
  const { options, notes } = compileOptions(plan, settings);
  return { options, iteration: journeyIteration(plan), notes: [...plan.notes, ...notes] };
}

/** Prints the notes once, from the init k6 runs to read the options (not once per VU). */
export function announce(plan: LoadPlan, notes: string[]): void {
  if (__VU !== 0) return;
  const what = plan.tier ? `${plan.roadmap ?? 'roadmap'} / ${plan.tier}` : plan.journey.name;
  console.info(`tiergate: ${what}, ${plan.durationS}s, peak ${plan.peak} against ${plan.target}`);
  for (const note of notes) console.info(`tiergate: ${note}`);
}
