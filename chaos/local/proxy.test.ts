// The fault proxy against a real HTTP server on loopback: each fault's effect as a client sees
// it, faults on connections already open, composition, and what an upstream failure looks like.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type Dispatcher, Pool } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultProxy } from './proxy.ts';

const BIG = 20_000;

/** A small deterministic random source (a linear congruential generator). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

let upstream: http.Server;
let upstreamUrl: string;
let upstreamHits = 0;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    upstreamHits++;
    if (req.url === '/big') {
      res.writeHead(200, { 'content-length': BIG, 'content-type': 'text/plain' });
      res.end('x'.repeat(BIG));
    } else if (req.url === '/chunked') {
      res.write('a'.repeat(5000));
      setTimeout(() => res.end('b'.repeat(5000)), 5);
    } else if (req.method === 'POST') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => res.end(`echo:${body}`));
    } else {
      res.end('ok');
    }
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

let proxy: FaultProxy;
let url: string;
/** One keep-alive connection to the proxy, reused by every request of a test. */
let client: Client;

beforeEach(async () => {
  proxy = new FaultProxy({ upstreams: [upstreamUrl], random: seeded(7) });
  ({ url } = await proxy.start());
  client = new Client(url, { pipelining: 1 });
});

afterEach(async () => {
  await client.destroy();
  await proxy.stop();
});

async function get(
  via: Dispatcher,
  path = '/',
  extra: Partial<Dispatcher.RequestOptions> = {},
): Promise<{ status: number; body: string; ms: number; headers: Record<string, unknown> }> {
  const t0 = performance.now();
  const r = await via.request({ method: 'GET', path, ...extra });
  const body = await r.body.text();
  return { status: r.statusCode, body, ms: performance.now() - t0, headers: r.headers };
}

async function medianMs(n: number, path = '/'): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) ms.push((await get(client, path)).ms);
  ms.sort((a, b) => a - b);
  return ms[Math.floor(n / 2)]!;
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return String((err as { code?: string }).code ?? err);
  }
  return 'no error';
}

describe('FaultProxy', () => {
  it('passes requests and bodies through on one keep-alive connection', async () => {
    for (let i = 0; i < 5; i++) expect((await get(client)).body).toBe('ok');
    const post = await client.request({ method: 'POST', path: '/', body: 'hello' });
    expect(await post.body.text()).toBe('echo:hello');
    expect((await get(client, '/chunked')).body).toHaveLength(10_000);
    expect(proxy.stats()).toMatchObject({ connections: 1, requests: 7, upstreamErrors: 0 });
  });

  it('latency adds the injected delay to each response; removal restores the baseline', async () => {
    const base = await medianMs(15);
    const id = proxy.inject({ kind: 'latency', latencyMs: 100 });
    const slow = await medianMs(15);
    expect(slow - base).toBeGreaterThan(100 - 15);
    expect(slow - base).toBeLessThan(100 + 15);
    proxy.remove(id);
    expect(await medianMs(15)).toBeLessThan(base + 15);
    expect(proxy.stats().faulted.latency).toBe(15);
    expect(proxy.active()).toEqual([]);
  });

  it('jitter spreads the delay uniformly over latency ± jitter', async () => {
    const base = await medianMs(5);
    proxy.inject({ kind: 'latency', latencyMs: 60, jitterMs: 40 });
    const added: number[] = [];
    for (let i = 0; i < 40; i++) added.push((await get(client)).ms - base);
    expect(Math.min(...added)).toBeGreaterThanOrEqual(20 - 2);
    expect(Math.max(...added)).toBeLessThanOrEqual(100 + 15);
    // Spread over the range, not bunched at the middle.
    expect(Math.min(...added)).toBeLessThan(40);
    expect(Math.max(...added)).toBeGreaterThan(80);
  });

  it('http-error answers a share of requests at once, without reaching the upstream', async () => {
    const pool = new Pool(url, { connections: 10 });
    try {
      const id = proxy.inject({ kind: 'http-error', status: 503, toxicity: 0.3 });
      const hitsBefore = upstreamHits;
      const statuses: number[] = [];
      for (let i = 0; i < 50; i++) {
        const batch = await Promise.all(Array.from({ length: 10 }, () => get(pool)));
        statuses.push(...batch.map((r) => r.status));
      }
      const errors = statuses.filter((s) => s === 503).length;
      expect(statuses).toHaveLength(500);
      expect(errors / 500).toBeGreaterThan(0.3 - 0.06);
      expect(errors / 500).toBeLessThan(0.3 + 0.06);
      expect(statuses.filter((s) => s !== 503 && s !== 200)).toEqual([]);
      expect(upstreamHits - hitsBefore).toBe(500 - errors);
      expect(proxy.stats().faulted['http-error']).toBe(errors);
      const one = await (async () => {
        for (;;) {
          const r = await get(pool);
          if (r.status === 503) return r;
        }
      })();
      expect(JSON.parse(one.body)).toMatchObject({ status: 503, fault: id });
      expect(one.headers['x-tiergate-fault']).toBe(id);
    } finally {
      await pool.destroy();
    }
  });

  it('faults compose: latency and http-error together give a late error', async () => {
    const base = await medianMs(5);
    proxy.inject({ kind: 'latency', latencyMs: 80 });
    proxy.inject({ kind: 'http-error', status: 500, toxicity: 1 });
    const r = await get(client);
    expect(r.status).toBe(500);
    expect(r.ms - base).toBeGreaterThan(80 - 15);
    expect(r.ms - base).toBeLessThan(80 + 15);
    expect(proxy.active().map((f) => f.fault.kind)).toEqual(['latency', 'http-error']);
  });

  it('faults switched on apply to a connection that is already open', async () => {
    expect((await get(client)).status).toBe(200);
    const err = proxy.inject({ kind: 'http-error', status: 503, toxicity: 1 });
    expect((await get(client)).status).toBe(503);
    proxy.remove(err);
    const base = await medianMs(5);
    const lat = proxy.inject({ kind: 'latency', latencyMs: 60 });
    expect((await get(client)).ms - base).toBeGreaterThan(60 - 15);
    proxy.remove(lat);
    expect((await get(client)).status).toBe(200);
    expect(proxy.stats().connections).toBe(1);
    // A reset takes the open connection at its next request.
    proxy.inject({ kind: 'reset' });
    expect(await failure(get(client))).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
  });

  it('reset: new connections are accepted, then reset', async () => {
    proxy.inject({ kind: 'reset', toxicity: 1 });
    const fresh = new Client(url);
    try {
      expect(await failure(get(fresh))).toMatch(/ECONNRESET|UND_ERR_SOCKET|EPIPE/);
    } finally {
      await fresh.destroy();
    }
    expect(proxy.stats().faulted.reset).toBeGreaterThanOrEqual(1);
    proxy.removeAll();
    const again = new Client(url);
    try {
      expect((await get(again)).status).toBe(200);
    } finally {
      await again.destroy();
    }
  });

  it('blackhole: no answer (clients time out); held requests go on once it is removed', async () => {
    const id = proxy.inject({ kind: 'blackhole' });
    const hitsBefore = upstreamHits;
    const timedOut = new Client(url, { headersTimeout: 200 });
    try {
      expect(await failure(get(timedOut))).toBe('UND_ERR_HEADERS_TIMEOUT');
    } finally {
      await timedOut.destroy();
    }
    const patient = get(client);
    await sleep(150);
    expect(upstreamHits).toBe(hitsBefore);
    proxy.remove(id);
    const r = await patient;
    expect(r.status).toBe(200);
    expect(r.ms).toBeGreaterThanOrEqual(140);
    expect(upstreamHits).toBe(hitsBefore + 1); // the timed-out request never reached it
  });

  it('http-abort: headers arrive, then the body is cut', async () => {
    proxy.inject({ kind: 'http-abort', toxicity: 1 });
    const fixed = await client.request({ method: 'GET', path: '/big' });
    expect(fixed.statusCode).toBe(200);
    expect(await failure(fixed.body.text())).toMatch(/UND_ERR_SOCKET|ECONNRESET|other side closed/);
    const chunkedClient = new Client(url);
    try {
      const chunked = await chunkedClient.request({ method: 'GET', path: '/chunked' });
      expect(chunked.statusCode).toBe(200);
      expect(await failure(chunked.body.text())).toMatch(/UND_ERR_SOCKET|ECONNRESET|other side/);
      // Even a short body ("ok") is cut: its length is withheld, so the early end shows.
      const short = await chunkedClient.request({ method: 'GET', path: '/' });
      expect(await failure(short.body.text())).not.toBe('no error');
    } finally {
      await chunkedClient.destroy();
    }
    expect(proxy.stats().faulted['http-abort']).toBe(3);
  });

  it('bandwidth throttles the response body; removal lifts it', async () => {
    const fast = await get(client, '/big');
    expect(fast.body).toHaveLength(BIG);
    const id = proxy.inject({ kind: 'bandwidth', kbPerSecond: 100 });
    const slow = await get(client, '/big');
    expect(slow.body).toHaveLength(BIG);
    // 20 000 bytes at 100 000 B/s: 200 ms.
    expect(slow.ms).toBeGreaterThan(170);
    expect(slow.ms).toBeLessThan(320);
    proxy.remove(id);
    expect((await get(client, '/big')).ms).toBeLessThan(fast.ms + 50);
  });

  it('an upstream that refuses connections is answered 502', async () => {
    const dead = http.createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    await new Promise((resolve) => dead.close(resolve));
    proxy.setUpstreams([deadUrl]);
    const r = await get(client);
    expect(r.status).toBe(502);
    expect(r.headers['x-tiergate-proxy']).toBe('upstream-error');
    expect(JSON.parse(r.body).error).toMatch(/ECONNREFUSED/);
    expect(proxy.stats().upstreamErrors).toBe(1);
    proxy.setUpstreams([upstreamUrl]);
    expect((await get(client)).status).toBe(200);
  });

  it('refuses faults it cannot apply; takes a game day fault (share) as toxicity', () => {
    expect(() => proxy.inject({ kind: 'http-error', status: 42, toxicity: 0.5 })).toThrow(/status/);
    expect(() => proxy.inject({ kind: 'reset', toxicity: 1.5 })).toThrow(/toxicity/);
    expect(() => proxy.inject({ kind: 'bandwidth', kbPerSecond: 0 })).toThrow(/kbPerSecond/);
    proxy.inject({ kind: 'http-error', status: 503, share: 0.25 });
    expect(proxy.active()[0]?.fault).toEqual({ kind: 'http-error', status: 503, toxicity: 0.25 });
  });

  it('stop is idempotent and closes open connections', async () => {
    expect((await get(client)).status).toBe(200);
    proxy.inject({ kind: 'blackhole' });
    const held = failure(get(client));
    await sleep(20);
    await Promise.all([proxy.stop(), proxy.stop()]);
    expect(await held).toMatch(/UND_ERR_SOCKET|ECONNRESET/);
    await proxy.stop();
  });
});
