// `tiergate report <run>`: re-renders a stored run's reports (report.html, summary.md,
// junit.xml, latency.hlog) from its run.json alone, so an old run gets this version's reports.
// The stored verdict is kept (`tiergate gate` re-judges); run.json itself is not rewritten.
import { dirname } from 'node:path';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { DEFAULT_RESULTS_DIR, locateRun, readRun } from '../../reports/store/read.ts';
import { writeReports } from '../../reports/store/write.ts';
import type { RunResult } from '../../thresholds/result.ts';

export interface ReportFlags {
  resultsDir?: string;
}

export async function reportCommand(
  runArg: string,
  flags: ReportFlags,
  term: Terminal,
): Promise<number> {
  const file = await locateRun(runArg, flags.resultsDir ?? DEFAULT_RESULTS_DIR);
  const run = await readRun(file);
  const baseline = await baselineOf(run, term);
  const written = await writeReports(dirname(file), run, baseline ? { baseline } : {});
  for (const path of written) term.out(path);
  return EXIT.pass;
}

/** The run's baseline, when it names one that can still be read (for the HTML overlay). */
async function baselineOf(run: RunResult, term: Terminal): Promise<RunResult | undefined> {
  if (!run.baseline) return undefined;
  try {
    return await readRun(await locateRun(run.baseline.path));
  } catch (err) {
    term.info(
      `note: baseline ${run.baseline.runId} cannot be read (${(err as Error).message}): report.html is rendered without its overlay`,
    );
    return undefined;
  }
}
