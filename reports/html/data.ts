// What the HTML report's charts draw, cut from run.json alone (so old runs re-render): one
// value per second per series, never samples, so a 1-hour run stays small. Histograms are
// decoded here, in Node; the browser only draws numbers.
import { decode, type Histogram, newHistogram } from '../../runner/timeline/hdr.ts';
import type {
  RunResult,
  TimelineEvent,
  TimelineEventKind,
  WindowBounds,
} from '../../thresholds/result.ts';

/** A fault's active span: from `fault-injected` to the next `fault-removed` of its subject. */
export interface FaultWindow {
  subject: string;
  startS: number;
  endS: number;
  /** No `fault-removed` was recorded: the window runs to the end of the chart. */
  open: boolean;
}

/** A vertical line on the time charts. */
export interface EventMarker {
  t: number;
  kind: TimelineEventKind;
  subject?: string;
}

export interface Distribution {
  /** `1 / (1 - p)`: 1 = 0 %, 2 = 50 %, 10 = 90 %, 100 = 99 %, … */
  x: number[];
  /** Latency at that percentile, ms; null where the histogram is empty. */
  y: Array<number | null>;
  baseline?: Array<number | null>;
  count: number;
}

export interface ChartData {
  /** Seconds since the run's start: 0, 1, 2, … (the x of every time chart). */
  t: number[];
  /** Closed model: `target` holds VUs, not a rate. */
  closed: boolean;
  target: Array<number | null>;
  /** Requests completed in each second. */
  rps: Array<number | null>;
  p50: Array<number | null>;
  p95: Array<number | null>;
  p99: Array<number | null>;
  /** errors / completed × 100; null in a second where nothing completed. */
  errorPct: Array<number | null>;
  dropped: Array<number | null>;
  steady: WindowBounds | null;
  faults: FaultWindow[];
  markers: EventMarker[];
  distribution: Distribution;
  baseline?: { runId: string; rps: Array<number | null>; p95: Array<number | null> };
  /** A capacity search: each step's hold, in order of rate (the latency-vs-rate curve). */
  capacity?: CapacityCurve;
}

export interface CapacityCurve {
  rate: number[];
  p50: Array<number | null>;
  p95: Array<number | null>;
  p99: Array<number | null>;
  errorPct: Array<number | null>;
  status: string[];
}

/** The steps by rate: x the held rate, y its hold's percentiles (the "hockey stick"). */
function capacityCurve(run: RunResult): CapacityCurve | undefined {
  if (!run.capacity) return undefined;
  const steps = [...run.capacity.steps].sort((a, b) => a.rateRps - b.rateRps);
  const r = (v: number | null) => (v === null ? null : round(v));
  return {
    rate: steps.map((s) => round(s.rateRps)),
    p50: steps.map((s) => r(s.latencyMs.p50)),
    p95: steps.map((s) => r(s.latencyMs.p95)),
    p99: steps.map((s) => r(s.latencyMs.p99)),
    errorPct: steps.map((s) => (s.errorRate === null ? null : round(s.errorRate * 100))),
    status: steps.map((s) => s.status),
  };
}

/** Event kinds drawn as markers; the rest (run started/ended, fault requested) only clutter. */
const MARKED: ReadonlySet<TimelineEventKind> = new Set([
  'phase-started',
  'fault-injected',
  'fault-removed',
  'fault-recovered',
  'fault-failed',
  'rollback-triggered',
  'run-interrupted',
]);

/** Percentile curve resolution: 20 points per decade of `1/(1-p)`, up to 99.999 %. */
const STEPS_PER_DECADE = 20;
const MAX_DECADES = 5;

export function chartData(run: RunResult, baselineRun?: RunResult): ChartData {
  const own = perSecond(run);
  const base = baselineRun ? perSecond(baselineRun) : undefined;
  const length = Math.max(own.length, base?.length ?? 0);
  const t = Array.from({ length }, (_, i) => i);
  const pad = <T>(xs: Array<T | null>) => [
    ...xs,
    ...new Array<null>(length - xs.length).fill(null),
  ];

  const data: ChartData = {
    t,
    closed: run.plan.shape.model === 'closed',
    target: pad(own.target),
    rps: pad(own.rps),
    p50: pad(own.p50),
    p95: pad(own.p95),
    p99: pad(own.p99),
    errorPct: pad(own.errorPct),
    dropped: pad(own.dropped),
    steady: run.windows.steady ?? null,
    // A fault never removed lasts until the run's end (not the longer baseline's).
    faults: faultWindows(run.events, run.windows.whole?.endS ?? own.length),
    markers: run.events.filter((e) => MARKED.has(e.kind)).map(marker),
    distribution: distribution(own.whole, base?.whole),
  };
  const capacity = capacityCurve(run);
  if (capacity) data.capacity = capacity;
  if (base && baselineRun) {
    data.baseline = { runId: baselineRun.runId, rps: pad(base.rps), p95: pad(base.p95) };
  }
  return data;
}

function marker(e: TimelineEvent): EventMarker {
  const m: EventMarker = { t: e.t, kind: e.kind };
  if (e.subject !== undefined) m.subject = e.subject;
  return m;
}

interface Seconds {
  length: number;
  target: Array<number | null>;
  rps: Array<number | null>;
  p50: Array<number | null>;
  p95: Array<number | null>;
  p99: Array<number | null>;
  errorPct: Array<number | null>;
  dropped: Array<number | null>;
  /** Every second's latency histogram added up. */
  whole: Histogram;
}

/** The per-second series of one run, indexed by second (a missing second stays null). */
function perSecond(run: RunResult): Seconds {
  const length = run.timeline.reduce((n, s) => Math.max(n, Math.floor(s.t) + 1), 0);
  const empty = () => new Array<number | null>(length).fill(null);
  const out: Seconds = {
    length,
    target: empty(),
    rps: empty(),
    p50: empty(),
    p95: empty(),
    p99: empty(),
    errorPct: empty(),
    dropped: empty(),
    whole: newHistogram(),
  };
  for (const s of run.timeline) {
    const i = Math.floor(s.t);
    out.target[i] = round(s.target);
    out.rps[i] = s.completed;
    out.dropped[i] = s.dropped;
    out.errorPct[i] = s.completed > 0 ? round((s.errors / s.completed) * 100) : null;
    const h = decode(s.latency);
    if (h.totalCount > 0) {
      out.p50[i] = ms(h.getValueAtPercentile(50));
      out.p95[i] = ms(h.getValueAtPercentile(95));
      out.p99[i] = ms(h.getValueAtPercentile(99));
      out.whole.add(h);
    }
  }
  return out;
}

/** The percentile curve of a whole run, on a grid shared with its baseline's. */
function distribution(whole: Histogram, baseline?: Histogram): Distribution {
  const count = Math.max(whole.totalCount, baseline?.totalCount ?? 0);
  // Beyond 1/(1-p) = count the curve is flat at the max: stop at the decade that holds it.
  const decades = Math.min(MAX_DECADES, Math.max(1, Math.ceil(Math.log10(Math.max(count, 1)))));
  const x: number[] = [];
  for (let k = 0; k <= decades * STEPS_PER_DECADE; k++) {
    x.push(round(10 ** (k / STEPS_PER_DECADE)));
  }
  const curve = (h: Histogram) =>
    x.map((v) => (h.totalCount > 0 ? ms(h.getValueAtPercentile(100 * (1 - 1 / v))) : null));
  const out: Distribution = { x, y: curve(whole), count: whole.totalCount };
  if (baseline) out.baseline = curve(baseline);
  return out;
}

/** Pairs each `fault-injected` with the next `fault-removed` of the same subject. */
export function faultWindows(events: TimelineEvent[], endS: number): FaultWindow[] {
  const open = new Map<string, number>();
  const windows: FaultWindow[] = [];
  const sorted = [...events].sort((a, b) => a.t - b.t);
  for (const e of sorted) {
    const subject = e.subject ?? 'fault';
    if (e.kind === 'fault-injected' && !open.has(subject)) {
      open.set(subject, e.t);
    } else if (e.kind === 'fault-removed') {
      const startS = open.get(subject);
      if (startS === undefined) continue;
      open.delete(subject);
      windows.push({ subject, startS, endS: e.t, open: false });
    }
  }
  for (const [subject, startS] of open) {
    windows.push({ subject, startS, endS: Math.max(endS, startS), open: true });
  }
  return windows.sort((a, b) => a.startS - b.startS);
}

/** µs → ms, to the 4 significant digits HDR (3 digits) can support. */
function ms(us: number): number {
  return round(us / 1000);
}

function round(v: number): number {
  return Number(v.toPrecision(4));
}
