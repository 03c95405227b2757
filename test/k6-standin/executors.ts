// Runs the scenarios: arrival-rate executors start iterations on schedule on a free VU (none
// free: a new VU up to maxVUs, else a dropped iteration), ramping-vus keeps its VUs looping.
// After a scenario's end its iterations get gracefulStop, then their VUs are stopped.
import {
  type ArrivalScenario,
  type Scenario,
  type Segment,
  scenarioEndMs,
  shareOf,
  type VusScenario,
} from './config.ts';
import { arrivalOffsets, vusAt } from './schedule.ts';
import type { Vu } from './vu.ts';

export interface ExecutorHost {
  segment: Segment;
  /** Epoch ms of the test's start (scenario start times count from it). */
  startedMs: number;
  /** Set once the test is stopping (SIGINT, REST, abort): no new iterations start. */
  readonly stopping: boolean;
  /** An idle VU, if any. */
  takeIdle(): Vu | undefined;
  /** A new VU (initialised), or undefined once the test is stopping. */
  newVu(): Promise<Vu | undefined>;
  release(vu: Vu): void;
  /** Runs one iteration of `s` on `vu`. */
  iterate(vu: Vu, s: Scenario, iterationInScenario: number): Promise<void>;
  dropped(s: Scenario, timeMs: number): void;
  /** VUs in use changed by `delta`. */
  active(delta: number): void;
  /** Resolves after `ms`, or at once when the test is stopping. */
  wait(ms: number): Promise<void>;
}

class Inflight {
  private readonly running = new Set<Promise<void>>();
  readonly vus = new Set<Vu>();

  track(vu: Vu, p: Promise<void>): void {
    this.vus.add(vu);
    this.running.add(p);
    void p.finally(() => {
      this.running.delete(p);
      this.vus.delete(vu);
    });
  }

  /** Waits for the iterations in flight up to `graceMs`, then stops the VUs still running them. */
  async drain(graceMs: number): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => {
      timer = setTimeout(() => r('late'), graceMs);
    });
    const all = Promise.all(this.running).then(() => 'done' as const);
    const outcome = await Promise.race([all, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      await Promise.all([...this.vus].map((vu) => vu.stop()));
      await all;
    }
  }
}

async function runArrival(host: ExecutorHost, s: ArrivalScenario): Promise<void> {
  const pre = shareOf(s.preAllocatedVUs, host.segment);
  const max = shareOf(s.maxVUs, host.segment);
  const startAt = host.startedMs + s.startMs;
  const endAt = host.startedMs + scenarioEndMs(s);
  const inflight = new Inflight();
  // Arrivals owed a pre-allocated VU whose runtime is not started yet: they take the next VU
  // that is started or set free. One runtime starts at a time, so a burst of arrivals does not
  // start a burst of worker threads.
  const waiting: number[] = [];
  let held = 0;
  let spawning = false;
  let iteration = 0;
  const give = (vu: Vu): void => {
    if (waiting.length > 0 && !host.stopping) {
      waiting.shift();
      run(vu);
      return;
    }
    held--;
    host.active(-1);
    host.release(vu);
  };
  const run = (vu: Vu): void => {
    const n = iteration++;
    inflight.track(
      vu,
      host.iterate(vu, s, n).finally(() => give(vu)),
    );
  };
  const spawn = (): void => {
    if (spawning || waiting.length === 0) return;
    spawning = true;
    void host.newVu().then((vu) => {
      spawning = false;
      if (vu) {
        host.active(1);
        held++;
        give(vu);
      }
      spawn();
    });
  };
  for (const offset of arrivalOffsets(s, host.segment)) {
    const due = startAt + offset;
    if (due >= endAt) break;
    await host.wait(due - Date.now());
    if (host.stopping) break;
    const idle = held < max ? host.takeIdle() : undefined;
    if (idle) {
      held++;
      host.active(1);
      run(idle);
    } else if (held + waiting.length < pre) {
      waiting.push(due);
      spawn();
    } else {
      host.dropped(s, Date.now());
    }
  }
  await host.wait(endAt - Date.now());
  // Arrivals still owed a VU start as VUs come free, within the graceful stop.
  const graceEnd = Date.now() + s.gracefulStopMs;
  while (waiting.length > 0 && !host.stopping && Date.now() < graceEnd) await host.wait(20);
  waiting.length = 0;
  await inflight.drain(Math.max(0, graceEnd - Date.now()));
}

async function runVus(host: ExecutorHost, s: VusScenario): Promise<void> {
  const startAt = host.startedMs + s.startMs;
  const endAt = host.startedMs + scenarioEndMs(s);
  const inflight = new Inflight();
  const loops: Promise<void>[] = [];
  let iteration = 0;
  let desired = 0;
  const update = () => {
    desired = shareOf(vusAt(s, Date.now() - startAt), host.segment);
  };
  const loop = async (slot: number): Promise<void> => {
    const vu = host.takeIdle() ?? (await host.newVu());
    if (vu === undefined) return;
    host.active(1);
    try {
      while (!host.stopping && Date.now() < endAt && slot < desired && vu.alive) {
        const p = host.iterate(vu, s, iteration++);
        inflight.track(vu, p);
        await p;
        update();
      }
    } finally {
      host.active(-1);
      host.release(vu);
    }
  };
  let running = 0;
  while (!host.stopping && Date.now() < endAt) {
    update();
    // Loops whose slot is beyond the desired count end after their iteration (ramp down).
    while (running < desired) loops.push(loop(running++));
    await host.wait(Math.min(100, endAt - Date.now()));
    running = Math.min(running, Math.max(desired, 0));
  }
  await inflight.drain(s.gracefulStopMs);
  await Promise.all(loops);
}

export async function runScenario(host: ExecutorHost, s: Scenario): Promise<void> {
  await host.wait(host.startedMs + s.startMs - Date.now());
  if (host.stopping) return;
  if (s.kind === 'arrival') await runArrival(host, s);
  else await runVus(host, s);
}
