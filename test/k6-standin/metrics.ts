// The stand-in's metric registry: every metric's samples folded into k6's sinks (counter,
// gauge, rate, trend), and the sub-metrics (`name{tag:value}`) thresholds ask for. The summary
// and the thresholds read from here.
import type { MetricSample, MetricType } from './output.ts';
import type { Contains } from './protocol.ts';

class Sink {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  last = 0;
  passes = 0;
  /** Trends only: k6 keeps every value too. */
  readonly values: number[] = [];

  constructor(private readonly type: MetricType) {}

  add(value: number): void {
    this.count++;
    this.sum += value;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    this.last = value;
    if (value !== 0) this.passes++;
    if (this.type === 'trend') this.values.push(value);
  }

  /** k6's percentile: linear interpolation between the two nearest ranks. */
  percentile(p: number): number {
    if (this.values.length === 0) return 0;
    const sorted = this.values.sort((a, b) => a - b);
    const rank = (p / 100) * (sorted.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
  }

  /** The aggregation a threshold or the summary names (`avg`, `p(95)`, `rate`, …). */
  stat(name: string, durationS: number): number {
    const empty = this.count === 0;
    switch (name) {
      case 'count':
        return this.type === 'rate' ? this.count : this.sum;
      case 'rate':
        if (this.type === 'rate') return empty ? 0 : this.passes / this.count;
        return durationS > 0 ? this.sum / durationS : 0;
      case 'value':
        return this.last;
      case 'passes':
        return this.passes;
      case 'fails':
        return this.count - this.passes;
      case 'avg':
        return empty ? 0 : this.sum / this.count;
      case 'min':
        return empty ? 0 : this.min;
      case 'max':
        return empty ? 0 : this.max;
      case 'med':
        return this.percentile(50);
    }
    const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(name);
    if (p) return this.percentile(Number(p[1]));
    throw new Error(`unknown aggregation ${name}`);
  }
}

/** The `values` keys k6 reports per metric type. */
function valueKeys(type: MetricType, trendStats: readonly string[]): string[] {
  switch (type) {
    case 'counter':
      return ['count', 'rate'];
    case 'gauge':
      return ['value', 'min', 'max'];
    case 'rate':
      return ['rate', 'passes', 'fails'];
    case 'trend':
      return [...trendStats];
  }
}

export interface Series {
  /** `http_req_duration` or `http_req_duration{scenario:steady}`. */
  key: string;
  name: string;
  type: MetricType;
  contains: Contains;
  sink: Sink;
  /** A sub-metric's tag filter (empty for the metric itself). */
  filter: [string, string][];
}

/** `name{a:1,b:2}` → name and tags; a value may hold `:` (`group:::checkout`). */
export function parseMetricKey(key: string): { name: string; filter: [string, string][] } {
  const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key.trim());
  if (!m) throw new Error(`"${key}" is not a metric name`);
  const filter = (m[2] ?? '')
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((part): [string, string] => {
      const at = part.indexOf(':');
      if (at <= 0) throw new Error(`"${key}": tag filter "${part}" is not key:value`);
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    });
  return { name: m[1]!.trim(), filter };
}

export class Registry {
  private readonly metrics = new Map<string, Series>();
  private readonly submetrics = new Map<string, Series[]>();

  declare(name: string, type: MetricType, contains: Contains): Series {
    const known = this.metrics.get(name);
    if (known) {
      if (known.type !== type) {
        throw new Error(`metric "${name}" is a ${known.type}, redeclared as a ${type}`);
      }
      return known;
    }
    const series: Series = { key: name, name, type, contains, sink: new Sink(type), filter: [] };
    this.metrics.set(name, series);
    return series;
  }

  get(name: string): Series | undefined {
    return this.metrics.get(name);
  }

  /** The series of a threshold's key, made on first use. */
  series(key: string): Series {
    const { name, filter } = parseMetricKey(key);
    const parent = this.metrics.get(name);
    if (parent === undefined) throw new Error(`no metric name "${name}" found`);
    if (filter.length === 0) return parent;
    const normal = `${name}{${filter.map(([k, v]) => `${k}:${v}`).join(',')}}`;
    const list = this.submetrics.get(name) ?? [];
    const found = list.find((s) => s.key === normal);
    if (found) return found;
    const sub: Series = { ...parent, key: normal, sink: new Sink(parent.type), filter };
    list.push(sub);
    this.submetrics.set(name, list);
    return sub;
  }

  submetricsOf(name: string): readonly Series[] {
    return this.submetrics.get(name) ?? [];
  }

  add(samples: readonly MetricSample[]): void {
    for (const s of samples) {
      this.declare(s.metric, s.type, s.contains).sink.add(s.value);
      for (const sub of this.submetrics.get(s.metric) ?? []) {
        if (sub.filter.every(([k, v]) => s.tags[k] === v)) sub.sink.add(s.value);
      }
    }
  }

  /** Every metric with samples, and every series a threshold names. */
  all(withThresholds: ReadonlySet<string>): Series[] {
    const out: Series[] = [];
    for (const m of this.metrics.values()) {
      if (m.sink.count > 0 || withThresholds.has(m.key)) out.push(m);
      for (const sub of this.submetricsOf(m.name)) if (withThresholds.has(sub.key)) out.push(sub);
    }
    return out;
  }

  static values(
    s: Series,
    durationS: number,
    trendStats: readonly string[],
  ): Record<string, number> {
    return Object.fromEntries(
      valueKeys(s.type, trendStats).map((k) => [k, s.sink.stat(k, durationS)]),
    );
  }
}
