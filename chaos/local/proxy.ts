// The fault proxy: an HTTP proxy on 127.0.0.1 between the load and the target. HTTP-level
// (not TCP) so a fault can pick single requests (error status, abort) and so a change applies
// at once to requests on connections that are already open — keep-alive clients never notice a
// reconnect. Upstreams are used round-robin; one that refuses connections is skipped (a load
// balancer's failover), and the request that found it down gets a 502.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { drawFate, type ProxyFault, type RequestFate } from './faults.ts';

/** Headers that belong to one hop and must not be forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

/** An upstream that refused a connection is skipped this long before it is tried again. */
const DOWN_FOR_MS = 1000;

export interface ProxyStats {
  requests: number;
  faulted: Record<string, number>;
  upstreamErrors: number;
}

interface Upstream {
  url: string;
  pool: Pool;
  downUntil: number;
}

function forwardHeaders(
  headers: http.IncomingHttpHeaders | Record<string, string | string[] | undefined>,
) {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

export class FaultProxy {
  private server: http.Server | undefined;
  private upstreams: Upstream[] = [];
  private next = 0;
  private readonly faults = new Map<string, ProxyFault>();
  private faultSeq = 0;
  private readonly held = new Set<http.ServerResponse>();
  private readonly counters: ProxyStats = { requests: 0, faulted: {}, upstreamErrors: 0 };

  constructor(options: { upstreams: string[] }) {
    this.setUpstreams(options.upstreams);
  }

  async start(): Promise<{ url: string }> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.faults.clear();
    for (const res of this.held) res.destroy();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await Promise.all(this.upstreams.map((u) => u.pool.destroy().catch(() => undefined)));
  }

  /** Replaces the upstream list (replicas killed or restarted); pools of kept URLs are reused. */
  setUpstreams(urls: string[]): void {
    const kept = new Map(this.upstreams.map((u) => [u.url, u]));
    const next = urls.map(
      (url) =>
        kept.get(url) ?? {
          url,
          pool: new Pool(url, { connections: 128, pipelining: 1 }),
          downUntil: 0,
        },
    );
    for (const u of this.upstreams)
      if (!urls.includes(u.url)) void u.pool.destroy().catch(() => undefined);
    this.upstreams = next;
  }

  inject(fault: ProxyFault): string {
    const id = `proxy-fault-${++this.faultSeq}`;
    this.faults.set(id, fault);
    return id;
  }

  remove(id: string): void {
    this.faults.delete(id);
    // Requests swallowed by a blackhole stay unanswered until the client gives up; once the
    // blackhole is gone there is nothing to hold them for.
    if (![...this.faults.values()].some((f) => f.kind === 'blackhole')) {
      for (const res of this.held) res.destroy();
      this.held.clear();
    }
  }

  active(): ProxyFault[] {
    return [...this.faults.values()];
  }

  stats(): ProxyStats {
    return { ...this.counters, faulted: { ...this.counters.faulted } };
  }

  private count(kind: string): void {
    this.counters.faulted[kind] = (this.counters.faulted[kind] ?? 0) + 1;
  }

  private pick(): Upstream | undefined {
    const now = Date.now();
    for (let i = 0; i < this.upstreams.length; i++) {
      const u = this.upstreams[(this.next + i) % this.upstreams.length]!;
      if (u.downUntil <= now) {
        this.next = (this.next + i + 1) % this.upstreams.length;
        return u;
      }
    }
    return this.upstreams[this.next++ % Math.max(1, this.upstreams.length)];
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.counters.requests++;
    const fate = drawFate(this.faults.values());
    if (fate.reset) {
      this.count('reset');
      req.socket.resetAndDestroy();
      return;
    }
    if (fate.blackhole) {
      this.count('blackhole');
      req.resume();
      this.held.add(res);
      res.once('close', () => this.held.delete(res));
      return;
    }
    if (fate.delayMs > 0) await sleep(fate.delayMs);
    if (fate.errorStatus !== undefined) {
      this.count('http-error');
      req.resume();
      res.writeHead(fate.errorStatus, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: 'injected by tiergate fault proxy', status: fate.errorStatus }),
      );
      return;
    }
    await this.forward(req, res, fate);
  }

  private async forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    fate: RequestFate,
  ): Promise<void> {
    const upstream = this.pick();
    if (!upstream) {
      req.resume();
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"no upstream"}');
      return;
    }
    try {
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const answer = await upstream.pool.request({
        method: (req.method ?? 'GET') as 'GET',
        path: req.url ?? '/',
        headers: forwardHeaders(req.headers),
        ...(hasBody ? { body: req } : {}),
      });
      if (!hasBody) req.resume();
      res.writeHead(answer.statusCode, forwardHeaders(answer.headers));
      if (fate.abort) {
        this.count('http-abort');
        res.flushHeaders();
        await answer.body.dump();
        res.socket?.resetAndDestroy();
        return;
      }
      await this.pipeBody(answer.body, res, fate.bytesPerSecond);
    } catch (err) {
      this.counters.upstreamErrors++;
      const code = (err as { code?: string }).code;
      if (code === 'ECONNREFUSED' || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') {
        upstream.downUntil = Date.now() + DOWN_FOR_MS;
      }
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'upstream failed', code }));
      } else {
        res.destroy();
      }
    }
  }

  private async pipeBody(
    body: AsyncIterable<Buffer>,
    res: http.ServerResponse,
    bytesPerSecond: number,
  ): Promise<void> {
    if (bytesPerSecond > 0) this.count('bandwidth');
    for await (const chunk of body) {
      if (bytesPerSecond > 0) await sleep((chunk.length / bytesPerSecond) * 1000);
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }
}
