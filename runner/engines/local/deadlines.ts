// The deadlines of in-flight requests without a timer (or AbortSignal) per request: every
// request of a generator has the same timeout, so deadlines come in send order and one timer,
// armed for the oldest unsettled request, is enough.
export interface Expiring {
  readonly deadlineMs: number;
  readonly settled: boolean;
  /** The deadline passed first: settle as a timeout (must leave `settled` true). */
  expire(): void;
}

/** Settled requests are dropped from the front this many at a time at most, between checks. */
const COMPACT_AFTER = 4096;

export class Deadlines<T extends Expiring> {
  private queue: T[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly nowMs: () => number) {}

  /** A request just sent; its deadline is no earlier than any already added. */
  add(x: T): void {
    this.queue.push(x);
    if (this.timer === undefined) this.arm();
  }

  /** Call when a request settles: drops settled requests from the front. */
  settled(): void {
    while (this.head < this.queue.length && this.queue[this.head]!.settled) this.head++;
    this.compact();
  }

  /** Stops the timer and forgets every request. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.head = 0;
  }

  private arm(): void {
    // A request added while check() runs may have armed a timer already: keep one.
    clearTimeout(this.timer);
    this.timer = undefined;
    const first = this.queue[this.head];
    if (first === undefined) return;
    this.timer = setTimeout(this.check, Math.max(0, first.deadlineMs - this.nowMs()));
  }

  private readonly check = (): void => {
    this.timer = undefined;
    const now = this.nowMs();
    for (;;) {
      // expire() may settle and advance `head` itself: read the front afresh every time.
      const x = this.queue[this.head];
      if (x === undefined) break;
      if (x.settled) this.head++;
      else if (x.deadlineMs <= now) x.expire();
      else break;
    }
    this.compact();
    this.arm();
  };

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
