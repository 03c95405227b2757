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

export const REPORT_HELP = `
Re-renders report.html, summary.md, junit.xml and latency.hlog beside the run's run.json, from
run.json alone (run.json is not rewritten, and the stored verdict is kept: \`tiergate gate\`
re-judges). A run that names a baseline still on disk gets the baseline overlay in report.html.
<run> is a run folder, its run.json, or a run id in --results-dir.

Example:
  tiergate report results/2026-05-01T10-00-00-ecommerce-10k-1a2b

Exit codes: 0 reports written, 2 no readable run.json there (or a schema version this
tiergate does not read).`;
