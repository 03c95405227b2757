// A capacity search on the terminal: the latency-vs-rate table of its steps, then the knee, the
// break and what broke it, the highest tier qualified with the headroom to the next, and why the
// search stopped.
import type { CapacityFindings, CapacityStep, CapacityStepStatus } from '../thresholds/capacity.ts';
import { rateText } from '../thresholds/capacity-plan.ts';
import type { CapacityRecord } from '../thresholds/result.ts';
import { alignColumns } from './columns.ts';
import { percent } from './facts.ts';
import { paint, type TerminalOptions, type Tone } from './terminal.ts';

const STEP_TONE: Record<CapacityStepStatus, Tone> = {
  pass: 'green',
  unproven: 'yellow',
  fail: 'red',
  aborted: 'red',
  'generator-bound': 'magenta',
  'not-steady': 'magenta',
  interrupted: 'dim',
  errored: 'red',
};

function ms(v: number | null): string {
  if (v === null) return '—';
  return v >= 1000 ? `${Number((v / 1000).toPrecision(3))} s` : `${Number(v.toPrecision(3))} ms`;
}

/** One row per step, in the order they ran. */
export function stepRows(steps: CapacityStep[]): string[][] {
  return steps.map((s) => [
    String(s.index + 1),
    rateText(s.rateRps),
    s.tier ?? '',
    s.status,
    ms(s.latencyMs.p50),
    ms(s.latencyMs.p95),
    ms(s.latencyMs.p99),
    s.errorRate === null ? '—' : percent(s.errorRate),
    s.dropped > 0 ? String(s.dropped) : '0',
    rateText(s.achievedRps),
  ]);
}

/** What the search found, a sentence a line. */
export function findingLines(f: CapacityFindings, steps: CapacityStep[]): string[] {
  const lines: string[] = [];
  const last = steps.at(-1);
  if (f.knee) {
    const bracket = f.break
      ? `; broke at ${rateText(f.break.rateRps)} (step ${f.break.step + 1})`
      : '';
    lines.push(
      `Knee: ${rateText(f.knee.rateRps)} (step ${f.knee.step + 1}${f.knee.proven ? '' : ', unproven'}), the highest rate at which every objective held${bracket}`,
    );
  }
  if (f.break?.broke) {
    lines.push(
      `  first to break: ${f.break.broke.expression} at ${rateText(f.break.rateRps)} — ${f.break.broke.reason}`,
    );
  }
  lines.push(`Stopped: ${stopReason(f, last)}`);
  if (f.highestTier !== undefined) {
    lines.push(
      f.highestTier
        ? `Highest tier qualified: ${f.highestTier.id} (${rateText(f.highestTier.rateRps)})`
        : 'Highest tier qualified: none',
    );
  }
  if (f.nextTier) {
    const room =
      f.nextTier.headroom === null
        ? 'headroom not measured'
        : `headroom ${f.nextTier.headroom.toFixed(2)}× (the knee is ${Math.round(f.nextTier.headroom * 100)} % of its rate)`;
    lines.push(`Next tier: ${f.nextTier.id} (${rateText(f.nextTier.rateRps)}), ${room}`);
  }
  if (f.utilisation) {
    lines.push(
      f.utilisation.advice ??
        `The highest tier runs at ${Math.round(f.utilisation.share * 100)} % of the measured capacity`,
    );
  }
  return lines;
}

export function stopReason(f: CapacityFindings, last: CapacityStep | undefined): string {
  const carried =
    f.carriedRps !== null ? `; the target carried at least ${rateText(f.carriedRps)}` : '';
  switch (f.stop) {
    case 'resolved':
      return 'the knee and the break are within the resolution';
    case 'top-held':
      return `every rung held up to ${rateText(f.carriedRps ?? 0)}, so the knee is above it (raise --to or --max-rate)`;
    case 'lowest-broke':
      return `the lowest rate, ${rateText(last?.rateRps ?? 0)}, already broke: no rate held (start lower)`;
    case 'generator-bound':
      return `generator-bound at ${rateText(last?.rateRps ?? 0)}: add --workers or use --engine k6-operator; no knee measured${carried}`;
    case 'rollback':
      return `a rollback trigger aborted the step at ${rateText(last?.rateRps ?? 0)}, which is the break`;
    case 'not-steady':
      return `the target was not back in its steady state before the step at ${rateText(last?.rateRps ?? 0)} (lengthen --cooldown); no knee measured${carried}`;
    case 'max-steps':
      return 'the most steps the search takes, before the resolution was reached';
    case 'interrupted':
      return `interrupted; the steps so far are reported${carried}`;
    case 'errored':
      return `a step could not complete (${last?.reason ?? 'error'})${carried}`;
  }
}

export function renderCapacity(c: CapacityRecord, o: TerminalOptions): string {
  const columns = [
    { title: 'step', align: 'right' },
    { title: 'rate', align: 'right' },
    { title: 'tier', align: 'left' },
    { title: 'status', align: 'left' },
    { title: 'p50', align: 'right' },
    { title: 'p95', align: 'right' },
    { title: 'p99', align: 'right' },
    { title: 'errors', align: 'right' },
    { title: 'dropped', align: 'right' },
    { title: 'achieved', align: 'right' },
  ] as const;
  const { header, lines } = alignColumns([...columns], stepRows(c.steps), (row, col, padded) =>
    col === 3 ? paint(o.color, STEP_TONE[c.steps[row]!.status], padded) : padded,
  );
  const title = `Capacity search: ${c.steps.length} step(s), resolution ${Math.round(c.resolution * 100)} %${
    c.maxRateRps !== undefined ? `, at most ${rateText(c.maxRateRps)}` : ''
  }`;
  return [
    paint(o.color, 'bold', title),
    `  ${header}`,
    ...lines.map((l) => `  ${l}`),
    '',
    ...findingLines(c.findings, c.steps),
  ].join('\n');
}
