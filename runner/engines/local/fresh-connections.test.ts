// A plan with freshConnections (a game day with Chaos Mesh HTTPChaos, which ignores connections
// opened before its injection): every request arrives on a connection of its own; without it,
// requests share a few kept-alive ones. The k6 options say the same with noConnectionReuse.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { compileOptions } from '../../../scenarios/lib/options.ts';
import { runPlan, whole } from '../../../test/helpers/run-plan.ts';
import { planAdhoc } from '../../../thresholds/plan.ts';

async function countConnections(
  fresh: boolean,
): Promise<{ requests: number; connections: number }> {
  let connections = 0;
  const server = createServer((_req, res) => res.end('ok'));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const plan = planAdhoc({
      url: `http://127.0.0.1:${port}/`,
      rate: 40,
      durationS: 2,
      rampS: 0,
      objectives: [],
    });
    if (fresh) plan.freshConnections = true;
    const run = await runPlan(plan);
    return { requests: whole(run).completed, connections };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('fresh connections', () => {
  it('the local engine opens a connection per request only when the plan asks', async () => {
    const fresh = await countConnections(true);
    expect(fresh.requests).toBeGreaterThanOrEqual(78);
    // One more: the run's reachability check before the load opens its own.
    expect(fresh.connections - fresh.requests).toBeGreaterThanOrEqual(0);
    expect(fresh.connections - fresh.requests).toBeLessThanOrEqual(1);
    const reused = await countConnections(false);
    expect(reused.requests).toBeGreaterThanOrEqual(78);
    expect(reused.connections).toBeLessThan(reused.requests / 4);
  });

  it('k6 is told noConnectionReuse only when the plan asks', () => {
    const plan = planAdhoc({ url: 'http://127.0.0.1:9/', rate: 10, durationS: 5, objectives: [] });
    expect(compileOptions(plan, { abortOnFail: false }).options.noConnectionReuse).toBeUndefined();
    expect(
      compileOptions({ ...plan, freshConnections: true }, { abortOnFail: false }).options
        .noConnectionReuse,
    ).toBe(true);
  });
});
