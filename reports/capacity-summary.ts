// A capacity search as its `--summary-json` section (capacity-schema.ts).
import type { CapacityRecord } from '../thresholds/result.ts';
import type { CapacitySummary } from './capacity-schema.ts';

const r3 = (n: number): number => Math.round(n * 1000) / 1000;
const r3n = (n: number | null): number | null => (n === null ? null : r3(n));

export function capacitySummary(c: CapacityRecord): CapacitySummary {
  const f = c.findings;
  return {
    mode: c.mode,
    resolution: c.resolution,
    stop: f.stop,
    kneeRps: f.knee ? r3(f.knee.rateRps) : null,
    kneeProven: f.knee ? f.knee.proven : null,
    carriedRps: r3n(f.carriedRps),
    breakRps: f.break ? r3(f.break.rateRps) : null,
    brokenBy: f.break?.broke
      ? { id: f.break.broke.id, expression: f.break.broke.expression, reason: f.break.broke.reason }
      : null,
    ...(f.highestTier !== undefined ? { highestTier: f.highestTier } : {}),
    ...(f.nextTier !== undefined
      ? {
          nextTier: f.nextTier ? { ...f.nextTier, headroom: r3n(f.nextTier.headroom) } : null,
        }
      : {}),
    ...(f.utilisation !== undefined ? { advice: f.utilisation?.advice ?? null } : {}),
    steps: c.steps.map((s) => ({
      step: s.index + 1,
      kind: s.kind,
      rateRps: r3(s.rateRps),
      tier: s.tier ?? null,
      status: s.status,
      holdStartS: s.holdStartS,
      endS: s.endS,
      achievedRps: r3(s.achievedRps),
      dropped: s.dropped,
      errorRate: s.errorRate === null ? null : Math.round(s.errorRate * 1e6) / 1e6,
      latencyMs: {
        p50: r3n(s.latencyMs.p50),
        p95: r3n(s.latencyMs.p95),
        p99: r3n(s.latencyMs.p99),
      },
      reason: s.reason,
    })),
  };
}
