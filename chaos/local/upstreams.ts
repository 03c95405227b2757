// The proxy's upstream list: round-robin per request over the upstreams not marked down, each
// with its own keep-alive pool. An upstream that failed is skipped for a while and then tried
// again with one request (a load balancer's passive health check, like nginx's fail_timeout).
import { Pool } from 'undici';

export interface Upstream {
  readonly url: string;
  readonly pool: Pool;
  /** Epoch ms until which the upstream is skipped. */
  downUntil: number;
}

export class UpstreamList {
  private list: Upstream[] = [];
  private cursor = 0;
  /** Pools of dropped upstreams, still finishing their requests. */
  private readonly closing = new Set<Pool>();

  constructor(
    private readonly failTimeoutMs: number,
    private readonly connectTimeoutMs: number,
  ) {}

  urls(): string[] {
    return this.list.map((u) => u.url);
  }

  /** Replaces the list. Kept URLs keep their pool and their down mark; new ones start up. */
  set(urls: string[]): void {
    const kept = new Map(this.list.map((u) => [u.url, u]));
    const next: Upstream[] = [];
    for (const url of new Set(urls)) {
      next.push(kept.get(url) ?? this.open(url));
      kept.delete(url);
    }
    this.list = next;
    // Pools of dropped URLs finish what is in flight, then close.
    for (const { pool } of kept.values()) {
      this.closing.add(pool);
      void pool
        .close()
        .catch(() => undefined)
        .finally(() => this.closing.delete(pool));
    }
  }

  /** Adds an upstream (or announces a known one as live again: its down mark is cleared). */
  add(url: string): void {
    const known = this.list.find((u) => u.url === url);
    if (known) known.downUntil = 0;
    else this.set([...this.urls(), url]);
  }

  remove(url: string): void {
    this.set(this.urls().filter((u) => u !== url));
  }

  /**
   * The next upstream in turn that is not marked down. When all are down the next in turn is
   * tried anyway: a balancer with no healthy backend still has to try one.
   */
  pick(now = Date.now()): Upstream | undefined {
    const n = this.list.length;
    if (n === 0) return undefined;
    for (let i = 0; i < n; i++) {
      const at = (this.cursor + i) % n;
      const u = this.list[at]!;
      if (u.downUntil <= now) {
        this.cursor = (at + 1) % n;
        return u;
      }
    }
    const u = this.list[this.cursor % n]!;
    this.cursor = (this.cursor + 1) % n;
    return u;
  }

  markDown(u: Upstream, now = Date.now()): void {
    u.downUntil = now + this.failTimeoutMs;
  }

  async destroy(): Promise<void> {
    const pools = [...this.list.map((u) => u.pool), ...this.closing];
    this.list = [];
    this.closing.clear();
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }

  private open(url: string): Upstream {
    const pool = new Pool(url, {
      connections: 128,
      pipelining: 1,
      connect: { timeout: this.connectTimeoutMs },
    });
    return { url, pool, downUntil: 0 };
  }
}
