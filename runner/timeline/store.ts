// The run's one timeline: per-second buckets merged from every generator. Histograms are merged
// (added), never averaged, so a percentile over any window is the true percentile of all
// requests. A request counts in the second of its intended send time, so a second can still
// receive completions long after the clock left it: recent seconds, and older ones whose
// requests are still in flight (up to the request timeout), stay decoded; the rest are encoded
// and, while recording, spilled to a temporary file (frozen.ts), so memory stays flat however
// long the run. A report for a second already frozen still lands: it thaws the second.
import type { WindowName, WindowStats } from '../../thresholds/model.ts';
import type { SecondBucket } from '../../thresholds/result.ts';
import { windowSeconds } from '../../thresholds/seconds.ts';
import { type FrozenSeconds, InMemorySeconds, SpilledSeconds } from './frozen.ts';
import {
  addEncoded,
  addSparse,
  type Histogram,
  HistogramPool,
  newHistogram,
  type SparseCounts,
  sparseCounts,
  summarize,
} from './hdr.ts';
import { RunTotals } from './run-totals.ts';
import { type GeneratorBucket, SecondAccumulator } from './second.ts';

/** Seconds behind the newest report that stay decoded (late reports merge cheaply). */
const LIVE_HORIZON_S = 4;

/** A live second with the plan's target: key order as in run.json (t, target, then the rest). */
function freeze(live: SecondAccumulator, target: number): SecondBucket {
  const { t, ...rest } = live.encode();
  return { t, target, ...rest };
}

/** A second with nothing in it (a cool-down between a capacity search's steps, say). */
export function emptySecond(t: number, target: number): SecondBucket {
  return {
    t,
    target,
    sent: 0,
    dropped: 0,
    completed: 0,
    errors: 0,
    errorKinds: {},
    latency: '',
    serviceTime: '',
    sendLag: '',
    byRequest: {},
  };
}

export interface WindowQuery {
  window: WindowName;
  startS: number;
  endS: number;
  request?: string;
  /** Give latency and service-time percentiles their bounds at this one-sided confidence. */
  confidence?: number;
  /** Latencies were recorded at bucket upper edges this coarse: lower bounds reach that far down. */
  bucketRatio?: number;
}

/** One query's running sums while the seconds are read. */
class WindowAccumulator {
  readonly latency = newHistogram();
  readonly serviceTime = newHistogram();
  readonly sendLag = newHistogram();
  sent = 0;
  dropped = 0;
  completed = 0;
  errors = 0;
  readonly first: number;
  readonly last: number;

  constructor(
    readonly query: WindowQuery,
    newest: number,
  ) {
    const { first, end } = windowSeconds(query.startS, query.endS);
    this.first = first;
    this.last = Math.min(newest, end - 1);
  }

  covers(t: number): boolean {
    return t >= this.first && t <= this.last;
  }

  result(): WindowStats {
    const q = this.query;
    const stats: WindowStats = {
      window: q.window,
      startS: q.startS,
      endS: q.endS,
      scheduled: this.sent + this.dropped,
      completed: this.completed,
      errors: this.errors,
      dropped: this.dropped,
      latency: summarize(this.latency, q.confidence, q.bucketRatio),
      serviceTime: summarize(this.serviceTime, q.confidence, q.bucketRatio),
      sendLag: summarize(this.sendLag),
    };
    if (q.request !== undefined) stats.request = q.request;
    return stats;
  }
}

/** A second's histograms, each read at most once however many windows cover it. */
class SecondReader {
  private readonly decoded = new Map<string, SparseCounts>();

  constructor(
    private readonly live: SecondAccumulator | undefined,
    private readonly frozen: SecondBucket | undefined,
  ) {}

  private addTo(
    into: Histogram,
    key: string,
    live: Histogram | undefined,
    encoded: string | undefined,
  ): void {
    if (live !== undefined) {
      into.add(live);
      return;
    }
    let sparse = this.decoded.get(key);
    if (sparse === undefined) {
      sparse = sparseCounts(encoded ?? '');
      this.decoded.set(key, sparse);
    }
    addSparse(into, sparse);
  }

  addWhole(into: Histogram, which: 'latency' | 'serviceTime' | 'sendLag'): void {
    this.addTo(into, which, this.live?.[which], this.frozen?.[which]);
  }

  /** Adds request `name`'s latency into `into`; its counts, or undefined if it had none. */
  addRequest(into: Histogram, name: string): { completed: number; errors: number } | undefined {
    const live = this.live?.byRequest.get(name);
    const frozen = this.frozen?.byRequest[name];
    const src = live ?? frozen;
    if (src === undefined) return undefined;
    this.addTo(into, `request:${name}`, live?.latency, frozen?.latency);
    return src;
  }
}

export class TimelineStore {
  private readonly live = new Map<number, SecondAccumulator>();
  private readonly pool = new HistogramPool();
  private newest = -1;
  private totals: RunTotals | undefined;

  /**
   * `targetAt(t)` gives the plan's target for second t (stored beside the measurements). Final
   * seconds are spilled to a temporary file unless another store is given: call close().
   * `awaitS`: how long past the live horizon a second whose requests are still in flight stays
   * decoded, waiting for them (the plan's request timeout).
   */
  constructor(
    private readonly targetAt: (t: number) => number,
    private readonly frozen: FrozenSeconds = new SpilledSeconds(),
    private readonly awaitS = 0,
  ) {}

  static fromBuckets(buckets: SecondBucket[]): TimelineStore {
    const byT = new Map(buckets.map((b) => [b.t, b.target]));
    const store = new TimelineStore((t) => byT.get(t) ?? 0, new InMemorySeconds());
    for (const b of buckets) store.frozen.set(b);
    store.newest = Math.max(-1, ...buckets.map((b) => b.t));
    return store;
  }

  add(bucket: GeneratorBucket): void {
    let live = this.live.get(bucket.t);
    if (live === undefined) {
      live = new SecondAccumulator(bucket.t, this.pool);
      const old = this.frozen.get(bucket.t);
      if (old) live.merge(old); // thawed: the second was frozen already
      this.frozen.delete(bucket.t);
      this.live.set(bucket.t, live);
    }
    live.merge(bucket);
    this.totals?.add(bucket);
    if (bucket.t > this.newest) this.newest = bucket.t;
    this.freezeBefore(this.newest - LIVE_HORIZON_S);
  }

  /** Running totals since t = 0, fed with every bucket added from now on (live metrics). */
  runningTotals(): RunTotals {
    this.totals ??= new RunTotals();
    return this.totals;
  }

  private freezeBefore(t: number): void {
    for (const [s, live] of this.live) {
      const awaited = live.completed < live.sent && s >= t - this.awaitS;
      if (s < t && !awaited) {
        this.frozen.set(freeze(live, this.targetAt(s)));
        this.live.delete(s);
        live.release();
      }
    }
  }

  /** Freezes everything: call when every generator has flushed. */
  finish(): void {
    this.freezeBefore(Number.POSITIVE_INFINITY);
  }

  /** Frees the spill file. Read buckets() first: the store is empty afterwards. */
  close(): void {
    this.frozen.close();
  }

  /** Newest second any generator has reported. */
  get newestSecond(): number {
    return this.newest;
  }

  /** Every second from 0 to the newest, gaps filled with empty seconds. */
  buckets(): SecondBucket[] {
    const out: SecondBucket[] = [];
    for (let t = 0; t <= this.newest; t++) {
      const live = this.live.get(t);
      out.push(
        live
          ? freeze(live, this.targetAt(t))
          : (this.frozen.get(t) ?? emptySecond(t, this.targetAt(t))),
      );
    }
    return out;
  }

  /**
   * Request counts of the seconds in [startS, endS), without touching a histogram: cheap enough
   * to call every second over the whole run (the progress line does).
   */
  counts(startS: number, endS: number): { completed: number; errors: number; dropped: number } {
    const out = { completed: 0, errors: 0, dropped: 0 };
    const { first, end } = windowSeconds(startS, endS);
    for (let t = first; t < Math.min(end, this.newest + 1); t++) {
      const src = this.live.get(t) ?? this.frozen.totals(t);
      if (!src) continue;
      out.completed += src.completed;
      out.errors += src.errors;
      out.dropped += src.dropped;
    }
    return out;
  }

  /** Stats of the seconds in [startS, endS), over all requests or one request name. */
  stats(q: WindowQuery): WindowStats {
    return this.statsMany([q])[0]!;
  }

  /**
   * Stats of many windows in one pass over the seconds: each second is read and each of its
   * histograms decoded once, however many windows (and request names) cover it.
   */
  statsMany(queries: WindowQuery[]): WindowStats[] {
    const acc = queries.map((q) => new WindowAccumulator(q, this.newest));
    const first = Math.min(...acc.map((a) => a.first));
    const last = Math.max(...acc.map((a) => a.last));
    for (let t = first; t <= last; t++) {
      const covering = acc.filter((a) => a.covers(t));
      if (covering.length === 0) continue;
      const live = this.live.get(t);
      const totals = live ?? this.frozen.totals(t);
      if (totals === undefined) continue;
      const reader = new SecondReader(live, live ? undefined : this.frozen.get(t));
      for (const a of covering) {
        a.sent += totals.sent;
        a.dropped += totals.dropped;
        if (a.query.request === undefined) {
          reader.addWhole(a.latency, 'latency');
          reader.addWhole(a.serviceTime, 'serviceTime');
          reader.addWhole(a.sendLag, 'sendLag');
          a.completed += totals.completed;
          a.errors += totals.errors;
          continue;
        }
        const r = reader.addRequest(a.latency, a.query.request);
        if (r === undefined) continue;
        a.completed += r.completed;
        a.errors += r.errors;
      }
    }
    return acc.map((a) => a.result());
  }

  /** Latency of the whole run as one histogram (for the distribution chart). */
  wholeLatency(): Histogram {
    const h = newHistogram();
    for (const b of this.buckets()) addEncoded(h, b.latency);
    return h;
  }
}
