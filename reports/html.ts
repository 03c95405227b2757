// The run as one self-contained HTML page (`report.html`): verdict, objectives, charts over
// time, the latency distribution, plan and environment. It needs no network to view: styles,
// scripts and data are all inline, and a Content-Security-Policy forbids any request.
//
// Charts use uPlot: ~50 KB minified, no dependencies, and it draws 3 600+ points per series on
// a canvas fast, so an hour-long run's per-second series stay smooth. The page embeds only
// per-second numbers derived from run.json (histograms are decoded here, in Node), so old runs
// re-render and a 1-hour report stays well under 1.5 MB.
import { RUN_SCHEMA_VERSION, type RunResult } from '../thresholds/result.ts';
import { assets } from './html/assets.ts';
import { capacitySection } from './html/capacity.ts';
import { chartData } from './html/data.ts';
import { type ExtraSection, page } from './html/template.ts';

export interface HtmlOptions {
  /**
   * The run `run.baseline` names: its p95 and throughput are overlaid, dashed. Ignored when
   * the run has no baseline.
   */
  baseline?: RunResult;
  /** The document's title, instead of the run's verdict, label and id. */
  title?: string;
  /** Sections placed between the banner and the objectives (a comparison, say). */
  sections?: ExtraSection[];
}

export function renderHtml(run: RunResult, opts: HtmlOptions = {}): string {
  checkSchema(run, 'run');
  const baseline = run.baseline ? opts.baseline : undefined;
  if (baseline) checkSchema(baseline, 'baseline run');
  const sections = [
    ...(run.capacity ? [capacitySection(run.capacity)] : []),
    ...(opts.sections ?? []),
  ];
  return page(run, chartData(run, baseline), assets(), { title: opts.title, sections });
}

function checkSchema(run: RunResult, what: string): void {
  if (run.schemaVersion !== RUN_SCHEMA_VERSION) {
    throw new Error(
      `cannot render the HTML report: ${what} ${run.runId ?? '(no id)'} has schema version ${JSON.stringify(run.schemaVersion)}; this tiergate renders version ${RUN_SCHEMA_VERSION}`,
    );
  }
}
