// The built-in roadmaps and game days against their seeds: every quote is on the line it cites,
// every figure has a citation, and the ids, steady stages and headline figures are what the seeds say.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_GAMEDAYS, GAMEDAY_TRIGGERS } from '../gamedays/builtin.ts';
import type { Citation, Objective, Roadmap } from '../model.ts';
import { tierPeak } from '../traffic.ts';
import { BUILTIN_ROADMAPS, findRoadmap, findTier } from './index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
// The seeds travel with the code (copied from the shared folder), so a clone alone can check them.
const seedDir = path.resolve(repoRoot, 'thresholds', 'roadmaps', 'seeds');

const seedLines = new Map<string, string[]>();
function lineOf(seed: string, line: number): string | undefined {
  let lines = seedLines.get(seed);
  if (lines === undefined) {
    lines = readFileSync(path.join(seedDir, seed), 'utf8').split('\n');
    seedLines.set(seed, lines);
  }
  return lines[line - 1];
}

function isCitation(value: unknown): value is Citation {
  return (
    typeof value === 'object' &&
    value !== null &&
    'seed' in value &&
    'line' in value &&
    'quote' in value
  );
}

/** Every citation anywhere in a value, with where it was found. */
function citations(value: unknown, at: string): { at: string; c: Citation }[] {
  if (isCitation(value)) return [{ at, c: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => citations(v, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => citations(v, `${at}.${k}`));
  }
  return [];
}

function ecommerce(): Roadmap {
  const r = findRoadmap('ecommerce');
  if (!r) throw new Error('no ecommerce roadmap');
  return r;
}

function byId(objectives: Objective[], id: string): Objective | undefined {
  return objectives.find((o) => o.id === id);
}

describe('built-in roadmaps', () => {
  it('are the four the product ships', () => {
    expect(BUILTIN_ROADMAPS.map((r) => r.id)).toEqual([
      'ecommerce',
      'zero-world',
      'bookedbarber',
      'ai-platform',
    ]);
  });

  it('quote every cited seed line exactly, from a seed the roadmap names', () => {
    for (const roadmap of BUILTIN_ROADMAPS) {
      const found = citations(roadmap.tiers, roadmap.id);
      expect(found.length, roadmap.id).toBeGreaterThan(0);
      for (const { at, c } of found) {
        expect(roadmap.seeds, at).toContain(c.seed);
        expect(Number.isInteger(c.line) && c.line >= 1, at).toBe(true);
        const text = lineOf(c.seed, c.line);
        expect(text, `${at}: ${c.seed}:${c.line} does not exist`).toBeDefined();
        expect(text, `${at}: ${c.seed}:${c.line}`).toContain(c.quote);
        expect(c.quote.trim().length, at).toBeGreaterThan(3);
      }
    }
  });

  it('game days quote every cited seed line exactly: their faults, objectives and triggers', () => {
    const found = [
      ...citations(BUILTIN_GAMEDAYS, 'gamedays'),
      ...citations(GAMEDAY_TRIGGERS, 'gameday triggers'),
    ];
    // Seven game days from the seeds, each objective and trigger cited once per game day.
    expect(found.filter(({ at }) => /^gamedays\[\d+\]\.source$/.test(at))).toHaveLength(7);
    for (const { at, c } of found) {
      const text = lineOf(c.seed, c.line);
      expect(text, `${at}: ${c.seed}:${c.line} does not exist`).toBeDefined();
      expect(text, `${at}: ${c.seed}:${c.line}`).toContain(c.quote);
    }
  });

  it('cite every figure: loads, objectives, triggers, next-phase triggers', () => {
    for (const roadmap of BUILTIN_ROADMAPS) {
      for (const tier of roadmap.tiers) {
        const at = `${roadmap.id}/${tier.id}`;
        expect(tier.load.source, `${at} load`).toBeDefined();
        for (const o of tier.objectives) {
          // throughput_ratio is tiergate's own objective, said so in its description.
          if (o.metric === 'throughput_ratio') {
            expect(o.source).toBeUndefined();
            expect(o.description).toMatch(/tiergate's default/);
          } else expect(o.source, `${at} ${o.id}`).toBeDefined();
        }
        for (const t of tier.rollbackTriggers) {
          expect(t.source, `${at} ${t.id}`).toBeDefined();
          expect(t.objective.source, `${at} ${t.id}`).toEqual(t.source);
        }
        if (tier.nextPhase) expect(tier.nextPhase.source, `${at} next phase`).toBeDefined();
      }
    }
  });

  it('have unique tier ids, unique objective and trigger ids per tier, one steady stage', () => {
    for (const roadmap of BUILTIN_ROADMAPS) {
      const tierIds = roadmap.tiers.map((t) => t.id);
      expect(new Set(tierIds).size, roadmap.id).toBe(tierIds.length);
      for (const tier of roadmap.tiers) {
        const at = `${roadmap.id}/${tier.id}`;
        const ids = tier.objectives.map((o) => o.id);
        expect(new Set(ids).size, at).toBe(ids.length);
        const triggerIds = tier.rollbackTriggers.map((t) => t.id);
        expect(new Set(triggerIds).size, at).toBe(triggerIds.length);
        const steady = tier.stages.filter((s) => s.steady === true);
        expect(steady, at).toHaveLength(1);
        expect(steady[0]!.target, at).toBeGreaterThan(0);
      }
    }
  });

  it('scope objectives to requests their journey sends', () => {
    for (const roadmap of BUILTIN_ROADMAPS) {
      for (const tier of roadmap.tiers) {
        const names = tier.journey.requests.map((r) => r.name);
        for (const o of [...tier.objectives, ...tier.rollbackTriggers.map((t) => t.objective)]) {
          if (o.request !== undefined) expect(names).toContain(o.request);
        }
      }
    }
  });
});

describe('ecommerce', () => {
  it('has the six tiers with the checkout p95 limits of seed 002', () => {
    const r = ecommerce();
    expect(r.tiers.map((t) => t.id)).toEqual(['1k', '10k', '30k', '50k', '70k', '1m']);
    const checkout = r.tiers.map((t) => byId(t.objectives, 'checkout-p95'));
    for (const o of checkout) {
      expect(o).toMatchObject({ metric: 'latency', stat: 'p95', op: '<', request: 'checkout' });
      expect(o?.window).toBe('steady');
    }
    expect(checkout.map((o) => o?.limit)).toEqual(
      [2000, 1500, 1000, 800, 600, 500].map((value) => ({ kind: 'absolute', value })),
    );
  });

  it('has the uptime of each phase as a steady availability objective', () => {
    const availability = ecommerce().tiers.map((t) => byId(t.objectives, 'availability'));
    for (const o of availability) {
      expect(o).toMatchObject({ metric: 'availability', op: '>=', window: 'steady' });
    }
    expect(availability.map((o) => (o?.limit.kind === 'absolute' ? o.limit.value : NaN))).toEqual([
      0.995, 0.999, 0.9995, 0.9995, 0.9999, 0.9999,
    ]);
  });

  it('derives 25 req/s for the 10k tier from its traffic model', () => {
    const tier = findTier(ecommerce(), '10k');
    expect(tier?.load).toMatchObject({
      kind: 'daily-users',
      dailyUsers: 10_000,
      requestsPerUserPerDay: 30,
      peakHourShare: 0.15,
      headroom: 2,
    });
    expect(tierPeak(tier!.load)).toEqual({ model: 'open', peak: 25 });
  });

  it('carries the rollback triggers and the next-phase trigger of the seed', () => {
    const tier = findTier(ecommerce(), '1k')!;
    expect(tier.rollbackTriggers.map((t) => [t.id, t.source?.line])).toEqual([
      ['rollback-error-rate', 341],
      ['rollback-latency', 342],
      ['rollback-unavailable', 344],
    ]);
    expect(tier.rollbackTriggers[1]!.objective.limit).toEqual({
      kind: 'baseline-factor',
      factor: 2,
    });
    expect(tier.nextPhase?.capacityShare).toBe(0.8);
    expect(tier.journey.requests.map((r) => [r.name, r.method, r.path, r.weight])).toEqual([
      ['browse', 'GET', '/products', 6],
      ['add-to-cart', 'POST', '/cart', 3],
      ['checkout', 'POST', '/checkout', 1],
    ]);
  });
});

describe('the other roadmaps', () => {
  it('zero-world gates on the k6 thresholds and warns on the enterprise target', () => {
    const r = findRoadmap('zero-world')!;
    expect(r.tiers.map((t) => [t.id, tierPeak(t.load)])).toEqual([
      ['100k', { model: 'closed', peak: 100_000 }],
      ['1m', { model: 'closed', peak: 1_000_000 }],
    ]);
    const objectives = r.tiers[0]!.objectives;
    expect(byId(objectives, 'p95')?.limit).toEqual({ kind: 'absolute', value: 200 });
    expect(byId(objectives, 'p99')?.limit).toEqual({ kind: 'absolute', value: 500 });
    expect(byId(objectives, 'error-rate')?.limit).toEqual({ kind: 'absolute', value: 0.01 });
    expect(byId(objectives, 'error-rate-target')).toMatchObject({
      severity: 'warn',
      limit: { kind: 'absolute', value: 0.0001 },
    });
    // Seed 001 states a global p99 < 100ms and an API p99 < 200ms: both, each on its scope.
    expect(byId(objectives, 'global-p99')).toMatchObject({
      severity: 'warn',
      limit: { kind: 'absolute', value: 100 },
    });
    expect(byId(objectives, 'global-p99')?.request).toBeUndefined();
    const apiP99 = objectives.filter((o) => o.id.startsWith('api-p99-'));
    expect(apiP99.map((o) => [o.request, o.limit])).toEqual([
      ['feed', { kind: 'absolute', value: 200 }],
      ['create-post', { kind: 'absolute', value: 200 }],
    ]);
    const journey = r.tiers[0]!.journey.requests;
    for (const o of apiP99) {
      expect(journey.find((q) => q.name === o.request)?.path).toMatch(/^\/api\//);
    }
  });

  it('bookedbarber has today, the target and the k6 VU tiers; its degradation alert warns, never aborts', () => {
    const r = findRoadmap('bookedbarber')!;
    expect(r.tiers.map((t) => [t.id, tierPeak(t.load).peak])).toEqual([
      ['current', 1_000],
      ['target', 100_000],
      ['10k-vus', 10_000],
      ['50k-vus', 50_000],
    ]);
    for (const tier of r.tiers) {
      // Seed 004 labels the alert `severity: warning`: a warning on the gate, not a trigger.
      expect(tier.rollbackTriggers.map((t) => t.id)).toEqual(['rollback-canary']);
      expect(byId(tier.objectives, 'degradation-alert')).toMatchObject({
        severity: 'warn',
        op: '<=',
        limit: { kind: 'absolute', value: 500 },
      });
    }
  });

  it('ai-platform judges its baseline comparison only when a baseline is given', () => {
    const tier = findTier(findRoadmap('ai-platform')!, 'cutover')!;
    expect(byId(tier.objectives, 'p95-vs-baseline')).toMatchObject({
      optional: true,
      limit: { kind: 'baseline-within', percent: 20 },
    });
  });

  it('finds nothing for unknown ids', () => {
    expect(findRoadmap('nope')).toBeUndefined();
    expect(findTier(ecommerce(), '2k')).toBeUndefined();
  });
});
