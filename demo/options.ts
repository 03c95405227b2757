// The demo's options: defaults, validation (errors name the option, the value and the allowed
// range) and the capacity model derived from them.

export interface DemoOptions {
  /** Interface to listen on. */
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Requests/second the limited routes can serve at their base service time. */
  capacityRps: number;
  /** Base service time of a request, in ms. */
  serviceTimeMs: number;
  /** Extra service time drawn uniformly from 0..jitterMs. */
  jitterMs: number;
  /** Service time of `POST /checkout`, the slow write (default 3 × serviceTimeMs). */
  checkoutTimeMs: number;
  /** Share of limited requests answered 500 (0..1). */
  errorRate: number;
  /** Requests allowed to wait for a slot; beyond that they are refused with 503 at once. */
  queueLimit: number;
  /** Replica name, sent back in the `x-demo-replica` header. */
  name: string;
}

export const DEMO_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  capacityRps: 2000,
  serviceTimeMs: 5,
  jitterMs: 2,
  errorRate: 0,
  queueLimit: 1000,
  name: 'demo',
} as const;

/** A demo option out of range. `option` is the DemoOptions key. */
export class DemoOptionError extends Error {
  constructor(
    readonly option: keyof DemoOptions,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`demo option ${option} = ${show(value)}: must be ${allowed}`);
    this.name = 'DemoOptionError';
  }
}

const MAX_MS = 60_000;
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Defaults filled in and every value checked; throws DemoOptionError on the first bad one. */
export function resolveDemoOptions(options: Partial<DemoOptions> = {}): DemoOptions {
  const o = { ...DEMO_DEFAULTS, ...stripUndefined(options) };
  if (typeof o.host !== 'string' || o.host.trim() === '') {
    throw new DemoOptionError('host', o.host, 'a non-empty host name or IP address');
  }
  integer('port', o.port, 0, 65_535);
  number('capacityRps', o.capacityRps, 'a number > 0 and ≤ 1000000 (requests/second)', (v) => {
    return v > 0 && v <= 1_000_000;
  });
  number('serviceTimeMs', o.serviceTimeMs, `a number from 0 to ${MAX_MS} (ms)`, inMs);
  number('jitterMs', o.jitterMs, `a number from 0 to ${MAX_MS} (ms)`, inMs);
  const checkoutTimeMs = options.checkoutTimeMs ?? 3 * o.serviceTimeMs;
  number('checkoutTimeMs', checkoutTimeMs, `a number from 0 to ${MAX_MS} (ms)`, inMs);
  number('errorRate', o.errorRate, 'a share from 0 to 1 (0.02 = 2 %)', (v) => v >= 0 && v <= 1);
  integer('queueLimit', o.queueLimit, 0, 1_000_000);
  if (typeof o.name !== 'string' || !NAME.test(o.name)) {
    throw new DemoOptionError('name', o.name, '1 to 64 characters from A-Z a-z 0-9 . _ -');
  }
  return {
    host: o.host,
    port: o.port,
    capacityRps: o.capacityRps,
    serviceTimeMs: o.serviceTimeMs,
    jitterMs: o.jitterMs,
    checkoutTimeMs,
    errorRate: o.errorRate,
    queueLimit: o.queueLimit,
    name: o.name,
  };
}

/** How the limiter realises `capacityRps` (see capacity.ts). */
export interface CapacityModel {
  /** Slots: ceil(capacityRps × mean base service time / 1000), at least 1. */
  concurrency: number;
  /** How long a request with this service time holds its slot (≥ the service time). */
  holdMs(serviceMs: number): number;
}

export function capacityModel(o: DemoOptions): CapacityModel {
  // The mean counts the mean jitter: with the bare service time, the default 2 ms of jitter on
  // 5 ms would cut the real capacity by a sixth.
  const meanServiceMs = o.serviceTimeMs + o.jitterMs / 2;
  const concurrency = Math.max(1, Math.ceil((o.capacityRps * meanServiceMs) / 1000));
  // Rounding concurrency up would raise the rate (1 slot of 5 ms is 200 req/s, not 15), so holds
  // are stretched by the same factor: a base request then holds its slot concurrency / capacity
  // on average, and the rate is capacityRps exactly, while an idle demo still answers in 5 ms.
  const meanHoldMs = (concurrency * 1000) / o.capacityRps;
  const stretch = meanServiceMs > 0 ? meanHoldMs / meanServiceMs : 1;
  return {
    concurrency,
    holdMs: (serviceMs) =>
      meanServiceMs > 0 ? serviceMs * stretch : Math.max(serviceMs, meanHoldMs),
  };
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function inMs(v: number): boolean {
  return v >= 0 && v <= MAX_MS;
}

function number(
  option: keyof DemoOptions,
  value: unknown,
  allowed: string,
  ok: (v: number) => boolean,
): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new DemoOptionError(option, value, allowed);
  }
}

function integer(option: keyof DemoOptions, value: unknown, min: number, max: number): void {
  const allowed = `an integer from ${min} to ${max}`;
  number(option, value, allowed, (v) => Number.isInteger(v) && v >= min && v <= max);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
