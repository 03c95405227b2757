// Stopping the local engine early (a rollback trigger, Ctrl-C): it finishes even when
// requests are still in flight, for the open and the closed model alike.
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/servers.ts';
import type { LoadShape } from '../../../thresholds/model.ts';
import { planAdhoc } from '../../../thresholds/plan.ts';
import { LocalEngine } from './engine.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const closed: LoadShape = {
  model: 'closed',
  phases: [{ name: 'steady', startS: 0, durationS: 10, fromVus: 4, toVus: 4, steady: true }],
};

describe('local engine stop', () => {
  for (const model of ['open', 'closed'] as const) {
    it(`${model} model: done settles after stop while requests are still in flight`, async () => {
      server = await startServer(() => ({ delayMs: 1500 }));
      const plan = planAdhoc({ url: `${server.url}/`, rate: 20, durationS: 10 });
      if (model === 'closed') plan.shape = closed;
      const run = await new LocalEngine(1).start(plan, () => undefined);
      try {
        await new Promise((r) => setTimeout(r, 400));
        const stoppedAt = performance.now();
        run.stop(100);
        await run.done;
        // In-flight requests are answered 1.5 s after they were sent, at the latest.
        expect(performance.now() - stoppedAt).toBeLessThan(2500);
      } finally {
        await run.close();
      }
    });
  }
});
