// The gate and the run's figures as a terminal shows them: an aligned table, what broke and
// by how much, the overall verdict, then a footer of counts and latencies. ANSI colour only
// when asked for (the caller decides from the TTY, NO_COLOR and CI).
import type { GateVerdict, ObjectiveStatus } from '../thresholds/model.ts';
import { formatMetricValue } from '../thresholds/objective.ts';
import type { RunResult } from '../thresholds/result.ts';
import {
  boundText,
  boundTitle,
  describeBreach,
  describeUnproven,
  limitText,
  observedText,
} from './breach.ts';
import { alignColumns, type Column } from './columns.ts';
import {
  count,
  errorsByKind,
  latencyOrigin,
  outcomeSentence,
  percent,
  runTotals,
  serviceTimeDiffers,
  throughputText,
  wholeStats,
} from './facts.ts';
import { gameDayLines, gapLines } from './gameday.ts';

export interface TerminalOptions {
  color: boolean;
}

export type Tone = 'green' | 'yellow' | 'red' | 'magenta' | 'dim' | 'bold';
const SGR: Record<Tone, [open: number, close: number]> = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  magenta: [35, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** `s` in an ANSI colour or weight when `on`; unchanged otherwise. */
export function paint(on: boolean, tone: Tone, s: string): string {
  if (!on) return s;
  const [open, close] = SGR[tone];
  return `\u001b[${open}m${s}\u001b[${close}m`;
}

const STATUS_TONE: Record<ObjectiveStatus, Tone> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  skipped: 'dim',
  unproven: 'yellow',
};
const GATE_TONE: Record<GateVerdict['status'], Tone> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  inconclusive: 'magenta',
};

const COLUMNS: Column[] = [
  { title: 'Objective', align: 'left' },
  { title: 'Window', align: 'left' },
  { title: 'Observed', align: 'right' },
  { title: 'Limit', align: 'right' },
  { title: 'Bound', align: 'right' },
  { title: 'Verdict', align: 'left' },
  { title: 'Samples', align: 'right' },
];

export function renderGateTable(verdict: GateVerdict, opts: TerminalOptions): string {
  const lines: string[] = [];
  const rows = verdict.objectives.map((v) => ({
    cells: [
      v.expression,
      v.window,
      observedText(v),
      limitText(v),
      boundText(v),
      v.status.toUpperCase(),
      count(v.samples),
    ],
    tone: STATUS_TONE[v.status],
  }));
  if (rows.length === 0) {
    lines.push('No objectives were evaluated.');
  } else {
    const confidence = verdict.objectives.find((v) => v.confidence !== undefined)?.confidence;
    const columns = COLUMNS.map((c) =>
      c.title === 'Bound' ? { ...c, title: boundTitle(confidence) } : c,
    );
    const { header, lines: body } = alignColumns(
      columns,
      rows.map((r) => r.cells),
      (r, i, padded) => (i === 5 ? paint(opts.color, rows[r]?.tone ?? 'dim', padded) : padded),
    );
    lines.push(paint(opts.color, 'bold', header), ...body);
  }

  const broken = verdict.objectives.filter((v) => v.status === 'fail' || v.status === 'warn');
  if (broken.length > 0) lines.push('');
  for (const v of broken) {
    const mark = v.status === 'fail' ? '✗' : '!';
    const note = v.status === 'warn' ? ' (warning only)' : '';
    lines.push(
      `${paint(opts.color, STATUS_TONE[v.status], mark)} ${describeBreach(v)} [${v.window}]${note}`,
    );
  }
  const unproven = verdict.objectives.filter((v) => v.status === 'unproven');
  if (unproven.length > 0 && broken.length === 0) lines.push('');
  for (const v of unproven) {
    const note = v.objective.prove ? ' (must be proven: fails the gate)' : '';
    lines.push(`${paint(opts.color, 'yellow', '?')} ${describeUnproven(v)} [${v.window}]${note}`);
  }

  lines.push('', overallLine(verdict, opts));
  for (const reason of verdict.inconclusiveReasons) lines.push(`  - ${reason}`);
  return `${lines.join('\n')}\n`;
}

function overallLine(verdict: GateVerdict, opts: TerminalOptions): string {
  const total = verdict.objectives.length;
  const failed = verdict.objectives.filter((v) => v.status === 'fail').length;
  const warned = verdict.objectives.filter((v) => v.status === 'warn').length;
  const skipped = verdict.objectives.filter((v) => v.status === 'skipped').length;
  const unproven = verdict.objectives.filter((v) => v.status === 'unproven').length;
  const passed = total - failed - warned - skipped - unproven;
  const tally = [`${failed} failed`, `${warned} warned`];
  if (unproven > 0) tally.push(`${unproven} unproven`);
  tally.push(`${passed} passed`);
  if (skipped > 0) tally.push(`${skipped} skipped`);
  let why: string;
  switch (verdict.status) {
    case 'pass':
      if (total === 0) why = 'no objectives to judge (add some with --slo, e.g. "p99<300ms")';
      else why = skipped > 0 ? `${tally.join(', ')} of ${total}` : `all ${total} objectives met`;
      break;
    case 'warn':
      why =
        unproven > 0 && warned === 0
          ? verdict.objectives.some((v) => v.breachUnproven)
            ? `${unproven} of ${total} objectives unproven: the runs hold too few samples to show whether they hold (passes unless --strict)`
            : `${unproven} of ${total} objectives met but unproven: the run holds too few samples to show they hold (passes unless --strict)`
          : `${tally.join(', ')} of ${total} (warnings pass unless --strict)`;
      break;
    case 'fail':
      why = `${tally.join(', ')} of ${total}`;
      break;
    case 'inconclusive':
      why = 'the run cannot support a verdict:';
      break;
  }
  const word = paint(opts.color, GATE_TONE[verdict.status], verdict.status.toUpperCase());
  return `${paint(opts.color, 'bold', 'Gate:')} ${word} — ${why}`;
}

export interface FooterOptions extends TerminalOptions {
  /** Where the run's result folder was written. */
  resultDir?: string;
}

export function renderRunFooter(run: RunResult, opts: FooterOptions): string {
  const t = runTotals(run);
  const whole = wholeStats(run);
  const rows: Array<[label: string, text: string]> = [];

  rows.push(['requests', `${count(t.completed)} completed · ${throughputText(run, t)}`]);

  const kinds = errorsByKind(run)
    .map(([kind, n]) => `${kind} ${count(n)}`)
    .join(', ');
  const rate = t.errorRate === null ? '' : ` (${percent(t.errorRate)})`;
  const errors = `${count(t.errors)}${rate}${kinds ? ` — ${kinds}` : ''}`;
  rows.push(['errors', t.errors > 0 ? paint(opts.color, 'red', errors) : errors]);

  const dropped =
    t.scheduled > 0
      ? `${count(t.dropped)} of ${count(t.scheduled)} scheduled (${percent(t.dropped / t.scheduled)})`
      : count(t.dropped);
  rows.push(['dropped', t.dropped > 0 ? paint(opts.color, 'yellow', dropped) : dropped]);

  if (whole && whole.latency.count > 0) {
    const l = whole.latency;
    const ms = (v: number) => formatMetricValue('latency', v);
    let text = `p50 ${ms(l.p50)} · p95 ${ms(l.p95)} · p99 ${ms(l.p99)} · max ${ms(l.max)}`;
    text += paint(opts.color, 'dim', ` (${latencyOrigin(run)})`);
    if (serviceTimeDiffers(whole)) text += ` · service time p99 ${ms(whole.serviceTime.p99)}`;
    rows.push(['latency', text]);
  } else {
    rows.push(['latency', 'no request completed']);
  }

  // A game day lists its gaps among its windows.
  if (!run.gameDay) for (const gap of gapLines(run, '')) rows.push(['gap', gap]);

  const sentence = outcomeSentence(run);
  if (sentence) rows.push(['outcome', paint(opts.color, 'red', sentence)]);
  if (opts.resultDir) rows.push(['results', opts.resultDir]);

  const width = Math.max(...rows.map(([label]) => label.length));
  const footer = rows.map(
    ([label, text]) => `${paint(opts.color, 'dim', label.padEnd(width))}  ${text}`,
  );
  const gameDay = gameDayLines(run);
  return `${[...(gameDay.length > 0 ? [...gameDay, ''] : []), ...footer].join('\n')}\n`;
}
