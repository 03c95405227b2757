// Messages between the local engine (main thread) and its worker threads.
import type { LoadShape, RequestSpec } from '../../../thresholds/model.ts';
import type { GeneratorBucket } from '../../timeline/second.ts';

export interface WorkerConfig {
  index: number;
  count: number;
  target: string;
  shape: LoadShape;
  requests: RequestSpec[];
  timeoutMs: number;
  connections: number;
  /** In-flight cap of this worker; arrivals beyond it are dropped. */
  maxInFlight: number;
  /** A new connection per request (the plan's freshConnections). */
  freshConnections: boolean;
  /** t = 0 of the run, in ms on the shared clock (performance.timeOrigin + performance.now()). */
  startAtMs: number;
}

export type ToWorker = { type: 'start'; config: WorkerConfig } | { type: 'stop'; graceMs: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'buckets'; buckets: GeneratorBucket[] }
  | { type: 'done' }
  | { type: 'fatal'; message: string };
