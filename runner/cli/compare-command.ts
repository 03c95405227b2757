// `tiergate compare <run-a> <run-b>`: a (before) and b (after) side by side per window and
// request name, regressions beyond the tolerances called out; exit 1 when there is any, 4 when
// none is shown but some change may or may not be one. Also writes an HTML comparison: b's report with the comparison on top and a overlaid, dashed.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import {
  type CompareVerdict,
  type Comparison,
  compareRuns,
  compareVerdict,
  DEFAULT_TOLERANCES,
  type Tolerances,
} from '../../reports/compare.ts';
import {
  renderCompareMarkdown,
  renderCompareTable,
  verdictWords,
} from '../../reports/compare-text.ts';
import { compareSection } from '../../reports/html/compare.ts';
import { renderHtml } from '../../reports/html.ts';
import { appendStepSummary } from '../../reports/markdown.ts';
import { DEFAULT_RESULTS_DIR, locateRun, readRun } from '../../reports/store/read.ts';
import { DURATION_FORMS, parseDurationS } from '../../thresholds/objective.ts';
import type { RunResult } from '../../thresholds/result.ts';

export interface CompareFlags {
  latencyTolerance?: string;
  latencyMinDelta?: string;
  errorTolerance?: string;
  throughputTolerance?: string;
  /** A file, or false for `--no-html`. */
  html?: string | false;
  markdown?: string;
  json?: boolean;
  resultsDir?: string;
}

const COMPARE_EXIT: Record<CompareVerdict, number> = {
  regressed: EXIT.fail,
  inconclusive: EXIT.inconclusive,
  'no-regression': EXIT.pass,
};

export async function compareCommand(
  aArg: string,
  bArg: string,
  flags: CompareFlags,
  term: Terminal,
): Promise<number> {
  const tolerances = tolerancesFrom(flags);
  const resultsDir = flags.resultsDir ?? DEFAULT_RESULTS_DIR;
  const aFile = await locateRun(aArg, resultsDir);
  const bFile = await locateRun(bArg, resultsDir);
  const a = await readRun(aFile);
  const b = await readRun(bFile);
  const c = compareRuns(a, b, tolerances);

  term.out(flags.json ? JSON.stringify(c, null, 2) : renderCompareTable(c, { color: term.color }));
  const markdown = renderCompareMarkdown(c);
  if (flags.markdown) await writeFile(flags.markdown, markdown, term);
  await appendStepSummary(markdown);
  if (flags.html !== false) {
    const path = flags.html ?? join(dirname(bFile), 'compare.html');
    await writeFile(path, compareHtml(c, a, aFile, b), term);
  }
  return COMPARE_EXIT[compareVerdict(c)];
}

/** b's HTML report with the comparison on top, and a's series overlaid (dashed) on b's charts. */
export function compareHtml(c: Comparison, a: RunResult, aFile: string, b: RunResult): string {
  const outcome = verdictWords(c).short;
  return renderHtml(
    { ...b, baseline: { runId: a.runId, path: aFile } },
    {
      baseline: a,
      title: `${outcome} · tiergate compare ${a.runId} → ${b.runId}`,
      sections: [{ id: 'comparison', title: `Compared with ${a.runId}`, html: compareSection(c) }],
    },
  );
}

async function writeFile(path: string, text: string, term: Terminal): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text);
  term.info(`wrote ${path}`);
}

function tolerancesFrom(flags: CompareFlags): Tolerances {
  const t = { ...DEFAULT_TOLERANCES };
  const latency = share('--latency-tolerance', flags.latencyTolerance);
  const errors = share('--error-tolerance', flags.errorTolerance);
  const throughput = share('--throughput-tolerance', flags.throughputTolerance);
  if (latency !== undefined) t.latencyShare = latency;
  if (errors !== undefined) t.errorRatePoints = errors;
  if (throughput !== undefined) t.throughputShare = throughput;
  if (flags.latencyMinDelta !== undefined) {
    let seconds: number;
    try {
      seconds = parseDurationS(flags.latencyMinDelta);
    } catch {
      throw new UsageError(
        `--latency-min-delta ${JSON.stringify(flags.latencyMinDelta)} is not a duration: use e.g. 1ms, 0.5ms, 0, or ${DURATION_FORMS}`,
      );
    }
    t.latencyMinMs = seconds * 1000;
  }
  return t;
}

/** `10%` or `10` → 0.1. */
function share(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  if (!m) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not valid: expected a percentage such as 10% or 0.5%`,
    );
  }
  return Number(m[1]) / 100;
}
