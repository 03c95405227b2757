// The local engine against real loopback servers: the measurement rules of DESIGN.md.
import { afterEach, describe, expect, it } from 'vitest';
import { runPlan, whole } from '../../../test/helpers/run-plan.ts';
import {
  exactPercentile,
  stallEvery,
  startServer,
  type TestServer,
} from '../../../test/helpers/servers.ts';
import { parseObjective } from '../../../thresholds/objective.ts';
import { planAdhoc } from '../../../thresholds/plan.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('local engine (open model, real HTTP on 127.0.0.1)', () => {
  it('achieves a ramped arrival rate within 2 % on an idle server', async () => {
    server = await startServer();
    const plan = planAdhoc({ url: `${server.url}/`, rate: 400, durationS: 5, rampS: 2 });
    const run = await runPlan(plan);
    const steady = run.stats.find((s) => s.window === 'steady' && s.request === undefined)!;
    const achieved = steady.completed / (steady.endS - steady.startS);
    expect(Math.abs(achieved - 400) / 400).toBeLessThan(0.02);
    // Planned arrivals over ramp (2 s × 200 avg) + steady (5 s × 400): all sent, none dropped.
    expect(whole(run).scheduled).toBe(2400);
    expect(whole(run).dropped).toBe(0);
    expect(server.received).toBe(2400);
  });

  it('measures latency from the intended send time: a 500 ms stall every 2 s shows in p99', async () => {
    server = await startServer(stallEvery(2000, 500));
    const plan = planAdhoc({
      url: `${server.url}/`,
      rate: 100,
      durationS: 6,
      generator: { connections: 8 },
    });
    const run = await runPlan(plan);
    const w = whole(run);
    // A quarter of the time every response waits up to 500 ms; with only 8 connections the
    // requests behind them queue too: p99 from intended time must show the stall.
    expect(w.latency.p99).toBeGreaterThanOrEqual(400);
    expect(w.latency.p50).toBeGreaterThan(0);
    expect(w.dropped).toBe(0);
  });

  it('reports the percentiles of a known delay distribution within histogram precision', async () => {
    // 80 % at 5 ms, 15 % at 40 ms, 5 % at 120 ms, in a fixed repeating order.
    const delays = (i: number) => {
      const r = i % 20;
      return r === 0 ? 120 : r < 4 ? 40 : 5;
    };
    server = await startServer((i) => ({ delayMs: delays(i) }));
    const plan = planAdhoc({ url: `${server.url}/`, rate: 200, durationS: 5 });
    const run = await runPlan(plan);
    const w = whole(run);
    for (const p of [50, 95, 99] as const) {
      const truth = exactPercentile(server.holdMs, p);
      const reported = w.serviceTime[`p${p}`];
      // HDR precision is 0.1 % below; above, the loopback round trip and the event loops of a
      // busy 2-core machine add a few ms — far less than the 35 ms between delay classes, so
      // each percentile must land in its true class.
      expect(reported).toBeGreaterThanOrEqual(truth * 0.999);
      expect(reported - truth).toBeLessThan(15);
    }
  });

  it('counts a known share of 500s as errors, with their class', async () => {
    server = await startServer((i) => ({ delayMs: 0, status: i % 10 === 3 ? 500 : 200 }));
    const plan = planAdhoc({
      url: `${server.url}/`,
      rate: 200,
      durationS: 3,
      objectives: [parseObjective('error_rate < 5%')],
    });
    const run = await runPlan(plan);
    const w = whole(run);
    expect(w.completed).toBe(600);
    expect(w.errors).toBe(60);
    expect(run.timeline.reduce((s, b) => s + (b.errorKinds.http_500 ?? 0), 0)).toBe(60);
    expect(run.verdict.status).toBe('fail');
    expect(run.verdict.objectives[0]!.observed).toBeCloseTo(0.1, 6);
    expect(run.exitCode).toBe(1);
  });

  it('counts arrivals beyond the in-flight cap as dropped and calls the run inconclusive', async () => {
    server = await startServer(() => ({ delayMs: 1000 }));
    const plan = planAdhoc({
      url: `${server.url}/`,
      rate: 100,
      durationS: 2,
      generator: { maxInFlight: 20, connections: 20 },
    });
    const run = await runPlan(plan);
    const w = whole(run);
    expect(w.scheduled).toBe(200);
    expect(w.dropped).toBeGreaterThan(100);
    expect(w.dropped + w.completed).toBe(200);
    expect(run.verdict.status).toBe('inconclusive');
    expect(run.verdict.inconclusiveReasons.join(' ')).toMatch(/could not be sent on time/);
    expect(run.exitCode).toBe(4);
  });

  it('runs closed-model VUs that loop: throughput follows VUs / service time', async () => {
    server = await startServer(() => ({ delayMs: 20 }));
    const plan = planAdhoc({ url: `${server.url}/`, rate: 1, durationS: 3 });
    plan.shape = {
      model: 'closed',
      phases: [{ name: 'steady', startS: 0, durationS: 3, fromVus: 4, toVus: 4, steady: true }],
    };
    const run = await runPlan(plan);
    const w = whole(run);
    // 4 VUs × 3 s / ~21 ms per loop ≈ 570 requests; no arrivals are scheduled, so none drop.
    expect(w.completed).toBeGreaterThan(450);
    expect(w.completed).toBeLessThan(610);
    expect(w.dropped).toBe(0);
    expect(w.latency.p50).toBeGreaterThanOrEqual(20);
  });
});
