// Synthetic but realistic figures for the offline benches: a seeded generator and a latency
// distribution with a body around a few ms and a long tail (no two seconds alike).
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** mulberry32 in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A latency in ms: mostly 1–20 ms, 1 % up to a few hundred ms. */
  latencyMs(): number {
    const u = this.next();
    const body = 1 + 19 * u * u;
    return this.next() < 0.01 ? body * (5 + 40 * this.next()) : body;
  }
}
