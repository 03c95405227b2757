// The model every other folder uses. Pure types: no Node-only imports, so k6 scripts can
// import this file too. Units are fixed across the model: durations in seconds, latencies
// in milliseconds, rates and shares as fractions (0.01 = 1 %), throughput in requests/second.

/** Where a figure came from: a seed document and the line that states it. */
export interface Citation {
  /** Seed file name, e.g. `002_c7c80fd92324b3a9.txt`. */
  seed: string;
  /** 1-based line number in the seed file. */
  line: number;
  /** The seed's own words, quoted. */
  quote: string;
  /** An assumption tiergate made where the seed left a choice open. */
  assumption?: string;
}

/** Cut of the timeline an objective is measured on. */
export type WindowName = 'steady' | 'chaos' | 'recovery' | 'whole';

/** What an objective measures. */
export type Metric =
  /** Response time from the intended send time (open model: includes queueing). */
  | 'latency'
  /** Time from the actual send to the response (what a closed-loop tool reports). */
  | 'service_time'
  /** Failed requests / completed requests. */
  | 'error_rate'
  /** Successful requests / completed requests. */
  | 'availability'
  /** Requests not sent on schedule / scheduled requests. */
  | 'dropped_rate'
  /** Achieved requests per second over the window. */
  | 'throughput'
  /** Achieved requests / scheduled requests over the window. */
  | 'throughput_ratio'
  /** Seconds from the end of a fault to the first run of good seconds. */
  | 'recovery_time';

export type Percentile = 'p50' | 'p75' | 'p90' | 'p95' | 'p99' | 'p99.9';
export type Statistic = Percentile | 'max' | 'mean' | 'min' | 'value';
export type Comparator = '<' | '<=' | '>' | '>=';

export type Limit =
  /** A fixed value in the metric's unit (ms, fraction, req/s, s). */
  | { kind: 'absolute'; value: number }
  /** `observed ≤ factor × baseline` (e.g. p95 ≤ 2 × baseline). */
  | { kind: 'baseline-factor'; factor: number }
  /** `|observed − baseline| ≤ percent % of baseline`. */
  | { kind: 'baseline-within'; percent: number };

export type Severity = 'fail' | 'warn';

/** An objective (SLO): `metric · statistic · comparator · limit`, scoped by window and request. */
export interface Objective {
  /** Stable id, unique within a tier, e.g. `checkout-p95`. */
  id: string;
  metric: Metric;
  stat: Statistic;
  op: Comparator;
  limit: Limit;
  window: WindowName;
  /** Only requests with this name (a journey step, e.g. `checkout`); all requests if absent. */
  request?: string;
  /** `warn` never fails the gate (unless run with --strict). */
  severity: Severity;
  /** With no data the objective fails, unless it is optional. */
  optional?: boolean;
  /** An `unproven` verdict fails the gate (by default it only warns, like --strict would). */
  prove?: boolean;
  /** Added by the gate itself (the failed-requests guard): judged on its estimate, no proof. */
  implicit?: boolean;
  /** Human description shown in reports. */
  description?: string;
  source?: Citation;
}

/**
 * A rollback trigger: an objective checked live, every second, over a sliding window.
 * Breached for `forS` consecutive seconds, it aborts the run (k6's abortOnFail).
 */
export interface RollbackTrigger {
  id: string;
  /** The condition that must hold; the trigger fires when it does not. */
  objective: Objective;
  /** How many seconds of data the sliding window holds. */
  windowS: number;
  /** How long the condition must be broken before the run aborts. */
  forS: number;
  /** No verdict before this many seconds of load (warm-up). */
  delayS: number;
  source?: Citation;
}

/** How daily users become requests per second at the tier's peak. */
export interface TrafficModel {
  kind: 'daily-users';
  dailyUsers: number;
  /** Requests one user makes in a day. */
  requestsPerUserPerDay: number;
  /** Share of a day's requests that arrive in its busiest hour. */
  peakHourShare: number;
  /** Multiplier on the peak for a safety margin (1 = test the expected peak). */
  headroom: number;
  source?: Citation;
}

/** Explicit load when the seed states RPS or VUs directly. */
export interface ExplicitLoad {
  kind: 'rps';
  rps: number;
  source?: Citation;
}

export interface ExplicitVus {
  kind: 'vus';
  vus: number;
  source?: Citation;
}

export type TierLoad = TrafficModel | ExplicitLoad | ExplicitVus;

/**
 * One step of a tier's ramp, k6-style: reach `target` (a fraction of the tier's peak load)
 * linearly over `durationS`. The stage marked `steady` is the steady window.
 */
export interface RampStage {
  durationS: number;
  target: number;
  steady?: boolean;
}

/** One HTTP request of a journey. Journeys are declarative so every engine can run them. */
export interface RequestSpec {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** Path (and query) appended to the target's base URL. */
  path: string;
  headers?: Record<string, string>;
  /** JSON body, sent with `content-type: application/json`. */
  body?: unknown;
  /** Share of arrivals that send this request (weights are normalised). */
  weight: number;
  /** Statuses that count as success; 2xx and 3xx if absent. */
  expectStatus?: number[];
}

export interface Journey {
  name: string;
  requests: RequestSpec[];
}

export interface NextPhaseTrigger {
  /** Plan the next phase when load reaches this share of tested capacity (0.8 = 80 %). */
  capacityShare: number;
  source?: Citation;
}

export interface Tier {
  /** Short id used on the command line, e.g. `10k`. */
  id: string;
  name: string;
  description?: string;
  load: TierLoad;
  stages: RampStage[];
  journey: Journey;
  objectives: Objective[];
  rollbackTriggers: RollbackTrigger[];
  /** Names of the built-in game days that fit this tier. */
  gameDays?: string[];
  nextPhase?: NextPhaseTrigger;
}

export interface Roadmap {
  id: string;
  name: string;
  description: string;
  /** Seed files the roadmap is built from. */
  seeds: string[];
  tiers: Tier[];
}

// ---------------------------------------------------------------- plans

/** A linear segment of the arrival-rate plan: rate goes from `fromRps` to `toRps`. */
export interface RatePhase {
  name: string;
  startS: number;
  durationS: number;
  fromRps: number;
  toRps: number;
  steady: boolean;
}

export interface VuPhase {
  name: string;
  startS: number;
  durationS: number;
  fromVus: number;
  toVus: number;
  steady: boolean;
}

export type LoadShape =
  | { model: 'open'; phases: RatePhase[] }
  | { model: 'closed'; phases: VuPhase[] };

/** Limits of the generator itself; beyond them a run is inconclusive, never a pass. */
export interface GeneratorBudget {
  /** Send lag p99 (intended → actual send) allowed, in ms. */
  sendLagP99Ms: number;
  /** Share of scheduled requests that may be dropped. */
  droppedShare: number;
}

export interface LoadPlan {
  roadmap?: string;
  tier?: string;
  tierName?: string;
  /** Base URL of the target, without a trailing slash. */
  target: string;
  shape: LoadShape;
  journey: Journey;
  objectives: Objective[];
  rollbackTriggers: RollbackTrigger[];
  durationS: number;
  /** Peak arrival rate (open) or VUs (closed) of the plan. */
  peak: number;
  /** Peak load the tier asks for before any --scale/--rate override. */
  tierPeak?: number;
  /** Why the tier's load was reduced, or cannot be reached from one machine. */
  notes: string[];
  timeoutMs: number;
  /** Requests in flight at once (per generator) before new arrivals are dropped. */
  maxInFlight: number;
  /** Connections per worker's pool. */
  connections: number;
  workers: number;
  budget: GeneratorBudget;
  /** One-sided confidence of every verdict's bound (default 0.95, `--confidence`). */
  confidence?: number;
  /** Successive good seconds that count as recovered. */
  recoveryGoodSeconds: number;
  /** Judged without the gate's failed-requests guard (`--allow-errors`). */
  allowErrors?: boolean;
  /**
   * Every request on a new connection (no keep-alive): for faults that only act on connections
   * opened after they are injected (Chaos Mesh HTTPChaos).
   */
  freshConnections?: boolean;
  /**
   * Header and query-parameter names whose values are secret beyond the built-in list
   * (`--redact`; thresholds/redact.ts): redacted in every artifact and on the terminal.
   */
  redact?: string[];
}

// ---------------------------------------------------------------- measurements

/** The percentiles a LatencySummary holds, each with its confidence bounds. */
export type QuantileStat = 'p50' | 'p75' | 'p90' | 'p95' | 'p99' | 'p99.9';

/** One-sided confidence bounds on a statistic; null where the samples cannot bound that side. */
export interface Bounds {
  lower: number | null;
  upper: number | null;
}

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
  'p99.9': number;
  max: number;
  /**
   * Each percentile's one-sided bounds at `confidence` (order statistics, widened to HDR's
   * buckets); absent in stored runs from before confidence bounds, which the gate recomputes.
   */
  bounds?: Record<QuantileStat, Bounds>;
  confidence?: number;
}

/** What the gate sees of one window (and optionally one request name). */
export interface WindowStats {
  window: WindowName;
  request?: string;
  startS: number;
  endS: number;
  /** Requests the plan scheduled in the window (sent + dropped). */
  scheduled: number;
  /** Requests completed (response or error). */
  completed: number;
  errors: number;
  dropped: number;
  /** Latency from intended send time, ms. */
  latency: LatencySummary;
  /** Latency from actual send time, ms. */
  serviceTime: LatencySummary;
  /** Intended → actual send, ms. */
  sendLag: LatencySummary;
  /** Seconds from fault removal to recovery; null when it never recovered or no fault. */
  recoveryTimeS?: number | null;
}

/**
 * `skipped`: an optional objective with no data (e.g. a baseline-relative one without a baseline).
 * `unproven`: the estimate meets the limit but its confidence bound reaches past it: the run
 * holds too few samples to show the objective holds. It warns (fails with --strict or `prove`).
 */
export type ObjectiveStatus = 'pass' | 'warn' | 'fail' | 'skipped' | 'unproven';

export interface ObjectiveVerdict {
  id: string;
  objective: Objective;
  /** `p95 < 2000 ms` as written for people. */
  expression: string;
  window: WindowName;
  status: ObjectiveStatus;
  observed: number | null;
  /** The limit resolved to a number (after baseline). */
  limit: number | null;
  baseline?: number | null;
  samples: number;
  /**
   * The confidence bound on the side the objective guards (upper for `<`, lower for `>`);
   * null where the samples cannot bound it; absent for exact figures (max, throughput, recovery
   * time) and for a mean, which has no distribution-free bound.
   */
  bound?: number | null;
  /** The one-sided confidence of `bound`, e.g. 0.95. */
  confidence?: number;
  /** For `unproven`: what would prove it, in one line. */
  needs?: string;
  /**
   * For `unproven`: the estimates broke a relative limit, but the bounds of the run and its
   * baseline cannot show the breach (absent: the estimate met the limit, unproven).
   */
  breachUnproven?: true;
  reason: string;
}

export type GateStatus = 'pass' | 'warn' | 'fail' | 'inconclusive';

export interface GateVerdict {
  status: GateStatus;
  objectives: ObjectiveVerdict[];
  /** Why the run cannot support a verdict (generator behind schedule, …). */
  inconclusiveReasons: string[];
}
