// `tiergate capacity` against the real demo on loopback: the knee found where the demo's
// capacity is, one run folder that gate, report and history read, and a generator that falls
// behind (an in-flight cap that binds first) reported as generator-bound with no knee.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSummarySchema } from '../reports/summary-schema.ts';
import { tiergate } from './helpers/cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tiergate-capacity-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FAST = ['--hold', '4s', '--ramp', '1s', '--recheck', '1s', '--cooldown', '1s'];

describe('tiergate capacity', () => {
  it('finds the knee at the demo capacity, in one run folder that gate, report and history read', async () => {
    const capacity = 200;
    const summary = join(dir, 'knee.json');
    const r = await tiergate(
      [
        'capacity',
        '--target',
        'demo',
        '--demo-capacity',
        String(capacity),
        '--slo',
        'p99<100ms',
        '--from',
        '100',
        '--to',
        '800',
        '--resolution',
        '10%',
        ...FAST,
        '--results-dir',
        dir,
        '--run-id',
        'knee',
        '--summary-json',
        summary,
      ],
      { timeoutMs: 170_000 },
    );
    expect(r.stderr + r.stdout).toContain('Capacity search:');
    const s = RunSummarySchema.parse(JSON.parse(await readFile(summary, 'utf8')));
    const c = s.capacity!;
    // Above capacity the demo queues: latency climbs within a hold, so the break is just past it.
    expect(c.stop).toBe('resolved');
    expect(c.kneeRps).not.toBeNull();
    expect(c.kneeRps!).toBeGreaterThanOrEqual(capacity * 0.85);
    expect(c.kneeRps!).toBeLessThanOrEqual(capacity * 1.1);
    expect(c.breakRps! / c.kneeRps!).toBeLessThanOrEqual(1.1);
    expect(c.brokenBy?.expression).toBe('p99 < 100 ms');
    // Never a knee above a step that broke.
    const broke = c.steps.filter((x) => x.status === 'fail').map((x) => x.rateRps);
    expect(Math.min(...broke)).toBeGreaterThan(c.kneeRps!);
    // A knee measured is exit 0 (an unproven one warns, still 0 without --strict).
    expect(r.code).toBe(0);

    const run = JSON.parse(await readFile(join(dir, 'knee', 'run.json'), 'utf8'));
    expect(run.capacity.steps).toHaveLength(c.steps.length);
    // Every step on one timeline, in the order they ran.
    const starts = run.capacity.steps.map((x: { holdStartS: number }) => x.holdStartS);
    expect([...starts].sort((a: number, b: number) => a - b)).toEqual(starts);
    expect(run.timeline.length).toBeGreaterThanOrEqual(run.capacity.steps.at(-1).endS);

    const gate = await tiergate(['gate', join(dir, 'knee')]);
    expect(gate.code).toBe(0);
    const report = await tiergate(['report', join(dir, 'knee')]);
    expect(report.code).toBe(0);
    const html = await readFile(join(dir, 'knee', 'report.html'), 'utf8');
    expect(html).toContain('id="chart-capacity"');
    expect(html).toContain('id="capacity"');
  }, 200_000);

  it('an in-flight cap that binds first is generator-bound: no knee, exit 4', async () => {
    const summary = join(dir, 'bound.json');
    const r = await tiergate(
      [
        'capacity',
        '--target',
        'demo',
        '--demo-service-time',
        '40',
        '--max-in-flight',
        '6',
        '--slo',
        'p99<2s',
        '--from',
        '50',
        '--to',
        '400',
        ...FAST,
        '--results-dir',
        dir,
        '--summary-json',
        summary,
      ],
      { timeoutMs: 110_000 },
    );
    const s = RunSummarySchema.parse(JSON.parse(await readFile(summary, 'utf8')));
    const c = s.capacity!;
    expect(c.stop).toBe('generator-bound');
    expect(c.kneeRps).toBeNull();
    expect(c.steps.at(-1)!.status).toBe('generator-bound');
    expect(c.steps.at(-1)!.dropped).toBeGreaterThan(0);
    expect(r.stdout + r.stderr).toMatch(
      /generator-bound at \d+ req\/s: add --workers or use --engine k6-operator/,
    );
    expect(r.code).toBe(4);
  }, 130_000);
});
