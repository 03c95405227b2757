// One request of a journey over an undici pool, with its outcome classified (never thrown).
// Hot path: a request is one Exchange object handed to `pool.dispatch` — no promise, response
// stream, parsed header object, AbortSignal or timer per request. The body is read and dropped.
import type { Dispatcher, Pool } from 'undici';
import type { RequestSpec } from '../../../thresholds/model.ts';
import type { Expiring } from './deadlines.ts';

/** A request prepared once, so the hot path only dispatches it. */
export interface PreparedRequest {
  name: string;
  options: Dispatcher.DispatchOptions;
  expect: ReadonlySet<number> | undefined;
}

/** `fresh`: the connection closes after the response, so every request opens a new one. */
export function prepareRequest(spec: RequestSpec, fresh = false): PreparedRequest {
  const headers: Record<string, string> = { ...spec.headers };
  let body: Buffer | undefined;
  if (spec.body !== undefined) {
    body = Buffer.from(typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  // One options object, reused by every dispatch of this request (undici does not change it).
  const options: Dispatcher.DispatchOptions = {
    path: spec.path,
    method: spec.method,
    headers,
  };
  if (body !== undefined) options.body = body;
  if (fresh) options.reset = true;
  return {
    name: spec.name,
    options,
    expect: spec.expectStatus ? new Set(spec.expectStatus) : undefined,
  };
}

function statusOk(status: number, expect: ReadonlySet<number> | undefined): boolean {
  return expect ? expect.has(status) : status >= 200 && status < 400;
}

/** Error classes shown in reports: `http_503`, `timeout`, `econnrefused`, `econnreset`, … */
export function classifyError(err: unknown): string {
  if ((err as { name?: string } | undefined)?.name === 'TimeoutError') return 'timeout';
  const code = (err as { code?: string } | undefined)?.code ?? '';
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_ABORTED':
      return 'timeout';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect_timeout';
    case 'ECONNREFUSED':
      return 'econnrefused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'econnreset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    default:
      return code ? code.toLowerCase() : 'network';
  }
}

/** Told once when an exchange settles: `errorKind` is undefined on success. */
export interface ExchangeOwner {
  settle(x: Exchange, errorKind: string | undefined): void;
}

/**
 * One request in flight, as undici's dispatch handler. It uses the raw handler callbacks
 * (onConnect/onHeaders/onData/onComplete/onError): undici 7 calls them directly, while the
 * newer controller-style API wraps every request in two more objects and parses its headers.
 * The deadline covers the wait for a free connection too: a request that expires while queued
 * is settled as a timeout at once and aborted when undici would have sent it.
 */
export class Exchange implements Dispatcher.DispatchHandler, Expiring {
  settled = false;
  private status = 0;
  private abortSocket: ((err?: Error) => void) | undefined;

  constructor(
    private readonly owner: ExchangeOwner,
    readonly req: PreparedRequest,
    readonly intendedMs: number,
    readonly sentMs: number,
    readonly deadlineMs: number,
    /** Called after settling (a closed-model VU's next iteration). */
    readonly then: (() => void) | undefined,
  ) {}

  send(pool: Pool): void {
    pool.dispatch(this.req.options, this);
  }

  expire(): void {
    if (this.settled) return;
    const abort = this.abortSocket;
    this.finish('timeout');
    // On a socket already: free it (undici then reports an abort, ignored once settled).
    abort?.();
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.settled) abort();
    else this.abortSocket = abort;
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }

  onData(): boolean {
    return true;
  }

  onComplete(): void {
    this.finish(statusOk(this.status, this.req.expect) ? undefined : `http_${this.status}`);
  }

  onError(err: Error): void {
    this.finish(classifyError(err));
  }

  private finish(errorKind: string | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.abortSocket = undefined;
    this.owner.settle(this, errorKind);
  }
}
