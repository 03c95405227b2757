// The slice of autocannon's API the probe uses (the package ships no types). Loaded through
// require: autocannon is CommonJS.
import { createRequire } from 'node:module';

export interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
  /** Seconds before a request counts as a timeout. */
  timeout: number;
  /** Reconnect on every response? No: keep-alive, as the target is used. */
  reconnectRate?: never;
  /** Never set: a rate turns on autocannon's (wrong) coordinated-omission correction. */
  overallRate?: never;
  connectionRate?: never;
}

/** Latency percentiles of autocannon's result, in ms (its histogram has 1 ms resolution). */
export interface AutocannonLatency {
  average: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  p99_9: number;
  totalCount: number;
}

export interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: AutocannonLatency;
  requests: { average: number; total: number; sent: number };
}

export interface AutocannonInstance {
  stop(): void;
}

export type Autocannon = (
  options: AutocannonOptions,
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const require = createRequire(import.meta.url);

export function loadAutocannon(): { run: Autocannon; version: string } {
  const run = require('autocannon') as Autocannon;
  const { version } = require('autocannon/package.json') as { version: string };
  return { run, version };
}
