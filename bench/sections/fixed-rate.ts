// 2. Latency overhead and same-load memory. At one moderate fixed rate the local engine and
// k6 (when K6_BIN names one) run the same open-model load (their peak RSS compared), and wrk -c1
// gives a C client's round trip at the concurrency such a rate has on loopback (≈ 1 request in
// flight).
import type { BenchMode } from '../mode.ts';
import { type K6RateRun, runK6Rate } from '../peers/k6.ts';
import { type LocalStepFigures, runLocal } from '../peers/local.ts';
import { runWrk, type WrkRun } from '../peers/wrk.ts';

export interface FixedRateFigures {
  rate: number;
  local: LocalStepFigures;
  wrk1: WrkRun;
  /** Absent when k6 was not measured (no K6_BIN). */
  k6?: K6RateRun;
}

export async function measureFixedRate(
  url: string,
  mode: BenchMode,
  k6Binary: string | undefined,
  log: (line: string) => void,
): Promise<FixedRateFigures> {
  const { rate, warmupS, durationS } = mode.latency;
  const local = await runLocal({ url, rate, warmupS, durationS, connections: mode.connections });
  log(
    `local at ${rate}/s: latency p50 ${(local.latencyP50Ms * 1000).toFixed(0)} µs, ` +
      `p99 ${(local.latencyP99Ms * 1000).toFixed(0)} µs`,
  );
  const wrk1 = await runWrk(url, 1, durationS);
  log(`wrk -c1: p50 ${wrk1.p50Us.toFixed(0)} µs, p99 ${wrk1.p99Us.toFixed(0)} µs`);
  if (k6Binary === undefined) return { rate, local, wrk1 };
  const k6 = await runK6Rate(k6Binary, url, rate, durationS, mode.connections);
  log(
    `k6 at ${rate}/s: p50 ${(k6.p50Ms * 1000).toFixed(0)} µs, p99 ${(k6.p99Ms * 1000).toFixed(0)} µs`,
  );
  return { rate, local, wrk1, k6 };
}

export interface ComparableFigures {
  rate: number;
  durationS: number;
  localPeakRssMb: number;
  k6PeakRssMb: number;
  localRequests: number;
  k6Requests: number;
}

/** The same open-model load for the same time: the local engine's and k6's peak RSS. */
export async function measureComparable(
  url: string,
  rate: number,
  mode: BenchMode,
  k6Binary: string,
  log: (line: string) => void,
): Promise<ComparableFigures> {
  const { durationS } = mode.comparable;
  // No warm-up: the same requests as k6, from the first second.
  const local = await runLocal({ url, rate, warmupS: 0, durationS, connections: mode.connections });
  const k6 = await runK6Rate(k6Binary, url, rate, durationS, mode.connections);
  log(
    `same load ${rate}/s × ${durationS} s: local peak RSS ${local.peakRssMb.toFixed(0)} MB, ` +
      `k6 ${k6.peakRssMb.toFixed(0)} MB`,
  );
  return {
    rate,
    durationS,
    localPeakRssMb: local.peakRssMb,
    k6PeakRssMb: k6.peakRssMb,
    localRequests: Math.round(local.achievedRps * durationS),
    k6Requests: k6.iterations,
  };
}
