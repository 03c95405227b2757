// Child process: the autocannon probe (runner/engines/autocannon) against the bench's target,
// so it runs pinned to the generator core like every other peer. Prints its result as JSON.
import { probe } from '../../runner/engines/autocannon/probe.ts';

const { url, connections, durationS } = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  connections: number;
  durationS: number;
};
console.log(JSON.stringify(await probe(url, { connections, durationS })));
