// `tiergate run`: plan → (demo) → engine → gate → reports → exit code.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { spawnDemo } from '../../demo/spawn.ts';
import { githubAnnotations } from '../../reports/github.ts';
import { appendStepSummary, renderMarkdown } from '../../reports/markdown.ts';
import { toSummary, writeSummaryJson } from '../../reports/summary-json.ts';
import { renderGateTable, renderRunFooter } from '../../reports/terminal.ts';
import { writeRunFolder } from '../../reports/write.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import type { RunResult } from '../../thresholds/result.ts';
import type { Engine } from '../engines/engine.ts';
import { createK6Engine } from '../engines/k6/engine.ts';
import { LocalEngine } from '../engines/local/engine.ts';
import { UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { CleanupStack } from '../run/cleanup.ts';
import { type ExecuteOptions, executeRun } from '../run/execute.ts';
import { ProgressPrinter } from '../run/progress.ts';
import { type BaselineMatch, resolveBaseline } from './baseline.ts';
import { type DemoFlags, demoOptionsFrom } from './demo-flags.ts';
import { loadRoadmaps } from './load-roadmaps.ts';
import {
  parseNumber,
  planFromOptions,
  type SelectionOptions,
  withTarget,
} from './plan-from-options.ts';
import { renderPlan } from './render-plan.ts';
import { DEFAULT_RESULTS_DIR, readRun } from './stored-runs.ts';
import type { Terminal } from './terminal.ts';

export interface RunFlags extends SelectionOptions, DemoFlags {
  config?: string;
  engine?: string;
  baseline?: string;
  strict?: boolean;
  summaryJson?: string;
  resultsDir?: string;
  runId?: string;
  quiet?: boolean;
  processes?: string;
}

function newRunId(plan: LoadPlan): string {
  const stamp = new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
  const what = plan.roadmap ? `${plan.roadmap}-${plan.tier}` : 'adhoc';
  return `${stamp}-${what}-${randomBytes(2).toString('hex')}`;
}

/** The local engine's limits stop a run that could only pretend to reach its tier. */
function refuseUnreachable(plan: LoadPlan): void {
  const beyond = plan.notes.find((n) => n.includes('beyond'));
  if (beyond) throw new UsageError(`tier ${plan.roadmap}/${plan.tier}: ${beyond}`);
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

export async function runCommand(
  flags: RunFlags,
  term: Terminal,
  signal: AbortSignal,
): Promise<number> {
  checkEngine(flags.engine);
  const plan = planFromOptions(flags, await loadRoadmaps(flags.config));
  refuseUnreachable(plan);
  const demoOptions = flags.target === 'demo' ? demoOptionsFrom(flags) : undefined;
  return conductRun({
    flags,
    term,
    signal,
    plan,
    prepare: async (cleanup) => {
      if (!demoOptions) return { target: plan.target };
      const demo = await spawnDemo(demoOptions, { signal });
      cleanup.push('demo target', () => demo.stop());
      term.info(
        `demo target listening on ${demo.url} (capacity ${demoOptions.capacityRps ?? 'default'} req/s)`,
      );
      return { target: demo.url };
    },
  });
}

export function checkEngine(engine: string | undefined): void {
  if (engine === 'k6-operator') {
    throw new UsageError(
      '--engine k6-operator is not available in this version: use --engine local or --engine k6 --processes N',
    );
  }
}

/** The engine the flags ask for; k6's caveats join the plan's notes so every report shows them. */
async function engineFor(flags: RunFlags, plan: LoadPlan): Promise<Engine> {
  if (flags.engine !== 'k6') return new LocalEngine(plan.workers);
  const processes = parseNumber('--processes', flags.processes, 1, 64) ?? 1;
  const engine = await createK6Engine(Math.floor(processes));
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
  const baseline = await loadBaseline(flags.baseline, {
    resultsDir: flags.resultsDir,
    roadmap: c.plan.roadmap,
    tier: c.plan.tier,
  });
  if (baseline) term.info(`baseline: run ${baseline.run.runId} (${baseline.path})`);
  const runId = flags.runId ?? newRunId(c.plan);
  const dir = resolve(flags.resultsDir ?? 'results', runId);
  const cleanup = new CleanupStack();
  let run: RunResult;
  let cleanupError: Error | undefined;
  try {
    const prepared = await c.prepare(cleanup, dir);
    const plan = withTarget(c.plan, prepared.target);
    const engine = await engineFor(flags, plan);
    term.info(renderPlan(plan));
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
  await writeRunFolder(dir, run, baseline ? { baseline: baseline.run } : {});
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
