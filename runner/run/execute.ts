// One run, start to verdict: preflight → engine → the run loop (progress, rollback triggers,
// checkpoints) and the fault schedule → assembleResult. Everything set up is on the cleanup
// stack the caller unwinds.
import type { ChaosDriver } from '../../chaos/driver.ts';
import type { CleanupStack } from '../../core/cleanup.ts';
import { sharedNowMs } from '../../core/clock.ts';
import type { GameDay } from '../../thresholds/gameday.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import { targetAt } from '../../thresholds/plan.ts';
import { redactPlan } from '../../thresholds/redact.ts';
import type { EngineInfo, RunOutcome, RunResult, TimelineEvent } from '../../thresholds/result.ts';
import type { Engine } from '../engines/engine.ts';
import type { MetricsEndpoint } from '../metrics/endpoint.ts';
import { snapshotOf } from '../metrics/snapshot.ts';
import { SpilledSeconds } from '../timeline/frozen.ts';
import { TimelineStore } from '../timeline/store.ts';
import { assembleResult } from './assemble.ts';
import { runEnvironment } from './environment.ts';
import { lookup } from './evaluate.ts';
import { FaultSchedule } from './fault-schedule.ts';
import { preflightTarget } from './preflight.ts';
import type { ProgressPrinter } from './progress.ts';
import { RunLoop } from './run-loop.ts';
import { RollbackWatch } from './triggers.ts';

/** In-flight requests get this long to finish after an abort or Ctrl-C. */
const STOP_GRACE_MS = 1000;

/** The engine as the run records it: with how coarse its latencies were, where that applies. */
function engineInfo(info: EngineInfo, bucketRatio: number | undefined): EngineInfo {
  return bucketRatio !== undefined && bucketRatio > 1
    ? { ...info, latencyBucketRatio: bucketRatio }
    : info;
}

export interface ExecuteOptions {
  plan: LoadPlan;
  engine: Engine;
  runId: string;
  baseline?: { run: RunResult; path: string };
  strict: boolean;
  progress: ProgressPrinter;
  cleanup: CleanupStack;
  /** Aborted when the user interrupts (Ctrl-C, SIGTERM). */
  signal: AbortSignal;
  /** Called with the run-so-far every few seconds, so a crash leaves a readable partial run. */
  checkpoint?: (partial: RunResult) => Promise<void>;
  /** A game day: its fault schedule runs on the run's clock through this driver. */
  gameDay?: { definition: GameDay; driver: ChaosDriver };
  /** Live metrics: the run loop publishes the running totals here every second. */
  metrics?: MetricsEndpoint;
}

export async function executeRun(o: ExecuteOptions): Promise<RunResult> {
  const { plan } = o;
  if (o.engine.capabilities.sendsFromHere) await preflightTarget(plan.target);
  // A second waits for its requests up to their timeout (they count where they were due).
  const store = new TimelineStore(
    (t) => targetAt(plan, t + 0.5),
    new SpilledSeconds(),
    Math.ceil(plan.timeoutMs / 1000) + 1,
  );
  const events: TimelineEvent[] = [];
  const { metrics } = o;
  const totals = metrics ? store.runningTotals() : undefined;
  const publishMetrics =
    metrics && totals
      ? (nowS: number) => metrics.publish(snapshotOf(totals, targetAt(plan, nowS)))
      : undefined;
  const engineRun = await o.engine.start(plan, (buckets) => {
    for (const b of buckets) store.add(b);
  });
  o.cleanup.push('load generators', () => engineRun.close());
  const schedule = o.gameDay
    ? new FaultSchedule(o.gameDay.definition, o.gameDay.driver)
    : undefined;
  const startedAt = new Date(engineRun.startAtMs);
  const elapsedS = () => (sharedNowMs() - engineRun.startAtMs) / 1000;
  events.push({ t: 0, kind: 'run-started' });
  schedule?.start(
    { store, events, elapsedS, cleanup: o.cleanup },
    engineRun.startAtMs,
    sharedNowMs,
  );

  // The first way the run stops early is the one it reports.
  let outcome: RunOutcome = { state: 'completed' };
  const stopWith = (next: RunOutcome): void => {
    if (outcome.state !== 'completed') return;
    outcome = next;
    // A rollback or Ctrl-C removes the faults at once, while in-flight requests drain.
    void schedule?.stop();
    engineRun.stop(STOP_GRACE_MS);
  };
  const onInterrupt = (): void => {
    const atS = elapsedS();
    events.push({ t: atS, kind: 'run-interrupted', detail: String(o.signal.reason ?? 'SIGINT') });
    stopWith({ state: 'interrupted', signal: String(o.signal.reason ?? 'SIGINT'), atS });
  };
  o.signal.addEventListener('abort', onInterrupt, { once: true });

  // What the run stores and reports shows no secret (thresholds/redact.ts).
  const shownPlan = redactPlan(plan);
  const assemble = (complete: boolean): RunResult =>
    assembleResult(
      {
        plan,
        shownPlan,
        runId: o.runId,
        startedAt,
        endedAt: new Date(),
        environment: runEnvironment(),
        engine: engineInfo(o.engine.info, engineRun.latencyBucketRatio?.()),
        engineThresholds: engineRun.ownThresholds?.(),
        store,
        events,
        outcome,
        baseline: o.baseline,
        strict: o.strict,
        gameDay:
          o.gameDay && schedule
            ? {
                definition: o.gameDay.definition,
                driver: o.gameDay.driver.name,
                findings: schedule,
              }
            : undefined,
      },
      complete,
    );

  const baselineStats = o.baseline ? lookup(o.baseline.run.stats) : undefined;
  const checkpoint = o.checkpoint;
  const loop = new RunLoop({
    plan,
    store,
    progress: o.progress,
    watch: new RollbackWatch(
      plan.rollbackTriggers,
      baselineStats ? (request) => baselineStats('whole', request) : undefined,
    ),
    elapsedS,
    liveNote: schedule ? (now) => schedule.liveNote(now) : undefined,
    running: () => outcome.state === 'completed',
    onBreach: (breach, now) => {
      const reason = `rollback trigger ${breach.trigger.id} held breached for ${breach.trigger.forS}s: ${breach.verdict.reason}`;
      events.push({
        t: now,
        kind: 'rollback-triggered',
        subject: breach.trigger.id,
        detail: reason,
      });
      stopWith({ state: 'aborted', trigger: breach.trigger.id, atS: now, reason });
    },
    checkpoint: checkpoint ? () => checkpoint(assemble(false)) : undefined,
    publishMetrics,
  });
  loop.start();
  o.cleanup.push('progress timer', () => loop.stop());

  try {
    await engineRun.done;
  } catch (err) {
    outcome = { state: 'errored', reason: (err as Error).message };
  } finally {
    loop.stop();
    o.signal.removeEventListener('abort', onInterrupt);
    o.progress.done();
  }
  await loop.checkpointsWritten();
  await schedule?.stop();
  store.finish();
  publishMetrics?.(elapsedS());
  events.push({ t: elapsedS(), kind: 'run-ended' });
  try {
    return assemble(true);
  } finally {
    store.close();
  }
}
