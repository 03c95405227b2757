// The k6 engine with the real k6 binary against a node:http server on 127.0.0.1.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testK6 } from '../../../test/helpers/k6.ts';
import { startServer, type TestServer } from '../../../test/helpers/servers.ts';
import type { LoadPlan } from '../../../thresholds/model.ts';
import { parseObjective } from '../../../thresholds/objective.ts';
import { planAdhoc } from '../../../thresholds/plan.ts';
import { newHistogram, recordMs, summarize } from '../../timeline/hdr.ts';
import { TimelineStore } from '../../timeline/store.ts';
import type { K6Binary } from './binary.ts';
import { K6Engine, type K6EngineOptions } from './engine.ts';
import { runK6ToStore } from './run-to-store.ts';

let k6: K6Binary;
let server: TestServer | undefined;
let scratch: string;

beforeAll(async () => {
  k6 = await testK6();
  scratch = await mkdtemp(join(tmpdir(), 'tiergate-k6-test-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const run = (plan: LoadPlan, options: K6EngineOptions) => runK6ToStore(k6, plan, options);

/** Every http_req_duration value in k6 JSON files: the truth the merged histogram must equal. */
async function durationsIn(files: string[]): Promise<number[]> {
  const values: number[] = [];
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file) });
    for await (const line of lines) {
      if (!line.startsWith('{"metric":"http_req_duration","type":"Point"')) continue;
      values.push((JSON.parse(line) as { data: { value: number } }).data.value);
    }
  }
  return values;
}

// A spread of response times, so percentiles mean something: 1–9 ms, every 25th 40 ms.
const spread = (i: number) => ({ delayMs: i % 25 === 0 ? 40 : 1 + (i % 9) });

describe('k6 engine (the k6 under test, 127.0.0.1)', () => {
  it('runs 50 req/s for 5 s in one process into the timeline', async () => {
    server = await startServer(spread);
    const plan = planAdhoc({
      url: `${server.url}/`,
      rate: 50,
      durationS: 5,
      objectives: [parseObjective('error_rate < 1%')],
    });
    const { engine, engineRun, whole, store } = await run(plan, { processes: 1 });
    expect(engine.info).toMatchObject({ name: 'k6', version: k6.version, generators: 1 });
    expect(Math.abs(whole.completed - 250) / 250).toBeLessThanOrEqual(0.03);
    expect(whole.errors).toBe(0);
    expect(whole.dropped).toBe(0);
    expect(whole.scheduled).toBe(whole.completed);
    expect(server.received).toBe(whole.completed);
    expect(whole.latency.count).toBe(whole.completed);
    expect(whole.latency.p50).toBeGreaterThan(1);
    expect(whole.latency.max).toBeGreaterThanOrEqual(40);
    expect(whole.serviceTime.p99).toBe(whole.latency.p99);
    expect(whole.sendLag.count).toBe(0);
    // Requests land in the seconds they completed: about 50 in each of the five.
    const seconds = store.buckets().slice(0, 5);
    for (const s of seconds.slice(1, 4)) expect(Math.abs(s.completed - 50)).toBeLessThanOrEqual(3);
    expect(Object.keys(seconds[1]!.byRequest)).toEqual(['GET /']);
    // k6's own verdict, per process, kept beside ours.
    expect(engineRun.ownThresholds()).toEqual([
      { 'http_req_failed: rate<0.01': true, 'dropped_iterations: count<=2': true },
    ]);
  });

  it('splits the plan across 2 processes and merges their histograms, not their percentiles', async () => {
    server = await startServer(spread);
    const plan = planAdhoc({ url: `${server.url}/`, rate: 50, durationS: 5 });
    const raw = [0, 1].map((i) => join(scratch, `raw-${i}.json`));
    const { whole, engineRun } = await run(plan, {
      processes: 2,
      extraArgs: (i) => ['--out', `json=${raw[i]}`],
    });
    // Execution segments split the arrivals: the total is one process's plan.
    expect(Math.abs(whole.completed - 250) / 250).toBeLessThanOrEqual(0.03);
    expect(server.received).toBe(whole.completed);
    expect(whole.errors).toBe(0);
    expect(engineRun.ownThresholds()).toHaveLength(2);
    // The merged p99 is the p99 of one histogram of every sample of both processes.
    const all = await durationsIn(raw);
    expect(all).toHaveLength(whole.completed);
    const truth = newHistogram();
    for (const v of all) recordMs(truth, v);
    const expected = summarize(truth);
    expect(whole.latency.p99).toBe(expected.p99);
    expect(whole.latency.p50).toBe(expected.p50);
    // Adding histograms keeps the max at its bucket's top: equal within HDR's 0.1 %.
    expect(Math.abs(whole.latency.max - expected.max) / expected.max).toBeLessThan(0.001);
  });

  it('stops early on stop(): k6 is interrupted, flushes, and done resolves', async () => {
    server = await startServer();
    const plan = planAdhoc({ url: `${server.url}/`, rate: 40, durationS: 30 });
    const engine = new K6Engine(k6, { processes: 2 });
    const store = new TimelineStore(() => 40);
    const engineRun = await engine.start(plan, (b) => {
      for (const x of b) store.add(x);
    });
    const began = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    engineRun.stop(500);
    await engineRun.done;
    await engineRun.close();
    expect(Date.now() - began).toBeLessThan(6000);
    store.finish();
    const whole = store.stats({ window: 'whole', startS: 0, endS: 60 });
    expect(whole.completed).toBeGreaterThan(60);
    expect(whole.completed).toBeLessThan(120);
    expect(server.received).toBe(whole.completed);
  });

  it('rejects with the k6 exit code when the script fails (107)', async () => {
    const plan = planAdhoc({ url: 'http://127.0.0.1:9/', rate: 10, durationS: 2 });
    plan.journey = { name: 'empty', requests: [] };
    const engine = new K6Engine(k6, { processes: 1 });
    await expect(engine.start(plan, () => undefined)).rejects.toThrow(
      /k6 process 1\/1 exited with code 107 \(script exception\).*journey "empty" has no requests/,
    );
  });
});
