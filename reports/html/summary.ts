// The top of the HTML report: the verdict banner and the objective table. Plain HTML, so it
// reads the same with JavaScript disabled.
import type { ObjectiveVerdict } from '../../thresholds/model.ts';
import { formatMetricValue } from '../../thresholds/objective.ts';
import type { RunResult } from '../../thresholds/result.ts';
import {
  boundText,
  boundTitle,
  describeBreach,
  describeUnproven,
  limitText,
  observedText,
} from '../breach.ts';
import {
  count,
  errorsByKind,
  outcomeSentence,
  percent,
  runLabel,
  runTotals,
  runVerdict,
  seconds,
  serviceTimeDiffers,
  throughputText,
  wholeStats,
  windowEdgeNote,
} from '../facts.ts';
import { gapLines } from '../gameday.ts';
import { esc } from './escape.ts';

export function banner(run: RunResult): string {
  const verdict = runVerdict(run);
  const plan = run.plan;
  const t = runTotals(run);
  const gens = run.engine.generators;
  const facts: Array<[string, string]> = [
    ['roadmap', plan.roadmap ?? 'ad-hoc'],
    ['tier', plan.tier ? `${plan.tier}${plan.tierName ? ` (${plan.tierName})` : ''}` : '—'],
    ['engine', `${run.engine.name} ${run.engine.version}`],
    ['generators', count(gens)],
    ['duration', seconds(t.durationS)],
    ['started', run.startedAt],
    ['run', run.runId],
  ];
  const notes: string[] = [];
  const sentence = outcomeSentence(run);
  if (sentence)
    notes.push(`<p class="outcome">Run ${esc(run.outcome.state)}: ${esc(sentence)}</p>`);
  if (run.verdict.inconclusiveReasons.length > 0) {
    notes.push(
      '<p class="outcome">The run cannot support a verdict:</p>',
      list(run.verdict.inconclusiveReasons),
    );
  }
  if (!run.complete)
    notes.push('<p class="outcome">This run did not finish writing its results.</p>');
  // Requests between the windows, and how far the windows' edges can be trusted.
  const edges = windowEdgeNote(run);
  const windowNotes = [...gapLines(run, ''), ...(edges ? [edges] : [])];
  if (windowNotes.length > 0) notes.push('<p>Windows:</p>', list(windowNotes));
  return `<header class="banner verdict-${verdict}">
<div class="verdict-word">${esc(verdict.toUpperCase())}</div>
<div class="banner-body">
<h1>tiergate · ${esc(runLabel(run))}</h1>
<dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>
${notes.join('\n')}
</div>
</header>
${totals(run)}`;
}

/** Requests, errors, dropped and latency of the whole run, as one row of figures. */
function totals(run: RunResult): string {
  const t = runTotals(run);
  const whole = wholeStats(run);
  const cells: Array<[string, string]> = [];
  cells.push(['throughput', throughputText(run, t)]);
  cells.push(['requests', `${count(t.completed)} completed`]);
  const kinds = errorsByKind(run)
    .slice(0, 5)
    .map(([kind, n]) => `${kind} ${count(n)}`)
    .join(', ');
  const rate = t.errorRate === null ? '' : ` (${percent(t.errorRate)})`;
  cells.push(['errors', `${count(t.errors)}${rate}${kinds ? ` — ${kinds}` : ''}`]);
  cells.push([
    'dropped',
    t.scheduled > 0
      ? `${count(t.dropped)} of ${count(t.scheduled)} (${percent(t.dropped / t.scheduled)})`
      : count(t.dropped),
  ]);
  if (whole && whole.latency.count > 0) {
    const l = whole.latency;
    const ms = (v: number) => formatMetricValue('latency', v);
    cells.push([
      'latency',
      `p50 ${ms(l.p50)} · p95 ${ms(l.p95)} · p99 ${ms(l.p99)} · max ${ms(l.max)}`,
    ]);
    if (serviceTimeDiffers(whole)) cells.push(['service time p99', ms(whole.serviceTime.p99)]);
  }
  return `<dl class="totals">${cells.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`;
}

export function objectiveTable(run: RunResult): string {
  const verdicts = run.verdict.objectives;
  if (verdicts.length === 0) return '<p>No objectives were evaluated.</p>';
  return `<table class="objectives">
<thead><tr><th>Objective</th><th>Window</th><th class="num">Observed</th><th class="num">Limit</th><th class="num">${esc(boundTitle(verdicts.find((v) => v.confidence !== undefined)?.confidence))}</th><th>Verdict</th><th class="num">Samples</th></tr></thead>
<tbody>
${verdicts.map(objectiveRow).join('\n')}
</tbody>
</table>`;
}

function objectiveRow(v: ObjectiveVerdict): string {
  const broken = v.status === 'fail' || v.status === 'warn';
  const lines = [`<code>${esc(v.expression)}</code>`];
  if (v.objective.description)
    lines.push(`<div class="muted">${esc(v.objective.description)}</div>`);
  if (broken) lines.push(`<div class="breach">${esc(describeBreach(v))}</div>`);
  else if (v.status === 'skipped') lines.push(`<div class="muted">${esc(v.reason)}</div>`);
  else if (v.status === 'unproven')
    lines.push(`<div class="breach">${esc(describeUnproven(v))}</div>`);
  const baseline =
    v.baseline !== undefined && v.baseline !== null
      ? `<div class="muted">baseline ${esc(formatMetricValue(v.objective.metric, v.baseline))}</div>`
      : '';
  return `<tr class="row-${v.status}" title="${esc(v.reason)}"><td>${lines.join('')}</td><td>${esc(v.window)}</td><td class="num">${esc(observedText(v))}</td><td class="num">${esc(limitText(v))}${baseline}</td><td class="num">${esc(boundText(v))}</td><td><span class="badge badge-${v.status}">${esc(v.status.toUpperCase())}</span></td><td class="num">${esc(count(v.samples))}</td></tr>`;
}

export function list(items: string[]): string {
  return `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
}
