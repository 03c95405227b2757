// Running a plan end to end for `run`, `gameday` and `gate`: baseline, run folder, engine,
// execute, cleanup, results, and the verdict on the terminal.
import { CleanupStack } from '../../core/cleanup.ts';
import { EXIT } from '../../core/exit-codes.ts';
import { resolveRunId } from '../../core/run-id.ts';
import type { Terminal } from '../../core/terminal.ts';
import { githubAnnotations } from '../../reports/github.ts';
import { appendStepSummary, renderMarkdown } from '../../reports/markdown.ts';
import { renderPlan } from '../../reports/plan.ts';
import { loadBaseline } from '../../reports/store/baseline.ts';
import { writeRunFolder } from '../../reports/store/write.ts';
import { toSummary, writeSummaryJson } from '../../reports/summary-json.ts';
import { renderGateTable, renderRunFooter } from '../../reports/terminal.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import { withTarget } from '../../thresholds/plan.ts';
import { redactPlan } from '../../thresholds/redact.ts';
import type { RunResult } from '../../thresholds/result.ts';
import { checkEngine, createEngine } from '../engines/registry.ts';
import { MetricsEndpoint } from '../metrics/endpoint.ts';
import { type ExecuteOptions, executeRun } from './execute.ts';
import { persistRun } from './persist.ts';
import { ProgressPrinter } from './progress.ts';
import { claimRunFolder } from './run-folder.ts';
import type { RunSettings } from './settings.ts';

export function newRunId(given: string | undefined, plan: LoadPlan): string {
  return resolveRunId(given, plan.roadmap ? `${plan.roadmap}-${plan.tier}` : 'adhoc');
}

/** What a command sets up before the load starts: where load goes, and a game day's faults. */
export interface Prepared {
  target: string;
  gameDay?: ExecuteOptions['gameDay'];
}

export interface Conduct {
  settings: RunSettings;
  term: Terminal;
  signal: AbortSignal;
  plan: LoadPlan;
  /** Starts what the run needs (demo, proxy, replicas), each on the cleanup stack. */
  prepare: (cleanup: CleanupStack, runDir: string) => Promise<Prepared>;
}

/** Runs a plan end to end: prepare → run → unwind everything → write results → verdict. */
export async function conductRun(c: Conduct): Promise<number> {
  const { settings, term } = c;
  const { output } = settings;
  checkEngine(settings.engine, c.plan);
  const baseline = await loadBaseline(settings.baseline, {
    resultsDir: output.resultsDir,
    roadmap: c.plan.roadmap,
    tier: c.plan.tier,
  });
  if (baseline) term.info(`baseline: run ${baseline.run.runId} (${baseline.path})`);
  const runId = newRunId(output.runId, c.plan);
  // Before any load: a results folder we cannot write, or a run id in use, stops here (exit 2).
  const folder = await claimRunFolder(output.resultsDir, runId, { force: output.force });
  try {
    return await conductClaimed(c, runId, folder.dir, baseline);
  } finally {
    await folder.release();
  }
}

async function conductClaimed(
  c: Conduct,
  runId: string,
  dir: string,
  baseline: Awaited<ReturnType<typeof loadBaseline>>,
): Promise<number> {
  const { settings, term } = c;
  const cleanup = new CleanupStack();
  let run: RunResult;
  let cleanupError: Error | undefined;
  try {
    const metrics = await startMetrics(settings.output.metrics, cleanup, term);
    const prepared = await c.prepare(cleanup, dir);
    const plan = withTarget(c.plan, prepared.target);
    const engine = await createEngine(settings.engine, plan, {
      runId,
      cleanup,
      signal: c.signal,
      log: (line) => term.info(line),
    });
    term.info(renderPlan(redactPlan(plan), prepared.gameDay?.definition));
    term.info('');
    run = await executeRun({
      plan,
      engine,
      runId,
      ...(baseline ? { baseline } : {}),
      ...(prepared.gameDay ? { gameDay: prepared.gameDay } : {}),
      ...(metrics ? { metrics } : {}),
      strict: settings.strict,
      progress: new ProgressPrinter(
        process.stderr,
        settings.output.quiet ? 'quiet' : term.isTty ? 'tty' : 'plain',
      ),
      cleanup,
      signal: c.signal,
      checkpoint: (partial) =>
        writeRunFolder(dir, partial, { partial: true }).then(() => undefined),
    });
  } finally {
    cleanupError = await cleanup.unwind().then(
      () => undefined,
      (err: Error) => err,
    );
  }
  if (cleanupError) {
    // What the run set up could not all be taken down: the results say so and exit 3.
    const reason = `cleanup failed: ${cleanupError.message}`;
    run = { ...run, outcome: { state: 'errored', reason }, exitCode: EXIT.runError };
    term.info(`tiergate: ${reason}`);
  }
  run = await persistRun(dir, run, baseline ? { baseline: baseline.run } : {}, (line) =>
    term.info(line),
  );
  await publishVerdict(run, dir, settings.output, term);
  return run.exitCode;
}

/** The live metrics endpoint, when asked for: listening before anything starts, closed by cleanup. */
async function startMetrics(
  address: RunSettings['output']['metrics'],
  cleanup: CleanupStack,
  term: Terminal,
): Promise<MetricsEndpoint | undefined> {
  if (address === undefined) return undefined;
  const endpoint = await MetricsEndpoint.listen(address);
  cleanup.push('metrics endpoint', () => endpoint.close());
  term.info(`metrics: ${endpoint.url}`);
  return endpoint;
}

/** Writes the summary JSON and the CI step summary, and shows the verdict. */
export async function publishVerdict(
  run: RunResult,
  dir: string,
  output: { summaryJson?: string | undefined },
  term: Terminal,
): Promise<void> {
  if (output.summaryJson) await writeSummaryJson(output.summaryJson, toSummary(run));
  await appendStepSummary(renderMarkdown(run));
  if (process.env.GITHUB_ACTIONS === 'true')
    for (const line of githubAnnotations(run)) term.out(line);
  term.out(renderGateTable(run.verdict, { color: term.color }));
  term.out(renderRunFooter(run, { color: term.color, resultDir: dir }));
}
