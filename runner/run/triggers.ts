// Rollback triggers, checked live once a second on a sliding window of the timeline. A trigger
// that stays breached for its `forS` seconds aborts the run (k6's abortOnFail, with delay).
//
// Seconds hold the requests intended in them, so the newest seconds are still open: a trigger
// judges what has arrived of them. Its errors and latencies are those of completed requests,
// each in its own second; a request still in flight counts once it completes (or times out),
// while its second is still inside the trigger's window. Judging by completion time instead
// would need a second copy of every request's figures; the gate after the run counts every
// request by its intended second either way.
import { evaluateObjective } from '../../thresholds/gate.ts';
import type { ObjectiveVerdict, RollbackTrigger, WindowStats } from '../../thresholds/model.ts';
import type { TimelineStore } from '../timeline/store.ts';

export interface TriggerBreach {
  trigger: RollbackTrigger;
  atS: number;
  verdict: ObjectiveVerdict;
}

export class RollbackWatch {
  private readonly breachedFor = new Map<string, number>();

  constructor(
    private readonly triggers: RollbackTrigger[],
    private readonly baseline?: (request?: string) => WindowStats | undefined,
  ) {}

  /**
   * Checks every trigger against the seconds up to (not including) `nowS`. Returns the first
   * trigger held breached for its full `forS`, or undefined.
   */
  check(store: TimelineStore, nowS: number): TriggerBreach | undefined {
    for (const trigger of this.triggers) {
      const o = trigger.objective;
      if (nowS < trigger.delayS) continue;
      // A baseline-relative trigger is only armed when a baseline run was given.
      if (o.limit.kind !== 'absolute' && this.baseline === undefined) continue;
      const stats = store.stats({
        window: 'whole',
        startS: Math.max(0, nowS - trigger.windowS),
        endS: nowS,
        ...(o.request ? { request: o.request } : {}),
      });
      const verdict = evaluateObjective(
        { ...o, optional: true },
        stats,
        this.baseline?.(o.request),
      );
      // What was seen, not what is proven: a relative limit broken on the estimates breaches.
      const breached =
        verdict.status === 'fail' ||
        verdict.status === 'warn' ||
        (verdict.status === 'unproven' && verdict.breachUnproven === true);
      const count = breached ? (this.breachedFor.get(trigger.id) ?? 0) + 1 : 0;
      this.breachedFor.set(trigger.id, count);
      if (count >= Math.max(1, trigger.forS)) return { trigger, atS: nowS, verdict };
    }
    return undefined;
  }
}
