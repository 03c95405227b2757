// The demo target: a small order-processing service on bare node:http (cheap, so it leaves the
// CPU to the load generator) whose capacity, latency and error rate are set by options.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CapacityLimiter } from './capacity.ts';
import { capacityModel, type DemoOptions, resolveDemoOptions } from './options.ts';
import { type Cost, type Reply, Router } from './router.ts';
import { createRoutes } from './routes.ts';

export { DEMO_DEFAULTS, DemoOptionError, type DemoOptions } from './options.ts';

export interface DemoStats {
  name: string;
  uptimeMs: number;
  /** Requests answered, every route included. */
  requests: number;
  /** Answers by status code. */
  byStatus: Record<string, number>;
  /** 503s: refused because the wait queue was full. */
  rejected: number;
  /** 500s drawn by `errorRate`. */
  injectedErrors: number;
  /** Orders taken by `POST /checkout`. */
  orders: number;
  concurrency: number;
  queueLimit: number;
  inService: number;
  /** The most requests ever in service at once (never above `concurrency`). */
  inServiceHighWater: number;
  queued: number;
  queuedHighWater: number;
}

export interface DemoServer {
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): DemoStats;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** How long close() lets requests in flight finish before cutting their connections. */
const CLOSE_GRACE_MS = 1000;

export async function startDemoServer(options: Partial<DemoOptions> = {}): Promise<DemoServer> {
  const o = resolveDemoOptions(options);
  const model = capacityModel(o);
  const { concurrency } = model;
  const limiter = new CapacityLimiter({ concurrency, queueLimit: o.queueLimit });
  const startedAt = performance.now();
  const counts = { requests: 0, rejected: 0, injectedErrors: 0 };
  const byStatus: Record<string, number> = {};

  const stats = (): DemoStats => ({
    name: o.name,
    uptimeMs: Math.round(performance.now() - startedAt),
    ...counts,
    byStatus: { ...byStatus },
    orders: orderCount(),
    concurrency,
    queueLimit: o.queueLimit,
    inService: limiter.inService,
    inServiceHighWater: limiter.inServiceHighWater,
    queued: limiter.queued,
    queuedHighWater: limiter.queuedHighWater,
  });
  const { routes, orderCount } = createRoutes({ stats });
  const router = new Router(routes);

  const serviceMs = (cost: Exclude<Cost, 'free'>): number => {
    const base =
      cost === 'checkout'
        ? o.checkoutTimeMs
        : cost === 'generate'
          ? 4 * o.serviceTimeMs
          : o.serviceTimeMs;
    return base + Math.random() * o.jitterMs;
  };

  const send = (
    res: ServerResponse,
    reply: Reply,
    headers: Record<string, string | number> = {},
  ): void => {
    counts.requests += 1;
    byStatus[reply.status] = (byStatus[reply.status] ?? 0) + 1;
    if (res.destroyed) return; // the client went away while its request waited
    const payload = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      'x-demo-replica': o.name,
      ...headers,
    });
    res.end(payload);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const match = router.match(req.method ?? 'GET', pathname);
    const raw = await readBody(req);
    if (match.kind === 'none') {
      return send(res, { status: 404, body: { error: `no route ${req.method} ${pathname}` } });
    }
    if (match.kind === 'method') {
      const reply = { status: 405, body: { error: `${req.method} not allowed on ${pathname}` } };
      return send(res, reply, { allow: match.allow.join(', ') });
    }
    if (raw === undefined) {
      return send(res, { status: 413, body: { error: `body over ${MAX_BODY_BYTES} bytes` } });
    }
    const { route, params } = match;
    if (route.cost !== 'free') {
      const service = serviceMs(route.cost);
      if ((await limiter.serve(service, model.holdMs(service))) === 'rejected') {
        counts.rejected += 1;
        const body = { error: 'over capacity, retry later', replica: o.name };
        return send(res, { status: 503, body }, { 'retry-after': 1 });
      }
      if (Math.random() < o.errorRate) {
        counts.injectedErrors += 1;
        return send(res, { status: 500, body: { error: 'injected error', replica: o.name } });
      }
    }
    let body: unknown;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, { status: 400, body: { error: 'body is not valid JSON' } });
      }
    }
    send(res, route.handle({ params, body }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (req.destroyed || res.destroyed) return; // the client aborted mid-request
      process.stderr.write(`demo ${o.name}: ${req.method} ${req.url} failed: ${String(err)}\n`);
      if (!res.headersSent) send(res, { status: 500, body: { error: 'internal error' } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => process.stderr.write(`demo ${o.name}: ${String(err)}\n`));
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      limiter.close();
      const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return { url: `http://${urlHost(o.host)}:${port}`, port, close, stats };
}

/** The body as text, or undefined when it is over the limit (it is still read to the end). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/** The host as clients write it in a URL: wildcard binds are reached on loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
