// The HTML report's page: head (inlined styles, a CSP that forbids any network request), the
// sections in reading order, the run's chart data as one JSON block, and the inlined scripts.
import type { RunResult } from '../../thresholds/result.ts';
import { runLabel, runVerdict } from '../facts.ts';
import type { Assets } from './assets.ts';
import type { ChartData } from './data.ts';
import { environmentSection, eventTable, notesSection, planSection } from './details.ts';
import { esc, scriptJson } from './escape.ts';
import { banner, objectiveTable } from './summary.ts';

/** The id of the JSON block the browser script reads. */
export const DATA_ID = 'tiergate-data';

/** Nothing may be fetched: scripts, styles and images are all inline. */
const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

const CHARTS: Array<[id: string, title: string, note: string]> = [
  ['chart-rps', 'Throughput', 'requests completed per second, against the plan’s target'],
  ['chart-latency', 'Latency', 'p50 / p95 / p99 of each second, from the intended send time'],
  [
    'chart-errors',
    'Errors and drops',
    'error rate of each second (%), and requests dropped per second',
  ],
  ['chart-distribution', 'Latency distribution', 'the whole run’s HDR percentile curve'],
];

const CAPACITY_CHART: [id: string, title: string, note: string] = [
  'chart-capacity',
  'Latency against rate',
  'p50 / p95 / p99 of each step’s hold, by the rate it held (a capacity search)',
];

function figure(id: string, title: string, note: string): string {
  return `<figure><figcaption><strong>${esc(title)}</strong> — ${esc(note)}</figcaption><div class="chart" id="${id}"></div></figure>`;
}

/** A section of the page, placed between the banner and the objectives. */
export interface ExtraSection {
  id: string;
  title: string;
  /** Trusted HTML: the caller escapes what it puts in. */
  html: string;
}

export interface PageOptions {
  /** The document's title, instead of the run's verdict, label and id. */
  title?: string;
  sections?: ExtraSection[];
}

export function page(run: RunResult, data: ChartData, a: Assets, opts: PageOptions = {}): string {
  const title =
    opts.title ?? `${runVerdict(run).toUpperCase()} · tiergate ${runLabel(run)} · ${run.runId}`;
  const extra = (opts.sections ?? []).map(
    (s) => `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>\n${s.html}\n</section>\n`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<title>${esc(title)}</title>
<style>${a.uplotCss}</style>
<style>${a.css}</style>
</head>
<body>
<main>
${banner(run)}
${extra.join('')}<section id="objectives"><h2>Objectives</h2>
${objectiveTable(run)}
</section>
<section id="charts"><h2>Over time</h2>
<noscript><p class="muted">The charts need JavaScript; every table on this page does not.</p></noscript>
${legend(data)}
${data.capacity ? figure(...CAPACITY_CHART) : ''}
${CHARTS.map(([id, title, note]) => figure(id, title, note)).join('\n')}
</section>
<section id="events"><h2>Events</h2>
${eventTable(run)}
</section>
<section id="plan"><h2>Plan</h2>
${planSection(run)}
</section>
<section id="environment"><h2>Environment</h2>
${environmentSection(run)}
</section>
<section id="notes"><h2>Notes</h2>
${notesSection(run)}
</section>
<footer class="muted">Rendered by tiergate ${esc(run.environment.tiergate)} from run.json of run ${esc(run.runId)}.</footer>
</main>
<script type="application/json" id="${DATA_ID}">${scriptJson(data)}</script>
<script>${a.uplotJs}</script>
<script>${a.client}</script>
</body>
</html>
`;
}

/** What the shading and the vertical lines on the time charts mean. */
function legend(data: ChartData): string {
  const items: string[] = [];
  if (data.steady) items.push('<span><span class="swatch band-steady"></span>steady window</span>');
  for (const subject of new Set(data.faults.map((f) => f.subject))) {
    items.push(`<span><span class="swatch band-fault"></span>fault: ${esc(subject)}</span>`);
  }
  for (const kind of new Set(data.markers.map((m) => m.kind))) {
    items.push(`<span><span class="swatch line ev-${esc(kind)}"></span>${esc(kind)}</span>`);
  }
  if (data.baseline) {
    items.push(
      `<span><span class="swatch line dashed"></span>baseline ${esc(data.baseline.runId)} (dashed)</span>`,
    );
  }
  return items.length > 0 ? `<p class="legend">${items.join(' ')}</p>` : '';
}
