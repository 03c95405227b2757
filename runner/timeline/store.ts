// The run's one timeline: per-second buckets merged from every generator. Histograms are merged
// (added), never averaged, so a percentile over any window is the true percentile of all
// requests. Recent seconds stay decoded while generators may still report into them; older
// seconds are kept encoded so memory stays flat however long the run.
import type { WindowName, WindowStats } from '../../thresholds/model.ts';
import type { SecondBucket } from '../../thresholds/result.ts';
import { windowSeconds } from '../../thresholds/seconds.ts';
import { addEncoded, encode, type Histogram, newHistogram, summarize } from './hdr.ts';
import type { GeneratorBucket } from './recorder.ts';

interface LiveRequest {
  completed: number;
  errors: number;
  latency: Histogram;
}

interface LiveSecond {
  t: number;
  sent: number;
  dropped: number;
  completed: number;
  errors: number;
  errorKinds: Record<string, number>;
  latency: Histogram;
  serviceTime: Histogram;
  sendLag: Histogram;
  byRequest: Map<string, LiveRequest>;
}

/** Seconds behind the newest report that stay decoded (late reports merge cheaply). */
const LIVE_HORIZON_S = 4;

function liveSecond(t: number): LiveSecond {
  return {
    t,
    sent: 0,
    dropped: 0,
    completed: 0,
    errors: 0,
    errorKinds: {},
    latency: newHistogram(),
    serviceTime: newHistogram(),
    sendLag: newHistogram(),
    byRequest: new Map(),
  };
}

function mergeInto(live: LiveSecond, b: GeneratorBucket): void {
  live.sent += b.sent;
  live.dropped += b.dropped;
  live.completed += b.completed;
  live.errors += b.errors;
  for (const [kind, n] of Object.entries(b.errorKinds)) {
    live.errorKinds[kind] = (live.errorKinds[kind] ?? 0) + n;
  }
  addEncoded(live.latency, b.latency);
  addEncoded(live.serviceTime, b.serviceTime);
  addEncoded(live.sendLag, b.sendLag);
  for (const [name, r] of Object.entries(b.byRequest)) {
    let lr = live.byRequest.get(name);
    if (lr === undefined) {
      lr = { completed: 0, errors: 0, latency: newHistogram() };
      live.byRequest.set(name, lr);
    }
    lr.completed += r.completed;
    lr.errors += r.errors;
    addEncoded(lr.latency, r.latency);
  }
}

function freeze(live: LiveSecond, target: number): SecondBucket {
  const byRequest: SecondBucket['byRequest'] = {};
  for (const [name, r] of live.byRequest) {
    byRequest[name] = { completed: r.completed, errors: r.errors, latency: encode(r.latency) };
  }
  return {
    t: live.t,
    target,
    sent: live.sent,
    dropped: live.dropped,
    completed: live.completed,
    errors: live.errors,
    errorKinds: live.errorKinds,
    latency: encode(live.latency),
    serviceTime: encode(live.serviceTime),
    sendLag: encode(live.sendLag),
    byRequest,
  };
}

function thaw(b: SecondBucket): LiveSecond {
  const live = liveSecond(b.t);
  mergeInto(live, b);
  return live;
}

export interface WindowQuery {
  window: WindowName;
  startS: number;
  endS: number;
  request?: string;
}

export class TimelineStore {
  private readonly frozen = new Map<number, SecondBucket>();
  private readonly live = new Map<number, LiveSecond>();
  private newest = -1;

  /** `targetAt(t)` gives the plan's target for second t (stored beside the measurements). */
  constructor(private readonly targetAt: (t: number) => number) {}

  static fromBuckets(buckets: SecondBucket[]): TimelineStore {
    const byT = new Map(buckets.map((b) => [b.t, b.target]));
    const store = new TimelineStore((t) => byT.get(t) ?? 0);
    for (const b of buckets) store.frozen.set(b.t, b);
    store.newest = Math.max(-1, ...buckets.map((b) => b.t));
    return store;
  }

  add(bucket: GeneratorBucket): void {
    let live = this.live.get(bucket.t);
    if (live === undefined) {
      const old = this.frozen.get(bucket.t);
      live = old ? thaw(old) : liveSecond(bucket.t);
      this.frozen.delete(bucket.t);
      this.live.set(bucket.t, live);
    }
    mergeInto(live, bucket);
    if (bucket.t > this.newest) this.newest = bucket.t;
    this.freezeBefore(this.newest - LIVE_HORIZON_S);
  }

  private freezeBefore(t: number): void {
    for (const [s, live] of this.live) {
      if (s < t) {
        this.frozen.set(s, freeze(live, this.targetAt(s)));
        this.live.delete(s);
      }
    }
  }

  /** Freezes everything: call when every generator has flushed. */
  finish(): void {
    this.freezeBefore(Number.POSITIVE_INFINITY);
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
          : (this.frozen.get(t) ?? freeze(liveSecond(t), this.targetAt(t))),
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
      const src = this.live.get(t) ?? this.frozen.get(t);
      if (!src) continue;
      out.completed += src.completed;
      out.errors += src.errors;
      out.dropped += src.dropped;
    }
    return out;
  }

  /** Stats of the seconds in [startS, endS), over all requests or one request name. */
  stats(q: WindowQuery): WindowStats {
    const latency = newHistogram();
    const serviceTime = newHistogram();
    const sendLag = newHistogram();
    let sent = 0;
    let dropped = 0;
    let completed = 0;
    let errors = 0;
    const { first, end } = windowSeconds(q.startS, q.endS);
    const last = Math.min(this.newest, end - 1);
    for (let t = first; t <= last; t++) {
      const live = this.live.get(t);
      const frozen = live ? undefined : this.frozen.get(t);
      if (!live && !frozen) continue;
      if (q.request === undefined) {
        if (live) {
          latency.add(live.latency);
          serviceTime.add(live.serviceTime);
          sendLag.add(live.sendLag);
        } else if (frozen) {
          addEncoded(latency, frozen.latency);
          addEncoded(serviceTime, frozen.serviceTime);
          addEncoded(sendLag, frozen.sendLag);
        }
        const src = (live ?? frozen)!;
        completed += src.completed;
        errors += src.errors;
      } else {
        const r = live ? live.byRequest.get(q.request) : frozen?.byRequest[q.request];
        if (r) {
          if (live) latency.add((r as LiveRequest).latency);
          else addEncoded(latency, (r as SecondBucket['byRequest'][string]).latency);
          completed += r.completed;
          errors += r.errors;
        }
      }
      const src = (live ?? frozen)!;
      sent += src.sent;
      dropped += src.dropped;
    }
    const stats: WindowStats = {
      window: q.window,
      startS: q.startS,
      endS: q.endS,
      scheduled: sent + dropped,
      completed,
      errors,
      dropped,
      latency: summarize(latency),
      serviceTime: summarize(serviceTime),
      sendLag: summarize(sendLag),
    };
    if (q.request !== undefined) stats.request = q.request;
    return stats;
  }

  /** Latency of the whole run as one histogram (for the distribution chart). */
  wholeLatency(): Histogram {
    const h = newHistogram();
    for (const b of this.buckets()) addEncoded(h, b.latency);
    return h;
  }
}
