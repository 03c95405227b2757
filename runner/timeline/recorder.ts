// Per-second recording inside one generator (a worker thread, a k6 stream). Hot path: a
// sample touches one cached bucket and its histograms; nothing is allocated per request.
import { HistogramPool, recordMs } from './hdr.ts';
import { type GeneratorBucket, SecondAccumulator } from './second.ts';

/**
 * Every request counts in the second of its intended send time: sent or dropped when it is
 * due, and its completion (latency, errors) in that same second when it settles, however much
 * later. So a second is only final once every request sent in it has completed (or timed out):
 * flush() keeps a second with requests in flight open a little past its end, and a completion
 * later still reopens the second and leaves in a later bucket of it, which the timeline adds.
 */
export class SecondRecorder {
  private readonly open = new Map<number, SecondAccumulator>();
  private readonly pool = new HistogramPool();
  private last: SecondAccumulator | undefined;

  private bucket(t: number): SecondAccumulator {
    if (this.last !== undefined && this.last.t === t) return this.last;
    let b = this.open.get(t);
    if (b === undefined) {
      b = new SecondAccumulator(t, this.pool);
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
    b.complete(r, 1, errorKind);
    recordMs(b.latency, latencyMs);
    recordMs(b.serviceTime, serviceMs);
    recordMs(r.latency, latencyMs);
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
