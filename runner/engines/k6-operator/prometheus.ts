// The Prometheus HTTP API, the one call the engine makes: an instant query. Native histograms
// come back as `"histogram": [ts, {count, sum, buckets: [[boundaryRule, lower, upper, count]]}]`
// (Prometheus 2.40+, numbers as strings), plain samples as `"value": [ts, "<number>"]`.
import { RunError } from '../../errors.ts';

export interface NativeHistogram {
  count: string;
  sum: string;
  buckets?: [number, string, string, string][];
}

export interface PromSample {
  metric: Record<string, string>;
  value?: [number, string];
  histogram?: [number, NativeHistogram];
}

interface QueryBody {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: PromSample[] };
}

const QUERY_TIMEOUT_MS = 10_000;
const HINT = 'check --prometheus-query-url (or --prometheus-url): tiergate queries it over HTTP';

export class PrometheusClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url.replace(/\/+$/, '');
  }

  /** An instant query at Prometheus' now; a vector result. */
  async query(expr: string): Promise<PromSample[]> {
    let res: Response;
    try {
      res = await fetch(`${this.url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expr }).toString(),
        signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new RunError(
        `Prometheus at ${this.url} is unreachable: ${cause ?? (err as Error).message}`,
        HINT,
      );
    }
    const text = await res.text();
    let body: QueryBody;
    try {
      body = JSON.parse(text) as QueryBody;
    } catch {
      throw new RunError(
        `Prometheus at ${this.url} answered HTTP ${res.status} without JSON: ${text.slice(0, 200)}`,
        HINT,
      );
    }
    if (body.status !== 'success' || body.data?.resultType !== 'vector') {
      throw new RunError(
        `Prometheus at ${this.url} refused the query: ${body.error ?? `HTTP ${res.status}`}`,
      );
    }
    return body.data.result;
  }
}
