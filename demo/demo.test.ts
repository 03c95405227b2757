import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeArgsFor } from '../core/own-modules.ts';
import { type DemoServer, startDemoServer } from './server.ts';
import { spawnDemo } from './spawn.ts';

const servers: DemoServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startDemoServer>[0]): Promise<DemoServer> {
  const server = await startDemoServer(options);
  servers.push(server);
  return server;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown>;
}

/** The `i`th element of a JSON array. */
function at(value: unknown, i = 0): Record<string, unknown> {
  expect(Array.isArray(value)).toBe(true);
  return (value as Record<string, unknown>[])[i]!;
}

async function call(base: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await request(`${base}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        }),
  });
  const answer: Answer = {
    status: res.statusCode,
    headers: res.headers,
    json: (await res.body.json()) as Record<string, unknown>,
  };
  return answer;
}

/** `n` requests at once; returns their status codes. */
async function burst(base: string, n: number, path = '/products'): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, async () => (await call(base, 'GET', path)).status));
}

const FAST = { serviceTimeMs: 0, jitterMs: 0, capacityRps: 100_000 };

describe('demo routes', () => {
  it('answers every route with its status and body shape', async () => {
    const { url } = await start({ ...FAST, name: 'r1' });

    const health = await call(url, 'GET', '/health');
    expect(health).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(health.headers['content-type']).toBe('application/json');
    expect(health.headers['x-demo-replica']).toBe('r1');

    // ecommerce
    const products = await call(url, 'GET', '/products');
    expect(products.status).toBe(200);
    expect(products.json.products).toHaveLength(20);
    expect(at(products.json.products)).toEqual({
      id: 1,
      name: expect.any(String),
      price: expect.any(Number),
      stock: expect.any(Number),
    });
    expect((await call(url, 'GET', '/products/3')).json.id).toBe(3);
    expect((await call(url, 'GET', '/products/999')).status).toBe(404);

    const cart = await call(url, 'POST', '/cart', { productId: 3, quantity: 2 });
    expect(cart).toMatchObject({
      status: 201,
      json: { cartId: expect.any(String), items: [{ productId: 3, quantity: 2 }] },
    });
    expect((await call(url, 'POST', '/cart', { productId: 3 })).status).toBe(400);
    expect((await call(url, 'POST', '/cart', { productId: 99, quantity: 1 })).status).toBe(400);
    expect((await call(url, 'POST', '/cart', '{not json')).status).toBe(400);

    const items = [
      { productId: 1, quantity: 2 },
      { productId: '2', quantity: 1 },
    ];
    const checkout = await call(url, 'POST', '/checkout', { items });
    expect(checkout.status).toBe(201);
    const p1 = at(products.json.products, 0).price as number;
    const p2 = at(products.json.products, 1).price as number;
    expect(checkout.json).toEqual({
      orderId: expect.any(String),
      total: Math.round((2 * p1 + p2) * 100) / 100,
    });
    expect((await call(url, 'POST', '/checkout', { items: [] })).status).toBe(400);
    const order = await call(url, 'GET', `/orders/${checkout.json.orderId}`);
    expect(order).toMatchObject({
      status: 200,
      json: {
        orderId: checkout.json.orderId,
        total: checkout.json.total,
        items: expect.any(Array),
      },
    });
    expect((await call(url, 'GET', '/orders/ord-424242')).status).toBe(404);

    // zero-world
    const post = await call(url, 'POST', '/api/posts', { text: 'hello' });
    expect(post).toMatchObject({ status: 201, json: { id: expect.any(String), text: 'hello' } });
    const posts = await call(url, 'GET', '/api/posts');
    expect(at(posts.json.posts)).toMatchObject({ id: post.json.id, text: 'hello' });
    expect((await call(url, 'POST', '/api/posts', { text: '' })).status).toBe(400);

    // bookedbarber
    const barbers = await call(url, 'GET', '/api/barbers');
    expect(at(barbers.json.barbers)).toMatchObject({ id: 1, name: expect.any(String) });
    const slots = await call(url, 'GET', '/api/barbers/2/slots');
    expect(slots).toMatchObject({ status: 200, json: { barberId: 2 } });
    expect(at(slots.json.slots)).toEqual({ time: '09:00', available: expect.any(Boolean) });
    expect((await call(url, 'GET', '/api/barbers/99/slots')).status).toBe(404);
    const appt = await call(url, 'POST', '/api/appointments', { barberId: 2, slot: '10:30' });
    expect(appt).toMatchObject({ status: 201, json: { barberId: 2, slot: '10:30' } });
    expect(
      (await call(url, 'POST', '/api/appointments', { barberId: 2, slot: '03:00' })).status,
    ).toBe(400);

    // ai-platform
    const models = await call(url, 'GET', '/api/models');
    expect(at(models.json.models)).toMatchObject({ id: expect.any(String) });
    const gen = await call(url, 'POST', '/api/generate', { prompt: 'hi', maxTokens: 5 });
    expect(gen).toMatchObject({ status: 200, json: { text: expect.any(String), tokens: 5 } });
    expect((await call(url, 'POST', '/api/generate', { maxTokens: 5 })).status).toBe(400);

    // unknown routes, wrong methods, stats
    expect(await call(url, 'GET', '/nope')).toMatchObject({
      status: 404,
      json: { error: expect.any(String) },
    });
    const wrong = await call(url, 'POST', '/products', {});
    expect(wrong).toMatchObject({ status: 405, headers: { allow: 'GET' } });
    const stats = await call(url, 'GET', '/__stats');
    expect(stats.json).toMatchObject({ name: 'r1', orders: 1, concurrency: 1 });
    expect(stats.json.requests).toBeGreaterThan(20);
  });

  it('answers errorRate of the limited requests with 500, within binomial noise', async () => {
    const { url, stats } = await start({ ...FAST, errorRate: 0.3 });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(...(await burst(url, 50)));
    const share = statuses.filter((s) => s === 500).length / statuses.length;
    // sd = sqrt(0.3 × 0.7 / 1000) ≈ 1.45 points: ±5 points is 3.4 sd
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    expect(statuses.every((s) => s === 200 || s === 500)).toBe(true);
    expect(stats().injectedErrors).toBe(statuses.filter((s) => s === 500).length);
  });

  it('keeps health out of errorRate and the capacity limiter', async () => {
    const { url } = await start({
      capacityRps: 1,
      serviceTimeMs: 300,
      jitterMs: 0,
      queueLimit: 0,
      errorRate: 1,
    });
    const limited = burst(url, 3); // 1 in service for 300 ms, 2 refused
    const health = await burst(url, 20, '/health');
    expect(health.every((s) => s === 200)).toBe(true);
    expect((await limited).sort()).toEqual([500, 503, 503]);
  });
});

describe('demo capacity', () => {
  it('serves at most `concurrency` at once, so 40 requests at 100 req/s take 0.4 s', async () => {
    const { url, stats } = await start({ capacityRps: 100, serviceTimeMs: 20, jitterMs: 0 });
    expect(stats().concurrency).toBe(2);
    const t0 = performance.now();
    const statuses = await burst(url, 40);
    const elapsed = performance.now() - t0;
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(2000);
    expect(stats().inServiceHighWater).toBe(2);
    expect(stats().inService).toBe(0);
  });

  it('refuses requests beyond queueLimit at once with 503 and retry-after', async () => {
    const { url, stats } = await start({
      capacityRps: 10,
      serviceTimeMs: 200,
      jitterMs: 0,
      queueLimit: 5,
    });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call(url, 'GET', '/api/models')),
    );
    const refused = answers.filter((a) => a.status === 503);
    // 2 slots + 5 waiting are served; the other 13 are refused
    expect(answers.filter((a) => a.status === 200)).toHaveLength(7);
    expect(refused).toHaveLength(13);
    expect(refused[0]?.headers['retry-after']).toBe('1');
    expect(refused[0]?.json).toMatchObject({ error: expect.any(String) });
    expect(stats()).toMatchObject({ rejected: 13, queuedHighWater: 5, inServiceHighWater: 2 });
  });

  it('honours a capacity below 1000 / service time by holding slots longer', async () => {
    // 1 slot, 5 ms service, 20 req/s: each request holds the slot 50 ms
    const { url } = await start({ capacityRps: 20, serviceTimeMs: 5, jitterMs: 0 });
    const t0 = performance.now();
    await burst(url, 6);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
  });
});

describe('demo options', () => {
  it('throws an error naming the option, the value and the allowed range', async () => {
    await expect(startDemoServer({ capacityRps: 0 })).rejects.toThrow(
      /capacityRps = 0: must be a number > 0/,
    );
    await expect(startDemoServer({ errorRate: 1.5 })).rejects.toThrow(/errorRate = 1.5/);
    await expect(startDemoServer({ queueLimit: 2.5 })).rejects.toThrow(
      /queueLimit = 2.5: must be an integer/,
    );
    await expect(startDemoServer({ name: 'a b' })).rejects.toThrow(/name = "a b"/);
    await expect(spawnDemo({ serviceTimeMs: -1 })).rejects.toThrow(/serviceTimeMs = -1/);
  });
});

describe('demo process', () => {
  it('spawnDemo starts a child that serves, and stop() ends it', async () => {
    const demo = await spawnDemo({ name: 'child-1', capacityRps: 500 });
    try {
      expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await call(demo.url, 'GET', '/health');
      expect(health).toMatchObject({ status: 200, headers: { 'x-demo-replica': 'child-1' } });
      expect((await call(demo.url, 'GET', '/__stats')).json.concurrency).toBe(3);
    } finally {
      await demo.stop();
    }
    expect(demo.child.exitCode).toBe(0);
    expect(() => process.kill(demo.pid, 0)).toThrow(/ESRCH/);
    await demo.stop(); // idempotent
  });

  it('spawnDemo rejects with the child stderr when it exits before listening', async () => {
    const taken = await start(FAST);
    await expect(spawnDemo({ port: taken.port })).rejects.toThrow(
      /demo target did not start: it exited \(code 1\)[\s\S]*EADDRINUSE/,
    );
  });

  it('spawnDemo kills the child when its signal aborts the start-up', async () => {
    const controller = new AbortController();
    const started = spawnDemo({}, { signal: controller.signal });
    controller.abort(new Error('interrupted'));
    await expect(started).rejects.toThrow('interrupted');
  });

  it('main.ts refuses a bad flag with one line on stderr and exit 2', async () => {
    const main = new URL('./main.ts', import.meta.url);
    const child = spawn(
      process.execPath,
      [...nodeArgsFor(main), fileURLToPath(main), '--error-rate', '2'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'demo: --error-rate 2 is invalid: must be a share from 0 to 1 (0.02 = 2 %)\n',
    );
  });
});
