// Messages between the stand-in's main thread and its VUs (one worker thread each). A VU's
// http.request is synchronous, as in k6: the VU posts the request on its sync port and sleeps
// on a shared flag (Atomics.wait) until the main thread has performed it and posted the answer.
import type { MessagePort } from 'node:worker_threads';
import type { MetricType } from './output.ts';

export type Contains = 'time' | 'default' | 'data';

export interface VuWorkerData {
  code: string;
  scriptPath: string;
  /** 0 for the VU that reads options and runs setup, teardown and handleSummary. */
  id: number;
  env: Record<string, string>;
  /** Int32Array(1) over it: 1 once a sync answer is on the port. */
  flag: SharedArrayBuffer;
  port: MessagePort;
}

export interface DeclaredMetric {
  name: string;
  type: MetricType;
  contains: Contains;
}

/** A sample a VU made (checks, custom metrics, groups); the main thread adds the run's tags. */
export interface VuSample extends DeclaredMetric {
  value: number;
  timeMs: number;
  /** System tags (check, group): kept only when --system-tags allows them. */
  system: Record<string, string>;
  tags: Record<string, string>;
}

export interface ScenarioContext {
  name: string;
  executor: string;
  exec: string;
  env: Record<string, string>;
  startTimeMs: number;
}

export type ToVu =
  | {
      type: 'iterate';
      scenario: ScenarioContext;
      iterationInScenario: number;
      setupData: unknown;
      testStartMs: number;
    }
  | { type: 'setup'; testStartMs: number }
  | { type: 'teardown'; data: unknown; testStartMs: number }
  | { type: 'summary'; data: unknown };

export interface InitInfo {
  options: Record<string, unknown>;
  metrics: DeclaredMetric[];
  exports: string[];
}

export type FromVu =
  | { type: 'ready'; info: InitInfo }
  | { type: 'initError'; message: string; aborted: boolean }
  | { type: 'samples'; samples: VuSample[] }
  | {
      type: 'done';
      startMs: number;
      endMs: number;
      /** The stack of an exception the call threw. */
      error?: string;
      /** exec.test.abort(reason) was called. */
      aborted?: string;
      result?: unknown;
    };

/** One request of a VU, as the main thread performs it. */
export interface HttpRequest {
  method: string;
  url: string;
  body: string | Uint8Array | null;
  headers: Record<string, string>;
  timeoutMs: number;
  maxRedirects: number;
  /** Status ranges counted as expected (k6's responseCallback of expectedStatuses). */
  expected: [number, number][];
  discardBody: boolean;
  binary: boolean;
  tags: Record<string, string>;
  group: string;
  scenario: string;
}

export interface Timings {
  duration: number;
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
}

export interface HttpResponse {
  url: string;
  status: number;
  proto: string;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
  error: string;
  error_code: number;
  timings: Timings;
}

/** Milliseconds since the epoch, sub-millisecond kept, on a clock every thread shares. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
