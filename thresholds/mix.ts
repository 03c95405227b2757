// Chooses which journey request an arrival sends, in proportion to the weights. A seeded
// generator keeps runs repeatable and costs no allocation per pick.
export class WeightedMix<T> {
  private readonly cumulative: number[];
  private state: number;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
    seed: number,
  ) {
    const total = weights.reduce((s, w) => s + w, 0);
    let acc = 0;
    this.cumulative = weights.map((w) => (acc += w / total));
    this.state = seed >>> 0 || 1;
  }

  /** mulberry32: small, fast, good enough to spread a request mix. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  pick(): T {
    if (this.items.length === 1) return this.items[0]!;
    const r = this.random();
    for (let i = 0; i < this.cumulative.length; i++) {
      if (r < this.cumulative[i]!) return this.items[i]!;
    }
    return this.items[this.items.length - 1]!;
  }
}
