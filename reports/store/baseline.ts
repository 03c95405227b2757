// `--baseline <run|latest-pass>`: a run named on the command line, or the newest passing run
// of the same roadmap and tier found in the results folder.
import { join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import type { RunResult } from '../../thresholds/result.ts';
import { DEFAULT_RESULTS_DIR, readRun, readStoredRuns } from './read.ts';

/** The `--baseline` value that picks the newest passing run of the same roadmap and tier. */
export const LATEST_PASS = 'latest-pass';

export interface BaselineMatch {
  /** Roadmap and tier the baseline must have run; both absent: an ad-hoc run. */
  roadmap?: string | undefined;
  tier?: string | undefined;
  /** A run that may not be its own baseline (`tiergate gate` re-judging a stored run). */
  excludeRunId?: string | undefined;
  /** Only runs that started before this ISO time (a baseline comes before what it judges). */
  startedBefore?: string | undefined;
}

/**
 * The path `--baseline` names. `latest-pass` resolves to the run.json of the newest finished
 * run in `resultsDir` whose gate passed (`pass` or `warn`) and that ran the same roadmap and
 * tier; a UsageError when there is none. Any other value is returned as given.
 */
export async function resolveBaseline(
  spec: string | undefined,
  resultsDir: string,
  match: BaselineMatch,
): Promise<string | undefined> {
  if (spec !== LATEST_PASS) return spec;
  const before = match.startedBefore === undefined ? undefined : Date.parse(match.startedBefore);
  const found = (await readStoredRuns(resultsDir)).find(({ run }) => {
    const passed =
      run.outcome.state === 'completed' &&
      (run.verdict.status === 'pass' || run.verdict.status === 'warn');
    return (
      passed &&
      run.plan.roadmap === match.roadmap &&
      run.plan.tier === match.tier &&
      run.runId !== match.excludeRunId &&
      (before === undefined || Date.parse(run.startedAt) < before)
    );
  });
  if (found) return found.file;
  const what =
    match.roadmap === undefined ? 'ad-hoc run' : `run of ${match.roadmap}/${match.tier ?? '?'}`;
  throw new UsageError(
    `no passing ${what} in ${join(resultsDir, '/')} to use as a baseline`,
    `run it once without --baseline (or with --baseline <run folder>), or point --results-dir at the folder that holds its runs`,
  );
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
