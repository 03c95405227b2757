// The Prometheus HTTP API, instant queries only. A plain selector returns the newest sample of
// each series (a vector); a range selector (`{…}[10s]`) returns every raw sample of that range
// (a matrix). Native histograms come back as `[ts, {count, sum, buckets: [[boundaryRule, lower,
// upper, count]]}]` (Prometheus 2.40+, numbers as strings), plain samples as `[ts, "<number>"]`.
import { RunError } from '../../../core/errors.ts';

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

/** One series of a range selector: its raw samples, oldest first. */
export interface PromSeries {
  metric: Record<string, string>;
  values?: [number, string][];
  histograms?: [number, NativeHistogram][];
}

interface QueryBody {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: unknown[] };
}

const QUERY_TIMEOUT_MS = 10_000;
const HINT = 'check --prometheus-query-url (or --prometheus-url): tiergate queries it over HTTP';

export class PrometheusClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url.replace(/\/+$/, '');
  }

  /** An instant query of a plain selector at Prometheus' now: the newest sample per series. */
  async query(expr: string): Promise<PromSample[]> {
    return (await this.call(expr, 'vector')) as PromSample[];
  }

  /** An instant query of a range selector: every sample of the range, per series. */
  async range(expr: string): Promise<PromSeries[]> {
    return (await this.call(expr, 'matrix')) as PromSeries[];
  }

  private async call(expr: string, resultType: 'vector' | 'matrix'): Promise<unknown[]> {
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
    if (body.status !== 'success' || body.data?.resultType !== resultType) {
      throw new RunError(
        `Prometheus at ${this.url} refused the query: ${body.error ?? `HTTP ${res.status}`}`,
      );
    }
    return body.data.result;
  }
}
