// A VU's request, performed on the main thread with undici: timings, k6's error codes, the
// expected-status verdict and the http_req_* samples of each request (redirects included).
import { Agent, type Dispatcher, request } from 'undici';
import type { MetricSample } from './output.ts';
import { type HttpRequest, type HttpResponse, nowMs, type Timings } from './protocol.ts';

/** k6's codes for network errors (k6 docs: "Error codes"). */
function errorOf(err: unknown, timedOut: boolean): { code: number; message: string } {
  if (timedOut) return { code: 1050, message: 'request timeout' };
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return { code: 1212, message: 'dial: connection refused' };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 1211, message: 'dial: i/o timeout' };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return { code: 1220, message: 'read: connection reset by peer' };
    case 'EPIPE':
      return { code: 1201, message: 'write: broken pipe' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 1101, message: 'lookup: no such host' };
    case 'ERR_INVALID_URL':
      return { code: 1020, message: 'invalid URL' };
    default:
      return { code: 1000, message: e.message ?? String(err) };
  }
}

export interface RequestContext {
  /** Tags every http sample of this request carries, before filtering (scenario, run tags…). */
  baseTags: Record<string, string>;
  /** Keeps the system tags --system-tags allows, and every user tag. */
  tagsOf(system: Record<string, string>, user: Record<string, string>): Record<string, string>;
  emit(samples: MetricSample[]): void;
  /** Bytes on the wire, roughly (data_sent / data_received of the iteration). */
  bytes(sent: number, received: number): void;
  signal: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class HttpClient {
  private readonly agent: Agent;

  constructor(fresh: boolean) {
    // noConnectionReuse: every request on a new connection.
    this.agent = new Agent({ pipelining: fresh ? 0 : 1, keepAliveTimeout: 30_000 });
  }

  async perform(req: HttpRequest, ctx: RequestContext): Promise<HttpResponse> {
    let url = req.url;
    let method = req.method;
    let body = req.body;
    for (let hop = 0; ; hop++) {
      const res = await this.once({ ...req, url, method, body }, ctx);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || location === undefined || hop >= req.maxRedirects)
        return res;
      url = new URL(location, url).href;
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = null;
      }
    }
  }

  private async once(req: HttpRequest, ctx: RequestContext): Promise<HttpResponse> {
    const started = nowMs();
    let headersAt = started;
    let status = 0;
    let headers: Record<string, string> = {};
    let payload: string | Uint8Array | null = null;
    let failure: { code: number; message: string } | undefined;
    let received = 0;
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, req.timeoutMs);
    const onOuterAbort = () => abort.abort();
    ctx.signal.addEventListener('abort', onOuterAbort, { once: true });
    try {
      const options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Agent } = {
        method: req.method as Dispatcher.HttpMethod,
        headers: { 'User-Agent': 'k6/standin (tiergate tests)', ...req.headers },
        body: req.body ?? null,
        dispatcher: this.agent,
        signal: abort.signal,
      };
      const res = await request(req.url, options);
      headersAt = nowMs();
      status = res.statusCode;
      headers = Object.fromEntries(
        Object.entries(res.headers).map(([k, v]) => [
          k.toLowerCase(),
          Array.isArray(v) ? v.join(', ') : String(v ?? ''),
        ]),
      );
      const bytes = Buffer.from(await res.body.arrayBuffer());
      received =
        bytes.length +
        17 +
        Object.entries(headers).reduce((s, [k, v]) => s + k.length + v.length + 4, 0);
      if (!req.discardBody) payload = req.binary ? new Uint8Array(bytes) : bytes.toString('utf8');
    } catch (err) {
      failure = errorOf(err, timedOut);
      status = 0;
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onOuterAbort);
    }
    const ended = nowMs();
    const sent =
      req.method.length +
      req.url.length +
      12 +
      (typeof req.body === 'string' ? Buffer.byteLength(req.body) : (req.body?.byteLength ?? 0));
    ctx.bytes(sent, received);
    const timings: Timings = {
      duration: ended - started,
      blocked: 0,
      connecting: 0,
      tls_handshaking: 0,
      sending: 0,
      waiting: (failure ? ended : headersAt) - started,
      receiving: failure ? 0 : ended - headersAt,
    };
    const expected =
      failure === undefined && req.expected.some(([lo, hi]) => status >= lo && status <= hi);
    const system: Record<string, string> = {
      ...ctx.baseTags,
      proto: failure ? '' : 'HTTP/1.1',
      status: String(status),
      method: req.method,
      url: req.url,
      name: req.url,
      group: req.group,
      expected_response: String(expected),
      ...(failure ? { error: failure.message, error_code: String(failure.code) } : {}),
    };
    const tags = ctx.tagsOf(system, req.tags);
    const point = (
      metric: string,
      type: MetricSample['type'],
      contains: MetricSample['contains'],
      value: number,
    ): MetricSample => ({
      metric,
      type,
      contains,
      value,
      timeMs: ended,
      tags,
    });
    ctx.emit([
      point('http_reqs', 'counter', 'default', 1),
      point('http_req_duration', 'trend', 'time', timings.duration),
      point('http_req_blocked', 'trend', 'time', timings.blocked),
      point('http_req_connecting', 'trend', 'time', timings.connecting),
      point('http_req_tls_handshaking', 'trend', 'time', timings.tls_handshaking),
      point('http_req_sending', 'trend', 'time', timings.sending),
      point('http_req_waiting', 'trend', 'time', timings.waiting),
      point('http_req_receiving', 'trend', 'time', timings.receiving),
      point('http_req_failed', 'rate', 'default', expected ? 0 : 1),
    ]);
    return {
      url: req.url,
      status,
      proto: failure ? '' : 'HTTP/1.1',
      headers,
      body: payload,
      error: failure?.message ?? '',
      error_code: failure?.code ?? 0,
      timings,
    };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
