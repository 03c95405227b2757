// The part of k6's `options` tiergate writes, as plain data. Structural on purpose: the
// compiler runs in Node too (the k6 engine, `tiergate k6 export`), where k6's own types are
// not loaded; the k6 scripts assign the result to `Options` from `k6/options`, so tsc checks
// that these shapes stay compatible with @types/k6.

export interface K6Stage {
  duration: string;
  target: number;
}

interface K6BaseScenario {
  startTime: string;
  gracefulStop: string;
  /** Tags every sample of the scenario carries (k6 adds `scenario:<name>` itself). */
  tags?: Record<string, string>;
}

export interface K6ConstantArrivalRate extends K6BaseScenario {
  executor: 'constant-arrival-rate';
  rate: number;
  timeUnit: string;
  duration: string;
  preAllocatedVUs: number;
  maxVUs: number;
}

export interface K6RampingArrivalRate extends K6BaseScenario {
  executor: 'ramping-arrival-rate';
  startRate: number;
  timeUnit: string;
  stages: K6Stage[];
  preAllocatedVUs: number;
  maxVUs: number;
}

export interface K6RampingVus extends K6BaseScenario {
  executor: 'ramping-vus';
  startVUs: number;
  stages: K6Stage[];
  gracefulRampDown: string;
}

export type K6Scenario = K6ConstantArrivalRate | K6RampingArrivalRate | K6RampingVus;

export type K6Threshold =
  | string
  | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

export interface K6Options {
  scenarios: Record<string, K6Scenario>;
  thresholds: Record<string, K6Threshold[]>;
  discardResponseBodies: boolean;
  noConnectionReuse?: boolean;
  summaryTrendStats: string[];
}
