// The shape of a finished (or partial) run: what `results/<run-id>/run.json` holds and what
// every report renders from. Versioned: bump RUN_SCHEMA_VERSION when a field changes meaning.
import type { CapacityFindings, CapacityStep } from './capacity.ts';
import type { GateVerdict, LoadPlan, WindowName, WindowStats } from './model.ts';
import type { WindowGap } from './seconds.ts';

/**
 * 2: a second's completions (counts, errors, latency, per request) are those of the requests
 * whose intended send time fell in it, no longer those that completed in it (version 1).
 */
export const RUN_SCHEMA_VERSION = 2;

/** Per-request-name figures of one second (requests intended in it, as in SecondBucket). */
export interface RequestSecond {
  completed: number;
  errors: number;
  /** HDR histogram of latency from intended send time, µs, compressed base64 (V2). */
  latency: string;
}

/**
 * One second of the timeline. Histograms are HDR, in µs, compressed base64 (V2 encoding). Every
 * figure is of the requests whose intended send time fell in this second, wherever they
 * completed (since schema version 2), so `completed` equals `sent` once they all settled. k6:
 * the second k6 started the request in (its sample time less http_req_duration); k6-operator:
 * the second of the runner push that reported it (see runner/engines/k6-operator/ingest.ts).
 */
export interface SecondBucket {
  /** Seconds since the run's start (bucket covers [t, t+1)). */
  t: number;
  /** The plan's arrival rate at the middle of this second (open model) or VUs (closed). */
  target: number;
  /** Requests whose intended send time fell in this second and that were sent. */
  sent: number;
  /** Requests whose intended send time fell in this second and could not be sent on time. */
  dropped: number;
  /** Requests of this second that completed (response, error or timeout), whenever they did. */
  completed: number;
  errors: number;
  /** Error counts by class: `http_500`, `timeout`, `econnrefused`, … */
  errorKinds: Record<string, number>;
  /** Latency from the intended send time of this second's requests. */
  latency: string;
  serviceTime: string;
  sendLag: string;
  byRequest: Record<string, RequestSecond>;
}

export type TimelineEventKind =
  | 'run-started'
  | 'phase-started'
  | 'fault-requested'
  | 'fault-injected'
  | 'fault-removed'
  | 'fault-recovered'
  | 'fault-failed'
  | 'rollback-triggered'
  | 'run-interrupted'
  | 'run-ended';

/** Something that happened during the run, on the same clock as the samples. */
export interface TimelineEvent {
  /** Seconds since the run's start (fractional). */
  t: number;
  kind: TimelineEventKind;
  /** Fault or phase or trigger this event concerns. */
  subject?: string;
  detail?: string;
}

export type RunOutcome =
  | { state: 'completed' }
  | { state: 'aborted'; trigger: string; atS: number; reason: string }
  | { state: 'interrupted'; signal: string; atS: number }
  | { state: 'errored'; reason: string };

export interface WindowBounds {
  startS: number;
  endS: number;
}

/** Figures of a gap: seconds no window but `whole` covers (requests there are in no window). */
export type GapStats = WindowGap & Omit<WindowStats, 'window' | 'request' | 'recoveryTimeS'>;

export interface RunEnvironment {
  tiergate: string;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  totalMemMb: number;
}

export interface EngineInfo {
  name: 'local' | 'k6' | 'k6-operator' | 'autocannon';
  version: string;
  /** Generators the load was split across (worker threads, k6 processes, runners). */
  generators: number;
  /** k6-operator: the k6 image the runners ran. */
  image?: string;
  /**
   * Latencies arrived as histogram buckets and were recorded at each bucket's upper edge
   * (k6-operator's native histograms): the widest bucket's upper ÷ lower edge. A true latency
   * lies up to this factor below the recorded one, so lower bounds are widened by it.
   */
  latencyBucketRatio?: number;
}

export interface FaultRecord {
  id: string;
  kind: string;
  /** Run seconds; null when it never happened. */
  injectedAtS: number | null;
  removedAtS: number | null;
  /** Removed, and its removal verified by the driver. */
  recovered: boolean;
}

/** What a game day adds to a run. */
export interface GameDayResult {
  id: string;
  name: string;
  driver: 'local' | 'chaos-mesh';
  faults: FaultRecord[];
  timeToDetectS: number | null;
  timeToRecoverS: number | null;
  /** Set when the steady state was broken before the first fault (nothing was injected). */
  steadyStateBroken?: string;
  /**
   * `deviated`: the faults were applied and removed, but the system did not return to its
   * steady state within the run (Chaos Toolkit's word).
   */
  verdict: GameDayVerdict;
}

/** Every verdict a game day can reach, for the schemas that validate it. */
export const GAMEDAY_VERDICTS = [
  'pass',
  'warn',
  'fail',
  'aborted',
  'inconclusive',
  'deviated',
  'errored',
  'interrupted',
] as const;

export type GameDayVerdict = (typeof GAMEDAY_VERDICTS)[number];

/** What a capacity search adds to its run: every step, and what they show. */
export interface CapacityRecord {
  /** `roadmap`: the tiers climbed in order; `slo`: rates doubling from --from to --to. */
  mode: 'roadmap' | 'slo';
  /** The bisection stops when break ÷ knee ≤ 1 + resolution. */
  resolution: number;
  maxRateRps?: number;
  steps: CapacityStep[];
  findings: CapacityFindings;
}

export interface RunResult {
  schemaVersion: number;
  runId: string;
  /** ISO 8601 wall-clock time of t = 0. */
  startedAt: string;
  endedAt: string;
  /** False while the run is still going (a crashed run leaves `complete: false`). */
  complete: boolean;
  environment: RunEnvironment;
  engine: EngineInfo;
  plan: LoadPlan;
  outcome: RunOutcome;
  timeline: SecondBucket[];
  events: TimelineEvent[];
  windows: Partial<Record<WindowName, WindowBounds>>;
  /** Stats of each window, overall and per request name. */
  stats: WindowStats[];
  /**
   * The seconds between the windows (other than `whole`), with their figures: with the
   * windows they hold every request of the run exactly once. Absent in a run cut short before
   * its windows were.
   */
  gaps?: GapStats[];
  verdict: GateVerdict;
  gameDay?: GameDayResult;
  /** The engine's own threshold verdicts per generator (k6: per process), advice only. */
  engineThresholds?: Record<string, boolean>[];
  /** The run the relative objectives were measured against. */
  baseline?: { runId: string; path: string };
  /** A capacity search (`tiergate capacity`): its steps on this one timeline, and the knee. */
  capacity?: CapacityRecord;
  exitCode: number;
}

/** Why a run that never finished (`complete: false`: a checkpoint, a killed run) has no verdict. */
export function unfinishedReason(run: Pick<RunResult, 'timeline'>): string {
  return `the run did not finish: its run.json is a checkpoint after ${run.timeline.length} s of load (complete: false), and a partial run supports no verdict`;
}

/**
 * The outcome a run that never finished stands on: a run that could not complete (exit 3),
 * unless it had already ended otherwise (a rollback trigger, an interrupt) before it stopped.
 */
export function unfinishedOutcome(run: Pick<RunResult, 'timeline' | 'outcome'>): RunOutcome {
  if (run.outcome.state !== 'completed') return run.outcome;
  return { state: 'errored', reason: unfinishedReason(run) };
}
