// Child process: the local engine (one worker thread) against the bench's target for one
// bounded run, open model at a constant arrival rate or closed model with fixed VUs. Prints the
// steady window's figures as one JSON line.
import { readFileSync } from 'node:fs';
import { LocalEngine } from '../../runner/engines/local/engine.ts';
import { TimelineStore } from '../../runner/timeline/store.ts';
import type { WindowStats } from '../../thresholds/model.ts';
import { planAdhoc, steadyBounds, targetAt } from '../../thresholds/plan.ts';

export interface LocalLoadSpec {
  url: string;
  /** Open model: arrivals per second. Ignored when `vus` is set. */
  rate: number;
  /** Closed model: VUs that loop. */
  vus?: number;
  rampS: number;
  durationS: number;
  connections: number;
}

export interface LocalLoadResult {
  steady: WindowStats;
  achievedRps: number;
  /** VmHWM of this process (main thread + generator worker), MB. */
  peakRssMb: number;
}

function vmHwmMb(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb === undefined ? 0 : Number(kb) / 1024;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LocalLoadSpec;
const plan = planAdhoc({
  url: spec.url,
  rate: spec.rate,
  rampS: spec.rampS,
  durationS: spec.durationS,
  generator: { workers: 1, connections: spec.connections, maxInFlight: 2_000 },
});
if (spec.vus !== undefined) {
  plan.shape = {
    model: 'closed',
    phases: [
      {
        name: 'steady',
        startS: 0,
        durationS: spec.rampS + spec.durationS,
        fromVus: spec.vus,
        toVus: spec.vus,
        steady: false,
      },
    ],
  };
}
const store = new TimelineStore((t) => targetAt(plan, t + 0.5));
const engine = new LocalEngine(1);
const run = await engine.start(plan, (buckets) => {
  for (const b of buckets) store.add(b);
});
await run.done;
await run.close();
store.finish();
// The steady stage; the closed model's first `rampS` seconds are its warm-up.
const bounds = steadyBounds(plan) ?? { startS: spec.rampS, endS: spec.rampS + spec.durationS };
const steady = store.stats({ window: 'steady', ...bounds });
const result: LocalLoadResult = {
  steady,
  achievedRps: steady.completed / (bounds.endS - bounds.startS),
  peakRssMb: vmHwmMb(),
};
console.log(JSON.stringify(result));
