// Per-second recording inside one generator (a worker thread, a k6 stream). Hot path: a
// sample touches one cached bucket and its histograms; nothing is allocated per request.
import type { SecondBucket } from '../../thresholds/result.ts';
import { encode, type Histogram, HistogramPool, recordMs } from './hdr.ts';

/** A second as one generator saw it: a SecondBucket without the plan's target. */
export type GeneratorBucket = Omit<SecondBucket, 'target'>;

interface RequestCounters {
  completed: number;
  errors: number;
  latency: Histogram;
}

class OpenBucket {
  sent = 0;
  dropped = 0;
  completed = 0;
  errors = 0;
  readonly errorKinds: Record<string, number> = {};
  readonly latency: Histogram;
  readonly serviceTime: Histogram;
  readonly sendLag: Histogram;
  readonly byRequest = new Map<string, RequestCounters>();

  constructor(
    readonly t: number,
    private readonly pool: HistogramPool,
  ) {
    this.latency = pool.take();
    this.serviceTime = pool.take();
    this.sendLag = pool.take();
  }

  request(name: string): RequestCounters {
    let r = this.byRequest.get(name);
    if (r === undefined) {
      r = { completed: 0, errors: 0, latency: this.pool.take() };
      this.byRequest.set(name, r);
    }
    return r;
  }

  /** The second as encoded histograms; its histograms go back to the pool. */
  close(): GeneratorBucket {
    const byRequest: GeneratorBucket['byRequest'] = {};
    for (const [name, r] of this.byRequest) {
      byRequest[name] = { completed: r.completed, errors: r.errors, latency: encode(r.latency) };
      this.pool.give(r.latency);
    }
    const bucket: GeneratorBucket = {
      t: this.t,
      sent: this.sent,
      dropped: this.dropped,
      completed: this.completed,
      errors: this.errors,
      errorKinds: this.errorKinds,
      latency: encode(this.latency),
      serviceTime: encode(this.serviceTime),
      sendLag: encode(this.sendLag),
      byRequest,
    };
    this.pool.give(this.latency);
    this.pool.give(this.serviceTime);
    this.pool.give(this.sendLag);
    return bucket;
  }
}

/**
 * Every request counts in the second of its intended send time: sent or dropped when it is
 * due, and its completion (latency, errors) in that same second when it settles, however much
 * later. So a second is only final once every request sent in it has completed (or timed out):
 * flush() keeps a second with requests in flight open a little past its end, and a completion
 * later still reopens the second and leaves in a later bucket of it, which the timeline adds.
 */
export class SecondRecorder {
  private readonly open = new Map<number, OpenBucket>();
  private readonly pool = new HistogramPool();
  private last: OpenBucket | undefined;

  private bucket(t: number): OpenBucket {
    if (this.last !== undefined && this.last.t === t) return this.last;
    let b = this.open.get(t);
    if (b === undefined) {
      b = new OpenBucket(t, this.pool);
      this.open.set(t, b);
    }
    this.last = b;
    return b;
  }

  sent(intendedS: number, sendLagMs: number): void {
    const b = this.bucket(Math.floor(intendedS));
    b.sent++;
    recordMs(b.sendLag, sendLagMs);
  }

  dropped(intendedS: number): void {
    this.bucket(Math.floor(intendedS)).dropped++;
  }

  /** A completed request, counted at its intended send time: `errorKind` is undefined on success. */
  completed(
    intendedS: number,
    name: string,
    latencyMs: number,
    serviceMs: number,
    errorKind: string | undefined,
  ): void {
    const b = this.bucket(Math.floor(intendedS));
    const r = b.request(name);
    b.completed++;
    r.completed++;
    recordMs(b.latency, latencyMs);
    recordMs(b.serviceTime, serviceMs);
    recordMs(r.latency, latencyMs);
    if (errorKind !== undefined) {
      b.errors++;
      r.errors++;
      b.errorKinds[errorKind] = (b.errorKinds[errorKind] ?? 0) + 1;
    }
  }

  /**
   * Closes and returns every second before `beforeS` (all of them when omitted), except one
   * whose requests are not all completed yet and that ended less than `holdS` before `beforeS`:
   * holding it a moment lets a healthy second leave in one bucket instead of two.
   */
  flush(beforeS = Number.POSITIVE_INFINITY, holdS = 0): GeneratorBucket[] {
    const out: GeneratorBucket[] = [];
    for (const [t, b] of this.open) {
      if (t < beforeS && (b.completed >= b.sent || t + 1 + holdS <= beforeS)) {
        out.push(b.close());
        this.open.delete(t);
        if (this.last === b) this.last = undefined;
      }
    }
    return out.sort((a, b) => a.t - b.t);
  }
}
