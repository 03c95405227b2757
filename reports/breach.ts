// How an objective verdict reads for people: which objective broke, and by how much.
import type { Metric, Objective, ObjectiveVerdict } from '../thresholds/model.ts';
import { formatMetricValue, metricUnit } from '../thresholds/objective.ts';
import { signedPercent } from './facts.ts';

/** The measured side of an objective: `checkout p95`, `service_time.p99`, `error_rate`. */
export function objectiveSubject(o: Objective): string {
  const what =
    o.metric === 'latency'
      ? o.stat
      : o.metric === 'service_time'
        ? `service_time.${o.stat}`
        : o.metric;
  return o.request ? `${o.request} ${what}` : what;
}

/** Observed value as people read it (`2.41 s`, `1.2%`), `—` without data. */
export function observedText(v: ObjectiveVerdict): string {
  return valueTexts(v)[0];
}

/** The resolved limit as people read it, `—` when it could not be resolved. */
export function limitText(v: ObjectiveVerdict): string {
  return valueTexts(v)[1];
}

/**
 * Observed and limit as people read them. When rounding would make two different values
 * read the same (`1.5 s > 1.5 s`), both are written with more digits instead.
 */
function valueTexts(v: ObjectiveVerdict): [observed: string, limit: string] {
  const { metric } = v.objective;
  const observed = formatMetricValue(metric, v.observed);
  const limit = formatMetricValue(metric, v.limit);
  if (v.observed === null || v.limit === null || v.observed === v.limit || observed !== limit) {
    return [observed, limit];
  }
  return [precise(metric, v.observed), precise(metric, v.limit)];
}

function precise(metric: Metric, value: number): string {
  const fixed = (n: number, digits: number) => Number(n.toFixed(digits)).toString();
  switch (metricUnit(metric)) {
    case 'ms':
      return `${fixed(value, 3)} ms`;
    case '%':
      return `${fixed(value * 100, 4)}%`;
    case 'rps':
      return `${fixed(value, 3)} req/s`;
    case 's':
      return `${fixed(value, 3)} s`;
  }
}

/**
 * Signed distance of the observed value from the limit, relative to the limit:
 * `+61%`, `-0.4%`. Undefined without data or with a zero limit.
 */
export function overshoot(v: ObjectiveVerdict): string | undefined {
  if (v.observed === null || v.limit === null || v.limit === 0) return undefined;
  return signedPercent((v.observed - v.limit) / Math.abs(v.limit));
}

/**
 * One line saying what broke and by how much:
 * `checkout p95 2.41 s > 1.5 s (+61%)`, or `checkout p95: no data (reason)`.
 */
export function describeBreach(v: ObjectiveVerdict): string {
  const subject = objectiveSubject(v.objective);
  if (v.observed === null || v.limit === null) {
    return `${subject}: ${v.observed === null ? 'no data' : 'no limit'} (${v.reason})`;
  }
  const relation = v.observed > v.limit ? '>' : v.observed < v.limit ? '<' : '=';
  const notes = [overshoot(v)];
  if (v.baseline !== undefined && v.baseline !== null) {
    notes.push(`baseline ${formatMetricValue(v.objective.metric, v.baseline)}`);
  }
  const suffix = notes.filter(Boolean).join(', ');
  return `${subject} ${observedText(v)} ${relation} ${limitText(v)}${suffix ? ` (${suffix})` : ''}`;
}

/**
 * The confidence bound on the guarded side as people read it: `≤ 71 ms`, `≥ 99.08%`;
 * `too few samples` where none could be had; `exact` for figures that are not estimates;
 * `—` where no bound was computed (a breach, or a verdict stored before bounds existed).
 */
export function boundText(v: ObjectiveVerdict): string {
  if (v.bound === null) return 'too few samples';
  if (v.bound !== undefined) {
    const { metric } = v.objective;
    const side = v.objective.op === '<' || v.objective.op === '<=' ? '≤' : '≥';
    const text = formatMetricValue(metric, v.bound);
    // A bound that rounds to the limit (`≥ 99.9%` against 99.9%) is written with more digits.
    const rounded =
      v.limit !== null && v.bound !== v.limit && text === formatMetricValue(metric, v.limit);
    return `${side} ${rounded ? precise(metric, v.bound) : text}`;
  }
  if (v.status !== 'pass') return '—';
  const { metric, stat } = v.objective;
  if (metric === 'throughput' || metric === 'recovery_time') return 'exact';
  if (stat === 'min' || stat === 'max') return 'exact';
  return stat === 'mean' ? 'none (a mean)' : '—';
}

/** The column title of `boundText`, naming the confidence. */
export function boundTitle(confidence: number | undefined): string {
  return `Bound (${Math.round((confidence ?? 0.95) * 1000) / 10}%)`;
}

/** One line on an unproven objective: what it met (or broke), and what would settle it. */
export function describeUnproven(v: ObjectiveVerdict): string {
  const subject = objectiveSubject(v.objective);
  const needs = v.needs ? `: ${v.needs}` : '';
  const seen = v.breachUnproven
    ? `breaks ${v.objective.op} ${limitText(v)} on the estimates, inconclusive`
    : `meets ${v.objective.op} ${limitText(v)}, unproven`;
  return `${subject} ${observedText(v)} ${seen}${needs}`;
}
