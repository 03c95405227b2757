// Game days: load at a tier's steady level plus a timed fault schedule, judged on the windows
// before, during and after the faults. Pure types and helpers, shared by every chaos driver.
import type { Citation, Objective, RollbackTrigger } from './model.ts';

/** A fault, independent of the driver that applies it. */
export type FaultSpec =
  /** Delay every response by `latencyMs` ± `jitterMs`. */
  | { kind: 'latency'; latencyMs: number; jitterMs?: number }
  /** Answer `status` at once for a share of requests. */
  | { kind: 'http-error'; status: number; share: number }
  /** Cut a share of responses mid-body. */
  | { kind: 'http-abort'; share: number }
  /** Reset a share of connections. */
  | { kind: 'reset'; share: number }
  /** Swallow a share of requests: no answer ever (clients time out). */
  | { kind: 'blackhole'; share: number }
  /** Throttle response bytes. */
  | { kind: 'bandwidth'; kbPerSecond: number }
  /** Kill one replica (by index) of the target; it is restarted when the fault is removed. */
  | { kind: 'kill-replica'; replica: number }
  /** Freeze one replica (SIGSTOP) until the fault is removed (SIGCONT). */
  | { kind: 'pause-replica'; replica: number }
  /** A fault only a cluster can apply honestly (CPU, memory, disk I/O stress, …). */
  | {
      kind: 'kubernetes-only';
      chaos: 'StressChaos-cpu' | 'StressChaos-memory' | 'IOChaos' | 'PodChaos' | 'NetworkChaos';
    };

export interface ScheduledFault {
  id: string;
  fault: FaultSpec;
  /** Seconds after the run starts. */
  atS: number;
  /** How long the fault is held before it is removed. */
  holdS: number;
}

export interface GameDay {
  id: string;
  name: string;
  description: string;
  /** Seconds of load before the first fault: the steady state is checked on it. */
  steadyS: number;
  /**
   * Where the pre-fault steady window starts (default 0). A game day laid over a tier's ramp
   * starts it with the ramp's steady stage, so the ramp-up is not judged as steady state.
   */
  steadyFromS?: number;
  faults: ScheduledFault[];
  /** Seconds of load after the last fault is removed. */
  recoveryS: number;
  /** Objectives that must hold in the steady window before anything is injected. */
  steadyState: Objective[];
  /** Resilience objectives, on the `chaos` and `recovery` windows. */
  objectives: Objective[];
  /**
   * Live triggers while the game day runs, replacing the tier's (a tier's deploy rollback at 1 %
   * errors would end every error-injection game day); seed 000's chaos triggers when absent.
   */
  rollbackTriggers?: RollbackTrigger[];
  /** Why this game day cannot run locally, when it cannot. */
  kubernetesOnly?: string;
  /** Replicas of the demo target the local game day needs behind the proxy. */
  replicas?: number;
  source?: Citation;
}

/** When the fault schedule starts and ends, in run seconds. */
export function faultSpan(g: GameDay): { firstS: number; lastEndS: number } {
  const firstS = Math.min(...g.faults.map((f) => f.atS));
  const lastEndS = Math.max(...g.faults.map((f) => f.atS + f.holdS));
  return { firstS, lastEndS };
}

export function gameDayDurationS(g: GameDay): number {
  return faultSpan(g).lastEndS + g.recoveryS;
}
