// After a game day: its windows from the fault events, time to detect and to recover, what
// happened to each fault, and why the run may not support a verdict.
import type { GameDay } from '../../thresholds/gameday.ts';
import type { GateStatus, WindowStats } from '../../thresholds/model.ts';
import { resilienceTimes } from '../../thresholds/resilience.ts';
import type {
  FaultRecord,
  GameDayResult,
  RunOutcome,
  TimelineEvent,
} from '../../thresholds/result.ts';
import type { Windows } from '../../thresholds/windows.ts';
import type { TimelineStore } from '../timeline/store.ts';

export function faultRecords(g: GameDay, events: TimelineEvent[]): FaultRecord[] {
  return g.faults.map((f) => {
    const at = (kind: TimelineEvent['kind']) =>
      events.find((e) => e.kind === kind && e.subject === f.id)?.t ?? null;
    const removedAtS = at('fault-removed');
    return {
      id: f.id,
      kind: f.fault.kind,
      injectedAtS: at('fault-injected'),
      removedAtS,
      recovered: removedAtS !== null,
    };
  });
}

export interface GameDayAssessment {
  result: Omit<GameDayResult, 'verdict' | 'driver'>;
  /** Reasons the run cannot support a verdict. */
  inconclusiveReasons: string[];
  /** Faults whose removal could not be verified: the run could not complete (exit 3). */
  unverified: string[];
}

/** Why a game day whose steady state was broken before any fault supports no verdict. */
export function steadyStateBrokenReason(broken: string): string {
  return `steady state was already broken before any fault, so nothing was injected: ${broken}`;
}

export function assessGameDay(
  g: GameDay,
  store: TimelineStore,
  windows: Windows,
  events: TimelineEvent[],
  steadyStateBroken: string | undefined,
  failures: readonly string[],
  goodSeconds: number,
): GameDayAssessment {
  const faults = faultRecords(g, events);
  const chaos = windows.chaos;
  let times = { timeToDetectS: null as number | null, timeToRecoverS: null as number | null };
  if (chaos) {
    const last = windows.whole?.endS ?? 0;
    const seconds: WindowStats[] = [];
    for (let t = 0; t < last; t++)
      seconds.push(store.stats({ window: 'whole', startS: t, endS: t + 1 }));
    // Timed from the faults as they happened, not from the chaos window's whole seconds.
    const injected = faults.flatMap((f) => (f.injectedAtS === null ? [] : [f.injectedAtS]));
    const removed = faults.flatMap((f) => (f.removedAtS === null ? [] : [f.removedAtS]));
    const span = {
      startS: injected.length > 0 ? Math.min(...injected) : chaos.startS,
      endS: removed.length > 0 ? Math.max(...removed) : chaos.endS,
    };
    times = resilienceTimes(seconds, g.steadyState, span, goodSeconds);
  }
  const inconclusiveReasons: string[] = [];
  if (steadyStateBroken !== undefined) {
    inconclusiveReasons.push(steadyStateBrokenReason(steadyStateBroken));
  }
  const unverified = [
    ...failures.filter((f) => f.includes('could not be removed')),
    ...faults
      .filter((f) => f.injectedAtS !== null && !f.recovered)
      .map((f) => `fault ${f.id} was never removed`),
  ];
  const result: GameDayAssessment['result'] = { id: g.id, name: g.name, faults, ...times };
  if (steadyStateBroken !== undefined) result.steadyStateBroken = steadyStateBroken;
  return { result, inconclusiveReasons, unverified };
}

/** The game day's own verdict, beside the gate's. */
export function gameDayVerdict(
  outcome: RunOutcome,
  gate: GateStatus,
  assessment: GameDayAssessment,
): GameDayResult['verdict'] {
  if (outcome.state !== 'completed') return outcome.state;
  if (gate === 'inconclusive') return 'inconclusive';
  const injected = assessment.result.faults.some((f) => f.injectedAtS !== null);
  if (injected && assessment.result.timeToRecoverS === null) return 'deviated';
  return gate;
}
