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
  /**
   * Applies a fault and waits until it is in place. `stop` aborts the wait (the run is ending):
   * the driver then removes what it applied and rejects.
   */
  inject(fault: ScheduledFault, stop: AbortSignal): Promise<InjectedFault>;
}

/**
 * A fault that was (or may have been) applied and whose removal could not be confirmed: the
 * run must say "chaos recovery unverified" (exit 3), never just "could not be injected".
 */
export class RemovalUnverified extends Error {}
