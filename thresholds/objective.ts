// Objectives written the way people say them: `p95 < 2s`, `error_rate < 1%`,
// `availability >= 99.9%`, `p95 <= 2x baseline`, `p95 within 20% of baseline`.

import { grouped } from './format.ts';
import type { Comparator, Limit, Metric, Objective, Statistic, WindowName } from './model.ts';

export class ObjectiveSyntaxError extends Error {
  constructor(
    readonly expression: string,
    readonly problem: string,
  ) {
    super(`objective "${expression}": ${problem}`);
    this.name = 'ObjectiveSyntaxError';
  }
}

/** The statistics a latency objective can take. */
export const LATENCY_STATS = [
  'p50',
  'p75',
  'p90',
  'p95',
  'p99',
  'p99.9',
  'max',
  'mean',
  'min',
] as const satisfies readonly Statistic[];
const RATE_METRICS: readonly Metric[] = ['error_rate', 'availability', 'dropped_rate'];
/** Every metric an objective can name, in the order help texts list them. */
export const ALL_METRICS = [
  'latency',
  'service_time',
  'error_rate',
  'availability',
  'dropped_rate',
  'throughput',
  'throughput_ratio',
  'recovery_time',
] as const satisfies readonly Metric[];

const DURATION_UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** The forms `parseDurationS` reads, for the messages that refuse a duration. */
export const DURATION_FORMS =
  'a duration such as 500ms, 30s, 5m, 1h, 1m30s (k6 style) or seconds (90)';

const DURATION_PART = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)/;
const SECONDS_PER_UNIT: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/**
 * Parses a duration into seconds: bare seconds (`90`, `1.5`), one part (`2s`, `300ms`, `1.5m`)
 * or k6's (Go's) compound form, parts added up (`1m30s`, `1h30m`, `2m0.5s`).
 */
export function parseDurationS(text: string): number {
  let rest = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(rest)) return Number(rest);
  let seconds = 0;
  let parts = 0;
  for (let m = DURATION_PART.exec(rest); m; m = DURATION_PART.exec(rest)) {
    seconds += Number(m[1]) * (SECONDS_PER_UNIT[m[2] ?? 's'] ?? 1);
    parts++;
    rest = rest.slice(m[0].length);
  }
  if (parts === 0 || rest !== '') {
    throw new Error(`"${text}" is not a duration (use ${DURATION_FORMS})`);
  }
  return Number(seconds.toPrecision(12));
}

function parseMetricAndStat(lhs: string, expression: string): { metric: Metric; stat: Statistic } {
  const text = lhs.trim().toLowerCase();
  if ((LATENCY_STATS as readonly string[]).includes(text))
    return { metric: 'latency', stat: text as Statistic };
  const [metricPart, statPart] = text.split(/\.(?=p|max|mean|min)/);
  const metric = metricPart as Metric;
  if (!(ALL_METRICS as readonly Metric[]).includes(metric)) {
    throw new ObjectiveSyntaxError(
      expression,
      `unknown metric "${metricPart}"; use one of p50…p99.9, max, mean, ${ALL_METRICS.join(', ')}`,
    );
  }
  if (metric === 'latency' || metric === 'service_time') {
    const stat = (statPart ?? 'p95') as Statistic;
    if (!(LATENCY_STATS as readonly Statistic[]).includes(stat)) {
      throw new ObjectiveSyntaxError(expression, `unknown statistic "${statPart}" for ${metric}`);
    }
    return { metric, stat };
  }
  if (statPart) {
    throw new ObjectiveSyntaxError(expression, `${metric} takes no statistic (got ".${statPart}")`);
  }
  return { metric, stat: 'value' };
}

function parseAbsolute(metric: Metric, text: string, expression: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(us|ms|s|m|%|rps|req\/s)?$/.exec(text.trim().toLowerCase());
  if (!m) throw new ObjectiveSyntaxError(expression, `cannot read the limit "${text}"`);
  const n = Number(m[1]);
  const unit = m[2];
  if (metric === 'latency' || metric === 'service_time') {
    if (unit === undefined || unit === '%' || unit === 'rps' || unit === 'req/s') {
      throw new ObjectiveSyntaxError(
        expression,
        `latency limits need a unit (ms or s), got "${text}"`,
      );
    }
    return n * (DURATION_UNITS_MS[unit] ?? 1);
  }
  if (metric === 'recovery_time') {
    if (unit === undefined || unit === '%' || unit === 'rps' || unit === 'req/s' || unit === 'us') {
      throw new ObjectiveSyntaxError(
        expression,
        `recovery_time needs a unit (s or m), got "${text}"`,
      );
    }
    return (n * (DURATION_UNITS_MS[unit] ?? 1)) / 1000;
  }
  if (RATE_METRICS.includes(metric) || metric === 'throughput_ratio') {
    // toPrecision drops the float noise of n / 100 (99.9 / 100 = 0.9990000000000001).
    if (unit === '%') return Number((n / 100).toPrecision(12));
    if (unit === undefined && n <= 1) return n;
    throw new ObjectiveSyntaxError(
      expression,
      `${metric} is a share: write it as a percentage (1%) or a fraction (0.01)`,
    );
  }
  if (unit !== undefined && unit !== 'rps' && unit !== 'req/s') {
    throw new ObjectiveSyntaxError(expression, `throughput is in requests/second, got "${text}"`);
  }
  return n;
}

function parseLimit(metric: Metric, text: string, expression: string): Limit {
  const factor = /^(\d+(?:\.\d+)?)\s*(?:x|×|\*)\s*baseline$/i.exec(text.trim());
  if (factor) return { kind: 'baseline-factor', factor: Number(factor[1]) };
  return { kind: 'absolute', value: parseAbsolute(metric, text, expression) };
}

export interface ObjectiveOptions {
  id?: string;
  window?: WindowName;
  request?: string;
  severity?: 'fail' | 'warn';
  optional?: boolean;
  prove?: boolean;
  description?: string;
  source?: Objective['source'];
}

/** Builds an objective from an expression such as `p95 < 2s` or `p95 within 20% of baseline`. */
export function parseObjective(expression: string, options: ObjectiveOptions = {}): Objective {
  const within = /^\s*([a-z_.0-9]+)\s+within\s+(\d+(?:\.\d+)?)\s*%\s+of\s+baseline\s*$/i.exec(
    expression,
  );
  let metric: Metric;
  let stat: Statistic;
  let op: Comparator;
  let limit: Limit;
  if (within) {
    ({ metric, stat } = parseMetricAndStat(within[1]!, expression));
    op = '<=';
    limit = { kind: 'baseline-within', percent: Number(within[2]) };
  } else {
    const m = /^\s*([a-z_.0-9]+)\s*(<=|>=|<|>|≤|≥)\s*(.+?)\s*$/i.exec(expression);
    if (!m) {
      throw new ObjectiveSyntaxError(
        expression,
        'expected "<metric> <op> <limit>", e.g. "p95 < 2s", "error_rate < 1%", "p95 <= 2x baseline"',
      );
    }
    ({ metric, stat } = parseMetricAndStat(m[1]!, expression));
    op = ({ '≤': '<=', '≥': '>=' }[m[2]!] ?? m[2]) as Comparator;
    limit = parseLimit(metric, m[3]!, expression);
  }
  const problem = objectiveProblem({ metric, op, limit });
  if (problem !== undefined) throw new ObjectiveSyntaxError(expression, problem);
  const window = options.window ?? 'whole';
  const objective: Objective = {
    id: options.id ?? defaultObjectiveId(metric, stat, options.request, window),
    metric,
    stat,
    op,
    limit,
    window,
    severity: options.severity ?? 'fail',
  };
  if (options.request !== undefined) objective.request = options.request;
  if (options.optional !== undefined) objective.optional = options.optional;
  if (options.prove !== undefined) objective.prove = options.prove;
  if (options.description !== undefined) objective.description = options.description;
  if (options.source !== undefined) objective.source = options.source;
  return objective;
}

/** Metrics where a lower value is better: their limits are upper bounds (`<`, `<=`). */
const LOWER_IS_BETTER: readonly Metric[] = [
  'latency',
  'service_time',
  'error_rate',
  'dropped_rate',
  'recovery_time',
];
/** Shares of requests: none can pass 100 %. */
const SHARES_OF_REQUESTS: readonly Metric[] = RATE_METRICS;

/**
 * What makes an objective unable to judge anything, or undefined when it can: a comparator
 * that points the wrong way for its metric (`p99 > 300ms` passes the slower the system), a
 * share beyond 100 %, or a bound that always holds (`error_rate <= 100%`, `availability >= 0%`)
 * or never can (`p99 < 0ms`, `availability > 100%`).
 */
export function objectiveProblem(
  o: Pick<Objective, 'metric' | 'op' | 'limit'>,
): string | undefined {
  if (o.limit.kind === 'baseline-within') return undefined;
  const lower = LOWER_IS_BETTER.includes(o.metric);
  const strict = o.op === '<' || o.op === '>';
  if (lower !== (o.op === '<' || o.op === '<=')) {
    const use = lower ? '< or <=' : '> or >=';
    return `${o.metric} is better ${lower ? 'lower' : 'higher'}: "${o.op}" passes the worse it gets (use ${use})`;
  }
  if (o.limit.kind !== 'absolute') return undefined;
  const v = o.limit.value;
  const shown = formatMetricValue(o.metric, v);
  const share = SHARES_OF_REQUESTS.includes(o.metric);
  if (share && v > 1)
    return `${o.metric} is a share of requests: ${shown} is more than all of them`;
  const always = lower ? share && v === 1 && !strict : v <= 0 && !strict;
  if (always) return `"${o.op} ${shown}" always holds, so it judges nothing`;
  const never = lower ? v <= 0 && strict : share && v === 1 && strict;
  if (never) return `"${o.op} ${shown}" can never hold`;
  return undefined;
}

function defaultObjectiveId(
  metric: Metric,
  stat: Statistic,
  request: string | undefined,
  window: WindowName,
): string {
  const what = metric === 'latency' ? stat : stat === 'value' ? metric : `${metric}-${stat}`;
  return [request, what, window === 'whole' ? undefined : window].filter(Boolean).join('-');
}

/** The unit objectives of this metric are shown in. */
export function metricUnit(metric: Metric): 'ms' | '%' | 'rps' | 's' {
  if (metric === 'latency' || metric === 'service_time') return 'ms';
  if (metric === 'throughput') return 'rps';
  if (metric === 'recovery_time') return 's';
  return '%';
}

/** Formats a value of a metric for people: `1234 ms` → `1.23 s`, `0.0123` → `1.23%`. */
export function formatMetricValue(metric: Metric, value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—';
  switch (metricUnit(metric)) {
    case 'ms':
      return value >= 1000 ? `${trim(value / 1000)} s` : `${trim(value)} ms`;
    case '%':
      return `${trim(value * 100, value * 100 >= 99 ? 4 : 3)}%`;
    case 'rps':
      return `${trim(value)} req/s`;
    case 's':
      return `${trim(value)} s`;
  }
}

function trim(n: number, digits = 3): string {
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 10_000) return grouped(Math.round(n));
  const decimals = abs >= 100 ? 0 : Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return Number(n.toFixed(Math.min(decimals, 6))).toString();
}

/** `p95 < 2 s`, `error_rate < 1%`, `p95 <= 2× baseline`, as written for people. */
export function formatObjective(o: Objective): string {
  const lhs =
    o.metric === 'latency'
      ? o.stat
      : o.metric === 'service_time'
        ? `service_time.${o.stat}`
        : o.metric;
  const who = o.request ? `${o.request} ` : '';
  switch (o.limit.kind) {
    case 'absolute':
      return `${who}${lhs} ${o.op} ${formatMetricValue(o.metric, o.limit.value)}`;
    case 'baseline-factor':
      return `${who}${lhs} ${o.op} ${o.limit.factor}× baseline`;
    case 'baseline-within':
      return `${who}${lhs} within ${o.limit.percent}% of baseline`;
  }
}

export function compare(observed: number, op: Comparator, limit: number): boolean {
  switch (op) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
  }
}
