// The demo's capacity: `concurrency` slots, each held for a request's service time; excess
// requests wait FIFO, and beyond `queueLimit` waiters they are refused at once. Throughput is
// about concurrency / hold time, so a saturated demo queues and then sheds load the way a real
// service does.

export type Outcome = 'served' | 'rejected';

export interface CapacityLimiterOptions {
  concurrency: number;
  queueLimit: number;
  /** Monotonic clock in ms (injectable for tests). */
  now?: () => number;
}

interface Waiter {
  serviceMs: number;
  holdMs: number;
  arrivedAt: number;
  done: (outcome: Outcome) => void;
}

// Timers fire late by a millisecond or so; a slot's next request starts at the intended release
// time rather than the late one, so lateness does not eat capacity. Only this much lateness is
// forgiven, so a process paused for seconds (a chaos fault) does not burst its backlog out at once.
const CATCH_UP_MS = 20;

export class CapacityLimiter {
  readonly concurrency: number;
  readonly queueLimit: number;
  readonly #now: () => number;
  readonly #queue: Waiter[] = [];
  #busy = 0;
  #busyHighWater = 0;
  #queuedHighWater = 0;
  #closed = false;

  constructor(options: CapacityLimiterOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency must be an integer ≥ 1, got ${options.concurrency}`);
    }
    if (!Number.isInteger(options.queueLimit) || options.queueLimit < 0) {
      throw new RangeError(`queueLimit must be an integer ≥ 0, got ${options.queueLimit}`);
    }
    this.concurrency = options.concurrency;
    this.queueLimit = options.queueLimit;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Slots held now. */
  get inService(): number {
    return this.#busy;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** The most slots ever held at once. */
  get inServiceHighWater(): number {
    return this.#busyHighWater;
  }

  get queuedHighWater(): number {
    return this.#queuedHighWater;
  }

  /**
   * Takes a slot (waiting for one if needed) and holds it `holdMs`. Resolves `served` once
   * `serviceMs` has elapsed, or `rejected` at once when the queue is full or the limiter closed.
   * A hold longer than the service time models work after the answer: it lowers the rate a slot
   * serves without raising the latency of an idle service.
   */
  serve(serviceMs: number, holdMs = serviceMs): Promise<Outcome> {
    if (this.#closed) return Promise.resolve('rejected');
    return new Promise<Outcome>((done) => {
      const service = Math.max(0, serviceMs);
      const hold = Math.max(service, holdMs);
      const job: Waiter = { serviceMs: service, holdMs: hold, arrivedAt: this.#now(), done };
      if (this.#busy < this.concurrency) {
        this.#busy += 1;
        this.#busyHighWater = Math.max(this.#busyHighWater, this.#busy);
        this.#start(job, job.arrivedAt);
      } else if (this.#queue.length < this.queueLimit) {
        this.#queue.push(job);
        this.#queuedHighWater = Math.max(this.#queuedHighWater, this.#queue.length);
      } else {
        done('rejected');
      }
    });
  }

  /** Refuses the waiting requests and every later one; requests in service finish. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#queue.splice(0)) waiter.done('rejected');
  }

  #start(job: Waiter, start: number): void {
    const freeAt = start + job.holdMs;
    const now = this.#now();
    if (job.holdMs === job.serviceMs) {
      after(freeAt - now, () => {
        job.done('served');
        this.#release(freeAt);
      });
    } else {
      after(start + job.serviceMs - now, () => job.done('served'));
      after(freeAt - now, () => this.#release(freeAt));
    }
  }

  /** A slot fell free at `freedAt` (intended time): the longest waiter takes it over. */
  #release(freedAt: number): void {
    const next = this.#queue.shift();
    if (next === undefined) {
      this.#busy -= 1;
      return;
    }
    this.#start(next, Math.max(freedAt, next.arrivedAt, this.#now() - CATCH_UP_MS));
  }
}

function after(delayMs: number, fn: () => void): void {
  // setTimeout would round anything below 1 ms up to 1 ms; a due slot is served on the next turn.
  if (delayMs <= 0) setImmediate(fn);
  else setTimeout(fn, delayMs);
}
