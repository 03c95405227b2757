// The run's running totals since t = 0, fed with every bucket the timeline receives: counts,
// and per request name the completions, errors and latency as sparse HDR counts (index →
// count), so keeping them costs a map of the indexes seen, whatever the run's length. The live
// metrics endpoint publishes them; nothing here is read by the gate.
import { type SparseCounts, sparseCounts } from './hdr.ts';
import type { GeneratorBucket } from './second.ts';

/** Latency counts by HDR index of the shared layout (hdr.ts). */
export type IndexCounts = Map<number, number>;

export interface RequestTotals {
  completed: number;
  errors: number;
  latency: IndexCounts;
}

/** Name of the totals of completions a bucket did not attribute to a request name. */
export const UNNAMED = '';

export class RunTotals {
  sent = 0;
  dropped = 0;
  readonly byRequest = new Map<string, RequestTotals>();

  add(b: GeneratorBucket): void {
    this.sent += b.sent;
    this.dropped += b.dropped;
    let completed = 0;
    let errors = 0;
    for (const [name, r] of Object.entries(b.byRequest)) {
      this.addTo(name, r.completed, r.errors, sparseCounts(r.latency));
      completed += r.completed;
      errors += r.errors;
    }
    if (completed < b.completed || errors < b.errors) {
      // Counts without a name; their latency only when no name took any.
      const latency = completed === 0 ? sparseCounts(b.latency) : { indexes: [], counts: [] };
      this.addTo(UNNAMED, b.completed - completed, b.errors - errors, latency);
    }
  }

  /** Completions so far, every request name together. */
  get completed(): number {
    let n = 0;
    for (const r of this.byRequest.values()) n += r.completed;
    return n;
  }

  private addTo(name: string, completed: number, errors: number, latency: SparseCounts): void {
    let r = this.byRequest.get(name);
    if (r === undefined) {
      r = { completed: 0, errors: 0, latency: new Map() };
      this.byRequest.set(name, r);
    }
    r.completed += completed;
    r.errors += errors;
    latency.indexes.forEach((index, i) => {
      r.latency.set(index, (r.latency.get(index) ?? 0) + latency.counts[i]!);
    });
  }
}
