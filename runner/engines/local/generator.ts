// One load generator (it runs inside a worker thread). Open model: arrivals are sent at their
// intended times whether or not earlier requests have returned; latency is measured from the
// intended time, service time from the actual send; an arrival that finds the in-flight cap
// reached is counted as dropped, never silently skipped. Closed model: VUs that loop.
import { Pool } from 'undici';
import { sharedNowMs } from '../../../core/clock.ts';
import { WeightedMix } from '../../../thresholds/mix.ts';
import type { RatePhase, VuPhase } from '../../../thresholds/model.ts';
import { SecondRecorder } from '../../timeline/recorder.ts';
import type { GeneratorBucket } from '../../timeline/second.ts';
import { ArrivalSchedule } from './arrivals.ts';
import { Deadlines } from './deadlines.ts';
import { Exchange, type ExchangeOwner, type PreparedRequest, prepareRequest } from './http.ts';
import type { WorkerConfig } from './protocol.ts';

const FLUSH_EVERY_MS = 250;
/**
 * A second with requests still in flight is held this long past its end before it leaves
 * (those that complete later follow in a later bucket of the same second).
 */
const HOLD_OPEN_S = 1;

export class Generator implements ExchangeOwner {
  private readonly recorder = new SecondRecorder();
  private readonly pool: Pool;
  private readonly mix: WeightedMix<PreparedRequest>;
  private readonly deadlines = new Deadlines<Exchange>(() => this.elapsedMs());
  /** True while inside pool.dispatch: an exchange that settles then did so synchronously. */
  private dispatching = false;
  private inFlight = 0;
  private stopping = false;
  private discard = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private idle: (() => void) | undefined;
  /** The open model's arrivals: this generator's next one (undefined once the plan is over). */
  private arrivals: { schedule: ArrivalSchedule; k: number; next: number | undefined } | undefined;

  constructor(
    private readonly config: WorkerConfig,
    private readonly emit: (buckets: GeneratorBucket[]) => void,
  ) {
    this.pool = new Pool(config.target, {
      connections: config.connections,
      pipelining: 1,
      // The generator's own deadline (deadlines.ts) bounds each request from its send to its
      // last byte; undici's per-request header/body timers would only repeat it, at a cost.
      headersTimeout: 0,
      bodyTimeout: 0,
      connectTimeout: Math.min(config.timeoutMs, 10_000),
    });
    const prepared = config.requests.map((r) => prepareRequest(r, config.freshConnections));
    this.mix = new WeightedMix(
      prepared,
      config.requests.map((r) => r.weight),
      0x9e3779b9 ^ config.index,
    );
  }

  private elapsedMs(): number {
    return sharedNowMs() - this.config.startAtMs;
  }

  /** Runs the plan to its end (or until stop()), waits for in-flight requests, flushes. */
  async run(): Promise<void> {
    this.flushTimer = setInterval(() => this.flushClosed(), FLUSH_EVERY_MS);
    try {
      const wait = this.config.startAtMs - sharedNowMs();
      if (wait > 0) await sleep(wait);
      if (this.config.shape.model === 'open') await this.runOpen(this.config.shape.phases);
      else await this.runClosed(this.config.shape.phases);
      await this.drained();
    } finally {
      clearInterval(this.flushTimer);
      this.deadlines.clear();
      await this.pool.destroy().catch(() => undefined);
      const rest = this.recorder.flush();
      if (rest.length > 0) this.emit(rest);
    }
  }

  /** Stops sending; in-flight requests get `graceMs` to finish, then are abandoned uncounted. */
  stop(graceMs: number): void {
    this.stopping = true;
    setTimeout(() => {
      this.discard = true;
      this.inFlight = 0;
      this.idle?.();
    }, graceMs).unref();
  }

  private flushClosed(): void {
    const buckets = this.recorder.flush(Math.floor(this.elapsedMs() / 1000), HOLD_OPEN_S);
    if (buckets.length > 0) this.emit(buckets);
  }

  private drained(): Promise<void> {
    if (this.inFlight === 0 || this.discard) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle = resolve;
    });
  }

  /** Sends one request now; `then` runs once it has settled (a closed-model VU's next loop). */
  private fire(intendedMs: number, then?: () => void): void {
    const req = this.mix.pick();
    const sentMs = this.elapsedMs();
    this.recorder.sent(intendedMs / 1000, sentMs - intendedMs);
    this.inFlight++;
    const x = new Exchange(this, req, intendedMs, sentMs, sentMs + this.config.timeoutMs, then);
    this.deadlines.add(x);
    this.dispatching = true;
    try {
      x.send(this.pool);
    } finally {
      this.dispatching = false;
    }
  }

  settle(x: Exchange, errorKind: string | undefined): void {
    // After the stop grace, late requests go uncounted (a VU still ends its loop).
    if (!this.discard) {
      const doneMs = this.elapsedMs();
      this.inFlight--;
      this.deadlines.settled();
      // In the second it was due, like its send: latency already runs from there.
      this.recorder.completed(
        x.intendedMs / 1000,
        x.req.name,
        doneMs - x.intendedMs,
        doneMs - x.sentMs,
        errorKind,
      );
      if (this.inFlight === 0) this.idle?.();
      // Under load one turn of the event loop runs many completions before the next tick:
      // sending what has come due between them keeps the send lag down (never from inside a
      // dispatch, which would recurse).
      if (!this.dispatching) this.sendDue(doneMs);
    }
    // A request that failed inside dispatch (synchronously) must not recurse into the next.
    if (x.then !== undefined) {
      if (this.dispatching) queueMicrotask(x.then);
      else x.then();
    }
  }

  /** Sends every arrival due by `nowMs` (or counts it dropped at the in-flight cap). */
  private sendDue(nowMs: number): void {
    const a = this.arrivals;
    if (a === undefined) return;
    const { count, maxInFlight } = this.config;
    while (a.next !== undefined && a.next * 1000 <= nowMs && !this.stopping) {
      const intendedMs = a.next * 1000;
      if (this.inFlight >= maxInFlight) this.recorder.dropped(a.next);
      else this.fire(intendedMs);
      a.k += count;
      a.next = a.schedule.timeOf(a.k);
    }
  }

  private runOpen(phases: RatePhase[]): Promise<void> {
    const schedule = new ArrivalSchedule(phases);
    const { index } = this.config;
    const arrivals = { schedule, k: index, next: schedule.timeOf(index) };
    this.arrivals = arrivals;
    return new Promise((resolve) => {
      const tick = (): void => {
        this.sendDue(this.elapsedMs());
        if (arrivals.next === undefined || this.stopping) {
          this.arrivals = undefined;
          resolve();
          return;
        }
        // Timers fire late by up to ~1 ms: sleep until just before the next arrival, then spin
        // on setImmediate (which still lets I/O run) so send lag stays well under a millisecond.
        const delay = arrivals.next * 1000 - this.elapsedMs();
        if (delay > 2) setTimeout(tick, delay - 1.5);
        else setImmediate(tick);
      };
      tick();
    });
  }

  private async runClosed(phases: VuPhase[]): Promise<void> {
    const { index, count } = this.config;
    const end = phases.reduce((s, p) => Math.max(s, p.startS + p.durationS), 0) * 1000;
    const loops: Promise<void>[] = [];
    let active = 0;
    const vuLoop = (id: number): Promise<void> =>
      new Promise((resolve) => {
        const next = (): void => {
          if (this.stopping || id >= active || this.elapsedMs() >= end) resolve();
          else this.fire(this.elapsedMs(), next);
        };
        next();
      });
    while (!this.stopping && this.elapsedMs() < end) {
      const t = this.elapsedMs() / 1000;
      const phase = phases.find((p) => t >= p.startS && t < p.startS + p.durationS);
      const total = phase
        ? phase.fromVus + ((phase.toVus - phase.fromVus) * (t - phase.startS)) / phase.durationS
        : 0;
      // This worker's share of the VUs: VU i belongs to worker i mod count.
      const wanted = Math.floor(total / count) + (index < Math.round(total) % count ? 1 : 0);
      const previous = active;
      active = wanted;
      for (let id = previous; id < wanted; id++) loops.push(vuLoop(id));
      await sleep(100);
    }
    await Promise.all(loops);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
