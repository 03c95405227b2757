// Runs a game day's fault schedule on the run's clock: before the first fault the steady state
// is checked (broken → nothing is injected, the run is inconclusive, as Chaos Toolkit does);
// each fault is injected at its offset, held, removed. Every injected fault is on the cleanup
// stack, so Ctrl-C, an abort or a crash removes it.
import { type ChaosDriver, type InjectedFault, RemovalUnverified } from '../../chaos/driver.ts';
import type { CleanupStack } from '../../core/cleanup.ts';
import type { GameDay, ScheduledFault } from '../../thresholds/gameday.ts';
import { faultSpan } from '../../thresholds/gameday.ts';
import { evaluateObjective } from '../../thresholds/gate.ts';
import type { TimelineEvent } from '../../thresholds/result.ts';
import type { TimelineStore } from '../timeline/store.ts';

export interface ScheduleContext {
  store: TimelineStore;
  events: TimelineEvent[];
  elapsedS: () => number;
  cleanup: CleanupStack;
}

export class FaultSchedule {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly injected = new Map<string, InjectedFault>();
  /** Injections under way: stopping aborts their wait and waits for them to undo themselves. */
  private readonly injecting = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  /** Faults whose hold ended while they were still being injected: removed once in place. */
  private readonly removalDue = new Set<string>();
  private stopped = false;
  private ctx: ScheduleContext | undefined;
  private stopping: Promise<void> | undefined;
  /** Why the steady state was broken before any fault (then nothing was injected). */
  steadyStateBroken: string | undefined;
  /** Faults that failed to apply or to remove. */
  readonly failures: string[] = [];
  /**
   * Faults that could not be injected (their ledger could not be written, the driver refused):
   * the game day did not happen as planned, so the run could not complete (exit 3), whatever
   * the system under test did.
   */
  readonly notInjected: string[] = [];

  constructor(
    private readonly gameDay: GameDay,
    private readonly driver: ChaosDriver,
  ) {}

  /** Arms the timers; `startAtMs` is t = 0 on the shared clock, `now()` reads that clock. */
  start(ctx: ScheduleContext, startAtMs: number, now: () => number): void {
    this.ctx = ctx;
    const at = (s: number, fn: () => Promise<void>) => {
      const timer = setTimeout(() => void fn(), Math.max(0, startAtMs + s * 1000 - now()));
      this.timers.push(timer);
    };
    ctx.cleanup.push('fault schedule', () => this.stop());
    const { firstS } = faultSpan(this.gameDay);
    at(firstS, async () => this.checkSteadyState(ctx, firstS));
    for (const f of this.gameDay.faults) {
      at(f.atS, () => this.track(this.inject(ctx, f)));
      at(f.atS + f.holdS, () => {
        this.removalDue.add(f.id);
        return this.remove(ctx, f);
      });
    }
  }

  /** On what has arrived of the steady seconds when the first fault is due. */
  private async checkSteadyState(ctx: ScheduleContext, firstS: number): Promise<void> {
    const startS = this.gameDay.steadyFromS ?? 0;
    const stats = ctx.store.stats({ window: 'steady', startS, endS: Math.floor(firstS) });
    const broken = this.gameDay.steadyState
      .map((o) => evaluateObjective(o, stats))
      .filter((v) => v.status === 'fail');
    if (broken.length > 0) {
      this.steadyStateBroken = broken.map((v) => `${v.expression}: ${v.reason}`).join('; ');
    }
  }

  private track(injection: Promise<void>): Promise<void> {
    this.injecting.add(injection);
    return injection.finally(() => this.injecting.delete(injection));
  }

  private async inject(ctx: ScheduleContext, f: ScheduledFault): Promise<void> {
    if (this.stopped || this.steadyStateBroken !== undefined) return;
    ctx.events.push({
      t: ctx.elapsedS(),
      kind: 'fault-requested',
      subject: f.id,
      detail: f.fault.kind,
    });
    let handle: InjectedFault;
    try {
      handle = await this.driver.inject(f, this.abort.signal);
    } catch (err) {
      const unverified = err instanceof RemovalUnverified;
      const reason = `fault ${f.id} ${unverified ? 'could not be removed' : 'could not be injected'}: ${(err as Error).message}`;
      if (!unverified && !this.stopped) this.notInjected.push(reason);
      this.fail(ctx, f, reason);
      return;
    }
    this.injected.set(f.id, handle);
    if (this.stopped) {
      // The run stopped just as this fault was in place: take it off again at once.
      await this.remove(ctx, f);
      return;
    }
    ctx.cleanup.push(`fault ${f.id}`, () => handle.remove());
    ctx.events.push({
      t: ctx.elapsedS(),
      kind: 'fault-injected',
      subject: f.id,
      detail: describe(f),
    });
    // Injection took longer than the hold (a slow AllInjected): its removal time has passed.
    if (this.removalDue.has(f.id)) await this.remove(ctx, f);
  }

  private fail(ctx: ScheduleContext, f: ScheduledFault, reason: string): void {
    this.failures.push(reason);
    ctx.events.push({ t: ctx.elapsedS(), kind: 'fault-failed', subject: f.id, detail: reason });
  }

  private async remove(ctx: ScheduleContext, f: ScheduledFault): Promise<void> {
    const handle = this.injected.get(f.id);
    if (!handle) return;
    this.injected.delete(f.id);
    try {
      await handle.remove();
      ctx.events.push({ t: ctx.elapsedS(), kind: 'fault-removed', subject: f.id });
    } catch (err) {
      this.fail(ctx, f, `fault ${f.id} could not be removed: ${(err as Error).message}`);
    }
  }

  /** What the progress line shows about the faults at run second `nowS`. */
  liveNote(nowS: number): string {
    if (this.steadyStateBroken !== undefined) return 'steady state broken: no fault injected';
    const held = this.gameDay.faults.filter((f) => this.injected.has(f.id));
    if (held.length > 0) {
      return held
        .map((f) => `FAULT ${f.fault.kind} ${Math.max(0, Math.ceil(f.atS + f.holdS - nowS))}s left`)
        .join(', ');
    }
    const next = this.gameDay.faults.filter((f) => f.atS > nowS).sort((a, b) => a.atS - b.atS)[0];
    if (next) return `steady; ${next.fault.kind} in ${Math.ceil(next.atS - nowS)}s`;
    return 'recovery';
  }

  /** Cancels what has not happened yet and removes what is still injected. */
  stop(): Promise<void> {
    this.stopping ??= this.removeAll();
    return this.stopping;
  }

  private async removeAll(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.abort.abort();
    await Promise.all(this.injecting);
    const ctx = this.ctx;
    if (!ctx) return;
    for (const id of [...this.injected.keys()]) {
      const f = this.gameDay.faults.find((x) => x.id === id);
      if (f) await this.remove(ctx, f);
    }
  }
}

function describe(f: ScheduledFault): string {
  const { kind, ...rest } = f.fault;
  const params = Object.entries(rest)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${kind}${params ? ` ${params}` : ''} for ${f.holdS}s`;
}
