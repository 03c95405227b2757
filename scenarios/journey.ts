// Any declarative journey: a built-in roadmap's tier, or a plan tiergate wrote.
//   k6 run scenarios/journey.ts -e TIERGATE_ROADMAP=ecommerce -e TIERGATE_TIER=10k -e BASE_URL=…
//   k6 run scenarios/journey.ts -e TIERGATE_PLAN=$PWD/k6-export/plan.json
import { scenarioScript } from './lib/entry.ts';

const script = scenarioScript();
export const options = script.options;
export default script.iteration;
