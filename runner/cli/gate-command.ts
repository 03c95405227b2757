// `tiergate gate <run>`: re-evaluates a stored run from its timeline (not its stored verdict),
// optionally against a baseline run.
import { dirname } from 'node:path';
import type { RunResult } from '../../thresholds/result.ts';
import { exitCodeFor } from '../exit-codes.ts';
import { gapStats, judge, windowStats } from '../run/evaluate.ts';
import { TimelineStore } from '../timeline/store.ts';
import { parseConfidence } from './plan-from-options.ts';
import { loadBaseline, publishVerdict } from './run-command.ts';
import type { Terminal } from './terminal.ts';

export interface GateFlags {
  baseline?: string;
  strict?: boolean;
  confidence?: string;
  summaryJson?: string;
  resultsDir?: string;
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
  const store = TimelineStore.fromBuckets(run.timeline);
  const stats = windowStats(
    store,
    run.windows,
    run.plan.journey.requests.map((r) => r.name),
    run.plan.confidence,
  );
  const verdict = judge({
    plan: run.plan,
    stats,
    ...(baseline ? { baseline: baseline.run.stats } : {}),
  });
  const judged: RunResult = {
    ...run,
    stats,
    gaps: gapStats(store, run.windows),
    verdict,
    exitCode: exitCodeFor(run.outcome, verdict.status, flags.strict === true),
  };
  if (baseline) judged.baseline = { runId: baseline.run.runId, path: baseline.path };
  await publishVerdict(judged, dirname(stored!.path), flags, term);
  return judged.exitCode;
}
