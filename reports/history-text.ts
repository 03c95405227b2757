import { formatMetricValue } from '../thresholds/objective.ts';
import { count, percent, type RunVerdict } from './facts.ts';
import type { KneeShare, Ladder, Rung, Search } from './history.ts';
import { paint, type Tone } from './terminal.ts';

export interface LadderTextOptions {
  color: boolean;
  /** Where the runs were read from, for the header. */
  resultsDir?: string;
}

const TONE: Record<RunVerdict, Tone> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  aborted: 'red',
  errored: 'red',
  inconclusive: 'magenta',
  interrupted: 'dim',
};

const MARK: Record<RunVerdict, string> = {
  pass: '✓',
  warn: '!',
  fail: '✗',
  aborted: '✗',
  errored: '✗',
  inconclusive: '?',
  interrupted: '-',
};

/** The ladder as the terminal shows it: one block per tier, lowest tier first. */
export function renderLadder(l: Ladder, opts: LadderTextOptions): string {
  const { color } = opts;
  const where = opts.resultsDir ? ` in ${opts.resultsDir}` : '';
  const out = [
    paint(color, 'bold', `${l.roadmap} · ${l.name}`),
    paint(color, 'dim', `${count(l.runs)} finished run(s) of this roadmap${where}`),
  ];
  for (const note of l.notes) out.push(paint(color, 'yellow', `note: ${note}`));
  if (l.search) out.push(searchLine(l.search));
  const idWidth = Math.max(...l.rungs.map((r) => r.tier.length));
  const nameWidth = Math.max(...l.rungs.map((r) => r.name.length));
  let previousRan = true;
  for (const r of l.rungs) {
    // Tiers that never ran are one line each: a blank line only where a block ends.
    if (r.newest || previousRan) out.push('');
    previousRan = r.newest !== null;
    const head = `${r.tier.padEnd(idWidth)}  ${r.name.padEnd(nameWidth)}`;
    if (!r.newest) {
      out.push(paint(color, 'dim', `· ${head}  not run${r.knee ? ` · ${kneeText(r.knee)}` : ''}`));
      continue;
    }
    const tone = TONE[r.newest.verdict];
    const runs = `${count(r.runs)} run${r.runs === 1 ? '' : 's'}`;
    out.push(
      `${paint(color, tone, MARK[r.newest.verdict])} ${paint(color, 'bold', head)}  ${paint(color, tone, r.newest.verdict.toUpperCase())}  newest ${r.newest.runId} · ${when(r.newest.startedAt)} · ${runs}`,
    );
    const detail = (label: string, text: string) =>
      out.push(`  ${' '.repeat(idWidth + 2)}${paint(color, 'dim', label.padEnd(11))} ${text}`);
    if (r.breach) detail('broke', r.breach);
    if (r.knee) detail('knee', kneeText(r.knee));
    for (const [label, text] of rungDetails(r)) {
      detail(
        label,
        label === 'next phase' && r.nextPhase?.plan ? paint(color, 'yellow', text) : text,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** The detail lines of a tier that ran: its last pass, margin, capacity, next tier and phase. */
function rungDetails(r: Rung): Array<[label: string, text: string]> {
  const lines: Array<[string, string]> = [];
  if (!r.lastPass) {
    lines.push(['last pass', 'never']);
    if (r.next?.peakRps) lines.push(['next tier', `${r.next.tier} needs ${rps(r.next.peakRps)}`]);
    return lines;
  }
  const same = r.newest?.runId === r.lastPass.runId;
  lines.push([
    'last pass',
    same
      ? `the newest run (${r.lastPass.verdict.toUpperCase()})`
      : `${r.lastPass.runId} · ${when(r.lastPass.startedAt)} (${r.lastPass.verdict.toUpperCase()})`,
  ]);
  if (r.margin) {
    const m = r.margin;
    lines.push([
      'margin',
      `${percent(m.headroom)} left on ${m.objective} (${m.expression}: observed ${m.observed})`,
    ]);
  }
  const c = r.capacity;
  if (c) {
    const ofTier = c.tierRps
      ? ` (${percent(c.testedRps / c.tierRps)} of the tier's ${rps(c.tierRps)})`
      : '';
    const rehearsal =
      c.rehearsalRps !== undefined ? `; a scaled-down rehearsal at ${rps(c.rehearsalRps)}` : '';
    lines.push([
      'capacity',
      `${rps(c.testedRps)} tested in the ${c.window} window${ofTier}${rehearsal}`,
    ]);
  }
  if (r.next) {
    const n = r.next;
    lines.push([
      'next tier',
      n.peakRps === null
        ? `${n.tier} is a closed (VU) tier: not comparable in req/s`
        : `${n.tier} needs ${rps(n.peakRps)}: tested capacity covers ${n.coverage === null ? '—' : percent(n.coverage)}`,
    ]);
  }
  const p = r.nextPhase;
  if (p) {
    const users =
      p.triggerUsers === null ? '' : ` ≈ ${count(Math.round(p.triggerUsers))} daily users`;
    const load = `the tier's load ${rps(p.loadRps)} is ${percent(p.loadShare)} of tested capacity`;
    const trigger = `${percent(p.capacityShare)} = ${rps(p.triggerRps)}${users}`;
    lines.push([
      'next phase',
      p.plan
        ? `plan the next phase: ${load} (trigger ${trigger})`
        : `not yet: ${load}; plan it at ${trigger}`,
    ]);
  }
  return lines;
}

/** The newest capacity search in one line. */
function searchLine(s: Search): string {
  const knee =
    s.kneeRps !== null
      ? `knee ${rps(s.kneeRps)}`
      : `no knee measured${s.carriedRps !== null ? ` (carried ${rps(s.carriedRps)})` : ''}`;
  return `capacity search ${s.runId} · ${when(s.startedAt)}: ${knee}; highest tier qualified ${s.highestTier ?? 'none'}`;
}

function kneeText(k: KneeShare): string {
  return `${percent(k.share)} of the knee ${rps(k.kneeRps)} (${k.share <= 1 ? 'within' : 'beyond'} it; search ${k.runId})`;
}

function rps(v: number): string {
  return formatMetricValue('throughput', v);
}

/** `2026-11-23 20:50 UTC` of an ISO time (as given when it is not one). */
function when(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : iso;
}
