// Running a plan end to end for the `run`, `gameday` and `gate` commands: baseline, run folder,
// engine, execute, cleanup, results and the verdict on the terminal.
import { join, resolve } from 'node:path';
import { CleanupStack } from '../../core/cleanup.ts';
import { EXIT } from '../../core/exit-codes.ts';
import { resolveRunId } from '../../core/run-id.ts';
import { githubAnnotations } from '../../reports/github.ts';
import { appendStepSummary, renderMarkdown } from '../../reports/markdown.ts';
import { toSummary, writeSummaryJson } from '../../reports/summary-json.ts';
import { renderGateTable, renderRunFooter } from '../../reports/terminal.ts';
import { writeRunFolder } from '../../reports/write.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import { redactPlan } from '../../thresholds/redact.ts';
import type { RunResult } from '../../thresholds/result.ts';
import type { Engine } from '../engines/engine.ts';
import { checkedOptions } from '../engines/k6/checked-options.ts';
import { createK6Engine } from '../engines/k6/engine.ts';
import { K6_OPERATOR_NOTES, K6OperatorEngine } from '../engines/k6-operator/engine.ts';
import { operatorChoice } from '../engines/k6-operator/flags.ts';
import { LocalEngine } from '../engines/local/engine.ts';
import { loadKubeConfig } from '../kube/client.ts';
import { type ExecuteOptions, executeRun } from '../run/execute.ts';
import { persistRun } from '../run/persist.ts';
import { ProgressPrinter } from '../run/progress.ts';
import { claimRunFolder } from '../run/run-folder.ts';
import { type BaselineMatch, resolveBaseline } from './baseline.ts';
import { parseNumber, withTarget } from './plan-from-options.ts';
import { renderPlan } from './render-plan.ts';
import type { RunFlags } from './run-flags.ts';
import { DEFAULT_RESULTS_DIR, readRun } from './stored-runs.ts';
import type { Terminal } from './terminal.ts';

export function newRunId(given: string | undefined, plan: LoadPlan): string {
  return resolveRunId(given, plan.roadmap ? `${plan.roadmap}-${plan.tier}` : 'adhoc');
}

/**
 * The baseline `--baseline` names: a run folder or run.json, or `latest-pass` (the newest
 * passing run in the results folder that matches). Its path is kept absolute.
 */
export async function loadBaseline(
  spec: string | undefined,
  find: BaselineMatch & { resultsDir?: string | undefined } = {},
): Promise<{ run: RunResult; path: string } | undefined> {
  const path = await resolveBaseline(spec, find.resultsDir ?? DEFAULT_RESULTS_DIR, find);
  if (path === undefined) return undefined;
  const file = resolve(path.endsWith('.json') ? path : join(path, 'run.json'));
  return { run: await readRun(file), path: file };
}

/** What an engine may need from the run: its id, the cleanup stack, Ctrl-C, the terminal. */
interface EngineContext {
  runId: string;
  cleanup: CleanupStack;
  signal: AbortSignal;
  term: Terminal;
}

function operatorEngine(flags: RunFlags, plan: LoadPlan, ctx: EngineContext): Engine {
  const choice = operatorChoice(flags);
  const kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  plan.notes.push(...K6_OPERATOR_NOTES);
  return new K6OperatorEngine({
    ...choice,
    kc,
    runId: ctx.runId,
    cleanup: ctx.cleanup,
    signal: ctx.signal,
    log: (line) => ctx.term.info(line),
  });
}

/** `--processes` of --engine k6. */
function k6Processes(flags: RunFlags): number {
  return Math.floor(parseNumber('--processes', flags.processes, 1, 64) ?? 1);
}

/**
 * The k6 options of a k6 or k6-operator run, validated before anything starts (the demo, a
 * fault proxy, k6 processes, cluster objects): a problem is exit 2 naming the option.
 */
function checkK6Options(flags: RunFlags, plan: LoadPlan): void {
  const generators =
    flags.engine === 'k6'
      ? k6Processes(flags)
      : flags.engine === 'k6-operator'
        ? operatorChoice(flags).parallelism
        : undefined;
  if (generators !== undefined) checkedOptions(plan, { abortOnFail: false, generators });
}

/** The engine the flags ask for; k6's caveats join the plan's notes so every report shows them. */
async function engineFor(flags: RunFlags, plan: LoadPlan, ctx: EngineContext): Promise<Engine> {
  if (flags.engine === 'k6-operator') return operatorEngine(flags, plan, ctx);
  if (flags.engine !== 'k6') return new LocalEngine(plan.workers);
  const engine = await createK6Engine(k6Processes(flags), flags.k6);
  if (engine.binary.warning) ctx.term.info(`warning: ${engine.binary.warning}`);
  plan.notes.push(...engine.notes);
  return engine;
}

/** What a command sets up before the load starts: where load goes, and a game day's faults. */
export interface Prepared {
  target: string;
  gameDay?: ExecuteOptions['gameDay'];
}

export interface Conduct {
  flags: RunFlags;
  term: Terminal;
  signal: AbortSignal;
  plan: LoadPlan;
  /** Starts what the run needs (demo, proxy, replicas), each on the cleanup stack. */
  prepare: (cleanup: CleanupStack, runDir: string) => Promise<Prepared>;
}

/** Runs a plan end to end: prepare → run → unwind everything → write results → verdict. */
export async function conductRun(c: Conduct): Promise<number> {
  const { flags, term } = c;
  checkK6Options(flags, c.plan);
  const baseline = await loadBaseline(flags.baseline, {
    resultsDir: flags.resultsDir,
    roadmap: c.plan.roadmap,
    tier: c.plan.tier,
  });
  if (baseline) term.info(`baseline: run ${baseline.run.runId} (${baseline.path})`);
  const runId = newRunId(flags.runId, c.plan);
  // Before any load: a results folder we cannot write, or a run id in use, stops here (exit 2).
  const folder = await claimRunFolder(flags.resultsDir ?? DEFAULT_RESULTS_DIR, runId, {
    force: flags.force === true,
  });
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
  const { flags, term } = c;
  const cleanup = new CleanupStack();
  let run: RunResult;
  let cleanupError: Error | undefined;
  try {
    const prepared = await c.prepare(cleanup, dir);
    const plan = withTarget(c.plan, prepared.target);
    const engine = await engineFor(flags, plan, { runId, cleanup, signal: c.signal, term });
    term.info(renderPlan(redactPlan(plan), prepared.gameDay?.definition));
    term.info('');
    run = await executeRun({
      plan,
      engine,
      runId,
      ...(baseline ? { baseline } : {}),
      ...(prepared.gameDay ? { gameDay: prepared.gameDay } : {}),
      strict: flags.strict === true,
      progress: new ProgressPrinter(
        process.stderr,
        flags.quiet ? 'quiet' : term.isTty ? 'tty' : 'plain',
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
  await publishVerdict(run, dir, flags, term);
  return run.exitCode;
}

/** Writes the summary JSON and the CI step summary, and shows the verdict. */
export async function publishVerdict(
  run: RunResult,
  dir: string,
  flags: { summaryJson?: string },
  term: Terminal,
): Promise<void> {
  if (flags.summaryJson) await writeSummaryJson(flags.summaryJson, toSummary(run));
  await appendStepSummary(renderMarkdown(run));
  if (process.env.GITHUB_ACTIONS === 'true')
    for (const line of githubAnnotations(run)) term.out(line);
  term.out(renderGateTable(run.verdict, { color: term.color }));
  term.out(renderRunFooter(run, { color: term.color, resultDir: dir }));
}
