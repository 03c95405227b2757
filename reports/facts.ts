// Facts every report states the same way: the run's overall verdict, its whole-window
// totals, and its errors by kind. Pure functions of a RunResult.

import type { GateStatus, WindowStats } from '../thresholds/model.ts';
import { formatMetricValue } from '../thresholds/objective.ts';
import { plannedArrivals } from '../thresholds/plan.ts';
import type { RunResult } from '../thresholds/result.ts';
import { windowSeconds } from '../thresholds/seconds.ts';

/** The gate's verdict, or how the run ended when it did not end normally. */
export type RunVerdict = GateStatus | 'aborted' | 'errored' | 'interrupted';

export function runVerdict(run: RunResult): RunVerdict {
  return run.outcome.state === 'completed' ? run.verdict.status : run.outcome.state;
}

/** `ecommerce/10k`, or `ad-hoc` for a run that came from no roadmap. */
export function runLabel(run: RunResult): string {
  const { roadmap, tier } = run.plan;
  if (!roadmap) return tier ?? 'ad-hoc';
  return tier ? `${roadmap}/${tier}` : roadmap;
}

/** The whole-window stats over all request names, if the run got that far. */
export function wholeStats(run: RunResult): WindowStats | undefined {
  return run.stats.find((s) => s.window === 'whole' && s.request === undefined);
}

export interface RunTotals {
  durationS: number;
  scheduled: number;
  completed: number;
  errors: number;
  dropped: number;
  /** errors / completed; null when nothing completed. */
  errorRate: number | null;
  /** completed / durationS; 0 for a run of no duration. */
  achievedRps: number;
  /** The plan's peak arrival rate (open model); null for a closed model. */
  targetRps: number | null;
  /** What the plan scheduled per second over the same span, ramps included; null if closed. */
  plannedRps: number | null;
}

/**
 * Totals over the whole window. They come from the whole-window stats; a run that ended
 * before those were cut (a crash) falls back to summing its timeline.
 */
export function runTotals(run: RunResult): RunTotals {
  const whole = wholeStats(run);
  const bounds = run.windows.whole;
  const durationS = whole
    ? whole.endS - whole.startS
    : bounds
      ? bounds.endS - bounds.startS
      : run.timeline.length;
  let { scheduled, completed, errors, dropped } = whole ?? {
    scheduled: 0,
    completed: 0,
    errors: 0,
    dropped: 0,
  };
  if (!whole) {
    for (const s of run.timeline) {
      scheduled += s.sent + s.dropped;
      completed += s.completed;
      errors += s.errors;
      dropped += s.dropped;
    }
  }
  const startS = whole?.startS ?? bounds?.startS ?? 0;
  const { shape } = run.plan;
  const plannedRps =
    shape.model === 'open' && durationS > 0
      ? plannedArrivals(shape.phases, startS, startS + durationS) / durationS
      : null;
  return {
    durationS,
    scheduled,
    completed,
    errors,
    dropped,
    errorRate: completed > 0 ? errors / completed : null,
    achievedRps: durationS > 0 ? completed / durationS : 0,
    targetRps: run.plan.shape.model === 'open' ? run.plan.peak : null,
    plannedRps,
  };
}

/**
 * `20.8 req/s of 20.8 req/s planned (100%), peaking at 25 req/s`: achieved against what the
 * plan scheduled over the same span (a ramp's average, not its peak); VUs for a closed run.
 */
export function throughputText(run: RunResult, t: RunTotals = runTotals(run)): string {
  const rps = (v: number) => formatMetricValue('throughput', v);
  if (run.plan.shape.model === 'closed') {
    return `${rps(t.achievedRps)} with ${count(run.plan.peak)} VUs (closed model)`;
  }
  if (t.plannedRps === null || t.plannedRps <= 0) return `${rps(t.achievedRps)}, none planned`;
  const text = `${rps(t.achievedRps)} of ${rps(t.plannedRps)} planned (${percent(t.achievedRps / t.plannedRps)})`;
  const peak = t.targetRps ?? t.plannedRps;
  return peak > t.plannedRps * 1.005 ? `${text}, peaking at ${rps(peak)}` : text;
}

/** Error counts by class over the whole timeline, largest first. */
export function errorsByKind(run: RunResult): Array<[kind: string, count: number]> {
  const totals = new Map<string, number>();
  for (const s of run.timeline) {
    for (const [kind, n] of Object.entries(s.errorKinds)) {
      totals.set(kind, (totals.get(kind) ?? 0) + n);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Why the run did not end normally, in one sentence; undefined when it completed. */
export function outcomeSentence(run: RunResult): string | undefined {
  const o = run.outcome;
  switch (o.state) {
    case 'completed':
      return undefined;
    case 'aborted':
      return `aborted by rollback trigger ${o.trigger} at ${seconds(o.atS)}: ${o.reason}`;
    case 'interrupted':
      return `interrupted by ${o.signal} at ${seconds(o.atS)}`;
    case 'errored':
      return `could not complete: ${o.reason}`;
  }
}

/** `12.3 s`, `4 min 5 s`, `1 h 2 min`. */
export function seconds(s: number): string {
  if (s < 60) return `${Number(s.toFixed(s < 10 ? 2 : 1))} s`;
  const whole = Math.round(s);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const sec = whole % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return sec > 0 ? `${m} min ${sec} s` : `${m} min`;
}

/**
 * Requests completed per second over a window; null for a window of no length. Window stats
 * add up whole seconds of the timeline (see windowSeconds), so the rate is over those seconds,
 * not over the window's fractional bounds.
 */
export function windowRps(s: WindowStats): number | null {
  const { first, end } = windowSeconds(s.startS, s.endS);
  return end > first ? s.completed / (end - first) : null;
}

/**
 * `+61%`, `-0.4%` of a signed fraction, to a precision that keeps small changes readable;
 * `0%` only for no change at all (a tiny change keeps its sign: `+0%`).
 */
export function signedPercent(fraction: number): string {
  if (fraction === 0) return '0%';
  const abs = Math.abs(fraction * 100);
  const digits = abs >= 10 ? 0 : abs >= 1 ? 1 : 2;
  return `${fraction < 0 ? '-' : '+'}${Number(abs.toFixed(digits))}%`;
}

/** `12,345` */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1.23%` of a fraction (written like formatMetricValue's shares), to a precision that keeps small shares readable. */
export function percent(fraction: number): string {
  const p = fraction * 100;
  if (p === 0) return '0%';
  const digits = Math.abs(p) >= 10 ? 1 : Math.abs(p) >= 1 ? 2 : 3;
  return `${Number(p.toFixed(digits))}%`;
}

/**
 * Whether service time tells a different story from latency: their p99s differ by more
 * than 10 % (the generator queued requests, or the open model caught queueing).
 */
export function serviceTimeDiffers(s: WindowStats): boolean {
  const lat = s.latency.p99;
  const svc = s.serviceTime.p99;
  if (s.serviceTime.count === 0 || lat <= 0) return false;
  return Math.abs(lat - svc) / lat > 0.1;
}

/** How an engine's measurements differ from the intended-send-time model, in words. */
interface EngineTraits {
  /** Where its latency starts, when not at the intended send time. */
  latencyOrigin?: string;
  /** How it places requests in seconds, when not at the intended send time. */
  windowEdge?: string;
}

const ENGINE_TRAITS: Record<RunResult['engine']['name'], EngineTraits> = {
  local: {},
  autocannon: {},
  k6: {
    latencyOrigin: 'from the actual send: k6 measures service time',
    windowEdge:
      'k6 has no intended send time: a request counts in the second k6 sent it (its sample time less http_req_duration)',
  },
  'k6-operator': {
    windowEdge:
      'k6-operator reports cumulative counts per runner push, not per request: a request counts at the push ' +
      'that reported its completion, not at its send, so one in flight across a window edge (held by a fault ' +
      'until its removal) counts in the next window',
  },
};

/** How the run's latency was measured, in words: only the local open model has intended times. */
export function latencyOrigin(run: RunResult): string {
  const ratio = run.engine.latencyBucketRatio;
  const coarse =
    ratio === undefined
      ? ''
      : `; each at the top of a histogram bucket up to ${percent(ratio - 1)} wide, so percentiles read up to that much high and their lower bounds reach that far down`;
  return `${sendOrigin(run)}${coarse}`;
}

function sendOrigin(run: RunResult): string {
  const own = ENGINE_TRAITS[run.engine.name].latencyOrigin;
  if (own !== undefined) return own;
  if (run.plan.shape.model === 'closed') return 'from the actual send (closed model)';
  return 'from the intended send time';
}

/**
 * How the engine placed requests in seconds, where it is not the intended send time, in
 * words: windows are cut from those seconds, so this is how far a window's edge can be trusted.
 */
export function windowEdgeNote(run: RunResult): string | undefined {
  return ENGINE_TRAITS[run.engine.name].windowEdge;
}
