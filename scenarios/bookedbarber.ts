// BookedBarber (seed 004): list barbers, read a barber's slots, book an appointment, at the
// load, ramp and objectives of a tier of the `bookedbarber` roadmap.
//   k6 run scenarios/bookedbarber.ts -e TIERGATE_TIER=current -e BASE_URL=http://localhost:3000
import { scenarioScript } from './lib/entry.ts';

const script = scenarioScript('bookedbarber');
export const options = script.options;
export default script.iteration;
