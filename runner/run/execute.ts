// One run, start to verdict: preflight → engine → live progress and rollback triggers → timeline
// → windows → gate → RunResult. Everything set up is on the cleanup stack the caller unwinds.
import type { ChaosDriver } from '../../chaos/driver.ts';
import type { CleanupStack } from '../../core/cleanup.ts';
import { sharedNowMs } from '../../core/clock.ts';
import { exitCodeFor } from '../../thresholds/exit-code.ts';
import type { GameDay } from '../../thresholds/gameday.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import { targetAt } from '../../thresholds/plan.ts';
import { redactPlan } from '../../thresholds/redact.ts';
import {
  RUN_SCHEMA_VERSION,
  type RunOutcome,
  type RunResult,
  type TimelineEvent,
  unfinishedOutcome,
  unfinishedReason,
} from '../../thresholds/result.ts';
import { gameDayWindows, planWindows } from '../../thresholds/windows.ts';
import type { Engine } from '../engines/engine.ts';
import { SpilledSeconds } from '../timeline/frozen.ts';
import { TimelineStore } from '../timeline/store.ts';
import { runEnvironment } from './environment.ts';
import { gapStats, judge, lookup, windowStats } from './evaluate.ts';
import { FaultSchedule } from './fault-schedule.ts';
import { assessGameDay, gameDayVerdict } from './gameday-assess.ts';
import { preflightTarget } from './preflight.ts';
import { formatProgress, type ProgressPrinter, progressView } from './progress.ts';
import { RollbackWatch } from './triggers.ts';

/** In-flight requests get this long to finish after an abort or Ctrl-C. */
const STOP_GRACE_MS = 1000;

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

  const baselineStats = o.baseline ? lookup(o.baseline.run.stats) : undefined;
  const watch = new RollbackWatch(
    plan.rollbackTriggers,
    baselineStats ? (request) => baselineStats('whole', request) : undefined,
  );
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

  // The first at 1 s (a run killed early still leaves its run.json), then at 2, 4, 8 s and every
  // 10 s: each one assembles the whole run so far, so they stay few.
  let lastCheckpoint = Number.NEGATIVE_INFINITY;
  let checkpointing: Promise<void> = Promise.resolve();
  const everySecond = setInterval(() => {
    const now = elapsedS();
    o.progress.update(
      formatProgress(progressView(store, plan, now, schedule?.liveNote(now)), plan.shape.model),
      now,
    );
    // Triggers guard the plan's load; once it is over, in-flight requests only drain.
    const breach =
      outcome.state === 'completed' && now <= plan.durationS + 1
        ? watch.check(store, Math.floor(now))
        : undefined;
    if (breach) {
      const reason = `rollback trigger ${breach.trigger.id} held breached for ${breach.trigger.forS}s: ${breach.verdict.reason}`;
      events.push({
        t: now,
        kind: 'rollback-triggered',
        subject: breach.trigger.id,
        detail: reason,
      });
      stopWith({ state: 'aborted', trigger: breach.trigger.id, atS: now, reason });
    }
    if (o.checkpoint && now - lastCheckpoint >= Math.min(10, Math.max(1, lastCheckpoint))) {
      lastCheckpoint = now;
      const write = o.checkpoint;
      checkpointing = checkpointing.then(() => write(assemble(false))).catch(() => undefined);
    }
  }, 1000);
  o.cleanup.push('progress timer', () => clearInterval(everySecond));

  // What the run stores and reports shows no secret (thresholds/redact.ts).
  const shownPlan = redactPlan(plan);
  function assemble(complete: boolean): RunResult {
    const timeline = store.buckets();
    const g = o.gameDay?.definition;
    const windows = g
      ? gameDayWindows(g, events, timeline.length, plan.durationS)
      : planWindows(plan, timeline.length, outcome.state !== 'completed');
    const stats = windowStats(
      store,
      windows,
      plan.journey.requests.map((r) => r.name),
      plan.confidence,
    );
    const assessment =
      g && schedule
        ? assessGameDay(
            g,
            store,
            windows,
            events,
            schedule.steadyStateBroken,
            schedule.failures,
            plan.recoveryGoodSeconds,
          )
        : undefined;
    if (assessment) {
      for (const s of stats)
        if (s.window === 'recovery') s.recoveryTimeS = assessment.result.timeToRecoverS;
      if (complete && assessment.unverified.length > 0 && outcome.state === 'completed') {
        outcome = {
          state: 'errored',
          reason: `chaos recovery unverified: ${assessment.unverified.join('; ')}`,
        };
      }
      if (
        complete &&
        schedule &&
        schedule.notInjected.length > 0 &&
        outcome.state === 'completed'
      ) {
        outcome = { state: 'errored', reason: schedule.notInjected.join('; ') };
      }
    }
    const verdict = judge({
      plan,
      objectives: g ? [...plan.objectives, ...g.objectives] : plan.objectives,
      stats,
      ...(o.baseline ? { baseline: o.baseline.run.stats } : {}),
      inconclusiveReasons: [
        ...(assessment?.inconclusiveReasons ?? []),
        ...(complete ? [] : [unfinishedReason({ timeline })]),
      ],
    });
    // A checkpoint says what the run is if it ends here: unfinished, never a pass.
    const stated = complete ? outcome : unfinishedOutcome({ timeline, outcome });
    const result: RunResult = {
      schemaVersion: RUN_SCHEMA_VERSION,
      runId: o.runId,
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      complete,
      environment: runEnvironment(),
      engine: o.engine.info,
      plan: shownPlan,
      outcome: stated,
      timeline,
      events,
      windows,
      stats,
      gaps: gapStats(store, windows),
      verdict,
      exitCode: exitCodeFor(stated, verdict.status, o.strict),
    };
    if (o.baseline) result.baseline = { runId: o.baseline.run.runId, path: o.baseline.path };
    const own = engineRun.ownThresholds?.();
    if (own && own.length > 0) result.engineThresholds = own;
    if (assessment && o.gameDay) {
      result.gameDay = {
        ...assessment.result,
        driver: o.gameDay.driver.name,
        verdict: gameDayVerdict(stated, verdict.status, assessment),
      };
    }
    return result;
  }

  try {
    await engineRun.done;
  } catch (err) {
    outcome = { state: 'errored', reason: (err as Error).message };
  } finally {
    clearInterval(everySecond);
    o.signal.removeEventListener('abort', onInterrupt);
    o.progress.done();
  }
  await checkpointing;
  await schedule?.stop();
  store.finish();
  events.push({ t: elapsedS(), kind: 'run-ended' });
  try {
    return assemble(true);
  } finally {
    store.close();
  }
}
