// `--demo-*` flags: the demo target's capacity, so a gate can be made to pass or fail on purpose.
import type { DemoOptions } from '../../../demo/server.ts';
import { parseNumber } from './plan-from-options.ts';

export interface DemoFlags {
  demoCapacity?: string;
  demoServiceTime?: string;
  demoErrorRate?: string;
}

export function demoOptionsFrom(flags: DemoFlags): Partial<DemoOptions> {
  const options: Partial<DemoOptions> = {};
  const capacity = parseNumber('--demo-capacity', flags.demoCapacity, 1);
  const serviceTime = parseNumber('--demo-service-time', flags.demoServiceTime, 0);
  const errorRate = parseNumber('--demo-error-rate', flags.demoErrorRate, 0, 1);
  if (capacity !== undefined) options.capacityRps = capacity;
  if (serviceTime !== undefined) options.serviceTimeMs = serviceTime;
  if (errorRate !== undefined) options.errorRate = errorRate;
  return options;
}
