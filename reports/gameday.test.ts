// Windows and the gaps between them in the reports: every request of the run is shown once,
// in a window or in a named gap, and an engine that cannot place requests exactly says so.
import { describe, expect, it } from 'vitest';
import { gapStats, windowStats } from '../runner/run/evaluate.ts';
import { TimelineStore } from '../runner/timeline/store.ts';
import type { RunResult } from '../thresholds/result.ts';
import { makeRun } from './fixtures.ts';
import { gameDayLines } from './gameday.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { renderRunFooter } from './terminal.ts';

/** The fixture run re-cut at `windows`, with its stats and gaps as a run computes them. */
function recut(run: RunResult, windows: RunResult['windows']): RunResult {
  const store = TimelineStore.fromBuckets(run.timeline);
  return {
    ...run,
    windows,
    stats: windowStats(store, windows, ['checkout', 'browse']),
    gaps: gapStats(store, windows),
  };
}

describe('gaps in the reports', () => {
  it('shows the ramps outside the steady window of a plain run, and their counts add up', () => {
    const run = recut(makeRun({ seconds: 10 }), {
      whole: { startS: 0, endS: 10 },
      steady: { startS: 2, endS: 8 },
    });
    expect(run.gaps!.map((g) => [g.name, g.startS, g.endS])).toEqual([
      ['before steady', 0, 2],
      ['after steady', 8, 10],
    ]);
    const whole = run.stats.find((s) => s.window === 'whole' && !s.request)!;
    const steady = run.stats.find((s) => s.window === 'steady' && !s.request)!;
    const inGaps = run.gaps!.reduce((n, g) => n + g.scheduled, 0);
    expect(steady.scheduled + inGaps).toBe(whole.scheduled);
    const footer = renderRunFooter(run, { color: false });
    expect(footer).toMatch(
      new RegExp(`gap +gap before steady 0\\.0s–2\\.0s: ${run.gaps![0]!.scheduled} requests, `),
    );
    expect(footer).toContain('gap after steady 8.0s–10.0s');
    expect(renderMarkdown(run)).toContain('**Outside the windows**: gap before steady');
    expect(renderHtml(run)).toContain('<li>gap before steady 0.0s–2.0s: ');
  });

  it('lists a game day’s windows and gaps in time order, with k6-operator’s edge caveat', () => {
    const plain = recut(makeRun({ seconds: 12 }), {
      whole: { startS: 0, endS: 12 },
      steady: { startS: 0, endS: 4 },
      chaos: { startS: 5, endS: 8 },
      recovery: { startS: 8, endS: 12 },
    });
    const run: RunResult = {
      ...plain,
      engine: { ...plain.engine, name: 'k6-operator' },
      gameDay: {
        id: 'pod-kill',
        name: 'Kill a pod',
        driver: 'chaos-mesh',
        faults: [{ id: 'f', kind: 'kill-replica', injectedAtS: 5, removedAtS: 8, recovered: true }],
        timeToDetectS: 0,
        timeToRecoverS: 1,
        verdict: 'pass',
      },
    };
    const lines = gameDayLines(run);
    const order = lines
      .map((l) => /^ {2}(steady|chaos|recovery|gap \S+)/.exec(l)?.[1])
      .filter((x) => x !== undefined);
    expect(order).toEqual(['steady', 'gap steady→chaos', 'chaos', 'recovery']);
    expect(lines.join('\n')).toMatch(/window edges: k6-operator .* counts at the push/);
    const gap = run.gaps![0]!;
    expect(lines.join('\n')).toContain(`gap steady→chaos 4.0s–5.0s: ${gap.scheduled} requests`);
  });
});
