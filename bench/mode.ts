// How long and how hard each measurement runs: the full bench (up to ~10 minutes) or --quick
// (about 1½ minutes, for the test). Every run is bounded in time.
import { DEFAULT_BUDGET } from '../thresholds/plan.ts';
import type { SearchOptions } from './search.ts';

export interface BenchMode {
  name: 'full' | 'quick';
  /** Connections (VUs for k6) of every generator. */
  connections: number;
  /** One step of the local engine: an unmeasured warm-up, then the measured steady part. */
  localStep: { warmupS: number; durationS: number };
  localSearch: SearchOptions;
  /**
   * A local step holds when its send lag p99 is under this. Full: 1 ms. Quick: the engine's
   * own validity budget (DEFAULT_BUDGET), so a smoke run on a busy machine still finds a rate.
   */
  lagBarMs: number;
  k6StepS: number;
  k6Search: SearchOptions;
  closedS: number;
  /** Closed-loop runs of each tool (interleaved); the best counts. */
  closedRuns: number;
  latency: { rate: number; warmupS: number; durationS: number };
  /** The same-rate run of the local engine and k6 whose peak RSS is compared. */
  comparable: { durationS: number };
  memory: { samples: number; seconds: number; checkpoints: number[]; requestNames: number };
  /** A second memory run: the same samples in a tenth of the seconds (per-sample growth alone). */
  memoryDense: boolean;
  ingest: { lines: number; rate: number };
  gate: { seconds: number; requests: number; perRequestRps: number };
}

const search = (start: number, o: Partial<SearchOptions>): SearchOptions => ({
  start,
  factor: 1.4,
  refine: 3,
  confirm: true,
  max: 200_000,
  min: 250,
  grain: 250,
  ...o,
});

export const FULL: BenchMode = {
  name: 'full',
  connections: 64,
  localStep: { warmupS: 3, durationS: 6 },
  localSearch: search(8000, {}),
  lagBarMs: 1,
  k6StepS: 6,
  k6Search: search(2000, {}),
  closedS: 10,
  closedRuns: 2,
  latency: { rate: 2000, warmupS: 3, durationS: 10 },
  comparable: { durationS: 60 },
  memory: {
    samples: 10_000_000,
    seconds: 3600,
    checkpoints: [0, 1_000_000, 10_000_000],
    requestNames: 4,
  },
  memoryDense: true,
  ingest: { lines: 2_000_000, rate: 10_000 },
  gate: { seconds: 3600, requests: 20, perRequestRps: 50 },
};

export const QUICK: BenchMode = {
  name: 'quick',
  connections: 64,
  localStep: { warmupS: 2, durationS: 2 },
  localSearch: search(15000, { factor: 2, refine: 1, confirm: false }),
  lagBarMs: DEFAULT_BUDGET.sendLagP99Ms,
  k6StepS: 2,
  k6Search: search(2000, { factor: 1.8, refine: 1, confirm: false }),
  closedS: 3,
  closedRuns: 1,
  latency: { rate: 2000, warmupS: 2, durationS: 3 },
  comparable: { durationS: 3 },
  memory: {
    samples: 10_000_000,
    seconds: 360,
    checkpoints: [0, 1_000_000, 10_000_000],
    requestNames: 4,
  },
  memoryDense: false,
  ingest: { lines: 500_000, rate: 10_000 },
  gate: { seconds: 360, requests: 20, perRequestRps: 50 },
};
