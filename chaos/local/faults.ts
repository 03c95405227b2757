// The faults the local proxy applies, and how one request draws its fate from the active ones.
import type { FaultSpec } from '../../thresholds/gameday.ts';

/** The network faults of FaultSpec: what the proxy itself can do to traffic. */
export type ProxyFault = Extract<
  FaultSpec,
  { kind: 'latency' | 'http-error' | 'http-abort' | 'reset' | 'blackhole' | 'bandwidth' }
>;

export function isProxyFault(f: FaultSpec): f is ProxyFault {
  return ['latency', 'http-error', 'http-abort', 'reset', 'blackhole', 'bandwidth'].includes(
    f.kind,
  );
}

/** What happens to one request under the faults active when it arrives. */
export interface RequestFate {
  /** Answered at once by the proxy with this status, upstream never contacted. */
  errorStatus?: number;
  /** The connection is reset before any answer. */
  reset: boolean;
  /** Never answered. */
  blackhole: boolean;
  /** Headers go out, then the connection is cut mid-body. */
  abort: boolean;
  /** Extra delay before the response goes out, ms. */
  delayMs: number;
  /** Response body throttle, bytes per second (0 = none). */
  bytesPerSecond: number;
}

/** Draws a request's fate; faults compose (latency with errors, several latencies add up). */
export function drawFate(
  faults: Iterable<ProxyFault>,
  random: () => number = Math.random,
): RequestFate {
  const fate: RequestFate = {
    reset: false,
    blackhole: false,
    abort: false,
    delayMs: 0,
    bytesPerSecond: 0,
  };
  for (const f of faults) {
    switch (f.kind) {
      case 'latency':
        fate.delayMs += f.latencyMs + (f.jitterMs ? (random() * 2 - 1) * f.jitterMs : 0);
        break;
      case 'http-error':
        if (fate.errorStatus === undefined && random() < f.share) fate.errorStatus = f.status;
        break;
      case 'http-abort':
        if (random() < f.share) fate.abort = true;
        break;
      case 'reset':
        if (random() < f.share) fate.reset = true;
        break;
      case 'blackhole':
        if (random() < f.share) fate.blackhole = true;
        break;
      case 'bandwidth':
        fate.bytesPerSecond =
          fate.bytesPerSecond === 0
            ? f.kbPerSecond * 1024
            : Math.min(fate.bytesPerSecond, f.kbPerSecond * 1024);
        break;
    }
  }
  fate.delayMs = Math.max(0, fate.delayMs);
  return fate;
}
