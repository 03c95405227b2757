// The local engine as a bench subject: one bounded run in a pinned child process
// (bench/children/local-load.ts), open model at a rate or closed model with VUs.
import type { LocalLoadResult, LocalLoadSpec } from '../children/local-load.ts';
import { runNodeChild } from './node-child.ts';

export interface LocalStepFigures {
  rate: number;
  achievedRps: number;
  dropped: number;
  errors: number;
  sendLagP99Ms: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  serviceP50Ms: number;
  serviceP99Ms: number;
  peakRssMb: number;
  cpuUsPerRequest: number;
}

/**
 * V8's memory reducer compacts every idle isolate about 8 s after start (here the main thread
 * and tsx's two loader threads: 5–17 ms each). On one pinned core that lands on the generator
 * as a send-lag bump inside the measured window; on a machine with a spare core it runs there.
 */
const NODE_ARGS = ['--no-memory-reducer'];

export async function runLocal(spec: LocalLoadSpec): Promise<LocalStepFigures> {
  const limitMs = (spec.warmupS + spec.durationS + 30) * 1000;
  const { result } = await runNodeChild<LocalLoadResult>('local-load', spec, limitMs, NODE_ARGS);
  const s = result.steady;
  return {
    rate: spec.vus === undefined ? spec.rate : 0,
    achievedRps: result.achievedRps,
    dropped: s.dropped,
    errors: s.errors,
    sendLagP99Ms: s.sendLag.p99,
    latencyP50Ms: s.latency.p50,
    latencyP99Ms: s.latency.p99,
    serviceP50Ms: s.serviceTime.p50,
    serviceP99Ms: s.serviceTime.p99,
    peakRssMb: result.peakRssMb,
    cpuUsPerRequest: result.cpuUsPerRequest,
  };
}

/** The bench's bar for "held": send lag p99 under `lagBarMs`, nothing dropped or failed. */
export function localHeld(f: LocalStepFigures, lagBarMs: number): boolean {
  return (
    f.dropped === 0 && f.errors === 0 && f.sendLagP99Ms < lagBarMs && f.achievedRps >= 0.99 * f.rate
  );
}

/** k6's bar (no drops, ≥ 99 % achieved), applied to the local engine for a like-for-like note. */
export function localHeldLikeK6(f: LocalStepFigures): boolean {
  return f.dropped === 0 && f.errors === 0 && f.achievedRps >= 0.99 * f.rate;
}
