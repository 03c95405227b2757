// The live progress line: on a TTY one line redrawn in place each second; in CI (no TTY) a
// plain line every 10 s so logs show the run is alive without flooding them.
import type { LoadPlan } from '../../thresholds/model.ts';
import { targetAt } from '../../thresholds/plan.ts';
import type { TimelineStore } from '../timeline/store.ts';

export interface ProgressView {
  elapsedS: number;
  totalS: number;
  currentRps: number;
  target: number;
  p95Ms: number | null;
  errorRate: number;
  dropped: number;
  note?: string;
}

export function progressView(
  store: TimelineStore,
  plan: LoadPlan,
  elapsedS: number,
  note?: string,
): ProgressView {
  // The last second the clock has left: what has arrived of it (requests count in the second
  // they were due, so a slow one shows in its own second once it completes).
  // The newest second the generators have handed over: a second still holding requests in
  // flight arrives a moment after it ended, and reading it earlier would show 0 req/s.
  const last = Math.max(0, Math.min(Math.floor(elapsedS) - 1, store.newestSecond));
  const recent = store.stats({ window: 'whole', startS: Math.max(0, last - 4), endS: last + 1 });
  // Counts only: decoding every second's histograms each second would grow with the run.
  const lastSecond = store.counts(last, last + 1);
  const soFar = store.counts(0, last + 1);
  const view: ProgressView = {
    elapsedS,
    totalS: plan.durationS,
    currentRps: lastSecond.completed,
    target: targetAt(plan, elapsedS),
    p95Ms: recent.latency.count > 0 ? recent.latency.p95 : null,
    errorRate: soFar.completed > 0 ? soFar.errors / soFar.completed : 0,
    dropped: soFar.dropped,
  };
  const draining =
    elapsedS > plan.durationS ? 'plan done: waiting for in-flight requests' : undefined;
  const shown = [note, draining].filter(Boolean).join('; ');
  if (shown) view.note = shown;
  return view;
}

export function formatProgress(v: ProgressView, model: 'open' | 'closed'): string {
  const pad = (n: number) =>
    String(Math.floor(n)).padStart(String(Math.ceil(v.totalS)).length, ' ');
  const unit = model === 'open' ? 'req/s' : 'VUs';
  return [
    `[${pad(v.elapsedS)}s/${Math.ceil(v.totalS)}s]`,
    `${v.currentRps.toFixed(0)} req/s (target ${v.target.toFixed(v.target < 10 ? 1 : 0)} ${unit})`,
    `p95 ${v.p95Ms === null ? '—' : `${v.p95Ms.toFixed(1)} ms`}`,
    `errors ${(v.errorRate * 100).toFixed(2)}%`,
    `dropped ${v.dropped}`,
    ...(v.note ? [v.note] : []),
  ].join('  ');
}

export class ProgressPrinter {
  private lastPlainAt = -Infinity;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly mode: 'tty' | 'plain' | 'quiet',
  ) {}

  update(line: string, elapsedS: number): void {
    if (this.mode === 'tty') this.stream.write(`\r\x1b[2K${line}`);
    else if (this.mode === 'plain' && elapsedS - this.lastPlainAt >= 10) {
      this.lastPlainAt = elapsedS;
      this.stream.write(`${line}\n`);
    }
  }

  done(): void {
    if (this.mode === 'tty') this.stream.write('\r\x1b[2K');
  }
}
