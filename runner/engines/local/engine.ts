// The embedded engine: worker threads, each a Generator with rate/N of the plan (interleaved
// arrivals) and its own undici pool; their per-second histograms are merged by the timeline.

import { sharedNowMs } from '../../../core/clock.ts';
import { ownModule, ownWorker } from '../../../core/own-modules.ts';
import type { LoadPlan } from '../../../thresholds/model.ts';
import type { EngineInfo } from '../../../thresholds/result.ts';
import type { GeneratorBucket } from '../../timeline/second.ts';
import type { Engine, EngineCapabilities, EngineRun } from '../engine.ts';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.ts';

/** Head start between "all generators ready" and t = 0, so every worker starts on time. */
const START_DELAY_MS = 50;

export const LOCAL_CAPABILITIES: EngineCapabilities = { sendsFromHere: true, localFaults: true };

export class LocalEngine implements Engine {
  readonly info: EngineInfo;
  readonly capabilities = LOCAL_CAPABILITIES;

  constructor(private readonly workers: number) {
    this.info = { name: 'local', version: `node ${process.version}`, generators: workers };
  }

  async start(plan: LoadPlan, sink: (buckets: GeneratorBucket[]) => void): Promise<EngineRun> {
    const count = this.workers;
    const threads = Array.from({ length: count }, () =>
      ownWorker(ownModule('./worker.ts', import.meta.url)),
    );
    const close = async (): Promise<void> => {
      await Promise.all(threads.map((w) => w.terminate()));
    };
    const ready: Promise<void>[] = [];
    const finished: Promise<void>[] = [];
    threads.forEach((worker, index) => {
      let onReady: () => void = () => undefined;
      ready.push(new Promise<void>((resolve) => (onReady = resolve)));
      finished.push(
        new Promise<void>((resolve, reject) => {
          worker.on('message', (message: FromWorker) => {
            if (message.type === 'buckets') sink(message.buckets);
            else if (message.type === 'ready') onReady();
            else if (message.type === 'done') resolve();
            else reject(new Error(`load generator ${index} failed: ${message.message}`));
          });
          worker.on('error', (err) =>
            reject(new Error(`load generator ${index} crashed: ${err.message}`)),
          );
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`load generator ${index} exited with code ${code}`));
          });
        }),
      );
    });
    const done = Promise.all(finished).then(() => undefined);
    // A worker that dies while loading rejects `done` before it is ever ready.
    await Promise.race([Promise.all(ready), done]).catch(async (err: unknown) => {
      await close();
      throw err;
    });
    const startAtMs = sharedNowMs() + START_DELAY_MS;
    threads.forEach((worker, index) => {
      const config: WorkerConfig = {
        index,
        count,
        target: plan.target,
        shape: plan.shape,
        requests: plan.journey.requests,
        timeoutMs: plan.timeoutMs,
        connections: Math.max(1, Math.ceil(plan.connections / count)),
        maxInFlight: Math.max(1, Math.ceil(plan.maxInFlight / count)),
        freshConnections: plan.freshConnections === true,
        startAtMs,
      };
      worker.postMessage({ type: 'start', config } satisfies ToWorker);
    });
    let closed = false;
    return {
      startAtMs,
      done,
      stop(graceMs: number) {
        for (const worker of threads)
          worker.postMessage({ type: 'stop', graceMs } satisfies ToWorker);
      },
      async close() {
        if (closed) return;
        closed = true;
        await close();
      },
    };
  }
}
