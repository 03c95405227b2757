// Runs a plan through the real orchestration (local engine, timeline, gate) without the CLI.

import { CleanupStack } from '../../core/cleanup.ts';
import { LocalEngine } from '../../runner/engines/local/engine.ts';
import { executeRun } from '../../runner/run/execute.ts';
import { ProgressPrinter } from '../../runner/run/progress.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import type { RunResult } from '../../thresholds/result.ts';

export async function runPlan(
  plan: LoadPlan,
  signal = new AbortController().signal,
): Promise<RunResult> {
  const cleanup = new CleanupStack();
  try {
    return await executeRun({
      plan,
      engine: new LocalEngine(plan.workers),
      runId: 'test',
      strict: false,
      progress: new ProgressPrinter(process.stderr, 'quiet'),
      cleanup,
      signal,
    });
  } finally {
    await cleanup.unwind();
  }
}

export function whole(run: RunResult) {
  const s = run.stats.find((x) => x.window === 'whole' && x.request === undefined);
  if (!s) throw new Error('run has no whole-window stats');
  return s;
}
