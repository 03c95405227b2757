import { build } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import type { LatencySummary, WindowName, WindowStats } from '../thresholds/model.ts';
import type { RunResult } from '../thresholds/result.ts';
import { type CompareMetric, compareRuns, DEFAULT_TOLERANCES, type Delta } from './compare.ts';
import { renderCompareMarkdown, renderCompareTable } from './compare-text.ts';
import { makeRun, summarizeUs } from './fixtures.ts';

const ESC = String.fromCharCode(27);

/** Window stats whose latency comes from a real HDR histogram of these latencies (ms). */
function measured(
  window: WindowName,
  latenciesMs: number[],
  opts: { request?: string; errors?: number; startS?: number; endS?: number } = {},
): WindowStats {
  const h = build();
  for (const ms of latenciesMs) h.recordValue(Math.round(ms * 1000));
  const latency = summarizeUs(h);
  const s: WindowStats = {
    window,
    startS: opts.startS ?? (window === 'steady' ? 2 : 0),
    endS: opts.endS ?? (window === 'steady' ? 8 : 10),
    scheduled: latenciesMs.length,
    completed: latenciesMs.length,
    errors: opts.errors ?? 0,
    dropped: 0,
    latency,
    serviceTime: latency,
    sendLag: summarizeUs(build()),
  };
  if (opts.request !== undefined) s.request = opts.request;
  return s;
}

/** The fixture run with these window stats in place of its own. */
function runWith(runId: string, stats: WindowStats[]): RunResult {
  const run = structuredClone(makeRun());
  run.runId = runId;
  run.stats = stats;
  return run;
}

/** 600 requests whose latencies spread from `base` to 3 × `base` ms. */
function spread(base: number, n = 600): number[] {
  return Array.from({ length: n }, (_, i) => base + (2 * base * i) / n);
}

function delta(
  c: ReturnType<typeof compareRuns>,
  window: WindowName,
  metric: CompareMetric,
  request?: string,
): Delta {
  const row = c.rows.find((r) => r.window === window && r.request === request);
  const d = row?.deltas.find((x) => x.metric === metric);
  if (!d) throw new Error(`no ${metric} in ${window}/${request ?? 'all'}`);
  return d;
}

describe('compareRuns', () => {
  const a = runWith('before', [
    measured('whole', spread(100)),
    measured('steady', spread(100)),
    measured('steady', spread(100, 300), { request: 'checkout' }),
    measured('steady', spread(20, 300), { request: 'browse' }),
  ]);
  // b: checkout 40 % slower, browse unchanged; all requests together are ~30 % slower.
  const b = runWith('after', [
    measured('whole', spread(130)),
    measured('steady', spread(130)),
    measured('steady', spread(140, 300), { request: 'checkout' }),
    measured('steady', spread(20, 300), { request: 'browse' }),
  ]);

  it('flags a slower run as a regression, with the right deltas', () => {
    const c = compareRuns(a, b);
    const p95 = delta(c, 'steady', 'p95', 'checkout');
    const before = a.stats[2]!.latency.p95;
    const after = b.stats[2]!.latency.p95;
    expect(p95.a).toBe(before);
    expect(p95.b).toBe(after);
    expect(p95.change).toBeCloseTo(after - before, 9);
    expect(p95.relative).toBeCloseTo(0.4, 2);
    expect(p95.regression).toMatch(/p95 rose \+40%/);
    // browse did not move: no regression there.
    expect(delta(c, 'steady', 'p95', 'browse').regression).toBeUndefined();
    const where = c.regressions.map((r) => `${r.window}/${r.request ?? 'all'}/${r.delta.metric}`);
    expect(where).toContain('steady/checkout/p95');
    expect(where).toContain('steady/all/p99');
    expect(where).toContain('whole/all/p50');
    expect(where.some((w) => w.startsWith('steady/browse'))).toBe(false);
    // The max is shown, never judged; requests and error rate did not change.
    expect(delta(c, 'steady', 'max').regression).toBeUndefined();
    expect(delta(c, 'steady', 'errorRate').change).toBe(0);
  });

  it('finds no regression between a run and itself', () => {
    const c = compareRuns(a, structuredClone(a));
    expect(c.regressions).toEqual([]);
    expect(delta(c, 'steady', 'p95').relative).toBe(0);
  });

  it('respects wider tolerances', () => {
    const c = compareRuns(a, b, { ...DEFAULT_TOLERANCES, latencyShare: 0.5 });
    expect(c.regressions).toEqual([]);
  });
});

/** Hand-made stats: exact figures, to test the tolerances at their edges. */
function exact(
  window: WindowName,
  f: { completed?: number; errors?: number; p50?: number; p95?: number; endS?: number },
): WindowStats {
  const completed = f.completed ?? 1000;
  const latency: LatencySummary = {
    count: completed,
    min: 1,
    mean: f.p50 ?? 10,
    p50: f.p50 ?? 10,
    p75: 20,
    p90: 30,
    p95: f.p95 ?? 40,
    p99: 50,
    'p99.9': 60,
    max: 70,
  };
  return {
    window,
    startS: 0,
    endS: f.endS ?? 10,
    scheduled: completed,
    completed,
    errors: f.errors ?? 0,
    dropped: 0,
    latency,
    serviceTime: latency,
    sendLag: latency,
  };
}

function judgedOnce(
  a: Partial<Parameters<typeof exact>[1]>,
  b: Partial<Parameters<typeof exact>[1]>,
  metric: CompareMetric,
): Delta {
  const c = compareRuns(runWith('a', [exact('steady', a)]), runWith('b', [exact('steady', b)]));
  return delta(c, 'steady', metric);
}

describe('tolerances at the edge', () => {
  it('latency: +10 % and more than 1 ms is a regression; less of either is not', () => {
    expect(judgedOnce({ p95: 40 }, { p95: 44 }, 'p95').regression).toBeDefined();
    expect(judgedOnce({ p95: 40 }, { p95: 43.96 }, 'p95').regression).toBeUndefined();
    // +10 % of 10 ms is exactly 1 ms: not more than 1 ms.
    expect(judgedOnce({ p50: 10 }, { p50: 11 }, 'p50').regression).toBeUndefined();
    expect(judgedOnce({ p50: 10 }, { p50: 11.01 }, 'p50').regression).toBeDefined();
  });

  it('error rate: +0.5 percentage points is a regression, +0.4 is not', () => {
    expect(judgedOnce({ errors: 10 }, { errors: 15 }, 'errorRate').regression).toMatch(/\+0\.5 pp/);
    expect(judgedOnce({ errors: 10 }, { errors: 14 }, 'errorRate').regression).toBeUndefined();
  });

  it('throughput: -5 % is a regression, -4.9 % is not', () => {
    expect(judgedOnce({ completed: 1000 }, { completed: 950 }, 'rps').regression).toMatch(/-5%/);
    expect(judgedOnce({ completed: 1000 }, { completed: 951 }, 'rps').regression).toBeUndefined();
  });

  it('judges throughput in the steady window, not in the whole one beside it', () => {
    const c = compareRuns(
      runWith('a', [exact('whole', {}), exact('steady', {})]),
      runWith('b', [exact('whole', { endS: 12 }), exact('steady', {})]),
    );
    const whole = delta(c, 'whole', 'rps');
    expect(whole.relative).toBeCloseTo(10 / 12 - 1, 9);
    expect(whole.regression).toBeUndefined();
    expect(whole.note).toMatch(/whole window/);
  });

  it('does not judge a percentile with too few samples', () => {
    const d = judgedOnce({ completed: 50, p95: 40 }, { completed: 50, p95: 80 }, 'p99');
    expect(d.regression).toBeUndefined();
    expect(d.note).toMatch(/50 samples, p99 needs 100/);
    expect(
      judgedOnce({ completed: 50, p95: 40 }, { completed: 50, p95: 80 }, 'p95').regression,
    ).toBeDefined();
  });
});

describe('renderCompareTable and renderCompareMarkdown', () => {
  const a = runWith('before', [exact('steady', { p95: 40 })]);
  const b = runWith('after', [exact('steady', { p95: 60 })]);
  b.plan.peak = 50;

  it('shows a, b, Δ and Δ% per metric, calls out the regression, and notes what differs', () => {
    const c = compareRuns(a, b);
    const out = renderCompareTable(c, { color: false });
    expect(out).not.toContain(ESC);
    expect(out).toMatch(/steady window \(0–10 s\)/);
    expect(out).toMatch(/p95\s+40 ms\s+60 ms\s+\+20 ms\s+\+50%\s+✗ regression/);
    expect(out).toMatch(/p50\s+10 ms\s+10 ms\s+0 ms\s+0%\n/);
    expect(out).toContain('✗ steady · all requests · p95 40 ms → 60 ms (+20 ms, +50%)');
    expect(out).toContain('note: plans differ: a 100 req/s peak over 10 s, b 50 req/s');
    expect(out).toMatch(/Compare: REGRESSED — 1 change of after against before/);
    expect(renderCompareTable(c, { color: true })).toContain(`${ESC}[31m`);
  });

  it('says so when nothing regressed', () => {
    const out = renderCompareTable(compareRuns(a, a), { color: false });
    expect(out).toMatch(/Compare: NO REGRESSION — no change beyond the tolerances/);
  });

  it('renders Markdown tables per window', () => {
    const md = renderCompareMarkdown(compareRuns(a, b));
    expect(md).toMatch(/^## ❌ 1 regression · tiergate compare `before` → `after`/);
    expect(md).toContain('| Request | Metric | a | b | Δ | Δ% | |');
    expect(md).toContain('|  | p95 | 40 ms | 60 ms | +20 ms | +50% | ❌ regression |');
  });
});
