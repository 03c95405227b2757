// What every scenario script does at init: read the plan from `-e` variables, compile it, and
// hand k6 its options and iteration.
import type { Options } from 'k6/options';
import { abortOnFail, planFromEnv } from './plan-from-env.ts';
import { announce, journeyScript } from './script.ts';

export interface ScenarioScript {
  options: Options;
  iteration: () => void;
}

/** `roadmap`: the built-in roadmap whose journey the script runs (absent: the generic script). */
export function scenarioScript(roadmap?: string): ScenarioScript {
  const plan = planFromEnv(__ENV, roadmap, (path) => open(path));
  const script = journeyScript(plan, { abortOnFail: abortOnFail(__ENV) });
  announce(plan, script.notes);
  return { options: script.options, iteration: script.iteration };
}
