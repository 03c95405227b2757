// The autocannon engine: a closed-loop throughput probe for quick smoke checks. Each
// connection sends its next request only when the previous response has arrived, so a slow
// response delays the requests behind it and they are never measured (coordinated omission):
// its latencies understate the tail. Never used for a gate's latency objective, and never run
// with a rate (autocannon's rate-based "correction" is wrong, see research/load-and-gates.md).
import { loadAutocannon } from './autocannon-api.ts';

export const CLOSED_LOOP_WARNING =
  "closed-loop: latencies understate the tail (coordinated omission); never used for a gate's latency objective";

export interface ProbeOptions {
  connections: number;
  durationS: number;
  /** Requests in flight per connection (default 1: no pipelining). */
  pipelining?: number;
  /** Seconds before a request counts as a timeout (default 10). */
  timeoutS?: number;
}

export interface ProbeResult {
  url: string;
  connections: number;
  pipelining: number;
  durationS: number;
  /** Completed requests per second over the whole probe. */
  reqPerSec: number;
  /** Responses received (any status). */
  completed: number;
  /** Failed requests: network errors, timeouts, statuses outside 200–399. */
  errors: number;
  errorKinds: Record<string, number>;
  /** From autocannon's histogram, ms at 1 ms resolution: a p50 of 0 means under 1 ms. */
  latencyMs: { p50: number; p90: number; p99: number; 'p99.9': number; max: number; mean: number };
  autocannonVersion: string;
  warning: string;
}

export function probe(url: string, options: ProbeOptions): Promise<ProbeResult> {
  const { run, version } = loadAutocannon();
  const pipelining = options.pipelining ?? 1;
  return new Promise((resolve, reject) => {
    run(
      {
        url,
        connections: options.connections,
        duration: options.durationS,
        pipelining,
        timeout: options.timeoutS ?? 10,
      },
      (err, r) => {
        if (err) {
          reject(err);
          return;
        }
        const completed = Object.values(r.statusCodeStats).reduce((s, c) => s + c.count, 0);
        // As in the local engine: 2xx and 3xx succeed, any other status is an error.
        const errorKinds: Record<string, number> = {};
        for (const [status, c] of Object.entries(r.statusCodeStats)) {
          const code = Number(status);
          if (code < 200 || code >= 400) errorKinds[`http_${status}`] = c.count;
        }
        // autocannon's `errors` counts timeouts too.
        const network = r.errors - r.timeouts;
        if (r.timeouts > 0) errorKinds.timeout = r.timeouts;
        if (network > 0) errorKinds.network = network;
        const errors = Object.values(errorKinds).reduce((s, n) => s + n, 0);
        resolve({
          url,
          connections: options.connections,
          pipelining,
          durationS: r.duration,
          reqPerSec: r.duration > 0 ? completed / r.duration : 0,
          completed,
          errors,
          errorKinds,
          latencyMs: {
            p50: r.latency.p50,
            p90: r.latency.p90,
            p99: r.latency.p99,
            'p99.9': r.latency.p99_9,
            max: r.latency.max,
            mean: r.latency.average,
          },
          autocannonVersion: version,
          warning: CLOSED_LOOP_WARNING,
        });
      },
    );
  });
}
