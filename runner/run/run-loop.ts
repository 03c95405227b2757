// The run's once-a-second work beside the engine: the progress line, the rollback triggers,
// the checkpoints and the live metrics. It never sends a request; it only reads the timeline.
import type { LoadPlan } from '../../thresholds/model.ts';
import type { TimelineStore } from '../timeline/store.ts';
import { formatProgress, type ProgressPrinter, progressView } from './progress.ts';
import type { RollbackWatch, TriggerBreach } from './triggers.ts';

export interface RunLoopOptions {
  plan: LoadPlan;
  store: TimelineStore;
  progress: ProgressPrinter;
  watch: RollbackWatch;
  /** Seconds since t = 0 on the run's clock. */
  elapsedS: () => number;
  /** A game day's word on its faults for the progress line. */
  liveNote?: ((nowS: number) => string) | undefined;
  /** Whether the load still runs as planned: triggers guard only that. */
  running: () => boolean;
  onBreach: (breach: TriggerBreach, nowS: number) => void;
  /** Writes the run so far, so a crash leaves a readable partial run. */
  checkpoint?: (() => Promise<void>) | undefined;
  /** Publishes the totals so far to the live metrics endpoint. */
  publishMetrics?: ((nowS: number) => void) | undefined;
}

export class RunLoop {
  private timer: NodeJS.Timeout | undefined;
  private lastCheckpoint = Number.NEGATIVE_INFINITY;
  private checkpointing: Promise<void> = Promise.resolve();

  constructor(private readonly o: RunLoopOptions) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000);
  }

  /** Idempotent. */
  stop(): void {
    clearInterval(this.timer);
  }

  /** Settles once the checkpoint being written (if any) has. */
  checkpointsWritten(): Promise<void> {
    return this.checkpointing;
  }

  private tick(): void {
    const { o } = this;
    const now = o.elapsedS();
    o.progress.update(
      formatProgress(progressView(o.store, o.plan, now, o.liveNote?.(now)), o.plan.shape.model),
      now,
    );
    // Once the plan's load is over, in-flight requests only drain.
    const breach =
      o.running() && now <= o.plan.durationS + 1
        ? o.watch.check(o.store, Math.floor(now))
        : undefined;
    if (breach) o.onBreach(breach, now);
    o.publishMetrics?.(now);
    // The first at 1 s (a run killed early still leaves its run.json), then at 2, 4, 8 s and
    // every 10 s: each one assembles the whole run so far, so they stay few.
    const write = o.checkpoint;
    if (write && now - this.lastCheckpoint >= Math.min(10, Math.max(1, this.lastCheckpoint))) {
      this.lastCheckpoint = now;
      this.checkpointing = this.checkpointing.then(write).catch(() => undefined);
    }
  }
}
