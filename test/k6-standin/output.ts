// The test-only k6 stand-in's outputs (`--out json=…`, `--out experimental-prometheus-rw`): each
// takes every metric sample the stand-in makes, as k6 hands samples to its outputs.

/** k6's four metric types. */
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

export interface MetricSample {
  /** k6's metric name, e.g. `http_req_duration`. */
  metric: string;
  type: MetricType;
  /** k6's value type: `time` values are milliseconds. */
  contains: 'time' | 'default' | 'data';
  value: number;
  /** When the sample was taken, epoch milliseconds (sub-millisecond kept). */
  timeMs: number;
  tags: Readonly<Record<string, string>>;
}

export interface StandinOutput {
  /** Called from the stand-in's main thread in the order samples were taken. */
  add(samples: readonly MetricSample[]): void;
  /** Flushes what is left (k6 flushes its outputs before it exits) and releases resources. */
  stop(): Promise<void>;
}
