// Zero World (seed 000): the API's health check, feed and post creation, at the load, ramp and
// objectives of a tier of the `zero-world` roadmap.
//   k6 run scenarios/zero-world.ts -e TIERGATE_TIER=100k -e BASE_URL=http://localhost:3000
import { scenarioScript } from './lib/entry.ts';

const script = scenarioScript('zero-world');
export const options = script.options;
export default script.iteration;
