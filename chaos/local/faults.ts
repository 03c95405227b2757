// The faults the local fault proxy switches on and off while load runs. Toxicity follows
// Toxiproxy: for connection-level faults it is the share of connections picked (decided once
// per connection and fault); the HTTP faults pick a share of requests instead.
import type { FaultSpec } from '../../thresholds/gameday.ts';

/** A fault the local {@link FaultProxy} applies between the load and the target. */
export type LocalFault =
  /**
   * Delays each response by `latencyMs` ± `jitterMs` (uniform, never below 0). The upstream
   * sees the request at once: the delay is on the way back, like a slow downstream link.
   * `toxicity`: share of connections affected (default 1). Several latency faults add up.
   */
  | { kind: 'latency'; latencyMs: number; jitterMs?: number; toxicity?: number }
  /**
   * Throttles response body bytes to `kbPerSecond` (1 KB = 1000 bytes, as Toxiproxy counts),
   * on every connection. With several, the lowest rate wins.
   */
  | { kind: 'bandwidth'; kbPerSecond: number }
  /**
   * Resets a share of connections (TCP RST where Node has `resetAndDestroy`): new ones as soon
   * as they are accepted, already-open ones at their next request. Default toxicity 1.
   */
  | { kind: 'reset'; toxicity?: number }
  /**
   * A share of connections get no answer while the fault is held, so clients time out. Held
   * requests go on to the upstream once the fault is removed (as after a healed partition),
   * unless their client gave up first. Default toxicity 1.
   */
  | { kind: 'blackhole'; toxicity?: number }
  /**
   * A share of requests (`toxicity`) are answered `status` at once with a small JSON body,
   * without reaching the upstream.
   */
  | { kind: 'http-error'; status: number; toxicity: number }
  /** A share of responses (`toxicity`) are cut: headers go out, then the body stops half-way. */
  | { kind: 'http-abort'; toxicity: number };

export type LocalFaultKind = LocalFault['kind'];

export const LOCAL_FAULT_KINDS: readonly LocalFaultKind[] = [
  'latency',
  'bandwidth',
  'reset',
  'blackhole',
  'http-error',
  'http-abort',
];

/** A fault while a proxy holds it. */
export interface ActiveFault {
  id: string;
  fault: LocalFault;
  /** Epoch ms when it was switched on. */
  since: number;
}

/** The share of connections or requests a fault picks (1 when not given). */
export function toxicityOf(fault: LocalFault): number {
  return 'toxicity' in fault && fault.toxicity !== undefined ? fault.toxicity : 1;
}

/** Throws a RangeError naming the field when a fault cannot be applied as written. */
export function validateFault(fault: LocalFault): void {
  const bad = (field: string, why: string): never => {
    throw new RangeError(`${fault.kind} fault: ${field} ${why}`);
  };
  const nonNegative = (field: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) bad(field, `must be ≥ 0, got ${v}`);
  };
  if ('toxicity' in fault && fault.toxicity !== undefined) {
    const t = fault.toxicity;
    if (!(Number.isFinite(t) && t >= 0 && t <= 1)) bad('toxicity', `must be in [0, 1], got ${t}`);
  }
  switch (fault.kind) {
    case 'latency':
      nonNegative('latencyMs', fault.latencyMs);
      nonNegative('jitterMs', fault.jitterMs);
      return;
    case 'bandwidth':
      if (!(Number.isFinite(fault.kbPerSecond) && fault.kbPerSecond > 0)) {
        bad('kbPerSecond', `must be > 0, got ${fault.kbPerSecond}`);
      }
      return;
    case 'http-error':
      if (!(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
        bad('status', `must be an HTTP status (100–599), got ${fault.status}`);
      }
      return;
    case 'reset':
    case 'blackhole':
    case 'http-abort':
      return;
    default: {
      const unknown: never = fault;
      throw new RangeError(`unknown local fault ${JSON.stringify(unknown)}`);
    }
  }
}

/** The network faults of a game day's FaultSpec: what the proxy itself can do to traffic. */
export type ProxyFault = Extract<FaultSpec, { kind: LocalFaultKind }>;

export function isProxyFault(f: FaultSpec): f is ProxyFault {
  return (LOCAL_FAULT_KINDS as readonly string[]).includes(f.kind);
}

/** A game day's fault (`share`) as the proxy's (`toxicity`); a LocalFault passes unchanged. */
export function toLocalFault(f: LocalFault | ProxyFault): LocalFault {
  switch (f.kind) {
    case 'latency':
    case 'bandwidth':
      return f;
    case 'reset':
    case 'blackhole':
    case 'http-abort':
      return 'share' in f ? { kind: f.kind, toxicity: f.share } : f;
    case 'http-error':
      return 'share' in f ? { kind: f.kind, status: f.status, toxicity: f.share } : f;
  }
}
