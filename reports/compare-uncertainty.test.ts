// Compare judges the change with its uncertainty (seeded simulations, no network): a regression
// only when each run's confidence bounds leave no doubt, "no regression" only when they rule
// one out, and otherwise an open change with the samples that would settle it.
import { describe, expect, it } from 'vitest';
import { newHistogram, recordMs, summarize } from '../runner/timeline/hdr.ts';
import { normal, seeded } from '../test/helpers/random.ts';
import type { WindowStats } from '../thresholds/model.ts';
import type { RunResult } from '../thresholds/result.ts';
import { type CompareMetric, compareRuns, compareVerdict, type Delta } from './compare.ts';
import { renderCompareTable } from './compare-text.ts';
import { makeRun } from './fixtures.ts';

const CONFIDENCE = 0.95;

/** A server whose latencies (ms) are lognormal around `medianMs`. */
function server(medianMs: number, seed: number): () => number {
  const rand = seeded(seed);
  return () => Math.exp(Math.log(medianMs) + 0.5 * normal(rand));
}

/** The steady window of a run of `n` requests drawn from `draw`, `errors` of them failed. */
function steady(draw: () => number, n: number, errors = 0): WindowStats {
  const h = newHistogram();
  for (let i = 0; i < n; i++) recordMs(h, draw());
  const latency = summarize(h, CONFIDENCE);
  return {
    window: 'steady',
    startS: 0,
    endS: 60,
    scheduled: n,
    completed: n,
    errors,
    dropped: 0,
    latency,
    serviceTime: latency,
    sendLag: summarize(newHistogram(), CONFIDENCE),
  };
}

function run(runId: string, stats: WindowStats): RunResult {
  const r = structuredClone(makeRun());
  r.runId = runId;
  r.stats = [stats];
  r.plan.confidence = CONFIDENCE;
  return r;
}

function deltaOf(a: WindowStats, b: WindowStats, metric: CompareMetric): Delta {
  const c = compareRuns(run('a', a), run('b', b));
  const d = c.rows.find((r) => r.window === 'steady')?.deltas.find((x) => x.metric === metric);
  if (!d) throw new Error(`no ${metric}`);
  return d;
}

describe('compare with uncertainty', () => {
  it('calls a run 100× slower than its baseline a regression, even on 20 samples each', () => {
    const c = compareRuns(
      run('a', steady(server(10, 1), 20)),
      run('b', steady(server(1000, 2), 20)),
    );
    expect(compareVerdict(c)).toBe('regressed');
    const p50 = c.rows[0]?.deltas.find((d) => d.metric === 'p50');
    expect(p50?.regression).toMatch(/^p50 rose \+\d/);
    // 20 samples cannot bound p99 from above: said, never guessed.
    const p99 = c.rows[0]?.deltas.find((d) => d.metric === 'p99');
    expect(p99?.regression).toBeUndefined();
    expect(p99?.note).toMatch(/20 samples cannot bound p99 from above \(it needs ≥ 299/);
  });

  it('finds no regression between two runs of the same server with different seeds', () => {
    for (const seed of [3, 5, 7]) {
      const c = compareRuns(
        run('a', steady(server(20, seed), 20_000)),
        run('b', steady(server(20, seed + 100), 20_000)),
      );
      expect(c.regressions).toEqual([]);
      expect(c.open).toEqual([]);
      expect(compareVerdict(c)).toBe('no-regression');
    }
  });

  it('leaves a modest change on 20 samples each open, saying what would settle it', () => {
    const d = deltaOf(steady(server(20, 11), 20), steady(server(24, 12), 20), 'p50');
    expect(d.regression).toBeUndefined();
    expect(d.open).toMatch(
      /^p50 of a in [\d.]+ ms–[\d.]+ ms, of b in [\d.]+ ms–[\d.]+ ms: it may or may not break the tolerance; about [\d,]+ samples in each run could tell, if the estimates hold$/,
    );
    const settle = Number(/about ([\d,]+) samples/.exec(d.open ?? '')?.[1]?.replace(/,/g, ''));
    expect(settle).toBeGreaterThan(20);
    const c = compareRuns(
      run('a', steady(server(20, 11), 20)),
      run('b', steady(server(24, 12), 20)),
    );
    expect(compareVerdict(c)).toBe('inconclusive');
    const text = renderCompareTable(c, { color: false });
    expect(text).toMatch(/p50 .*\? open/);
    expect(text).toMatch(
      /Compare: INCONCLUSIVE — \d+ changes? may or may not break the tolerances/,
    );
    expect(text).toContain('each side of a change holds at ≥ 90% from two 95% bounds');
  });

  it('follows the samples it asked for to a decided call', () => {
    // The change above, measured on what the open call said would tell: a +20 % p50 is a
    // regression once the samples are there.
    const d = deltaOf(steady(server(20, 11), 5_000), steady(server(24, 12), 5_000), 'p50');
    expect(d.open).toBeUndefined();
    expect(d.regression).toMatch(/^p50 rose \+/);
  });

  it('judges the error rate on exact bounds of both runs', () => {
    const clean = server(20, 21);
    // 3 of 100 failed against none: the rise could be below the 0.5-point tolerance.
    expect(deltaOf(steady(clean, 100), steady(clean, 100, 3), 'errorRate').open).toMatch(
      /^error rate of a in 0%–[\d.]+%, of b in [\d.]+%–[\d.]+%: it may or may not break/,
    );
    // 300 of 10,000 against none: a rise of at least 2.5 points, whatever the sampling.
    expect(
      deltaOf(steady(clean, 10_000), steady(clean, 10_000, 300), 'errorRate').regression,
    ).toMatch(/^error rate rose \+3 pp/);
    // None of 5,000 against none of 5,000: any rise is under 0.07 points.
    const none = deltaOf(steady(clean, 5_000), steady(clean, 5_000), 'errorRate');
    expect(none.regression).toBeUndefined();
    expect(none.open).toBeUndefined();
  });
});
