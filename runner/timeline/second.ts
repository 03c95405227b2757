// One second of load as it accumulates: counts, errors by kind, latency / service-time /
// send-lag histograms and per request name its counts and latency. A generator records into it
// request by request, the timeline merges generators' buckets into it, the k6-operator ingest
// fills it from Prometheus differences. Its histograms come from a pool and go back to it.
import type { SecondBucket } from '../../thresholds/result.ts';
import { addEncoded, encode, type Histogram, type HistogramPool } from './hdr.ts';

/** A second as one generator saw it: a SecondBucket without the plan's target. */
export type GeneratorBucket = Omit<SecondBucket, 'target'>;

export interface RequestCounts {
  completed: number;
  errors: number;
  latency: Histogram;
}

export class SecondAccumulator {
  sent = 0;
  dropped = 0;
  completed = 0;
  errors = 0;
  readonly errorKinds: Record<string, number> = {};
  readonly latency: Histogram;
  readonly serviceTime: Histogram;
  readonly sendLag: Histogram;
  readonly byRequest = new Map<string, RequestCounts>();

  constructor(
    readonly t: number,
    private readonly pool: HistogramPool,
  ) {
    this.latency = pool.take();
    this.serviceTime = pool.take();
    this.sendLag = pool.take();
  }

  /** Request `name`'s counts, created empty the first time. */
  request(name: string): RequestCounts {
    let r = this.byRequest.get(name);
    if (r === undefined) {
      r = { completed: 0, errors: 0, latency: this.pool.take() };
      this.byRequest.set(name, r);
    }
    return r;
  }

  /**
   * Counts `n` completions of request `r` (from request()); `errorKind` is undefined on
   * success. Histograms are the caller's: a generator records each latency, the ingest buckets.
   */
  complete(r: RequestCounts, n: number, errorKind: string | undefined): void {
    this.completed += n;
    r.completed += n;
    if (errorKind !== undefined) {
      this.errors += n;
      r.errors += n;
      this.errorKinds[errorKind] = (this.errorKinds[errorKind] ?? 0) + n;
    }
  }

  /** Adds a bucket of the same second (another generator's, or this one frozen earlier). */
  merge(b: GeneratorBucket): void {
    this.sent += b.sent;
    this.dropped += b.dropped;
    this.completed += b.completed;
    this.errors += b.errors;
    for (const [kind, n] of Object.entries(b.errorKinds)) {
      this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + n;
    }
    addEncoded(this.latency, b.latency);
    addEncoded(this.serviceTime, b.serviceTime);
    addEncoded(this.sendLag, b.sendLag);
    for (const [name, br] of Object.entries(b.byRequest)) {
      const r = this.request(name);
      r.completed += br.completed;
      r.errors += br.errors;
      addEncoded(r.latency, br.latency);
    }
  }

  /** The second so far, histograms encoded; it stays open (errorKinds is shared, not copied). */
  encode(): GeneratorBucket {
    const byRequest: GeneratorBucket['byRequest'] = {};
    for (const [name, r] of this.byRequest) {
      byRequest[name] = { completed: r.completed, errors: r.errors, latency: encode(r.latency) };
    }
    return {
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
  }

  /** Gives the histograms back to the pool: the accumulator is not used afterwards. */
  release(): void {
    this.pool.give(this.latency);
    this.pool.give(this.serviceTime);
    this.pool.give(this.sendLag);
    for (const r of this.byRequest.values()) this.pool.give(r.latency);
  }

  /** The second encoded, its histograms back in the pool. */
  close(): GeneratorBucket {
    const bucket = this.encode();
    this.release();
    return bucket;
  }
}
