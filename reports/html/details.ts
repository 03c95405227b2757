// The bottom of the HTML report: the events of the run, the plan it ran (stages, journey,
// rollback triggers), where it ran, and the plan's notes. Plain HTML tables.
import { formatObjective } from '../../thresholds/objective.ts';
import type { RunResult } from '../../thresholds/result.ts';
import { count, percent, seconds } from '../facts.ts';
import { esc } from './escape.ts';
import { list } from './summary.ts';

/** Events beyond this many are counted, not listed (the JSON block still holds the markers). */
const MAX_EVENTS = 500;

export function eventTable(run: RunResult): string {
  if (run.events.length === 0) return '<p>No events were recorded.</p>';
  const rows = run.events
    .slice(0, MAX_EVENTS)
    .map(
      (e) =>
        `<tr><td class="num">${esc(seconds(e.t))}</td><td><span class="swatch ev-${esc(e.kind)}"></span>${esc(e.kind)}</td><td>${esc(e.subject ?? '')}</td><td>${esc(e.detail ?? '')}</td></tr>`,
    );
  const more =
    run.events.length > MAX_EVENTS
      ? `<p class="muted">… ${count(run.events.length - MAX_EVENTS)} more events in run.json.</p>`
      : '';
  return `${table(['At', 'Event', 'Subject', 'Detail'], rows, [0])}${more}`;
}

export function planSection(run: RunResult): string {
  const plan = run.plan;
  const unit = plan.shape.model === 'open' ? 'req/s' : 'VUs';
  const stages = plan.shape.phases.map((p) => {
    const from = 'fromRps' in p ? p.fromRps : p.fromVus;
    const to = 'toRps' in p ? p.toRps : p.toVus;
    return `<tr><td>${esc(p.name)}</td><td class="num">${esc(seconds(p.startS))}</td><td class="num">${esc(seconds(p.durationS))}</td><td class="num">${esc(`${count(from)} → ${count(to)} ${unit}`)}</td><td>${p.steady ? 'steady window' : ''}</td></tr>`;
  });
  const weights = plan.journey.requests.reduce((sum, r) => sum + r.weight, 0);
  const requests = plan.journey.requests.map(
    (r) =>
      `<tr><td>${esc(r.name)}</td><td><code>${esc(`${r.method} ${r.path}`)}</code></td><td class="num">${esc(weights > 0 ? percent(r.weight / weights) : '—')}</td><td>${esc(r.expectStatus?.join(', ') ?? '2xx, 3xx')}</td></tr>`,
  );
  const triggers = plan.rollbackTriggers.map(
    (t) =>
      `<tr><td>${esc(t.id)}</td><td><code>${esc(formatObjective(t.objective))}</code></td><td class="num">${esc(seconds(t.windowS))}</td><td class="num">${esc(seconds(t.forS))}</td><td class="num">${esc(seconds(t.delayS))}</td></tr>`,
  );
  const peak = `${count(plan.peak)} ${unit}${plan.tierPeak !== undefined && plan.tierPeak !== plan.peak ? ` (the tier asks for ${count(plan.tierPeak)})` : ''}`;
  return `${facts([
    ['model', plan.shape.model === 'open' ? 'open (arrival rate)' : 'closed (VUs)'],
    ['peak', peak],
    ['duration', seconds(plan.durationS)],
    ['target', plan.target],
  ])}
<h3>Stages</h3>
${table(['Stage', 'Starts', 'Lasts', 'Load', ''], stages, [1, 2, 3])}
<h3>Journey <code>${esc(plan.journey.name)}</code></h3>
${table(['Request', 'Call', 'Share', 'Success'], requests, [2])}
${triggers.length > 0 ? `<h3>Rollback triggers</h3>\n${table(['Trigger', 'Condition', 'Window', 'For', 'After'], triggers, [2, 3, 4])}` : ''}`;
}

export function environmentSection(run: RunResult): string {
  const env = run.environment;
  const plan = run.plan;
  const rows: Array<[string, string]> = [
    ['tiergate', env.tiergate],
    [
      'engine',
      `${run.engine.name} ${run.engine.version}, ${count(run.engine.generators)} generator(s)`,
    ],
    ['node', env.node],
    ['platform', `${env.platform} ${env.arch}`],
    ['cpus', `${count(env.cpus)} × ${env.cpuModel}`],
    ['memory', `${count(env.totalMemMb)} MB`],
    ['workers', count(plan.workers)],
    [
      'connections',
      `${count(plan.connections)} per worker, ${count(plan.maxInFlight)} in flight at most`,
    ],
    ['timeout', `${count(plan.timeoutMs)} ms`],
    [
      'generator budget',
      `send lag p99 ≤ ${count(plan.budget.sendLagP99Ms)} ms, dropped ≤ ${percent(plan.budget.droppedShare)}`,
    ],
    ['started', run.startedAt],
    ['ended', run.endedAt],
    ['exit code', String(run.exitCode)],
  ];
  if (run.baseline) rows.push(['baseline', `${run.baseline.runId} (${run.baseline.path})`]);
  return facts(rows);
}

export function notesSection(run: RunResult): string {
  return run.plan.notes.length > 0 ? list(run.plan.notes) : '<p class="muted">No notes.</p>';
}

function facts(rows: Array<[string, string]>): string {
  return `<table class="facts-table"><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;
}

/** A table; the columns listed in `numeric` are right-aligned. */
function table(head: string[], rows: string[], numeric: number[]): string {
  const th = head
    .map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${esc(h)}</th>`)
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
