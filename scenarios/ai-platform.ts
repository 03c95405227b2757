// AI platform (seed 003): generate calls and the model list, at the load, ramp and objectives
// of a tier of the `ai-platform` roadmap.
//   k6 run scenarios/ai-platform.ts -e TIERGATE_TIER=cutover -e BASE_URL=http://localhost:3000
import { scenarioScript } from './lib/entry.ts';

const script = scenarioScript('ai-platform');
export const options = script.options;
export default script.iteration;
