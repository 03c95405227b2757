// The fault proxy: an HTTP reverse proxy on 127.0.0.1 between the load and the target, with
// faults switched on and off while load runs.
//
// Why HTTP and not TCP: the error and abort faults pick single *requests*, which needs request
// boundaries; an HTTP proxy has them for free, and it applies a fault switched on mid-run to the
// next request on connections that are already open (keep-alive clients stay connected; Chaos
// Mesh's HTTPChaos, by contrast, misses connections opened before injection). The network
// faults are done at the same level: latency delays the response, bandwidth paces the body,
// reset sends an RST, blackhole never answers. Toxicity of those is per connection, as in
// Toxiproxy.
//
// Upstreams are balanced per request, round-robin, like an L7 load balancer: a killed replica
// costs the request that found it down a 502, then it is skipped (and re-tried once a second);
// a restarted one gets its share again at once, without waiting for clients to reconnect.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import {
  type ActiveFault,
  LOCAL_FAULT_KINDS,
  type LocalFault,
  type LocalFaultKind,
  type ProxyFault,
  toLocalFault,
  toxicityOf,
  validateFault,
} from './faults.ts';
import { cutBody, pipeBody, resetSocket } from './response.ts';
import { type Upstream, UpstreamList } from './upstreams.ts';

export interface FaultProxyOptions {
  /** Base URLs of the target's replicas, e.g. `http://127.0.0.1:8080`. May be empty at first. */
  upstreams: string[];
  /** Port on 127.0.0.1 (default 0: an ephemeral one). */
  port?: number;
  /** How long an upstream that failed is skipped before it is tried again (default 1000 ms). */
  failTimeoutMs?: number;
  /** Upstream connect timeout (default 2000 ms). */
  connectTimeoutMs?: number;
  /** No response headers (or body progress) from the upstream for this long → 504 (30 s). */
  upstreamTimeoutMs?: number;
  /** Source of randomness for toxicity and jitter (tests pass a seeded one). */
  random?: () => number;
}

export interface ProxyStats {
  /** Client connections accepted. */
  connections: number;
  /** Requests received from clients. */
  requests: number;
  /** Times each fault acted: connections reset, requests held, responses delayed/cut/… */
  faulted: Record<LocalFaultKind, number>;
  /** Upstream failures: refused, reset, timed out (answered 502/504, or cut mid-body). */
  upstreamErrors: number;
}

interface HeldFault extends ActiveFault {
  /** Resolved when the fault is removed (blackholed requests wait on it). */
  gone: Promise<void>;
  release: () => void;
}

/** Per client connection: which connection-level faults picked it (decided once per fault). */
interface ConnState {
  picks: Map<string, boolean>;
}

/** Headers that belong to one hop (plus `expect`, which undici refuses). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);

function forwardHeaders(headers: Record<string, string | string[] | undefined>) {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value !== undefined && !HOP_BY_HOP.has(lower) && !named.includes(lower)) {
      out[name] = value;
    }
  }
  return out;
}

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown }; errors?: { code?: unknown }[] };
  const code = e?.code ?? e?.cause?.code ?? e?.errors?.[0]?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown';
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export class FaultProxy {
  private server: http.Server | undefined;
  private stopping: Promise<void> | undefined;
  private readonly upstreams: UpstreamList;
  private readonly faults = new Map<string, HeldFault>();
  private faultSeq = 0;
  private readonly sockets = new Set<Socket>();
  private readonly conns = new WeakMap<Socket, ConnState>();
  private readonly random: () => number;
  private readonly upstreamTimeoutMs: number;
  private readonly counters = {
    connections: 0,
    requests: 0,
    upstreamErrors: 0,
    faulted: Object.fromEntries(LOCAL_FAULT_KINDS.map((k) => [k, 0])) as Record<
      LocalFaultKind,
      number
    >,
  };

  constructor(private readonly options: FaultProxyOptions) {
    this.upstreams = new UpstreamList(
      options.failTimeoutMs ?? 1000,
      options.connectTimeoutMs ?? 2000,
    );
    this.upstreams.set(options.upstreams);
    this.random = options.random ?? Math.random;
    this.upstreamTimeoutMs = options.upstreamTimeoutMs ?? 30_000;
  }

  /** Listens on 127.0.0.1; resolves with the URL load should go to. */
  async start(): Promise<{ url: string }> {
    if (this.stopping) throw new Error('fault proxy already stopped');
    if (!this.server) {
      const server = http.createServer((req, res) => {
        // A bug here must cost one connection, never the runner's process.
        this.handle(req, res).catch(() => req.socket.destroy());
      });
      server.keepAliveTimeout = 30_000;
      server.on('connection', (socket: Socket) => this.accept(socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.options.port ?? 0, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      this.server = server;
    }
    return { url: this.url() };
  }

  url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('fault proxy is not listening: call start() first');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Closes every connection and upstream pool; held requests are dropped. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const server = this.server;
      // Sockets first, so that released blackholed requests find their client gone.
      for (const socket of this.sockets) socket.destroy();
      this.removeAll();
      if (server) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      }
      await this.upstreams.destroy();
    })();
    return this.stopping;
  }

  /** Switches a fault on; it applies from the next request, on open connections too. */
  inject(fault: LocalFault | ProxyFault): string {
    const local = toLocalFault(fault);
    validateFault(local);
    const id = `${local.kind}-${++this.faultSeq}`;
    let release!: () => void;
    const gone = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.faults.set(id, { id, fault: local, since: Date.now(), gone, release });
    return id;
  }

  /** Switches a fault off (unknown ids are ignored, so removal is idempotent). */
  remove(id: string): void {
    const held = this.faults.get(id);
    if (!held) return;
    this.faults.delete(id);
    held.release();
  }

  removeAll(): void {
    for (const id of [...this.faults.keys()]) this.remove(id);
  }

  active(): ActiveFault[] {
    return [...this.faults.values()].map(({ id, fault, since }) => ({ id, fault, since }));
  }

  stats(): ProxyStats {
    return { ...this.counters, faulted: { ...this.counters.faulted } };
  }

  /** Replaces the upstream list (replicas killed or restarted); kept URLs keep their pools. */
  setUpstreams(urls: string[]): void {
    this.upstreams.set(urls);
  }

  /** Adds an upstream, or marks a known one live again (a restarted replica). */
  addUpstream(url: string): void {
    this.upstreams.add(url);
  }

  removeUpstream(url: string): void {
    this.upstreams.remove(url);
  }

  upstreamUrls(): string[] {
    return this.upstreams.urls();
  }

  private accept(socket: Socket): void {
    this.counters.connections++;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    this.conns.set(socket, { picks: new Map() });
    // A reset fault already held takes new connections as soon as they are accepted.
    if (this.picking(socket, 'reset')) {
      this.counters.faulted.reset++;
      resetSocket(socket);
    }
  }

  /** The first held fault of this kind that picked the connection. */
  private picking(socket: Socket, kind: 'latency' | 'reset' | 'blackhole'): HeldFault | undefined {
    for (const f of this.faults.values()) {
      if (f.fault.kind === kind && this.picks(socket, f)) return f;
    }
    return undefined;
  }

  private picks(socket: Socket, f: HeldFault): boolean {
    let state = this.conns.get(socket);
    if (!state) {
      state = { picks: new Map() };
      this.conns.set(socket, state);
    }
    let picked = state.picks.get(f.id);
    if (picked === undefined) {
      const t = toxicityOf(f.fault);
      picked = t >= 1 || (t > 0 && this.random() < t);
      state.picks.set(f.id, picked);
    }
    return picked;
  }

  /** A request's share faults: the first http-error that draws it, and whether it is cut. */
  private drawRequestFaults(): { error?: HeldFault; abort: boolean } {
    let error: HeldFault | undefined;
    let abort = false;
    for (const f of this.faults.values()) {
      if (f.fault.kind === 'http-error' && !error && this.random() < f.fault.toxicity) error = f;
      if (f.fault.kind === 'http-abort' && !abort && this.random() < f.fault.toxicity) abort = true;
    }
    return error ? { error, abort } : { abort };
  }

  /** Added delay for one response: the latency faults that picked the connection, summed. */
  private drawDelay(socket: Socket): number {
    let delay = 0;
    for (const f of this.faults.values()) {
      if (f.fault.kind !== 'latency' || !this.picks(socket, f)) continue;
      const jitter = f.fault.jitterMs ?? 0;
      delay += f.fault.latencyMs + (jitter > 0 ? (this.random() * 2 - 1) * jitter : 0);
    }
    return Math.max(0, delay);
  }

  /** The lowest held bandwidth, bytes per second (0 when none is held). */
  private bytesPerSecond(): number {
    let rate = 0;
    for (const f of this.faults.values()) {
      if (f.fault.kind !== 'bandwidth') continue;
      const r = f.fault.kbPerSecond * 1000;
      rate = rate === 0 ? r : Math.min(rate, r);
    }
    return rate;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.counters.requests++;
    const socket = req.socket;
    const clientGone = () => res.destroyed || socket.destroyed;

    let hole = this.picking(socket, 'blackhole');
    if (hole) {
      this.counters.faulted.blackhole++;
      const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
      while (hole) {
        await Promise.race([hole.gone, closed]);
        if (clientGone()) return;
        hole = this.picking(socket, 'blackhole');
      }
    }
    if (this.picking(socket, 'reset')) {
      this.counters.faulted.reset++;
      resetSocket(socket);
      return;
    }

    const delayMs = this.drawDelay(socket);
    const { error, abort } = this.drawRequestFaults();
    if (error && error.fault.kind === 'http-error') {
      req.resume();
      if (delayMs > 0) {
        this.counters.faulted.latency++;
        await sleep(delayMs);
        if (clientGone()) return;
      }
      this.counters.faulted['http-error']++;
      const status = error.fault.status;
      sendJson(
        res,
        status,
        { error: 'injected by tiergate fault proxy', fault: error.id, status },
        { 'x-tiergate-fault': error.id },
      );
      return;
    }
    await this.forward(req, res, delayMs, abort);
  }

  private async forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    delayMs: number,
    abort: boolean,
  ): Promise<void> {
    const upstream = this.upstreams.pick();
    if (!upstream) {
      req.resume();
      sendJson(
        res,
        502,
        { error: 'bad gateway: no upstream' },
        { 'x-tiergate-proxy': 'no-upstream' },
      );
      return;
    }
    // A client that leaves aborts the upstream request too.
    const leaving = new AbortController();
    const onClose = () => leaving.abort();
    res.once('close', onClose);
    try {
      const answer = await this.request(req, res, upstream, leaving.signal);
      if (!answer) return;
      if (delayMs > 0) {
        this.counters.faulted.latency++;
        await sleep(delayMs);
      }
      if (res.destroyed) {
        answer.body.destroy();
        return;
      }
      const headers = forwardHeaders(answer.headers);
      if (abort) {
        this.counters.faulted['http-abort']++;
        await this.cut(req, res, answer, headers);
        return;
      }
      res.writeHead(answer.statusCode, headers);
      if (this.bytesPerSecond() > 0) this.counters.faulted.bandwidth++;
      try {
        await pipeBody(answer.body, res, () => this.bytesPerSecond());
      } catch {
        // The upstream broke off mid-body (or the client left): nothing sane to send any more.
        if (!leaving.signal.aborted) this.counters.upstreamErrors++;
        res.destroy();
      }
    } finally {
      res.off('close', onClose);
    }
  }

  /** The upstream's answer, or undefined once a 502/504 has been sent (or the client left). */
  private async request(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    upstream: Upstream,
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData | undefined> {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) req.resume();
    try {
      return await upstream.pool.request({
        method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
        path: req.url ?? '/',
        headers: forwardHeaders(req.headers),
        ...(hasBody ? { body: req } : {}),
        signal,
        headersTimeout: this.upstreamTimeoutMs,
        bodyTimeout: this.upstreamTimeoutMs,
      });
    } catch (err) {
      if (signal.aborted) return undefined;
      this.counters.upstreamErrors++;
      // Refused, reset or silent: skip this upstream for a while, as a load balancer would.
      this.upstreams.markDown(upstream);
      const code = errorCode(err);
      const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT';
      if (!res.headersSent && !res.destroyed) {
        sendJson(
          res,
          timedOut ? 504 : 502,
          { error: `upstream ${upstream.url} failed: ${code}` },
          { 'x-tiergate-proxy': 'upstream-error' },
        );
      }
      return undefined;
    }
  }

  private async cut(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    answer: Dispatcher.ResponseData,
    headers: Record<string, string | string[]>,
  ): Promise<void> {
    const status = answer.statusCode;
    if (req.method === 'HEAD' || status === 204 || status === 304 || status < 200) {
      // No body to cut: the connection closes before the answer instead.
      answer.body.destroy();
      req.socket.destroy();
      return;
    }
    const declared = Number(headers['content-length']);
    // Without a declared length the body goes chunked, so the early end is visible either way.
    if (!(declared > 0)) delete headers['content-length'];
    res.writeHead(status, headers);
    await cutBody(answer.body, res, req.socket, declared > 0 ? declared : undefined);
  }
}
