// t = 0 of a k6-operator run: when its runners started, on their own clock. The TestRun's stage
// `started` comes too early for it: k6-operator sets it right after creating the starter Job,
// whose Pod must still be scheduled and pull its image before it resumes each runner (seconds
// later). And the runners' clock is the one stamping their samples, so placing samples from
// t = 0 on that same clock keeps every second in its place. Each runner reports its start once
// (the bundle's setup(), gauge START_METRIC); t = 0 is the earliest.
import { RunError } from '../../../core/errors.ts';
import { START_METRIC } from '../k6/bundle.ts';
import { runSelector } from './ingest.ts';
import { PUSH_INTERVAL_S } from './manifests.ts';
import type { PrometheusClient, PromSample } from './prometheus.ts';

/** A runner's push lands within a push interval; wait two, and a bit. */
export const PUSH_LANDS_MS = 2 * PUSH_INTERVAL_S * 1000 + 1000;
const POLL_MS = 250;

/** The runners' reported starts (epoch ms, their clock), by k6-operator's `instance_id` tag. */
export function runnerStarts(samples: PromSample[]): Map<string, number> {
  const starts = new Map<string, number>();
  for (const s of samples) {
    const ms = Number(s.value?.[1]);
    if (!Number.isFinite(ms)) continue;
    const id = s.metric.instance_id ?? JSON.stringify(s.metric);
    starts.set(id, Math.min(starts.get(id) ?? ms, ms));
  }
  return starts;
}

export interface StartWatch {
  prometheus: PrometheusClient;
  testid: string;
  runners: number;
  /** The TestRun, for messages. */
  label: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** True once the TestRun ended or was deleted; throws when it failed. */
  ended: () => boolean;
  log: (line: string) => void;
}

/**
 * Waits for every runner's start in Prometheus (or, if one never reports, for the others'
 * starts to settle) and returns the earliest: t = 0 in epoch ms on the runners' clock.
 */
export async function runnersStartMs(w: StartWatch): Promise<number> {
  const query = runSelector(w.testid, [`k6_${START_METRIC}`]);
  const since = Date.now();
  let firstSeenAt: number | undefined;
  let endedAt: number | undefined;
  let lastError: Error | undefined;
  for (;;) {
    if (w.signal.aborted) {
      throw new RunError(`interrupted while TestRun ${w.label} was starting; it was deleted`);
    }
    if (endedAt === undefined && w.ended()) endedAt = Date.now();
    let starts = new Map<string, number>();
    try {
      starts = runnerStarts(await w.prometheus.query(query));
    } catch (err) {
      lastError = err as Error;
    }
    if (starts.size > 0) firstSeenAt ??= Date.now();
    const settled = firstSeenAt !== undefined && Date.now() - firstSeenAt >= PUSH_LANDS_MS;
    if (starts.size >= w.runners || (settled && starts.size > 0)) {
      const t0 = Math.min(...starts.values());
      w.log(
        `k6-operator: ${starts.size} of ${w.runners} runners started, ${((t0 - since) / 1000).toFixed(1)} s after stage started (t = 0, on the runners' clock)`,
      );
      return t0;
    }
    const waitedOut = endedAt !== undefined && Date.now() - endedAt > PUSH_LANDS_MS;
    if (waitedOut || Date.now() - since > w.timeoutMs) {
      throw new RunError(
        `TestRun ${w.label}'s runners did not report their start (${query}) to Prometheus ` +
          `${waitedOut ? 'before it ended' : `within ${Math.round(w.timeoutMs / 1000)} s`}` +
          `${lastError ? `: ${lastError.message}` : ''}`,
        'do the runners reach --prometheus-url? (kubectl logs -l runner=true shows remote-write errors)',
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
