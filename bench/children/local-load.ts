// Child process: the local engine (one worker thread) against the bench's target for one
// bounded run, open model at a constant arrival rate or closed model with fixed VUs, after a
// warm-up. Prints the steady window's figures as one JSON line.
import { readFileSync } from 'node:fs';
import { sharedNowMs } from '../../core/clock.ts';
import { LocalEngine } from '../../runner/engines/local/engine.ts';
import { TimelineStore } from '../../runner/timeline/store.ts';
import type { LoadShape, WindowStats } from '../../thresholds/model.ts';
import { planAdhoc, targetAt } from '../../thresholds/plan.ts';

export interface LocalLoadSpec {
  url: string;
  /** Open model: arrivals per second. Ignored when `vus` is set. */
  rate: number;
  /** Closed model: VUs that loop. */
  vus?: number;
  /** Unmeasured warm-up before the steady window (see WARMUP_RATE). */
  warmupS: number;
  durationS: number;
  connections: number;
}

export interface LocalLoadResult {
  steady: WindowStats;
  achievedRps: number;
  /** VmHWM of this process (main thread + generator worker), MB. */
  peakRssMb: number;
  /** CPU time (user + system, every thread of the process) per request of the steady window, µs. */
  cpuUsPerRequest: number;
}

/**
 * The open-model warm-up ramps to at least this rate: V8 optimises the hot path after a number
 * of calls, not of seconds, so at a low rate a short warm-up would leave JIT compilation (on
 * the same core) inside the measured window. About 15 000 requests warm it.
 */
const WARMUP_RATE = 10_000;

function vmHwmMb(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb === undefined ? 0 : Number(kb) / 1024;
}

function shape(spec: LocalLoadSpec): LoadShape {
  const { warmupS: w, durationS: d } = spec;
  if (spec.vus !== undefined) {
    const vus = spec.vus;
    return {
      model: 'closed',
      phases: [
        { name: 'warm-up', startS: 0, durationS: w, fromVus: vus, toVus: vus, steady: false },
        { name: 'steady', startS: w, durationS: d, fromVus: vus, toVus: vus, steady: true },
      ],
    };
  }
  const peak = Math.max(spec.rate, WARMUP_RATE);
  return {
    model: 'open',
    phases: [
      { name: 'warm-up', startS: 0, durationS: w, fromRps: 0, toRps: peak, steady: false },
      {
        name: 'steady',
        startS: w,
        durationS: d,
        fromRps: spec.rate,
        toRps: spec.rate,
        steady: true,
      },
    ],
  };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LocalLoadSpec;
const plan = planAdhoc({
  url: spec.url,
  rate: spec.rate,
  durationS: spec.warmupS + spec.durationS,
  generator: { workers: 1, connections: spec.connections, maxInFlight: 2_000 },
});
plan.shape = shape(spec);
const bounds = { startS: spec.warmupS, endS: spec.warmupS + spec.durationS };
const store = new TimelineStore((t) => targetAt(plan, t + 0.5));
const run = await new LocalEngine(1).start(plan, (buckets) => {
  for (const b of buckets) store.add(b);
});
// CPU over the steady window only (not start-up, module loading or warm-up).
let cpuAtStart: NodeJS.CpuUsage | undefined;
let cpuSteady: NodeJS.CpuUsage | undefined;
const at = (s: number, f: () => void): NodeJS.Timeout =>
  setTimeout(f, run.startAtMs + s * 1000 - sharedNowMs());
const timers = [
  at(bounds.startS, () => (cpuAtStart = process.cpuUsage())),
  at(bounds.endS, () => (cpuSteady = cpuAtStart && process.cpuUsage(cpuAtStart))),
];
await run.done;
await run.close();
for (const t of timers) clearTimeout(t);
store.finish();
const steady = store.stats({ window: 'steady', ...bounds });
const cpuUs = cpuSteady ? cpuSteady.user + cpuSteady.system : Number.NaN;
const result: LocalLoadResult = {
  steady,
  achievedRps: steady.completed / spec.durationS,
  peakRssMb: vmHwmMb(),
  cpuUsPerRequest: cpuUs / Math.max(1, steady.completed),
};
console.log(JSON.stringify(result));
