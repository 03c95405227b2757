// A Comparison (compare.ts) as people read it: the terminal table, the lines of what could not
// be judged, the Markdown for CI. Pure.

import { QUANTILE_LEVELS, samplesToBoundQuantile } from '../thresholds/confidence.ts';
import type { WindowName } from '../thresholds/model.ts';
import { formatMetricValue } from '../thresholds/objective.ts';
import { alignColumns, type Column } from './columns.ts';
import {
  type CompareMetric,
  type CompareRow,
  type CompareVerdict,
  type Comparison,
  compareVerdict,
  type Delta,
  METRIC_NAMES,
  MIN_SAMPLES,
  ms,
  points,
  type Regression,
  type RunRef,
  type Tolerances,
  WINDOW_ORDER,
} from './compare.ts';
import { count, percent, signedPercent } from './facts.ts';
import { code, md } from './markdown.ts';
import { paint, type Tone } from './terminal.ts';

/** A delta's four cells as people read them: a, b, the change and the relative change. */
export function deltaTexts(d: Delta): [a: string, b: string, change: string, relative: string] {
  const change = d.change === null ? '—' : signedValue(d.metric, d.change);
  const relative = d.relative === null ? '—' : signedPercent(d.relative);
  return [valueText(d.metric, d.a), valueText(d.metric, d.b), change, relative];
}

export function metricName(metric: CompareMetric): string {
  return METRIC_NAMES[metric];
}

/** `steady window (a 2–8 s, b 2–8 s)`. */
export function windowTitle(window: WindowName, rows: CompareRow[]): string {
  const first = rows.find((r) => r.window === window && r.request === undefined) ?? rows[0];
  const span = (s: [number, number] | undefined) =>
    s ? `${trimS(s[0])}–${trimS(s[1])} s` : 'none';
  const a = span(first?.spanA);
  const b = span(first?.spanB);
  return `${window} window (${a === b ? a : `a ${a}, b ${b}`})`;
}

/** The row's request, as a table shows it. */
export function requestText(row: CompareRow): string {
  const name = row.request ?? 'all requests';
  return row.only ? `${name} (only in ${row.only})` : name;
}

/** `steady · checkout · p95 22.2 ms → 41.3 ms (+19.1 ms, +86%)`. */
export function describeRegression(r: Regression): string {
  const [a, b, change, relative] = deltaTexts(r.delta);
  const where = [r.window, r.request ?? 'all requests', metricName(r.delta.metric)].join(' · ');
  return `${where} ${a} → ${b} (${change}, ${relative})`;
}

/** The tolerances in one line: `latency +10% and > 1 ms · error rate +0.5 pp · throughput -5%`. */
export function describeTolerances(t: Tolerances): string {
  return [
    `latency p50/p95/p99 +${percent(t.latencyShare)} and > ${ms(t.latencyMinMs)}`,
    `error rate ${points(t.errorRatePoints)}`,
    `throughput -${percent(t.throughputShare)}`,
  ].join(' · ');
}

function valueText(metric: CompareMetric, v: number | null): string {
  if (v === null) return '—';
  switch (metric) {
    case 'requests':
      return count(v);
    case 'rps':
      return formatMetricValue('throughput', v);
    case 'errorRate':
      return percent(v);
    default:
      return ms(v);
  }
}

function signedValue(metric: CompareMetric, change: number): string {
  if (metric === 'errorRate') return points(change);
  const text = valueText(metric, Math.abs(change));
  return change > 0 ? `+${text}` : change < 0 ? `-${text}` : text;
}

function trimS(s: number): string {
  return String(Number(s.toFixed(2)));
}

// ---------------------------------------------------------------- terminal

export interface CompareTextOptions {
  color: boolean;
}

const COLUMNS: Column[] = [
  { title: 'Request', align: 'left' },
  { title: 'Metric', align: 'left' },
  { title: 'a', align: 'right' },
  { title: 'b', align: 'right' },
  { title: 'Δ', align: 'right' },
  { title: 'Δ%', align: 'right' },
  { title: '', align: 'left' },
];

/** The comparison as the terminal shows it: one aligned table per window, then the verdict. */
export function renderCompareTable(c: Comparison, opts: CompareTextOptions): string {
  const { color } = opts;
  const out: string[] = [
    paint(color, 'bold', `Compare ${c.a.runId} → ${c.b.runId}`),
    `  a (before)  ${describeRunRef(c.a)}`,
    `  b (after)   ${describeRunRef(c.b)}`,
  ];
  for (const note of c.notes) out.push(paint(color, 'yellow', `  note: ${note}`));
  for (const window of windowsOf(c)) {
    const rows = c.rows.filter((r) => r.window === window);
    const cells: string[][] = [];
    const regressed: boolean[] = [];
    for (const row of rows) {
      row.deltas.forEach((d, i) => {
        cells.push([
          i === 0 ? requestText(row) : '',
          metricName(d.metric),
          ...deltaTexts(d),
          d.regression ? '✗ regression' : d.open ? '? open' : d.note ? 'not judged' : '',
        ]);
        regressed.push(d.regression !== undefined);
      });
    }
    const { header, lines } = alignColumns(COLUMNS, cells, (r, col, padded) =>
      regressed[r] && col >= 4
        ? paint(color, 'red', padded)
        : col === 6
          ? paint(color, 'dim', padded)
          : padded,
    );
    out.push('', paint(color, 'bold', windowTitle(window, c.rows)), paint(color, 'dim', header));
    out.push(...lines);
  }
  const notJudged = notJudgedLines(c);
  if (notJudged.length > 0) out.push('', ...notJudged.map((l) => paint(color, 'dim', l)));
  out.push('');
  if (c.regressions.length > 0) {
    out.push(`Regressions (tolerances: ${describeTolerances(c.tolerances)}):`);
    for (const r of c.regressions) out.push(`${paint(color, 'red', '✗')} ${describeRegression(r)}`);
    out.push('');
  }
  if (c.open.length > 0) {
    out.push(`Open (${confidenceWords(c)}):`);
    for (const r of c.open) out.push(`${paint(color, 'magenta', '?')} ${describeOpen(r)}`);
    out.push('');
  }
  out.push(verdictLine(c, color));
  return `${out.join('\n')}\n`;
}

/** What "not judged" means in this comparison, one line per reason that occurs; none without. */
export function notJudgedLines(c: Comparison): string[] {
  const kinds = new Set(c.rows.flatMap((r) => r.deltas.map((d) => d.notJudged)));
  const lines: string[] = [];
  if (kinds.has('few-samples')) {
    const needs = Object.entries(MIN_SAMPLES)
      .map(([p, n]) => `${p} ${n}`)
      .join(', ');
    lines.push(
      `not judged: a percentile with fewer samples than 1/(1 − p) in either run (${needs})`,
    );
  }
  if (kinds.has('unbounded')) {
    const needs = (['p95', 'p99'] as const)
      .map((p) => `${p} ${count(samplesToBoundQuantile(QUANTILE_LEVELS[p], c.confidence))}`)
      .join(', ');
    lines.push(
      `not judged: a percentile too few samples bound from above at ${percent(c.confidence)} in either run (${needs})`,
    );
  }
  if (kinds.has('drain')) {
    lines.push(
      'not judged: throughput of the whole window, which runs on until the last response; it is judged in the steady window',
    );
  }
  return lines;
}

/** `b · ecommerce/10k · PASS · started 2026-…`. */
export function describeRunRef(r: RunRef): string {
  return `${r.runId} · ${r.label} · ${r.verdict.toUpperCase()} · started ${r.startedAt}`;
}

function windowsOf(c: Comparison): WindowName[] {
  return WINDOW_ORDER.filter((w) => c.rows.some((r) => r.window === w));
}

/** The comparison's verdict in words, the same in every report. */
export interface VerdictWords {
  verdict: CompareVerdict;
  /** `REGRESSED`, `INCONCLUSIVE`, `NO REGRESSION`. */
  word: string;
  /** `2 regressions`, `inconclusive`, `no regression`. */
  short: string;
  /** The sentence after the word. */
  why: string;
}

export function verdictWords(c: Comparison): VerdictWords {
  const n = c.regressions.length;
  const open = c.open.length;
  const verdict = compareVerdict(c);
  switch (verdict) {
    case 'regressed':
      return {
        verdict,
        word: 'REGRESSED',
        short: `${n} regression${n === 1 ? '' : 's'}`,
        why: `${n} change${n === 1 ? '' : 's'} of ${c.b.runId} against ${c.a.runId} beyond the tolerances`,
      };
    case 'inconclusive':
      return {
        verdict,
        word: 'INCONCLUSIVE',
        short: 'inconclusive',
        why: `${open} change${open === 1 ? '' : 's'} may or may not break the tolerances: the runs hold too few samples to tell`,
      };
    case 'no-regression':
      return {
        verdict,
        word: 'NO REGRESSION',
        short: 'no regression',
        why: `no change beyond the tolerances (${describeTolerances(c.tolerances)})`,
      };
  }
}

const VERDICT_TONE: Record<CompareVerdict, Tone> = {
  regressed: 'red',
  inconclusive: 'magenta',
  'no-regression': 'green',
};

function verdictLine(c: Comparison, color: boolean): string {
  const w = verdictWords(c);
  return `${paint(color, 'bold', 'Compare:')} ${paint(color, VERDICT_TONE[w.verdict], w.word)} — ${w.why}`;
}

/** `each side of a change holds at ≥ 90 % (two 95 % bounds)`. */
export function confidenceWords(c: Comparison): string {
  const each = Math.round(c.confidence * 1000) / 10;
  const joint = Math.round((1 - 2 * (1 - c.confidence)) * 1000) / 10;
  return `each side of a change holds at ≥ ${joint}% from two ${each}% bounds`;
}

/** `steady · checkout · p95 40.0 ms → 42.1 ms (+2.1 ms, +5%): p95 of a in …`. */
export function describeOpen(r: Regression): string {
  return `${describeRegression(r)}: ${r.delta.open ?? ''}`;
}

// ---------------------------------------------------------------- markdown

const MARKDOWN_MARK: Record<CompareVerdict, string> = {
  regressed: '❌',
  inconclusive: '❔',
  'no-regression': '✅',
};

/** The comparison as Markdown (a CI step summary or a pull-request comment). */
export function renderCompareMarkdown(c: Comparison): string {
  const n = c.regressions.length;
  const open = c.open.length;
  const w = verdictWords(c);
  const badge = `${MARKDOWN_MARK[w.verdict]} ${w.short}`;
  const out = [
    `## ${badge} · tiergate compare \`${code(c.a.runId)}\` → \`${code(c.b.runId)}\``,
    '',
    `- **a** (before): \`${code(c.a.runId)}\` · ${md(c.a.label)} · ${c.a.verdict.toUpperCase()} · ${c.a.startedAt}`,
    `- **b** (after): \`${code(c.b.runId)}\` · ${md(c.b.label)} · ${c.b.verdict.toUpperCase()} · ${c.b.startedAt}`,
    `- tolerances: ${md(describeTolerances(c.tolerances))}`,
  ];
  for (const note of c.notes) out.push(`- ⚠️ ${md(note)}`);
  out.push('');
  if (n > 0) {
    out.push('**Regressions**', '');
    for (const r of c.regressions) out.push(`- ${md(describeRegression(r))}`);
    out.push('');
  }
  if (open > 0) {
    out.push(`**Open** (${md(confidenceWords(c))})`, '');
    for (const r of c.open) out.push(`- ${md(describeOpen(r))}`);
    out.push('');
  }
  for (const window of windowsOf(c)) {
    out.push(`### ${md(windowTitle(window, c.rows))}`, '');
    out.push(
      '| Request | Metric | a | b | Δ | Δ% | |',
      '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    );
    for (const row of c.rows.filter((r) => r.window === window)) {
      row.deltas.forEach((d, i) => {
        const cells = [
          i === 0 ? md(requestText(row)) : '',
          metricName(d.metric),
          ...deltaTexts(d),
          d.regression ? '❌ regression' : d.open ? '❔ open' : '',
        ];
        out.push(`| ${cells.join(' | ')} |`);
      });
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
