// Stored runs as the commands find them: one run named on the command line (a folder, its
// run.json, or a bare run id under the results folder), or every run of a results folder.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { displayPath } from '../../runner/config/config-file.ts';
import type { RunResult } from '../../thresholds/result.ts';
import { validateRunFile } from './run-file-schema.ts';
import { RUN_FILE, readRunFile } from './write.ts';

/** Where run folders go unless `--results-dir` says otherwise. */
export const DEFAULT_RESULTS_DIR = 'results';

export interface StoredRun {
  run: RunResult;
  /** The run's folder. */
  dir: string;
  /** Its run.json. */
  file: string;
}

/** The run.json a command-line argument names: a run folder, a run.json, or a run id. */
export async function locateRun(arg: string, resultsDir = DEFAULT_RESULTS_DIR): Promise<string> {
  const direct = arg.endsWith('.json') ? arg : join(arg, RUN_FILE);
  if (await exists(direct)) return resolve(direct);
  const byId = join(resultsDir, arg, RUN_FILE);
  if (!arg.includes('/') && (await exists(byId))) return resolve(byId);
  throw new UsageError(
    `no run at ${arg}: expected a run folder, its run.json, or a run id in ${resultsDir}/`,
    `list the runs with \`ls ${resultsDir}\`, or pass --results-dir`,
  );
}

/**
 * Reads a run.json and checks every field (run-file-schema.ts). What makes it unreadable (wrong
 * schema version, not a run) is a UsageError; a bad field a ConfigError naming it (both exit 2).
 */
export async function readRun(file: string): Promise<RunResult> {
  let data: RunResult;
  try {
    data = await readRunFile(file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return validateRunFile(data, displayPath(file));
}

/**
 * Every run of a results folder, newest first (by start time). Folders without a readable,
 * finished run.json are skipped, each with a one-line note. A missing folder holds no runs.
 */
export async function readStoredRuns(
  resultsDir: string,
  skipped: (note: string) => void = () => {},
): Promise<StoredRun[]> {
  let names: string[];
  try {
    names = (await readdir(resultsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot read the results folder ${resultsDir}: ${(err as Error).message}`);
  }
  const runs: StoredRun[] = [];
  for (const name of names) {
    const dir = resolve(resultsDir, name);
    const file = join(dir, RUN_FILE);
    let run: RunResult;
    try {
      run = await readRun(file);
    } catch (err) {
      skipped(`skipping ${join(resultsDir, name)}: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!run.complete) {
      skipped(`skipping ${join(resultsDir, name)}: the run did not finish writing its results`);
      continue;
    }
    runs.push({ run, dir, file });
  }
  return runs.sort(
    (x, y) => startTime(y.run) - startTime(x.run) || y.run.runId.localeCompare(x.run.runId),
  );
}

function startTime(run: RunResult): number {
  const t = Date.parse(run.startedAt);
  return Number.isNaN(t) ? 0 : t;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
