// Request deadlines of the local engine: one timer for all in-flight requests, and a deadline
// that also covers the wait for a free connection (no per-request AbortSignal).
import { afterEach, describe, expect, it } from 'vitest';
import { runPlan, whole } from '../../../test/helpers/run-plan.ts';
import { startServer, type TestServer } from '../../../test/helpers/servers.ts';
import { planAdhoc } from '../../../thresholds/plan.ts';
import { Deadlines, type Expiring } from './deadlines.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

class Fake implements Expiring {
  settled = false;
  expiredAt: number | undefined;
  constructor(
    readonly deadlineMs: number,
    private readonly clock: { now: number },
  ) {}
  expire(): void {
    this.settled = true;
    this.expiredAt = this.clock.now;
  }
}

describe('Deadlines', () => {
  it('expires only unsettled requests, oldest first, and forgets settled ones', async () => {
    const clock = { now: 0 };
    const deadlines = new Deadlines<Fake>(() => clock.now);
    const xs = [10, 20, 30].map((d) => new Fake(d, clock));
    for (const x of xs) deadlines.add(x);
    xs[0]!.settled = true;
    deadlines.settled();
    clock.now = 25;
    await new Promise((r) => setTimeout(r, 40));
    expect(xs.map((x) => x.expiredAt)).toEqual([undefined, 25, undefined]);
    deadlines.clear();
  });
});

describe('local engine request deadline', () => {
  it('times out requests on a socket and those queued for one, each at its own deadline', async () => {
    server = await startServer(() => ({ delayMs: 5000 }));
    const plan = planAdhoc({
      url: `${server.url}/`,
      rate: 20,
      durationS: 1,
      generator: { connections: 1, timeoutMs: 300 },
    });
    const started = performance.now();
    const run = await runPlan(plan);
    const w = whole(run);
    expect(w.completed).toBe(20);
    expect(w.errors).toBe(20);
    expect(run.timeline.reduce((s, b) => s + (b.errorKinds.timeout ?? 0), 0)).toBe(20);
    // Every request waited its 300 ms from the send, queued or not, then no longer.
    expect(w.serviceTime.min).toBeGreaterThanOrEqual(299);
    expect(w.serviceTime.max).toBeLessThan(450);
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
