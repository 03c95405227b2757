// Game-day windows account for every scheduled request: each counts in the window (or the
// reported gap) of its intended send time, so the requests a frozen replica holds until the
// thaw, or the errors of a killed one, are judged in the chaos window that caused them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plannedArrivals } from '../thresholds/plan.ts';
import type { RunResult } from '../thresholds/result.ts';
import { tiergate } from './helpers/cli.ts';

interface Part {
  name: string;
  scheduled: number;
  completed: number;
  errors: number;
  dropped: number;
  latency: { count: number; max: number; p99: number };
}

async function gameDay(fault: string, runId: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tiergate-windows-'));
  const results = join(dir, 'results');
  const r = await tiergate(
    [
      'gameday',
      '--roadmap',
      'ecommerce',
      '--tier',
      '10k',
      '--target',
      'demo',
      '--fault',
      fault,
      '--rate',
      '20',
      '--steady',
      '5s',
      '--hold',
      '5s',
      '--recovery',
      '6s',
      '--results-dir',
      results,
      '--run-id',
      runId,
    ],
    { cwd: dir },
  );
  const run = JSON.parse(readFileSync(join(results, runId, 'run.json'), 'utf8')) as RunResult;
  return { r, run };
}

/** The run's windows other than `whole`, and its reported gaps: together they must tile it. */
function parts(run: RunResult): Part[] {
  const windows = run.stats
    .filter((s) => s.request === undefined && s.window !== 'whole')
    .map((s) => ({ ...s, name: s.window }));
  const gaps = (run.gaps ?? []).map((g) => ({ ...g, name: `gap ${g.name}` }));
  return [...windows, ...gaps];
}

const sum = (ps: Part[], key: 'scheduled' | 'completed' | 'errors' | 'dropped') =>
  ps.reduce((n, p) => n + p[key], 0);

function expectEveryRequestAccounted(run: RunResult): void {
  const whole = run.stats.find((s) => s.window === 'whole' && s.request === undefined)!;
  const ps = parts(run);
  // What the plan scheduled is what the timeline holds, and what the whole window counts.
  const { shape } = run.plan;
  if (shape.model !== 'open') throw new Error('a game day runs the open model');
  const planned = plannedArrivals(shape.phases, 0, run.plan.durationS);
  expect(Math.abs(whole.scheduled - planned)).toBeLessThanOrEqual(1);
  expect(run.timeline.reduce((n, b) => n + b.sent + b.dropped, 0)).toBe(whole.scheduled);
  // Every sent request completed (answered, failed or timed out) in the second it was sent.
  expect(whole.completed + whole.dropped).toBe(whole.scheduled);
  for (const b of run.timeline) expect(b.completed, `second ${b.t}`).toBe(b.sent);
  // The windows and gaps tile the run: each request is in exactly one of them.
  for (const key of ['scheduled', 'completed', 'errors', 'dropped'] as const) {
    expect(sum(ps, key), key).toBe(whole[key]);
  }
  // The slowest request of the run is in one of them, not lost between them.
  expect(Math.max(...ps.map((p) => p.latency.max))).toBe(whole.latency.max);
}

describe('game-day windows', () => {
  it('replica-pause: the frozen replica’s requests count in the chaos window', async () => {
    const { r, run } = await gameDay('replica-pause', 'pause');
    expectEveryRequestAccounted(run);
    const chaos = run.stats.find((s) => s.window === 'chaos' && s.request === undefined)!;
    // Requests stuck on the frozen replica waited for the thaw, up to the hold of 5 s.
    expect(chaos.latency.max).toBeGreaterThan(3000);
    const p99 = run.verdict.objectives.find(
      (v) => v.window === 'chaos' && /p99/.test(v.expression),
    );
    if (p99) expect(p99.status).toBe('fail');
    // Failed, or inconclusive when the shared machine made the generator fall behind.
    expect([1, 4]).toContain(r.code);
  });

  it('pod-kill: every error of the killed replica is in a window or a reported gap', async () => {
    const { r, run } = await gameDay('pod-kill', 'kill');
    expectEveryRequestAccounted(run);
    const chaos = run.stats.find((s) => s.window === 'chaos' && s.request === undefined)!;
    expect(chaos.errors).toBeGreaterThan(0);
    for (const g of run.gaps ?? []) if (g.scheduled > 0) expect(r.stdout).toContain(g.name);
  });
});
