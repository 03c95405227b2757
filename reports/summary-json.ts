// The public, stable machine-readable summary of a run (`--summary-json <file>`).
// Fields are only ever added; a change of meaning bumps SUMMARY_SCHEMA_VERSION.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { FileWriteError } from '../core/file-errors.ts';
import type {
  LatencySummary,
  Metric,
  ObjectiveStatus,
  WindowName,
  WindowStats,
} from '../thresholds/model.ts';
import { metricUnit } from '../thresholds/objective.ts';
import type { GameDayResult, RunResult } from '../thresholds/result.ts';
import { type RunVerdict, runTotals, runVerdict, wholeStats } from './facts.ts';

export type { RunVerdict } from './facts.ts';

export const SUMMARY_SCHEMA_VERSION = 1;

/** Latency percentiles in milliseconds, rounded to 3 decimals (µs resolution). */
export interface LatencyPercentilesMs {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Unit of an objective's `observed` and `limit`. `fraction`: 0.01 means 1 %. */
export type SummaryUnit = 'ms' | 'fraction' | 'rps' | 's';

/** One objective of the gate and how it fared. */
export interface SummaryObjective {
  /** Objective id, unique within the tier, e.g. `checkout-p95`. */
  id: string;
  /** The objective as written for people, e.g. `checkout p95 < 1.5 s`. */
  expression: string;
  /** Timeline window the objective was measured on. */
  window: WindowName;
  /** `warn` objectives never fail the gate (unless run with --strict). */
  severity: 'fail' | 'warn';
  /**
   * How it fared; `skipped`: optional and without data, so not judged; `unproven`: the value
   * meets the limit but its confidence bound does not (a warning unless --strict or `prove`).
   */
  status: ObjectiveStatus;
  /** Measured value in `unit`; null when the window held no data. */
  observed: number | null;
  /** Limit in `unit`, resolved against the baseline for relative objectives; null if unresolved. */
  limit: number | null;
  /** Baseline value in `unit` for relative objectives; null for absolute ones. */
  baseline: number | null;
  /** Unit of `observed`, `limit` and `baseline`. */
  unit: SummaryUnit;
  /** Requests the value was measured on. */
  samples: number;
  /**
   * The one-sided confidence bound in `unit` on the side the objective guards; null where the
   * samples cannot bound it; absent for exact figures (max, throughput, recovery time, a mean).
   */
  bound?: number | null;
  /** The confidence of `bound`, e.g. 0.95. */
  confidence?: number;
  /** For `unproven`: what would prove it. */
  needs?: string;
  /** For `unproven`: the estimates broke a relative limit, but the bounds cannot show it. */
  breachUnproven?: true;
  /** Why the objective has its status, in one sentence. */
  reason: string;
}

/** What `--summary-json <file>` writes: a run's outcome in one small, stable document. */
export interface RunSummary {
  /** Version of this document's shape; always 1 for this interface. */
  schemaVersion: 1;
  /** Id of the run; its result folder is `results/<runId>/`. */
  runId: string;
  /** ISO 8601 wall-clock time the run started. */
  startedAt: string;
  /**
   * The gate's verdict (`pass`, `warn`, `fail`, `inconclusive`), or how the run ended when
   * it did not complete: `aborted` (a rollback trigger fired), `errored` (the run could
   * not complete), `interrupted` (stopped by a signal).
   */
  verdict: RunVerdict;
  /** Process exit code tiergate used for this run (0 pass, 1 fail/aborted, 3, 4, 130). */
  exitCode: number;
  /** Roadmap id; null for an ad-hoc run. */
  roadmap: string | null;
  /** Tier id; null for an ad-hoc run. */
  tier: string | null;
  /** Load engine: `local`, `k6`, `k6-operator` or `autocannon`. */
  engine: string;
  /** Generators the load was split across (worker threads, k6 processes, runners). */
  generators: number;
  /** `open` (arrival rate, the default) or `closed` (virtual users). */
  loadModel: 'open' | 'closed';
  /** Length of the whole window in seconds. */
  durationS: number;
  /** Requests completed (response or error) in the whole window. */
  requests: number;
  /** Requests that failed (error status, timeout, connection error). */
  errors: number;
  /** Requests that could not be sent on schedule (no free connection or VU). */
  dropped: number;
  /** errors / requests as a fraction (0.01 = 1 %); null when no request completed. */
  errorRate: number | null;
  /** requests / durationS, in requests per second. */
  achievedRps: number;
  /** The plan's peak arrival rate (open model); null for a closed model. */
  targetRps: number | null;
  /** What the plan scheduled per second over the run's span, ramps included; null if closed. */
  plannedRps: number | null;
  /**
   * Latency of all requests over the whole window, measured from the intended send time
   * (includes queueing in the generator: no coordinated omission); null with no requests.
   */
  latencyMs: LatencyPercentilesMs | null;
  /** Time from the actual send to the response (what closed-loop tools report). */
  serviceTimeMs: LatencyPercentilesMs | null;
  /** Every objective of the gate, in the tier's order. */
  objectives: SummaryObjective[];
  /** Id of the rollback trigger that aborted the run; null when none did. */
  abortedBy: string | null;
  /** Why the run cannot support a verdict (empty unless the verdict is `inconclusive`). */
  inconclusiveReasons: string[];
  /** Game days only: the game day's own verdict (`deviated`: faults removed, never recovered). */
  gameDayVerdict?: GameDayResult['verdict'];
  /** Game days only: figures of the windows before, during and after the faults. */
  windows?: Partial<Record<'steady' | 'fault' | 'recovery', SummaryWindow>>;
  /**
   * Game days only: the seconds between those windows, each named (`steady→chaos`): with the
   * windows they hold every request of the run once. Empty when the windows tile the run.
   */
  gaps?: (SummaryWindow & { name: string })[];
  /** Game days only: fault start → first second breaking the steady state; null if none did. */
  timeToDetectS?: number | null;
  /** Game days only: fault removal → first run of good seconds; null when it never recovered. */
  timeToRecoverS?: number | null;
  /** Game days only: each fault, with run-relative times in seconds. */
  faults?: {
    kind: string;
    injectedAt: number | null;
    removedAt: number | null;
    recovered: boolean;
  }[];
}

/** A game-day window's figures, of the requests whose intended send time fell in it. */
export interface SummaryWindow {
  startS: number;
  endS: number;
  /** Requests the plan scheduled in the window (sent + dropped). */
  scheduled: number;
  /** Requests of the window that completed (response or error), whenever they did. */
  requests: number;
  errors: number;
  latencyMs: LatencyPercentilesMs | null;
}

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
