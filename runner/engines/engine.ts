// What every engine offers the orchestrator: start a plan on the shared clock, stream
// per-second buckets into the timeline, stop early when asked.
import type { LoadPlan } from '../../thresholds/model.ts';
import type { EngineInfo } from '../../thresholds/result.ts';
import type { GeneratorBucket } from '../timeline/second.ts';

export interface EngineRun {
  /** t = 0 of the run on the shared clock (ms), chosen once every generator is ready. */
  readonly startAtMs: number;
  /** Settles when every generator has finished and flushed its last bucket. */
  readonly done: Promise<void>;
  /** Stops sending; in-flight requests get `graceMs` to finish. Idempotent. */
  stop(graceMs: number): void;
  /**
   * The engine's own threshold results, per generator (k6 judges thresholds inside each process
   * on its share of the load): recorded as advice beside the global gate.
   */
  ownThresholds?(): Record<string, boolean>[];
  /**
   * Set by an engine whose latencies arrive as histogram buckets, each recorded at its upper
   * edge: the widest bucket's upper ÷ lower edge, read once the run is done.
   */
  latencyBucketRatio?(): number;
  /** Frees what the engine holds (workers, processes). Idempotent; safe after done. */
  close(): Promise<void>;
}

/** What an engine can do, asked instead of its name. */
export interface EngineCapabilities {
  /** Its generators send from this machine, so the target is checked from here before any load. */
  readonly sendsFromHere: boolean;
  /** It can carry a game day whose faults this machine injects (the local fault proxy). */
  readonly localFaults: boolean;
}

export interface Engine {
  readonly info: EngineInfo;
  readonly capabilities: EngineCapabilities;
  /** Readies every generator, then starts them together. Buckets arrive through `sink`. */
  start(plan: LoadPlan, sink: (buckets: GeneratorBucket[]) => void): Promise<EngineRun>;
}
