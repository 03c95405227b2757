// k6's thresholds: `<aggregation> <operator> <number>` on a metric or a sub-metric, with
// abortOnFail / delayAbortEval; checked every 2 s while the test runs and once at its end.
import { parseDurationMs } from './durations.ts';
import type { Registry, Series } from './metrics.ts';
import type { MetricType } from './output.ts';

export interface Threshold {
  /** The metric key as written in options.thresholds. */
  key: string;
  source: string;
  aggregation: string;
  operator: string;
  value: number;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
  /** The threshold object as k6 writes it in the JSON output's Metric lines. */
  json: unknown;
}

const AGGREGATIONS: Record<MetricType, RegExp> = {
  counter: /^(count|rate)$/,
  gauge: /^value$/,
  rate: /^rate$/,
  trend: /^(avg|min|max|med|p\((\d+(\.\d+)?)\))$/,
};

const EXPRESSION =
  /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/;

/** Parses options.thresholds; throws a message naming the threshold for anything wrong. */
export function parseThresholds(thresholds: unknown, registry: Registry): Threshold[] {
  if (thresholds === undefined) return [];
  if (typeof thresholds !== 'object' || thresholds === null) {
    throw new Error('options.thresholds must be an object');
  }
  const out: Threshold[] = [];
  for (const [key, list] of Object.entries(thresholds as Record<string, unknown>)) {
    const series = registry.series(key);
    const items = Array.isArray(list) ? list : [list];
    for (const item of items) {
      const obj =
        typeof item === 'string' ? { threshold: item } : (item as Record<string, unknown>);
      const source = obj?.threshold;
      if (typeof source !== 'string') {
        throw new Error(
          `threshold on ${key}: ${JSON.stringify(item)} has no "threshold" expression`,
        );
      }
      for (const field of Object.keys(obj)) {
        if (!['threshold', 'abortOnFail', 'delayAbortEval'].includes(field)) {
          throw new Error(`threshold on ${key}: unknown field "${field}"`);
        }
      }
      const m = EXPRESSION.exec(source);
      if (!m)
        throw new Error(`threshold on ${key}: "${source}" is not <aggregation> <op> <number>`);
      const [, aggregation, operator, value] = m as unknown as [string, string, string, string];
      if (!AGGREGATIONS[series.type].test(aggregation)) {
        throw new Error(
          `threshold on ${key}: "${aggregation}" is not an aggregation of a ${series.type} metric`,
        );
      }
      const p = /^p\((.*)\)$/.exec(aggregation);
      if (p && Number(p[1]) > 100) throw new Error(`threshold on ${key}: percentile above 100`);
      const delay = obj.delayAbortEval === undefined ? 0 : parseDurationMs(obj.delayAbortEval);
      if (delay === undefined) {
        throw new Error(
          `threshold on ${key}: delayAbortEval "${String(obj.delayAbortEval)}" is not a duration`,
        );
      }
      const abortOnFail = obj.abortOnFail === true;
      out.push({
        key: series.key,
        source,
        aggregation,
        operator,
        value: Number(value),
        abortOnFail,
        delayAbortEvalMs: delay,
        json: abortOnFail || typeof item !== 'string' ? obj : source,
      });
    }
  }
  return out;
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '!=':
      return a !== b;
    default:
      return a === b;
  }
}

export function passes(t: Threshold, series: Series, durationS: number): boolean {
  return compare(series.sink.stat(t.aggregation, durationS), t.operator, t.value);
}
