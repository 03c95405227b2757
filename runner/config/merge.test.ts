import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import type { Roadmap, Tier } from '../../thresholds/model.ts';
import { mergeRoadmaps, selectTier } from './merge.ts';

const tier = (id: string): Tier => ({
  id,
  name: id,
  load: { kind: 'rps', rps: 1 },
  stages: [{ durationS: 1, target: 1, steady: true }],
  journey: { name: 'j', requests: [{ name: 'r', method: 'GET', path: '/', weight: 1 }] },
  objectives: [],
  rollbackTriggers: [],
});

const roadmap = (id: string, tiers: string[], description = ''): Roadmap => ({
  id,
  name: id,
  description,
  seeds: [],
  tiers: tiers.map(tier),
});

describe('mergeRoadmaps', () => {
  it('keeps the built-ins first, replaces one by id and appends the new ones', () => {
    const builtins = [roadmap('a', ['1k']), roadmap('b', ['1k'])];
    const user = [roadmap('c', ['x']), roadmap('a', ['2k'], 'mine')];
    const merged = mergeRoadmaps(builtins, user);
    expect(merged.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(merged[0]?.description).toBe('mine');
  });
});

describe('selectTier', () => {
  const roadmaps = [roadmap('ecommerce', ['1k', '10k', '100k'])];

  it('finds the roadmap and tier', () => {
    const { roadmap: r, tier: t } = selectTier(roadmaps, 'ecommerce', '10k');
    expect([r.id, t.id]).toEqual(['ecommerce', '10k']);
  });

  it('lists the tiers of the roadmap for an unknown tier', () => {
    expect(() => selectTier(roadmaps, 'ecommerce', '10x')).toThrow(
      'unknown tier "10x" in roadmap ecommerce; tiers are: 1k, 10k, 100k (did you mean 10k?)',
    );
  });

  it('lists the roadmaps for an unknown roadmap, as a usage error', () => {
    let err: unknown;
    try {
      selectTier(roadmaps, 'shop', '1k');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toBe('unknown roadmap "shop"; roadmaps are: ecommerce');
  });
});
