import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRun } from './fixtures.ts';
import { toSummary, writeSummaryJson } from './summary-json.ts';
import { RunSummarySchema } from './summary-schema.ts';

describe('toSummary', () => {
  it('has exactly the public fields', () => {
    const s = toSummary(makeRun());
    expect(Object.keys(s).sort()).toEqual(
      [
        'schemaVersion',
        'runId',
        'startedAt',
        'verdict',
        'exitCode',
        'roadmap',
        'tier',
        'engine',
        'generators',
        'loadModel',
        'durationS',
        'requests',
        'errors',
        'dropped',
        'errorRate',
        'achievedRps',
        'targetRps',
        'plannedRps',
        'latencyMs',
        'serviceTimeMs',
        'objectives',
        'abortedBy',
        'inconclusiveReasons',
      ].sort(),
    );
    expect(s).not.toHaveProperty('resultDir');
    expect(Object.keys(s.objectives[0]!).sort()).toEqual(
      [
        'id',
        'expression',
        'window',
        'severity',
        'status',
        'observed',
        'limit',
        'baseline',
        'unit',
        'samples',
        'reason',
      ].sort(),
    );
  });

  it('states the whole-window figures of the run', () => {
    const run = makeRun();
    const s = toSummary(run);
    expect(s).toMatchObject({
      schemaVersion: 1,
      runId: run.runId,
      verdict: 'fail',
      exitCode: 1,
      roadmap: 'ecommerce',
      tier: '10k',
      engine: 'local',
      generators: 2,
      loadModel: 'open',
      durationS: 10,
      requests: 800,
      errors: 9,
      dropped: 3,
      errorRate: 0.01125,
      achievedRps: 80,
      targetRps: 100,
      abortedBy: null,
      inconclusiveReasons: [],
    });
    // 3 in 40 steady checkouts take 2.41 s; HDR keeps 3 significant digits.
    expect(s.latencyMs!.max).toBeCloseTo(2410, -1);
    expect(s.serviceTimeMs!.p99).toBeLessThan(s.latencyMs!.p99);
    for (const v of Object.values(s.latencyMs!)) {
      expect(Math.round(v * 1000)).toBe(v * 1000); // ms to 3 decimals
    }
  });

  it('summarises each objective in its unit', () => {
    const [pass, fail, warn] = toSummary(makeRun()).objectives;
    expect(pass).toMatchObject({ id: 'browse-p95-steady', status: 'pass', unit: 'ms', limit: 500 });
    expect(fail).toMatchObject({
      id: 'checkout-p95-steady',
      expression: 'checkout p95 < 1.5 s',
      window: 'steady',
      status: 'fail',
      limit: 1500,
      unit: 'ms',
      samples: 240,
      baseline: null,
    });
    expect(fail!.observed).toBeCloseTo(2410, -1);
    expect(warn).toMatchObject({
      status: 'warn',
      severity: 'warn',
      unit: 'fraction',
      observed: 0.01125,
      limit: 0.01,
    });
  });

  it('says how a run that did not complete ended', () => {
    const run = makeRun();
    run.outcome = { state: 'aborted', trigger: 'error-burst', atS: 6.5, reason: 'error rate 9%' };
    expect(toSummary(run)).toMatchObject({ verdict: 'aborted', abortedBy: 'error-burst' });
    run.outcome = { state: 'interrupted', signal: 'SIGINT', atS: 3 };
    expect(toSummary(run)).toMatchObject({ verdict: 'interrupted', abortedBy: null });
    run.outcome = { state: 'errored', reason: 'target unreachable' };
    expect(toSummary(run).verdict).toBe('errored');
  });

  it('uses nulls for an ad-hoc closed-model run without stats', () => {
    const run = makeRun();
    delete run.plan.roadmap;
    delete run.plan.tier;
    run.plan.shape = { model: 'closed', phases: [] };
    run.stats = [];
    const s = toSummary(run);
    expect(s).toMatchObject({ roadmap: null, tier: null, targetRps: null, loadModel: 'closed' });
    expect(s.latencyMs).toBeNull();
    // Totals fall back to the timeline.
    expect(s.requests).toBe(800);
    expect(s.dropped).toBe(3);
  });
});

describe('writeSummaryJson', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the summary atomically, creating the folder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiergate-summary-'));
    const path = join(dir, 'out', 'summary.json');
    const summary = toSummary(makeRun());
    await writeSummaryJson(path, summary);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(summary);
    expect(await readdir(join(dir, 'out'))).toEqual(['summary.json']);
  });

  it('writes what its schema describes, and nothing more (parsing drops unknown keys)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiergate-summary-'));
    const run = makeRun();
    run.outcome = { state: 'aborted', trigger: 'error-burst', atS: 6.5, reason: 'error rate 9%' };
    run.gameDay = {
      id: 'network-latency',
      name: 'Network latency',
      driver: 'local',
      faults: [{ id: 'f1', kind: 'latency', injectedAtS: 3, removedAtS: 6, recovered: true }],
      timeToDetectS: null,
      timeToRecoverS: 1.5,
      verdict: 'aborted',
    };
    for (const r of [makeRun(), run]) {
      const path = join(dir, `${r.outcome.state}.json`);
      await writeSummaryJson(path, toSummary(r));
      const written = JSON.parse(await readFile(path, 'utf8'));
      expect(RunSummarySchema.parse(written)).toEqual(written);
    }
  });
});
