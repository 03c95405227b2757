// `tiergate run`: plan → (demo) → engine → gate → reports → exit code.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { spawnDemo } from '../../demo/spawn.ts';
import { githubAnnotations } from '../../reports/github.ts';
import { appendStepSummary, renderMarkdown } from '../../reports/markdown.ts';
import { toSummary, writeSummaryJson } from '../../reports/summary-json.ts';
import { renderGateTable, renderRunFooter } from '../../reports/terminal.ts';
import { readRunFile, writeRunFolder } from '../../reports/write.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import type { RunResult } from '../../thresholds/result.ts';
import { LocalEngine } from '../engines/local/engine.ts';
import { UsageError } from '../errors.ts';
import { CleanupStack } from '../run/cleanup.ts';
import { executeRun } from '../run/execute.ts';
import { ProgressPrinter } from '../run/progress.ts';
import { type DemoFlags, demoOptionsFrom } from './demo-flags.ts';
import { loadRoadmaps } from './load-roadmaps.ts';
import { planFromOptions, type SelectionOptions, withTarget } from './plan-from-options.ts';
import { renderPlan } from './render-plan.ts';
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
  allowRemote?: boolean;
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

export async function loadBaseline(
  path: string | undefined,
): Promise<{ run: RunResult; path: string } | undefined> {
  if (path === undefined) return undefined;
  const file = path.endsWith('.json') ? path : join(path, 'run.json');
  return { run: await readRunFile(file), path: file };
}

export async function runCommand(
  flags: RunFlags,
  term: Terminal,
  signal: AbortSignal,
): Promise<number> {
  if (flags.engine !== undefined && flags.engine !== 'local') {
    throw new UsageError(
      `--engine ${flags.engine} is not available in this version: use --engine local (the embedded engine)`,
    );
  }
  const roadmaps = await loadRoadmaps(flags.config);
  let plan = planFromOptions(flags, roadmaps);
  refuseUnreachable(plan);
  const demoOptions = flags.target === 'demo' ? demoOptionsFrom(flags) : undefined;
  const baseline = await loadBaseline(flags.baseline);
  const runId = flags.runId ?? newRunId(plan);
  const dir = resolve(flags.resultsDir ?? 'results', runId);
  const cleanup = new CleanupStack();
  let run: RunResult;
  try {
    if (demoOptions) {
      const demo = await spawnDemo(demoOptions, { signal });
      cleanup.push('demo target', () => demo.stop());
      plan = withTarget(plan, demo.url);
      term.info(
        `demo target listening on ${demo.url} (capacity ${demoOptions.capacityRps ?? 'default'} req/s)`,
      );
    }
    term.info(renderPlan(plan));
    term.info('');
    run = await executeRun({
      plan,
      engine: new LocalEngine(plan.workers),
      runId,
      ...(baseline ? { baseline } : {}),
      strict: flags.strict === true,
      progress: new ProgressPrinter(
        process.stderr,
        flags.quiet ? 'quiet' : term.isTty ? 'tty' : 'plain',
      ),
      cleanup,
      signal,
      checkpoint: (partial) =>
        writeRunFolder(dir, partial, { partial: true }).then(() => undefined),
    });
  } finally {
    await cleanup.unwind();
  }
  await writeRunFolder(dir, run);
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
