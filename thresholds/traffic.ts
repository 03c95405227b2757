// Tier load → the peak arrival rate a plan ramps to.

import { grouped } from './format.ts';
import type { TierLoad, TrafficModel } from './model.ts';

const SECONDS_PER_HOUR = 3600;

/** Peak requests per second of the busiest hour, times the headroom. */
export function peakRpsOfTraffic(model: TrafficModel): number {
  return (
    (model.dailyUsers * model.requestsPerUserPerDay * model.peakHourShare * model.headroom) /
    SECONDS_PER_HOUR
  );
}

/** Peak load of a tier: requests/second for open loads, VUs for closed ones. */
export function tierPeak(load: TierLoad): { model: 'open' | 'closed'; peak: number } {
  switch (load.kind) {
    case 'daily-users':
      return { model: 'open', peak: peakRpsOfTraffic(load) };
    case 'rps':
      return { model: 'open', peak: load.rps };
    case 'vus':
      return { model: 'closed', peak: load.vus };
  }
}

/** "10,000 daily users × 30 req/day × 15 % in the peak hour × 2 headroom = 25 req/s". */
export function describeTraffic(load: TierLoad): string {
  switch (load.kind) {
    case 'daily-users': {
      const rps = peakRpsOfTraffic(load);
      return (
        `${grouped(load.dailyUsers)} daily users × ${load.requestsPerUserPerDay} req/user/day` +
        ` × ${Math.round(load.peakHourShare * 100)}% in the peak hour × ${load.headroom} headroom` +
        ` = ${rps.toFixed(1)} req/s`
      );
    }
    case 'rps':
      return `${grouped(load.rps)} req/s (stated)`;
    case 'vus':
      return `${grouped(load.vus)} virtual users (stated, closed model)`;
  }
}
