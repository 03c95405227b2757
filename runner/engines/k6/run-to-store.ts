// Runs a plan to its end through the k6 engine into a TimelineStore, as the runner does:
// for tests and the bench, which need the engine's figures without the whole CLI.
import type { LoadPlan } from '../../../thresholds/model.ts';
import { targetAt } from '../../../thresholds/plan.ts';
import { TimelineStore } from '../../timeline/store.ts';
import type { K6Binary } from './binary.ts';
import { K6Engine, type K6EngineOptions } from './engine.ts';

export async function runK6ToStore(k6: K6Binary, plan: LoadPlan, options: K6EngineOptions) {
  const engine = new K6Engine(k6, options);
  const store = new TimelineStore((t) => targetAt(plan, t + 0.5));
  const engineRun = await engine.start(plan, (buckets) => {
    for (const b of buckets) store.add(b);
  });
  try {
    await engineRun.done;
  } finally {
    await engineRun.close();
  }
  store.finish();
  const whole = store.stats({ window: 'whole', startS: 0, endS: store.newestSecond + 1 });
  return { engine, engineRun, store, whole };
}
