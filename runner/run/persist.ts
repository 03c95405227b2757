// Writes a finished run's folder. A write that fails (full disk, read-only filesystem) makes
// the run "errored" (exit 3): run.json is rewritten to say so, where it still can be, so that
// what is on disk never claims a verdict the process did not exit with.

import { EXIT } from '../../core/exit-codes.ts';
import { FileWriteError } from '../../core/file-errors.ts';
import { writeRunFolder } from '../../reports/store/write.ts';
import type { RunResult } from '../../thresholds/result.ts';

export async function persistRun(
  dir: string,
  run: RunResult,
  opts: Parameters<typeof writeRunFolder>[2],
  log: (line: string) => void,
): Promise<RunResult> {
  try {
    await writeRunFolder(dir, run, opts);
    return run;
  } catch (err) {
    if (!(err instanceof FileWriteError)) throw err;
    const failed: RunResult = {
      ...run,
      outcome: { state: 'errored', reason: `results not written: ${err.message}` },
      exitCode: EXIT.runError,
    };
    if (run.gameDay) failed.gameDay = { ...run.gameDay, verdict: 'errored' };
    // run.json alone, if there is room for it; else the last checkpoint stays (complete: false).
    await writeRunFolder(dir, failed, { partial: true }).catch(() => undefined);
    log(`tiergate: ${err.message}${err.hint ? `\n  fix: ${err.hint}` : ''}`);
    return failed;
  }
}
