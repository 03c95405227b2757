import { describe, expect, it } from 'vitest';
import type { Objective, ObjectiveVerdict } from '../thresholds/model.ts';
import {
  boundText,
  describeBreach,
  describeUnproven,
  objectiveSubject,
  overshoot,
} from './breach.ts';

const checkoutP95: Objective = {
  id: 'checkout-p95',
  metric: 'latency',
  stat: 'p95',
  op: '<',
  limit: { kind: 'absolute', value: 1500 },
  window: 'steady',
  request: 'checkout',
  severity: 'fail',
};

function verdict(over: Partial<ObjectiveVerdict>, objective = checkoutP95): ObjectiveVerdict {
  return {
    id: objective.id,
    objective,
    expression: 'checkout p95 < 1.5 s',
    window: objective.window,
    status: 'fail',
    observed: 2410,
    limit: 1500,
    samples: 100,
    reason: 'r',
    ...over,
  };
}

describe('describeBreach', () => {
  it.each([
    [verdict({}), 'checkout p95 2.41 s > 1.5 s (+61%)'],
    [verdict({ observed: 1505 }), 'checkout p95 1505 ms > 1500 ms (+0.33%)'],
    [
      verdict(
        { observed: 0.995, limit: 0.999 },
        { ...checkoutP95, metric: 'availability', stat: 'value', op: '>=' },
      ),
      'checkout availability 99.5% < 99.9% (-0.4%)',
    ],
    [
      verdict({ observed: 900, limit: 600, baseline: 300 }),
      'checkout p95 900 ms > 600 ms (+50%, baseline 300 ms)',
    ],
    [verdict({ observed: null, reason: 'no samples' }), 'checkout p95: no data (no samples)'],
    [
      verdict({ observed: 3, limit: 0 }, { ...checkoutP95, metric: 'error_rate', stat: 'value' }),
      'checkout error_rate 300% > 0%',
    ],
  ])('%#: %s', (v, expected) => {
    expect(describeBreach(v)).toBe(expected);
  });

  it('names the measured side of service-time objectives', () => {
    expect(objectiveSubject({ ...checkoutP95, metric: 'service_time', stat: 'p99' })).toBe(
      'checkout service_time.p99',
    );
    expect(overshoot(verdict({ observed: null }))).toBeUndefined();
  });
});

describe('boundText', () => {
  const availability: Objective = {
    ...checkoutP95,
    id: 'availability',
    metric: 'availability',
    stat: 'value',
    op: '>=',
    limit: { kind: 'absolute', value: 0.999 },
  };
  it('reads the bound on the guarded side, with more digits where it would read as the limit', () => {
    expect(boundText(verdict({ status: 'pass', observed: 900, bound: 1100 }))).toBe('≤ 1.1 s');
    const v = verdict({ status: 'pass', observed: 1, limit: 0.999, bound: 0.999001 }, availability);
    expect(boundText(v)).toBe('≥ 99.9001%');
    expect(boundText(verdict({ status: 'unproven', observed: 900, bound: null }))).toBe(
      'too few samples',
    );
    expect(boundText(verdict({ status: 'fail' }))).toBe('—');
  });
});

describe('describeUnproven', () => {
  const relative: Objective = {
    ...checkoutP95,
    op: '<=',
    limit: { kind: 'baseline-factor', factor: 2 },
  };

  it('says what was met, and what would prove it', () => {
    const v = verdict({ status: 'unproven', observed: 1400, needs: 'proving it needs more' });
    expect(describeUnproven(v)).toBe(
      'checkout p95 1.4 s meets < 1.5 s, unproven: proving it needs more',
    );
  });

  it('says a relative limit broken on the estimates is inconclusive, not met', () => {
    const v = verdict(
      {
        status: 'unproven',
        breachUnproven: true,
        observed: 90,
        limit: 80,
        baseline: 40,
        needs: 'about 25,490 samples in each run could tell, if the estimates hold',
      },
      relative,
    );
    expect(describeUnproven(v)).toBe(
      'checkout p95 90 ms breaks <= 80 ms on the estimates, inconclusive: about 25,490 samples in each run could tell, if the estimates hold',
    );
  });
});
