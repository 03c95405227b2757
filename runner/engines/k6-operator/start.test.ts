// t = 0 from the runners' reported starts: the earliest, one start per runner.
import { describe, expect, it } from 'vitest';
import { runnerStarts } from './start.ts';

describe('runnerStarts', () => {
  it('keeps each runner’s earliest reported start, by instance_id', () => {
    const gauge = (instance: string, ms: number) => ({
      metric: { __name__: 'k6_tiergate_test_start_ms', instance_id: instance, testid: 'r' },
      value: [ms / 1000, String(ms)] as [number, string],
    });
    const starts = runnerStarts([
      gauge('1', 1_000_000_000_120.5),
      gauge('2', 1_000_000_000_100.25),
      gauge('2', 1_000_000_000_140),
      { metric: { instance_id: '3' }, value: [0, 'NaN'] },
    ]);
    expect([...starts]).toEqual([
      ['1', 1_000_000_000_120.5],
      ['2', 1_000_000_000_100.25],
    ]);
  });
});
