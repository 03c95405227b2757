// The public, stable machine-readable summary of a run (`--summary-json <file>`); its shape is
// in summary-schema.ts.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { FileWriteError } from '../core/file-errors.ts';
import type { LatencySummary, Metric, WindowName, WindowStats } from '../thresholds/model.ts';
import { metricUnit } from '../thresholds/objective.ts';
import type { RunResult } from '../thresholds/result.ts';
import { capacitySummary } from './capacity-summary.ts';
import { runTotals, runVerdict, wholeStats } from './facts.ts';
import {
  type LatencyPercentilesMs,
  type RunSummary,
  SUMMARY_SCHEMA_VERSION,
  type SummaryUnit,
  type SummaryWindow,
} from './summary-schema.ts';

export type { RunVerdict } from './facts.ts';

export function toSummary(run: RunResult): RunSummary {
  const totals = runTotals(run);
  const whole = wholeStats(run);
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    runId: run.runId,
    startedAt: run.startedAt,
    verdict: runVerdict(run),
    exitCode: run.exitCode,
    roadmap: run.plan.roadmap ?? null,
    tier: run.plan.tier ?? null,
    engine: run.engine.name,
    generators: run.engine.generators,
    loadModel: run.plan.shape.model,
    durationS: round(totals.durationS, 3),
    requests: totals.completed,
    errors: totals.errors,
    dropped: totals.dropped,
    errorRate: totals.errorRate === null ? null : round(totals.errorRate, 6),
    achievedRps: round(totals.achievedRps, 3),
    targetRps: totals.targetRps === null ? null : round(totals.targetRps, 3),
    plannedRps: totals.plannedRps === null ? null : round(totals.plannedRps, 3),
    latencyMs: percentiles(whole?.latency),
    serviceTimeMs: percentiles(whole?.serviceTime),
    objectives: run.verdict.objectives.map((v) => {
      const unit = summaryUnit(v.objective.metric);
      return {
        id: v.id,
        expression: v.expression,
        window: v.window,
        severity: v.objective.severity,
        status: v.status,
        observed: inUnit(v.observed, unit),
        limit: inUnit(v.limit, unit),
        baseline: inUnit(v.baseline ?? null, unit),
        unit,
        samples: v.samples,
        ...(v.bound !== undefined
          ? { bound: v.bound === null ? null : inUnit(v.bound, unit), confidence: v.confidence }
          : {}),
        ...(v.needs !== undefined ? { needs: v.needs } : {}),
        ...(v.breachUnproven ? { breachUnproven: true as const } : {}),
        reason: v.reason,
      };
    }),
    abortedBy: run.outcome.state === 'aborted' ? run.outcome.trigger : null,
    inconclusiveReasons: [...run.verdict.inconclusiveReasons],
    ...gameDaySummary(run),
    ...(run.capacity ? { capacity: capacitySummary(run.capacity) } : {}),
  };
}

function gameDaySummary(run: RunResult): Partial<RunSummary> {
  const g = run.gameDay;
  if (!g) return {};
  const figures = (s: Omit<WindowStats, 'window'>): SummaryWindow => ({
    startS: round(s.startS, 3),
    endS: round(s.endS, 3),
    scheduled: s.scheduled,
    requests: s.completed,
    errors: s.errors,
    latencyMs: percentiles(s.latency),
  });
  const window = (name: WindowName): SummaryWindow | undefined => {
    const s = run.stats.find((x) => x.window === name && x.request === undefined);
    return s ? figures(s) : undefined;
  };
  const windows: RunSummary['windows'] = {};
  const steady = window('steady');
  const fault = window('chaos');
  const recovery = window('recovery');
  if (steady) windows.steady = steady;
  if (fault) windows.fault = fault;
  if (recovery) windows.recovery = recovery;
  const at = (t: number | null) => (t === null ? null : round(t, 3));
  return {
    gameDayVerdict: g.verdict,
    windows,
    gaps: (run.gaps ?? []).map((gap) => ({ name: gap.name, ...figures(gap) })),
    timeToDetectS: at(g.timeToDetectS),
    timeToRecoverS: at(g.timeToRecoverS),
    faults: g.faults.map((f) => ({
      kind: f.kind,
      injectedAt: at(f.injectedAtS),
      removedAt: at(f.removedAtS),
      recovered: f.recovered,
    })),
  };
}

/** Writes the summary as JSON (atomically), creating the parent folder if needed. */
export async function writeSummaryJson(path: string, summary: RunSummary): Promise<void> {
  await mkdir(dirname(path), { recursive: true }).catch((err: unknown) => {
    throw new FileWriteError(dirname(path), err);
  });
  await writeFileAtomic(path, `${JSON.stringify(summary, null, 2)}\n`);
}

function percentiles(s: LatencySummary | undefined): LatencyPercentilesMs | null {
  if (!s || s.count === 0) return null;
  return { p50: round(s.p50, 3), p95: round(s.p95, 3), p99: round(s.p99, 3), max: round(s.max, 3) };
}

function summaryUnit(metric: Metric): SummaryUnit {
  const unit = metricUnit(metric);
  return unit === '%' ? 'fraction' : unit;
}

function inUnit(value: number | null, unit: SummaryUnit): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return round(value, unit === 'fraction' ? 6 : 3);
}

function round(n: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
}
