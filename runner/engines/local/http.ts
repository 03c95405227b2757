// One request of a journey over an undici pool, with its outcome classified (never thrown).
import type { Dispatcher, Pool } from 'undici';
import type { RequestSpec } from '../../../thresholds/model.ts';

/** A request prepared once, so the hot path only dispatches it. */
export interface PreparedRequest {
  name: string;
  options: Dispatcher.RequestOptions;
  expect: ReadonlySet<number> | undefined;
}

export function prepareRequest(spec: RequestSpec, timeoutMs: number): PreparedRequest {
  const headers: Record<string, string> = { ...spec.headers };
  let body: string | undefined;
  if (spec.body !== undefined) {
    body = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  const options: Dispatcher.RequestOptions = {
    path: spec.path,
    method: spec.method,
    headers,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  if (body !== undefined) options.body = body;
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

/**
 * Sends the request and consumes the whole body. Resolves to undefined on success or to the
 * error class on failure; the caller measures time around it. The deadline covers the wait for
 * a free connection too (undici's own timeouts start only once the request is on a socket).
 */
export async function send(
  pool: Pool,
  req: PreparedRequest,
  timeoutMs: number,
): Promise<string | undefined> {
  try {
    const res = await pool.request({ ...req.options, signal: AbortSignal.timeout(timeoutMs) });
    await res.body.dump({ limit: Number.MAX_SAFE_INTEGER });
    return statusOk(res.statusCode, req.expect) ? undefined : `http_${res.statusCode}`;
  } catch (err) {
    return classifyError(err);
  }
}
