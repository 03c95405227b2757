// The game-day part of a report: the fault timeline, the windows' figures, time to detect and
// time to recover. Lines of plain text, shared by the terminal and Markdown renderers.
import type { WindowStats } from '../thresholds/model.ts';
import type { GapStats, RunResult } from '../thresholds/result.ts';
import { windowEdgeNote } from './facts.ts';

const fmt = (t: number | null): string => (t === null ? '—' : `${t.toFixed(1)}s`);

type Figures = Omit<WindowStats, 'window'> | GapStats;

/**
 * `100 requests (2 dropped), 4.90% errors, p50 … · p99 …`: every request the window scheduled,
 * so the windows' and gaps' counts add up to the run's.
 */
function figures(s: Figures): string {
  const unfinished = s.scheduled - s.dropped - s.completed;
  const detail = [
    ...(s.dropped > 0 ? [`${s.dropped} dropped`] : []),
    ...(unfinished > 0 ? [`${unfinished} unfinished`] : []),
  ];
  const rate = s.completed > 0 ? ((s.errors / s.completed) * 100).toFixed(2) : '—';
  const l = s.latency;
  return (
    `${s.scheduled} requests${detail.length > 0 ? ` (${detail.join(', ')})` : ''}, ${rate}% errors, ` +
    (l.count > 0
      ? `p50 ${l.p50.toFixed(1)} ms · p95 ${l.p95.toFixed(1)} ms · p99 ${l.p99.toFixed(1)} ms`
      : 'no samples')
  );
}

/**
 * A gap between the windows: requests there are in no window but `whole`, so no window's
 * objective judged them.
 */
function gapLine(g: GapStats, indent: string): string {
  return `${indent}gap ${g.name} ${fmt(g.startS)}–${fmt(g.endS)}: ${figures(g)} — in no window, judged only by whole-run objectives`;
}

/** The run's gaps between its windows, one line each. */
export function gapLines(run: RunResult, indent = '  '): string[] {
  return (run.gaps ?? []).map((g) => gapLine(g, indent));
}

export function gameDayLines(run: RunResult): string[] {
  const g = run.gameDay;
  if (!g) return [];
  const lines = [`game day  ${g.name} (${g.id}, ${g.driver}): ${g.verdict.toUpperCase()}`];
  if (g.steadyStateBroken)
    lines.push(`  steady state broken before any fault: ${g.steadyStateBroken}`);
  for (const f of g.faults) {
    lines.push(
      `  fault ${f.id} (${f.kind}): injected ${fmt(f.injectedAtS)} · removed ${fmt(f.removedAtS)} · ` +
        (f.recovered
          ? 'removal verified'
          : f.injectedAtS === null
            ? 'never injected'
            : 'REMOVAL UNVERIFIED'),
    );
  }
  // Windows and gaps in time order: together they hold every request of the run once.
  const rows: Array<{ startS: number; line: string }> = [];
  for (const name of ['steady', 'chaos', 'recovery'] as const) {
    const s = run.stats.find((x) => x.window === name && x.request === undefined);
    if (s)
      rows.push({
        startS: s.startS,
        line: `  ${name.padEnd(8)} ${fmt(s.startS)}–${fmt(s.endS)}: ${figures(s)}`,
      });
  }
  for (const gap of run.gaps ?? []) rows.push({ startS: gap.startS, line: gapLine(gap, '  ') });
  lines.push(...rows.sort((a, b) => a.startS - b.startS).map((r) => r.line));
  const edges = windowEdgeNote(run);
  if (edges) lines.push(`  window edges: ${edges}`);
  lines.push(
    `  time to detect ${g.timeToDetectS === null ? 'not detected (the steady state held)' : `${g.timeToDetectS.toFixed(1)}s`} · ` +
      `time to recover ${g.timeToRecoverS === null ? 'never recovered in the run' : `${g.timeToRecoverS.toFixed(1)}s`}`,
  );
  return lines;
}
