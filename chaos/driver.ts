// What every fault driver offers a game day: check up front, apply a fault, remove it.
import type { ScheduledFault } from '../thresholds/gameday.ts';

export interface InjectedFault {
  /** Removes the fault and waits until it is gone. Idempotent. */
  remove(): Promise<void>;
}

export interface ChaosDriver {
  readonly name: 'local' | 'chaos-mesh';
  /** Refuses faults this driver cannot apply (with the reason and the fix). */
  preflight(faults: ScheduledFault[]): Promise<void>;
  inject(fault: ScheduledFault): Promise<InjectedFault>;
}
