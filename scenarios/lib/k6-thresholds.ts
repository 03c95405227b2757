// Objectives and rollback triggers → k6 thresholds. k6 evaluates thresholds cumulatively from
// the start of the test, so a window becomes a scenario scope: `steady` → the steady phase's
// scenario, `whole` → no scope. What k6 cannot express (game-day windows, baselines,
// throughput) is left to tiergate's gate and said in the notes.
import type { Comparator, LoadPlan, Objective, RollbackTrigger } from '../../thresholds/model.ts';
import { formatObjective } from '../../thresholds/objective.ts';
import type { K6Threshold } from './k6-types.ts';

export interface ThresholdSettings {
  /** Rollback triggers abort the test (k6's abortOnFail); off when tiergate aborts globally. */
  abortOnFail: boolean;
  /** Scenario names of the steady window. */
  steady: string[];
}

interface Expression {
  metric: 'http_req_duration' | 'http_req_failed';
  expression: string;
}

const FLIP: Record<Comparator, Comparator> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** A number as k6 reads it, without float noise (1 − 0.999 = 0.0010000000000000009). */
function num(n: number): string {
  return String(Number(n.toPrecision(12)));
}

/** k6's aggregation of a tiergate statistic, for Trend metrics. */
const TREND_STATS: Record<string, string> = { max: 'max', min: 'min', mean: 'avg' };

function trendStat(stat: Objective['stat']): string | undefined {
  if (stat.startsWith('p')) return `p(${stat.slice(1)})`;
  return TREND_STATS[stat];
}

/** The k6 expression of an objective, or why there is none. */
function expressionOf(o: Objective): Expression | string {
  if (o.limit.kind !== 'absolute') return 'baseline-relative: k6 has no baseline';
  const value = o.limit.value;
  switch (o.metric) {
    case 'latency':
    case 'service_time': {
      const agg = trendStat(o.stat);
      if (agg === undefined) return `statistic ${o.stat} has no k6 aggregation`;
      return { metric: 'http_req_duration', expression: `${agg}${o.op}${num(value)}` };
    }
    case 'error_rate':
      return { metric: 'http_req_failed', expression: `rate${o.op}${num(value)}` };
    case 'availability':
      // availability ≥ a  ⇔  failed share ≤ 1 − a
      return { metric: 'http_req_failed', expression: `rate${FLIP[o.op]}${num(1 - value)}` };
    case 'dropped_rate':
      return 'k6 counts dropped iterations, not their share (see dropped_iterations)';
    case 'throughput':
    case 'throughput_ratio':
      return "k6's http_reqs rate spans the whole test, not one window";
    case 'recovery_time':
      return 'recovery time is measured on the game-day timeline';
  }
}

/** Tag values end at `,` or `}` in k6's sub-metric syntax. */
function tagSafe(value: string): boolean {
  return !/[,{}]/.test(value);
}

function metricKey(metric: string, tags: [string, string][]): string {
  return tags.length === 0 ? metric : `${metric}{${tags.map(([k, v]) => `${k}:${v}`).join(',')}}`;
}

export class ThresholdBuilder {
  readonly thresholds: Record<string, K6Threshold[]> = {};
  readonly notes: string[] = [];

  constructor(private readonly settings: ThresholdSettings) {}

  /** Metric keys of the objective's window and request, or why it has none in k6. */
  private keys(o: Objective, metric: string): string[] | string {
    const request: [string, string][] = o.request === undefined ? [] : [['name', o.request]];
    if (o.request !== undefined && !tagSafe(o.request)) {
      return `request name "${o.request}" cannot be written in a k6 tag filter`;
    }
    switch (o.window) {
      case 'whole':
        return [metricKey(metric, request)];
      case 'steady':
        if (this.settings.steady.length === 0) return 'the plan has no steady phase';
        return this.settings.steady.map((s) => metricKey(metric, [['scenario', s], ...request]));
      case 'chaos':
      case 'recovery':
        return `the ${o.window} window is cut from the game-day timeline`;
    }
  }

  private add(key: string, threshold: K6Threshold): void {
    const list = this.thresholds[key] ?? [];
    list.push(threshold);
    this.thresholds[key] = list;
  }

  /** Adds a gate objective; returns false (with a note) when k6 cannot express it. */
  objective(o: Objective): boolean {
    const skip = (why: string): false => {
      this.notes.push(`${o.id} (${formatObjective(o)}) is judged by tiergate only: ${why}`);
      return false;
    };
    // A warning must not fail a k6 run (exit 99): k6 has no severity.
    if (o.severity === 'warn') return skip('a warning has no k6 equivalent');
    const e = expressionOf(o);
    if (typeof e === 'string') return skip(e);
    const keys = this.keys(o, e.metric);
    if (typeof keys === 'string') return skip(keys);
    for (const key of keys) this.add(key, e.expression);
    return true;
  }

  /** Adds a rollback trigger: k6 aborts on it when abortOnFail is set. */
  trigger(t: RollbackTrigger): boolean {
    const o = t.objective;
    const skip = (why: string): false => {
      this.notes.push(
        `rollback trigger ${t.id} (${formatObjective(o)}) is tiergate's only: ${why}`,
      );
      return false;
    };
    const e = expressionOf(o);
    if (typeof e === 'string') return skip(e);
    const keys = this.keys(o, e.metric);
    if (typeof keys === 'string') return skip(keys);
    for (const key of keys) {
      this.add(
        key,
        this.settings.abortOnFail
          ? { threshold: e.expression, abortOnFail: true, delayAbortEval: `${t.delayS}s` }
          : e.expression,
      );
    }
    return true;
  }

  /** The generator-validity signal: dropped iterations within the plan's budget. */
  dropped(plan: LoadPlan): void {
    if (plan.shape.model !== 'open') return;
    const scheduled = plan.shape.phases.reduce(
      (s, p) => s + ((p.fromRps + p.toRps) / 2) * p.durationS,
      0,
    );
    this.add('dropped_iterations', `count<=${Math.floor(plan.budget.droppedShare * scheduled)}`);
  }
}
