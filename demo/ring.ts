// A bounded log: the last `capacity` items, each under a sequence number. Older items are
// overwritten, so memory stays flat however long a load test writes orders into the demo.

export class Ring<T> {
  readonly capacity: number;
  readonly #items: (T | undefined)[];
  readonly #seqs: number[];
  #next = 1;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring capacity must be an integer ≥ 1, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
    this.#seqs = new Array<number>(capacity).fill(0);
  }

  /** Items ever pushed (the last sequence number). */
  get total(): number {
    return this.#next - 1;
  }

  /** Items still held. */
  get size(): number {
    return Math.min(this.total, this.capacity);
  }

  /** Stores `make(seq)` under the next sequence number (≥ 1) and returns it. */
  push(make: (seq: number) => T): T {
    const seq = this.#next++;
    const item = make(seq);
    this.#items[seq % this.capacity] = item;
    this.#seqs[seq % this.capacity] = seq;
    return item;
  }

  /** The item stored under `seq`, unless it was never stored or has been overwritten. */
  get(seq: number): T | undefined {
    if (!Number.isInteger(seq) || seq < 1) return undefined;
    const slot = seq % this.capacity;
    return this.#seqs[slot] === seq ? this.#items[slot] : undefined;
  }

  /** Up to `n` items, newest first. */
  latest(n: number): T[] {
    const out: T[] = [];
    for (let seq = this.total; seq >= 1 && out.length < Math.min(n, this.size); seq--) {
      const item = this.get(seq);
      if (item !== undefined) out.push(item);
    }
    return out;
  }
}
