// What a run will do, for people: tier, traffic assumptions, derived load, ramp stages,
// objectives and rollback triggers, generator settings, and the plan's caveats.

import type { GameDay } from '../thresholds/gameday.ts';
import { withErrorGuard } from '../thresholds/gate.ts';
import type { LoadPlan, Objective, Roadmap, RollbackTrigger, Tier } from '../thresholds/model.ts';
import { formatObjective } from '../thresholds/objective.ts';
import { plannedProof } from '../thresholds/plan-proof.ts';
import { describeTraffic, tierPeak } from '../thresholds/traffic.ts';
import { rate } from './roadmap-list.ts';

function seconds(s: number): string {
  if (s >= 3600) return `${+(s / 3600).toFixed(2)}h`;
  if (s >= 60) return `${+(s / 60).toFixed(2)}m`;
  return `${+s.toFixed(1)}s`;
}

function cited(o: { source?: Objective['source'] }): string {
  if (!o.source) return '';
  const assumption = o.source.assumption ? `; assumed: ${o.source.assumption}` : '';
  return `  [${o.source.seed}:${o.source.line}${assumption}]`;
}

export function renderObjectives(
  objectives: Objective[],
  withSources: boolean,
  plan?: LoadPlan,
  gameDay?: GameDay,
): string[] {
  return objectives.flatMap((o) => {
    const flags = [o.window, o.severity === 'warn' ? 'warn only' : '', o.optional ? 'optional' : '']
      .filter(Boolean)
      .join(', ');
    const line = `    ${o.id.padEnd(26)} ${formatObjective(o).padEnd(36)} (${flags})${withSources ? cited(o) : ''}`;
    // Whether the plan's window holds enough samples to prove it (not for the implicit guard).
    const proof = plan && !o.implicit ? plannedProof(plan, o, gameDay) : undefined;
    return proof ? [line, `${' '.repeat(31)}${proof}`] : [line];
  });
}

export function renderTriggers(triggers: RollbackTrigger[], withSources: boolean): string[] {
  return triggers.map(
    (t) =>
      `    ${t.id.padEnd(26)} abort unless ${formatObjective(t.objective)} — over ${seconds(t.windowS)}, ` +
      `breached ${seconds(t.forS)}, armed after ${seconds(t.delayS)}${withSources ? cited(t) : ''}`,
  );
}

/** `gameDay`: the game day laid over the plan, whose windows the objectives are judged on. */
export function renderPlan(plan: LoadPlan, gameDay?: GameDay): string {
  const unit = plan.shape.model === 'open' ? 'req/s' : 'VUs';
  const title =
    plan.roadmap !== undefined
      ? `${plan.roadmap} / ${plan.tier} — ${plan.tierName ?? ''}`
      : `ad-hoc run against ${plan.target}`;
  const lines = [
    `Plan: ${title}`,
    `  target      ${plan.target}`,
    `  model       ${plan.shape.model === 'open' ? 'open (arrival rate; latency from intended send time)' : 'closed (looping VUs)'}`,
    `  peak        ${rate(plan.peak)} ${unit}${plan.tierPeak !== undefined && plan.tierPeak !== plan.peak ? ` (tier asks ${rate(plan.tierPeak)})` : ''} over ${seconds(plan.durationS)}`,
    '  stages',
  ];
  for (const p of plan.shape.phases) {
    const [from, to] = 'fromRps' in p ? [p.fromRps, p.toRps] : [p.fromVus, p.toVus];
    lines.push(
      `    ${seconds(p.startS).padStart(7)} +${seconds(p.durationS).padEnd(7)} ${rate(from)} → ${rate(to)} ${unit}${p.steady ? '  ← steady window' : ''}`,
    );
  }
  lines.push('  journey');
  const totalWeight = plan.journey.requests.reduce((s, r) => s + r.weight, 0);
  for (const r of plan.journey.requests) {
    lines.push(
      `    ${r.name.padEnd(16)} ${r.method.padEnd(6)} ${r.path.padEnd(24)} ${((r.weight / totalWeight) * 100).toFixed(0)}%`,
    );
  }
  // What the gate will judge: the plan's objectives and, unless opted out, its error guard.
  const judged = withErrorGuard(plan.objectives, plan.allowErrors === true);
  lines.push(judged.length > 0 ? '  objectives' : '  objectives  none (add --slo "p99<300ms")');
  lines.push(...renderObjectives(judged, false, plan, gameDay));
  if (plan.rollbackTriggers.length > 0) {
    lines.push('  rollback triggers');
    lines.push(...renderTriggers(plan.rollbackTriggers, false));
  }
  lines.push(
    `  generator   ${plan.workers} worker(s), ${plan.connections} connections, in-flight cap ${plan.maxInFlight}, timeout ${plan.timeoutMs} ms; ` +
      `inconclusive if send-lag p99 > ${plan.budget.sendLagP99Ms} ms or > ${(plan.budget.droppedShare * 100).toFixed(1)}% dropped`,
  );
  for (const note of plan.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

export function renderTier(roadmap: Roadmap, t: Tier): string {
  const { model, peak } = tierPeak(t.load);
  const lines = [
    `${roadmap.id} / ${t.id} — ${t.name}`,
    ...(t.description ? [`  ${t.description}`] : []),
    `  traffic     ${describeTraffic(t.load)}${cited(t.load)}`,
    `  peak        ${rate(peak)} ${model === 'open' ? 'req/s' : 'VUs'}`,
    `  ramp        ${t.stages.map((s) => `${seconds(s.durationS)}→${Math.round(s.target * 100)}%${s.steady ? ' (steady)' : ''}`).join(', ')}`,
    '  objectives',
    ...renderObjectives(t.objectives, true),
  ];
  if (t.rollbackTriggers.length > 0)
    lines.push('  rollback triggers', ...renderTriggers(t.rollbackTriggers, true));
  if (t.nextPhase) {
    lines.push(
      `  next phase  plan it at ${Math.round(t.nextPhase.capacityShare * 100)}% of tested capacity${cited(t.nextPhase)}`,
    );
  }
  if (t.gameDays?.length) lines.push(`  game days   ${t.gameDays.join(', ')}`);
  return lines.join('\n');
}
