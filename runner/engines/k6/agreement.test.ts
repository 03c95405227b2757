// The k6 engine's figures against k6's own: the same run, our timeline vs k6's end-of-test
// summary; and the same plan on 1 and 3 processes giving one global answer.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testK6 } from '../../../test/helpers/k6.ts';
import { startServer, type TestServer } from '../../../test/helpers/servers.ts';
import type { LoadPlan } from '../../../thresholds/model.ts';
import { planAdhoc } from '../../../thresholds/plan.ts';
import type { K6Binary } from './binary.ts';
import type { K6EngineOptions } from './engine.ts';
import { runK6ToStore } from './run-to-store.ts';

let k6: K6Binary;
let server: TestServer | undefined;
let scratch: string;

beforeAll(async () => {
  k6 = await testK6();
  scratch = await mkdtemp(join(tmpdir(), 'tiergate-k6-agree-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const runK6 = async (plan: LoadPlan, options: K6EngineOptions) =>
  (await runK6ToStore(k6, plan, options)).whole;

// Deterministic response times, 2–20 ms in a fixed cycle: percentiles are well defined.
const cycle = (i: number) => ({ delayMs: 2 + (i % 10) * 2 });

describe('k6 engine agreement with k6 itself', () => {
  it("one process: request count and p95 equal k6's own end-of-test summary", async () => {
    server = await startServer(cycle);
    const plan = planAdhoc({ url: `${server.url}/`, rate: 80, durationS: 4 });
    const exported = join(scratch, 'summary.json');
    const whole = await runK6(plan, {
      processes: 1,
      extraArgs: () => [`--summary-export=${exported}`],
    });
    const summary = JSON.parse(await readFile(exported, 'utf8')) as {
      metrics: { http_reqs: { count: number }; http_req_duration: { 'p(95)': number } };
    };
    expect(whole.completed).toBe(summary.metrics.http_reqs.count);
    // HDR keeps 3 significant digits: p95 agrees within 0.1 % (plus a rank step of 1 ms at most,
    // since k6 interpolates between samples and HDR reports a recorded value).
    const k6P95 = summary.metrics.http_req_duration['p(95)'];
    expect(Math.abs(whole.latency.p95 - k6P95)).toBeLessThanOrEqual(k6P95 * 0.001 + 1);
  });

  it('1 and 3 processes: the same total count (±1 %) and the same global p99', async () => {
    // Slower steps (10–100 ms) so a busy 2-core machine's client overhead stays small beside them.
    server = await startServer((i) => ({ delayMs: 10 + (i % 10) * 10 }));
    const plan = planAdhoc({ url: `${server.url}/`, rate: 90, durationS: 4 });
    const one = await runK6(plan, { processes: 1 });
    const three = await runK6(plan, { processes: 3 });
    expect(Math.abs(three.completed - one.completed) / one.completed).toBeLessThanOrEqual(0.01);
    expect(three.errors).toBe(0);
    // The cycle fixes the distribution: merged histograms give the same p99 as one process
    // (averaging three per-process p99s would not be guaranteed to).
    expect(Math.abs(three.latency.p99 - one.latency.p99)).toBeLessThanOrEqual(
      one.latency.p99 * 0.03 + 2,
    );
  });
});
