// A run's result from what it recorded: windows cut, stats, a game day's assessment, the gate,
// the outcome and its exit code. Pure apart from reading the timeline store: the clock, the
// machine and the engine come in as inputs, so a checkpoint and the final result are the same
// function of the same facts.

import { exitCodeFor } from '../../thresholds/exit-code.ts';
import type { GameDay } from '../../thresholds/gameday.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import {
  type EngineInfo,
  RUN_SCHEMA_VERSION,
  type RunEnvironment,
  type RunOutcome,
  type RunResult,
  type TimelineEvent,
  unfinishedOutcome,
  unfinishedReason,
} from '../../thresholds/result.ts';
import { gameDayWindows, planWindows } from '../../thresholds/windows.ts';
import type { TimelineStore } from '../timeline/store.ts';
import { gapStats, judge, windowStats } from './evaluate.ts';
import { assessGameDay, gameDayVerdict } from './gameday-assess.ts';

/** What a game day's fault schedule found while it ran. */
export interface ScheduleFindings {
  /** The steady state was broken before the first fault (the game day cannot judge). */
  readonly steadyStateBroken: string | undefined;
  /** Faults whose injection or removal failed. */
  readonly failures: readonly string[];
  /** Faults that were never injected. */
  readonly notInjected: readonly string[];
}

export interface RunFacts {
  plan: LoadPlan;
  /** The plan as stored and shown: secrets redacted. */
  shownPlan: LoadPlan;
  runId: string;
  startedAt: Date;
  endedAt: Date;
  environment: RunEnvironment;
  engine: EngineInfo;
  /** The engine's own threshold results, per generator (k6). */
  engineThresholds?: Record<string, boolean>[] | undefined;
  store: TimelineStore;
  events: TimelineEvent[];
  /** How the run ended, as far as the run loop knows. */
  outcome: RunOutcome;
  baseline?: { run: RunResult; path: string } | undefined;
  strict: boolean;
  gameDay?:
    | { definition: GameDay; driver: 'local' | 'chaos-mesh'; findings: ScheduleFindings }
    | undefined;
}

/**
 * The run as a RunResult. `complete: false` is a checkpoint: what the run is if it ends here,
 * unfinished and never a pass. Complete, a game day whose recovery or injection could not be
 * verified turns a completed run into an errored one.
 */
export function assembleResult(f: RunFacts, complete: boolean): RunResult {
  const { plan, store, events } = f;
  let outcome = f.outcome;
  const timeline = store.buckets();
  const g = f.gameDay?.definition;
  const windows = g
    ? gameDayWindows(g, events, timeline.length, plan.durationS)
    : planWindows(plan, timeline.length, outcome.state !== 'completed');
  const stats = windowStats(
    store,
    windows,
    plan.journey.requests.map((r) => r.name),
    {
      confidence: plan.confidence,
      latencyBucketRatio: f.engine.latencyBucketRatio,
    },
  );
  const assessment =
    g && f.gameDay
      ? assessGameDay(
          g,
          store,
          windows,
          events,
          f.gameDay.findings.steadyStateBroken,
          f.gameDay.findings.failures,
          plan.recoveryGoodSeconds,
        )
      : undefined;
  if (assessment && f.gameDay) {
    for (const s of stats)
      if (s.window === 'recovery') s.recoveryTimeS = assessment.result.timeToRecoverS;
    if (complete && assessment.unverified.length > 0 && outcome.state === 'completed') {
      outcome = {
        state: 'errored',
        reason: `chaos recovery unverified: ${assessment.unverified.join('; ')}`,
      };
    }
    const { notInjected } = f.gameDay.findings;
    if (complete && notInjected.length > 0 && outcome.state === 'completed') {
      outcome = { state: 'errored', reason: notInjected.join('; ') };
    }
  }
  const verdict = judge({
    plan,
    objectives: g ? [...plan.objectives, ...g.objectives] : plan.objectives,
    stats,
    ...(f.baseline ? { baseline: f.baseline.run.stats } : {}),
    inconclusiveReasons: [
      ...(assessment?.inconclusiveReasons ?? []),
      ...(complete ? [] : [unfinishedReason({ timeline })]),
    ],
  });
  const stated = complete ? outcome : unfinishedOutcome({ timeline, outcome });
  const result: RunResult = {
    schemaVersion: RUN_SCHEMA_VERSION,
    runId: f.runId,
    startedAt: f.startedAt.toISOString(),
    endedAt: f.endedAt.toISOString(),
    complete,
    environment: f.environment,
    engine: f.engine,
    plan: f.shownPlan,
    outcome: stated,
    timeline,
    events,
    windows,
    stats,
    gaps: gapStats(store, windows),
    verdict,
    exitCode: exitCodeFor(stated, verdict.status, f.strict),
  };
  if (f.baseline) result.baseline = { runId: f.baseline.run.runId, path: f.baseline.path };
  if (f.engineThresholds && f.engineThresholds.length > 0) {
    result.engineThresholds = f.engineThresholds;
  }
  if (assessment && f.gameDay) {
    result.gameDay = {
      ...assessment.result,
      driver: f.gameDay.driver,
      verdict: gameDayVerdict(stated, verdict.status, assessment),
    };
  }
  return result;
}
