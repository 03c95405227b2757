// `tiergate gate <run>`: re-evaluates a stored run from its timeline (not its stored verdict),
// optionally against a baseline run, on every objective the run was judged on. A run that never
// finished (`complete: false`) is never a pass: it could not complete (exit 3).
import { dirname } from 'node:path';
import type { Terminal } from '../../core/terminal.ts';
import { loadBaseline } from '../../reports/store/baseline.ts';
import { exitCodeFor } from '../../thresholds/exit-code.ts';
import { ERROR_GUARD_ID } from '../../thresholds/gate.ts';
import type { Objective, WindowStats } from '../../thresholds/model.ts';
import { type RunResult, unfinishedOutcome, unfinishedReason } from '../../thresholds/result.ts';
import { publishVerdict } from '../run/conduct.ts';
import { gapStats, judge, windowStats } from '../run/evaluate.ts';
import { steadyStateBrokenReason } from '../run/gameday-assess.ts';
import { TimelineStore } from '../timeline/store.ts';
import { parseConfidence } from './options/plan-from-options.ts';

export interface GateFlags {
  baseline?: string;
  strict?: boolean;
  confidence?: string;
  summaryJson?: string;
  resultsDir?: string;
}

/** The plan's objectives and those the run added to them (a game day's), each once. */
function judgedObjectives(run: RunResult): Objective[] {
  const ids = new Set(run.plan.objectives.map((o) => o.id));
  // The failed-requests guard is the gate's own: it adds it again when it still applies.
  ids.add(ERROR_GUARD_ID);
  const added = run.verdict.objectives.map((v) => v.objective).filter((o) => !ids.has(o.id));
  return [...run.plan.objectives, ...added];
}

/** Stats of the stored timeline, with what only the live run measured (time to recover). */
function storedStats(run: RunResult): WindowStats[] {
  const stats = windowStats(
    TimelineStore.fromBuckets(run.timeline),
    run.windows,
    run.plan.journey.requests.map((r) => r.name),
    { confidence: run.plan.confidence, latencyBucketRatio: run.engine.latencyBucketRatio },
  );
  if (run.gameDay) {
    for (const s of stats)
      if (s.window === 'recovery') s.recoveryTimeS = run.gameDay.timeToRecoverS;
  }
  return stats;
}

export async function gateCommand(
  runPath: string,
  flags: GateFlags,
  term: Terminal,
): Promise<number> {
  const stored = await loadBaseline(runPath);
  const confidence = parseConfidence(flags.confidence);
  const run =
    confidence === undefined
      ? stored!.run
      : { ...stored!.run, plan: { ...stored!.run.plan, confidence } };
  // `latest-pass`: the newest passing run of the judged run's tier that started before it.
  const baseline = await loadBaseline(flags.baseline, {
    resultsDir: flags.resultsDir,
    roadmap: run.plan.roadmap,
    tier: run.plan.tier,
    excludeRunId: run.runId,
    startedBefore: run.startedAt,
  });
  const stats = storedStats(run);
  const store = TimelineStore.fromBuckets(run.timeline);
  const steadyStateBroken = run.gameDay?.steadyStateBroken;
  const verdict = judge({
    plan: run.plan,
    objectives: judgedObjectives(run),
    stats,
    ...(baseline ? { baseline: baseline.run.stats } : {}),
    inconclusiveReasons: [
      ...(steadyStateBroken !== undefined ? [steadyStateBrokenReason(steadyStateBroken)] : []),
      ...(run.complete ? [] : [unfinishedReason(run)]),
    ],
  });
  const outcome = run.complete ? run.outcome : unfinishedOutcome(run);
  const judged: RunResult = {
    ...run,
    outcome,
    stats,
    gaps: gapStats(store, run.windows),
    verdict,
    exitCode: exitCodeFor(outcome, verdict.status, flags.strict === true),
  };
  if (baseline) judged.baseline = { runId: baseline.run.runId, path: baseline.path };
  await publishVerdict(judged, dirname(stored!.path), flags, term);
  return judged.exitCode;
}
