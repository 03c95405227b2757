// The end of the test as k6 reports it: the handleSummary data object, the legacy
// --summary-export file, and a short text summary when the script has no handleSummary.
import { type Registry as MetricRegistry, Registry } from './metrics.ts';
import { passes, type Threshold } from './thresholds.ts';

export interface CheckCount {
  name: string;
  passes: number;
  fails: number;
}

export interface SummaryInput {
  registry: MetricRegistry;
  thresholds: readonly Threshold[];
  /** Whether thresholds were evaluated (false under --no-thresholds). */
  judged: boolean;
  durationMs: number;
  trendStats: string[];
  checks: CheckCount[];
  setupData: unknown;
}

interface SummaryMetric {
  type: string;
  contains: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export function summaryData(i: SummaryInput) {
  const durationS = i.durationMs / 1000;
  const keys = new Set(i.thresholds.map((t) => t.key));
  const metrics: Record<string, SummaryMetric> = {};
  for (const s of i.registry.all(i.judged ? keys : new Set())) {
    const m: SummaryMetric = {
      type: s.type,
      contains: s.contains,
      values: Registry.values(s, durationS, i.trendStats),
    };
    const own = i.judged ? i.thresholds.filter((t) => t.key === s.key) : [];
    if (own.length > 0) {
      m.thresholds = Object.fromEntries(
        own.map((t) => [t.source, { ok: passes(t, s, durationS) }]),
      );
    }
    metrics[s.key] = m;
  }
  return {
    root_group: {
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      groups: [],
      checks: i.checks.map((c) => ({ ...c, path: `::${c.name}`, id: '' })),
    },
    options: { summaryTrendStats: i.trendStats, summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: i.durationMs },
    metrics,
    setup_data: i.setupData,
  };
}

export type SummaryData = ReturnType<typeof summaryData>;

/** `--summary-export`: flat values, `rate` of a Rate as `value`, thresholds true when FAILED. */
export function legacyExport(data: SummaryData) {
  const metrics: Record<string, Record<string, unknown>> = {};
  for (const [key, m] of Object.entries(data.metrics)) {
    const values: Record<string, unknown> = { ...m.values };
    if (m.type === 'rate') {
      values.value = values.rate;
      delete values.rate;
    }
    if (m.thresholds) {
      values.thresholds = Object.fromEntries(
        Object.entries(m.thresholds).map(([expr, r]) => [expr, !r.ok]),
      );
    }
    metrics[key] = values;
  }
  const checks = Object.fromEntries(data.root_group.checks.map((c) => [c.name, c]));
  return {
    root_group: { name: '', path: '', id: data.root_group.id, groups: {}, checks },
    metrics,
  };
}

const fmt = (n: number) => String(Number(n.toFixed(6)));

export function textSummary(data: SummaryData): string {
  const lines = Object.entries(data.metrics)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, m]) => {
      const mark = m.thresholds
        ? Object.values(m.thresholds).every((t) => t.ok)
          ? '✓ '
          : '✗ '
        : '  ';
      const values = Object.entries(m.values)
        .map(([k, v]) => `${k}=${fmt(v)}`)
        .join(' ');
      return `  ${mark}${key}: ${values}`;
    });
  return `\n  █ TOTAL RESULTS (tiergate k6 stand-in)\n\n${lines.join('\n')}\n\n`;
}
