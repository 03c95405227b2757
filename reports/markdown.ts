// The run as Markdown: what a CI step summary or a pull-request comment shows.
// GitHub caps a step summary at 1 MiB, so the output is kept under MARKDOWN_MAX_BYTES.
import type { LatencySummary, ObjectiveStatus, ObjectiveVerdict } from '../thresholds/model.ts';
import { formatMetricValue } from '../thresholds/objective.ts';
import type { RunResult } from '../thresholds/result.ts';
import {
  boundText,
  boundTitle,
  describeBreach,
  describeUnproven,
  limitText,
  observedText,
} from './breach.ts';
import {
  count,
  errorsByKind,
  latencyOrigin,
  outcomeSentence,
  percent,
  type RunVerdict,
  runLabel,
  runTotals,
  runVerdict,
  seconds,
  serviceTimeDiffers,
  throughputText,
  wholeStats,
} from './facts.ts';
import { gameDayLines, gapLines } from './gameday.ts';

export { appendStepSummary, githubAnnotations } from './github.ts';

/** Kept under 1 MiB (GitHub's step-summary limit) with room to spare. */
export const MARKDOWN_MAX_BYTES = 1_000_000;
const MAX_CELL = 300;
const MAX_NOTES = 20;
const MAX_ERROR_KINDS = 10;

const VERDICT_BADGE: Record<RunVerdict, string> = {
  pass: '✅ PASS',
  warn: '⚠️ WARN',
  fail: '❌ FAIL',
  inconclusive: '❔ INCONCLUSIVE',
  aborted: '🛑 ABORTED',
  errored: '💥 ERRORED',
  interrupted: '⏹️ INTERRUPTED',
};

const STATUS_BADGE: Record<ObjectiveStatus, string> = {
  pass: '✅ pass',
  warn: '⚠️ warn',
  fail: '❌ fail',
  skipped: '⏭️ skipped',
  unproven: '❔ unproven',
};

export interface MarkdownOptions {
  /** Where the run's result folder is, mentioned at the end. */
  resultDir?: string;
}

export function renderMarkdown(run: RunResult, opts: MarkdownOptions = {}): string {
  let limit = run.verdict.objectives.length;
  let out = render(run, opts, limit);
  while (Buffer.byteLength(out, 'utf8') > MARKDOWN_MAX_BYTES && limit > 0) {
    limit = Math.floor(limit / 2);
    out = render(run, opts, limit);
  }
  return out;
}

/** Renders with at most `maxRows` objectives in the table and in each call-out list. */
function render(run: RunResult, opts: MarkdownOptions, maxRows: number): string {
  const verdicts = run.verdict.objectives;
  const out: string[] = [`## ${VERDICT_BADGE[runVerdict(run)]} · tiergate ${runLabel(run)}`, ''];
  out.push(headline(run), '');

  const sentence = outcomeSentence(run);
  if (sentence) out.push(`> **Run ${run.outcome.state}:** ${md(sentence)}`, '');
  if (run.verdict.inconclusiveReasons.length > 0) {
    out.push('> **The run cannot support a verdict:**');
    for (const r of run.verdict.inconclusiveReasons.slice(0, MAX_NOTES)) out.push(`> - ${md(r)}`);
    out.push('');
  }

  if (verdicts.length > 0) {
    const confidence = verdicts.find((v) => v.confidence !== undefined)?.confidence;
    out.push(
      `| Objective | Window | Observed | Limit | ${boundTitle(confidence)} | Verdict | Samples |`,
      '| --- | --- | ---: | ---: | ---: | --- | ---: |',
    );
    for (const v of verdicts.slice(0, maxRows)) out.push(row(v));
    out.push(...omitted(verdicts.length, maxRows, 'objectives'), '');
  } else {
    out.push('_No objectives were evaluated._', '');
  }

  for (const [status, title] of [
    ['fail', 'Failing objectives'],
    ['warn', 'Warnings (do not fail the gate)'],
  ] as const) {
    const listed = verdicts.filter((v) => v.status === status);
    if (listed.length === 0) continue;
    out.push(`**${title}**`, '');
    for (const v of listed.slice(0, maxRows)) {
      out.push(`- \`${code(describeBreach(v))}\` in the ${v.window} window`);
    }
    out.push(...omitted(listed.length, maxRows, 'objectives'), '');
  }
  const unproven = verdicts.filter((v) => v.status === 'unproven');
  if (unproven.length > 0) {
    out.push('**Unproven (too few samples to show whether they hold)**', '');
    for (const v of unproven.slice(0, maxRows)) {
      out.push(`- \`${code(describeUnproven(v))}\` in the ${v.window} window`);
    }
    out.push(...omitted(unproven.length, maxRows, 'objectives'), '');
  }

  const gameDay = gameDayLines(run);
  if (gameDay.length > 0) out.push('**Game day**', '', '```', ...gameDay, '```', '');
  out.push(...measurements(run), '');

  if (run.plan.notes.length > 0) {
    out.push('**Notes**', '');
    for (const note of run.plan.notes.slice(0, MAX_NOTES)) out.push(`- ${md(note)}`);
    out.push(...omitted(run.plan.notes.length, MAX_NOTES, 'notes'), '');
  }

  const where = opts.resultDir ? ` · results in \`${code(opts.resultDir)}\`` : '';
  out.push(
    `<sub>run \`${code(run.runId)}\` · tiergate ${md(run.environment.tiergate)}${where}</sub>`,
  );
  return `${out.join('\n')}\n`;
}

function headline(run: RunResult): string {
  const t = runTotals(run);
  const plan = run.plan;
  const parts = [`**${md(runLabel(run))}**${plan.tierName ? ` (${md(plan.tierName)})` : ''}`];
  const gens = run.engine.generators > 1 ? ` ×${run.engine.generators}` : '';
  parts.push(`engine \`${run.engine.name}\`${gens}`, seconds(t.durationS));
  parts.push(throughputText(run, t));
  return parts.join(' · ');
}

function row(v: ObjectiveVerdict): string {
  const cells = [
    `\`${code(v.expression, true)}\``,
    v.window,
    observedText(v),
    limitText(v),
    boundText(v),
    STATUS_BADGE[v.status],
    count(v.samples),
  ];
  return `| ${cells.join(' | ')} |`;
}

function measurements(run: RunResult): string[] {
  const t = runTotals(run);
  const whole = wholeStats(run);
  const lines: string[] = [];
  if (whole && whole.latency.count > 0) {
    lines.push(`**Latency** (all requests, ${latencyOrigin(run)}): ${latencyLine(whole.latency)}`);
    if (serviceTimeDiffers(whole)) {
      lines.push(`**Service time** (from actual send): ${latencyLine(whole.serviceTime)}`);
    }
  } else {
    lines.push('**Latency**: no request completed');
  }
  const kinds = errorsByKind(run);
  const rate = t.errorRate === null ? '' : ` (${percent(t.errorRate)})`;
  const byKind = kinds
    .slice(0, MAX_ERROR_KINDS)
    .map(([kind, n]) => `\`${code(kind)}\` ${count(n)}`)
    .join(' · ');
  const more =
    kinds.length > MAX_ERROR_KINDS ? ` · ${kinds.length - MAX_ERROR_KINDS} more kinds` : '';
  lines.push(
    `**Requests**: ${count(t.completed)} completed`,
    `**Errors**: ${count(t.errors)}${rate}${byKind ? ` — ${byKind}${more}` : ''}`,
    `**Dropped** (not sent on schedule): ${count(t.dropped)}${t.scheduled > 0 ? ` of ${count(t.scheduled)} scheduled (${percent(t.dropped / t.scheduled)})` : ''}`,
  );
  // A game day lists its gaps among its windows.
  if (!run.gameDay)
    for (const gap of gapLines(run, '')) lines.push(`**Outside the windows**: ${md(gap)}`);
  return lines.map((l) => `- ${l}`);
}

function latencyLine(s: LatencySummary): string {
  return (['p50', 'p95', 'p99', 'max'] as const)
    .map((k) => `${k} ${formatMetricValue('latency', s[k])}`)
    .join(' · ');
}

function omitted(total: number, shown: number, what: string): string[] {
  if (total <= shown) return [];
  return [
    '',
    `_… ${count(total - shown)} more ${what} not shown (this summary is capped at 1 MB); see junit.xml and run.json in the results folder._`,
  ];
}

/** Text for inside backticks: one line, no backticks, capped; in a table, pipes escaped. */
export function code(s: string, inTable = false): string {
  const text = cap(s.replace(/[\r\n]+/g, ' ').replace(/`/g, "'"));
  return inTable ? text.replace(/\|/g, '\\|') : text;
}

/** Free text: one line, Markdown and HTML punctuation escaped, capped. */
export function md(s: string): string {
  return cap(s.replace(/[\r\n]+/g, ' ')).replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

function cap(s: string): string {
  return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
}
