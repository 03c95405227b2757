// E-commerce order processing (seed 002): browse → add to cart → checkout, weighted 6 : 3 : 1,
// at the load, ramp and objectives of a tier of the `ecommerce` roadmap.
//   k6 run scenarios/ecommerce.ts -e TIERGATE_TIER=10k -e BASE_URL=http://localhost:3000
import { scenarioScript } from './lib/entry.ts';

const script = scenarioScript('ecommerce');
export const options = script.options;
export default script.iteration;
