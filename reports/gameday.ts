// The game-day part of a report: the fault timeline, the windows' figures, time to detect and
// time to recover. Lines of plain text, shared by the terminal and Markdown renderers.
import type { RunResult } from '../thresholds/result.ts';

const fmt = (t: number | null): string => (t === null ? '—' : `${t.toFixed(1)}s`);

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
  for (const name of ['steady', 'chaos', 'recovery'] as const) {
    const s = run.stats.find((x) => x.window === name && x.request === undefined);
    if (!s) continue;
    const rate = s.completed > 0 ? ((s.errors / s.completed) * 100).toFixed(2) : '—';
    const l = s.latency;
    lines.push(
      `  ${name.padEnd(8)} ${fmt(s.startS)}–${fmt(s.endS)}: ${s.completed} requests, ${rate}% errors, ` +
        (l.count > 0
          ? `p50 ${l.p50.toFixed(1)} ms · p95 ${l.p95.toFixed(1)} ms · p99 ${l.p99.toFixed(1)} ms`
          : 'no samples'),
    );
  }
  lines.push(
    `  time to detect ${g.timeToDetectS === null ? 'not detected (the steady state held)' : `${g.timeToDetectS.toFixed(1)}s`} · ` +
      `time to recover ${g.timeToRecoverS === null ? 'never recovered in the run' : `${g.timeToRecoverS.toFixed(1)}s`}`,
  );
  return lines;
}
