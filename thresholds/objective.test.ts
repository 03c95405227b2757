import { describe, expect, it } from 'vitest';
import {
  formatMetricValue,
  formatObjective,
  ObjectiveSyntaxError,
  objectiveProblem,
  parseDurationS,
  parseObjective,
} from './objective.ts';

describe('parseObjective', () => {
  it.each([
    [
      'p95 < 2s',
      { metric: 'latency', stat: 'p95', op: '<', limit: { kind: 'absolute', value: 2000 } },
    ],
    [
      'p99<300ms',
      { metric: 'latency', stat: 'p99', op: '<', limit: { kind: 'absolute', value: 300 } },
    ],
    [
      'error_rate < 1%',
      { metric: 'error_rate', stat: 'value', op: '<', limit: { kind: 'absolute', value: 0.01 } },
    ],
    [
      'availability >= 99.9%',
      { metric: 'availability', op: '>=', limit: { kind: 'absolute', value: 0.999 } },
    ],
    [
      'throughput_ratio ≥ 95%',
      { metric: 'throughput_ratio', op: '>=', limit: { kind: 'absolute', value: 0.95 } },
    ],
    ['recovery_time < 5m', { metric: 'recovery_time', limit: { kind: 'absolute', value: 300 } }],
    ['service_time.p99 <= 50ms', { metric: 'service_time', stat: 'p99', op: '<=' }],
    ['p95 <= 2x baseline', { op: '<=', limit: { kind: 'baseline-factor', factor: 2 } }],
    ['p95 within 20% of baseline', { op: '<=', limit: { kind: 'baseline-within', percent: 20 } }],
    ['throughput > 100 rps', { metric: 'throughput', limit: { kind: 'absolute', value: 100 } }],
  ])('reads %s', (expr, expected) => {
    expect(parseObjective(expr)).toMatchObject(expected);
  });

  it.each([
    ['p95 < 2', /latency limits need a unit/],
    ['p96 < 2s', /unknown metric "p96"/],
    ['error_rate < 5', /share/],
    ['p95 = 2s', /expected "<metric> <op> <limit>"/],
    ['latency.p42 < 1s', /unknown statistic/],
  ])('rejects %s with a reason', (expr, reason) => {
    expect(() => parseObjective(expr)).toThrow(ObjectiveSyntaxError);
    expect(() => parseObjective(expr)).toThrow(reason);
  });

  it('formats back for people and derives ids', () => {
    const o = parseObjective('p95 < 1.5s', { request: 'checkout', window: 'steady' });
    expect(formatObjective(o)).toBe('checkout p95 < 1.5 s');
    expect(o.id).toBe('checkout-p95-steady');
    expect(formatObjective(parseObjective('availability >= 99.95%'))).toBe(
      'availability >= 99.95%',
    );
  });

  it('groups the thousands of large values', () => {
    expect(formatMetricValue('throughput', 28_750)).toBe('28,750 req/s');
    expect(formatMetricValue('throughput', 2_500)).toBe('2500 req/s');
    expect(formatMetricValue('throughput', 25.5)).toBe('25.5 req/s');
  });

  it('reads durations', () => {
    expect(parseDurationS('90')).toBe(90);
    expect(parseDurationS('1.5m')).toBe(90);
    expect(parseDurationS('250ms')).toBe(0.25);
    expect(() => parseDurationS('5 minutes')).toThrow(/not a duration/);
  });

  it("reads k6's compound durations, parts added up", () => {
    expect(parseDurationS('1m30s')).toBe(90);
    expect(parseDurationS('1h')).toBe(3600);
    expect(parseDurationS('500ms')).toBe(0.5);
    expect(parseDurationS('2m')).toBe(120);
    expect(parseDurationS('1h30m')).toBe(5400);
    expect(parseDurationS('2m0.5s')).toBe(120.5);
  });

  it('refuses what only looks like a duration, naming the accepted forms', () => {
    for (const text of ['1m30', '30s1', 'm', '', '1m 30s', '-5s', '1d']) {
      expect(() => parseDurationS(text)).toThrow(/not a duration \(use .*1m30s/);
    }
  });
});

describe('objectives that cannot judge', () => {
  const refused = (expr: string) => () => parseObjective(expr);
  it('refuses a comparator that points the wrong way for the metric', () => {
    expect(refused('p99 > 300ms')).toThrow(/latency is better lower/);
    expect(refused('error_rate >= 1%')).toThrow(/error_rate is better lower/);
    expect(refused('availability < 99%')).toThrow(/availability is better higher/);
    expect(refused('p95 >= 2x baseline')).toThrow(/better lower/);
    expect(parseObjective('throughput within 10% of baseline').op).toBe('<=');
  });

  it('refuses shares beyond 100 % and bounds that always or never hold', () => {
    expect(refused('error_rate < 200%')).toThrow(/200% is more than all of them/);
    expect(refused('availability >= 150%')).toThrow(/150% is more than all of them/);
    expect(refused('error_rate <= 100%')).toThrow(/always holds/);
    expect(refused('availability >= 0%')).toThrow(/always holds/);
    expect(refused('throughput >= 0')).toThrow(/always holds/);
    expect(refused('availability > 100%')).toThrow(/can never hold/);
    expect(refused('p99 < 0ms')).toThrow(/can never hold/);
    for (const ok of [
      'error_rate < 100%',
      'error_rate <= 0%',
      'availability >= 100%',
      'availability > 0%',
      'throughput_ratio >= 95%',
    ])
      expect(objectiveProblem(parseObjective(ok)), ok).toBeUndefined();
  });
});
