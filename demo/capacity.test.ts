import { describe, expect, it } from 'vitest';
import { CapacityLimiter } from './capacity.ts';
import { capacityModel, resolveDemoOptions } from './options.ts';
import { Ring } from './ring.ts';

describe('CapacityLimiter', () => {
  it('serves waiters first in, first out, and refuses beyond the queue limit', async () => {
    const limiter = new CapacityLimiter({ concurrency: 1, queueLimit: 2 });
    const order: string[] = [];
    const runs = ['a', 'b', 'c', 'd'].map((id) =>
      limiter.serve(10).then((outcome) => order.push(`${id}:${outcome}`)),
    );
    expect(limiter.inService).toBe(1);
    expect(limiter.queued).toBe(2);
    await Promise.all(runs);
    expect(order).toEqual(['d:rejected', 'a:served', 'b:served', 'c:served']);
    expect(limiter.inService).toBe(0);
    expect(limiter.inServiceHighWater).toBe(1);
    expect(limiter.queuedHighWater).toBe(2);
  });

  it('close() refuses the waiting and later requests but lets those in service finish', async () => {
    const limiter = new CapacityLimiter({ concurrency: 1, queueLimit: 10 });
    const first = limiter.serve(20);
    const second = limiter.serve(20);
    limiter.close();
    expect(await second).toBe('rejected');
    expect(await limiter.serve(1)).toBe('rejected');
    expect(await first).toBe('served');
  });

  it('answers after the service time but holds the slot for holdMs', async () => {
    const limiter = new CapacityLimiter({ concurrency: 1, queueLimit: 10 });
    const t0 = performance.now();
    await limiter.serve(5, 60);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(limiter.inService).toBe(1);
    await limiter.serve(5, 60);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(59);
  });
});

describe('capacityModel', () => {
  const model = (o: object) => capacityModel(resolveDemoOptions(o));

  it('derives slots from capacity × mean service time', () => {
    const exact = model({ capacityRps: 100, serviceTimeMs: 20, jitterMs: 0 });
    expect(exact.concurrency).toBe(2);
    expect(exact.holdMs(20)).toBeCloseTo(20);
    expect(model({}).concurrency).toBe(12); // 2000 req/s × (5 + 2 / 2) ms
    expect(model({}).holdMs(6)).toBeCloseTo(6);
  });

  it('stretches holds when concurrency was rounded up, so the rate stays exact', () => {
    const low = model({ capacityRps: 15, serviceTimeMs: 5, jitterMs: 0 });
    expect(low.concurrency).toBe(1);
    expect(low.holdMs(5)).toBeCloseTo(1000 / 15);
    expect(low.holdMs(15)).toBeCloseTo(3000 / 15); // checkout holds 3 × as long
    const zero = model({ capacityRps: 500, serviceTimeMs: 0, jitterMs: 0 });
    expect(zero.holdMs(0)).toBeCloseTo(2);
  });
});

describe('Ring', () => {
  it('keeps the last `capacity` items by sequence number', () => {
    const ring = new Ring<string>(3);
    for (let i = 0; i < 5; i++) ring.push((seq) => `item-${seq}`);
    expect(ring.total).toBe(5);
    expect(ring.size).toBe(3);
    expect(ring.get(2)).toBeUndefined();
    expect(ring.get(3)).toBe('item-3');
    expect(ring.get(6)).toBeUndefined();
    expect(ring.latest(10)).toEqual(['item-5', 'item-4', 'item-3']);
  });
});
