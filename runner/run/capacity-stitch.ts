// The steps of a capacity search laid end to end on one timeline, as one RunResult: every
// step's seconds and events shifted to where it ran, the cool-downs between them as empty
// seconds, and the plan's phases named after their step. The windows are the judged step's
// (the knee, or the step the search ended on): `steady` its hold, `whole` the step itself, so
// `tiergate gate` on the stored run re-judges the knee's hold, and the other steps' seconds
// are charted but in no window.
import type { CapacityFindings, CapacityStep } from '../../thresholds/capacity.ts';
import type { LoadPlan, RatePhase } from '../../thresholds/model.ts';
import type { RunResult, SecondBucket, TimelineEvent } from '../../thresholds/result.ts';
import type { Windows } from '../../thresholds/windows.ts';
import { emptySecond, TimelineStore } from '../timeline/store.ts';
import { gapStats, judge, windowStats } from './evaluate.ts';

export interface RanStep {
  step: CapacityStep;
  run: RunResult;
}

/** Seconds of every step at its offset, cool-downs filled with empty seconds. */
function stitchedTimeline(ran: RanStep[]): SecondBucket[] {
  const timeline: SecondBucket[] = [];
  for (const { step, run } of ran) {
    while (timeline.length < step.startS) timeline.push(emptySecond(timeline.length, 0));
    for (const b of run.timeline) timeline.push({ ...b, t: step.startS + b.t });
  }
  return timeline;
}

function stitchedEvents(ran: RanStep[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  ran.forEach(({ step, run }, i) => {
    for (const e of run.events) {
      // One run-started and one run-ended for the search; each step starts a phase.
      if (e.kind === 'run-started') {
        if (i === 0) events.push({ ...e });
        events.push({ t: step.startS, kind: 'phase-started', subject: stepLabel(step) });
        continue;
      }
      if (e.kind === 'run-ended' && i < ran.length - 1) continue;
      events.push({ ...e, t: step.startS + e.t });
    }
  });
  return events;
}

export function stepLabel(step: Pick<CapacityStep, 'index' | 'rateRps' | 'tier'>): string {
  return `step ${step.index + 1}${step.tier !== undefined ? ` (${step.tier})` : ''}`;
}

/** Every step's phases, shifted; only the judged step's hold is `steady`. */
function stitchedPhases(ran: RanStep[], judged: number): RatePhase[] {
  return ran.flatMap(({ step, run }) =>
    (run.plan.shape.phases as RatePhase[]).map((p) => ({
      ...p,
      name: `${stepLabel(step)} ${p.name}`,
      startS: step.startS + p.startS,
      steady: p.steady && step.index === judged,
    })),
  );
}

/** The step whose hold the stored run is judged on. */
export function judgedStep(ran: RanStep[], found: CapacityFindings): RanStep {
  const index = found.knee?.step ?? found.break?.step;
  return ran.find((r) => r.step.index === index) ?? ran.at(-1)!;
}

export function stitchRuns(
  ran: RanStep[],
  found: CapacityFindings,
  runId: string,
  exitCode: number,
  notes: string[],
): RunResult {
  const judged = judgedStep(ran, found);
  const timeline = stitchedTimeline(ran);
  const plan: LoadPlan = {
    ...judged.run.plan,
    shape: { model: 'open', phases: stitchedPhases(ran, judged.step.index) },
    durationS: timeline.length,
    peak: Math.max(...ran.map((r) => r.step.rateRps)),
    notes,
  };
  const windows: Windows = {
    whole: { startS: judged.step.startS, endS: judged.step.endS },
    steady: {
      startS: judged.step.holdStartS,
      endS:
        judged.step.holdStartS +
        (judged.run.windows.steady
          ? judged.run.windows.steady.endS - judged.run.windows.steady.startS
          : 0),
    },
  };
  const store = TimelineStore.fromBuckets(timeline);
  const stats = windowStats(
    store,
    windows,
    plan.journey.requests.map((r) => r.name),
    {
      confidence: plan.confidence,
    },
  );
  const last = ran.at(-1)!.run;
  const interrupted = ran.find(
    (r) => r.run.outcome.state === 'interrupted' || r.run.outcome.state === 'errored',
  );
  return {
    ...judged.run,
    runId,
    startedAt: ran[0]!.run.startedAt,
    endedAt: last.endedAt,
    plan,
    outcome: interrupted ? shiftedOutcome(interrupted) : { state: 'completed' },
    timeline,
    events: stitchedEvents(ran),
    windows,
    stats,
    gaps: gapStats(store, windows),
    verdict: judge({ plan, stats }),
    exitCode,
  };
}

function shiftedOutcome({ step, run }: RanStep): RunResult['outcome'] {
  const o = run.outcome;
  return o.state === 'interrupted' ? { ...o, atS: step.startS + o.atS } : o;
}
