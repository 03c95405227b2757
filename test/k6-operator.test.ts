// `tiergate run --engine k6-operator` end to end on real parts: the real API server with
// k6-operator's CRD, a test-only controller playing k6-operator (real k6 runners on execution
// segments), a real Prometheus receiving the runners' native histograms. The gate's global
// percentiles must be those of every runner's requests together, within one histogram bucket.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedDemo, spawnDemo } from '../demo/spawn.ts';
import { LOCAL_K6 } from '../runner/engines/k6/paths.ts';
import { PrometheusClient } from '../runner/engines/k6-operator/prometheus.ts';
import { tiergate } from './helpers/cli.ts';
import { type KubeApi, startKubeApi } from './helpers/kube-api.ts';
import { startPrometheus, type TestPrometheus } from './helpers/prometheus.ts';
import { exactPercentile } from './helpers/servers.ts';
import {
  type RunnerRecord,
  startK6OperatorController,
  type TestK6Operator,
} from './kube/k6-operator-controller.ts';

/** Schema-3 native histogram buckets are 2^(1/8) wide: +9.05 % at most, never below. */
const BUCKET = 2 ** (1 / 8);

interface Summary {
  requests: number;
  errors: number;
  generators: number;
  engine: string;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

describe('tiergate run --engine k6-operator', () => {
  let kube: KubeApi;
  let prometheus: TestPrometheus;
  let target: SpawnedDemo;

  beforeAll(async () => {
    [kube, prometheus] = await Promise.all([startKubeApi(), startPrometheus()]);
    await kube.createNamespace('load');
    // The demo target, its service time spread 5–55 ms (uniform): percentiles that two runs of
    // the same load reproduce within a fraction of a millisecond.
    target = await spawnDemo({ serviceTimeMs: 5, jitterMs: 50 });
  }, 120_000);
  afterAll(async () => {
    await target?.stop();
    await prometheus?.stop();
    await kube?.stop();
  });

  async function run(
    runId: string,
    engine: string[],
    controller?: TestK6Operator,
  ): Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
    summary: Summary;
    runners: RunnerRecord[];
  }> {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-k6op-'));
    const r = await tiergate(
      [
        'run',
        ...engine,
        '--target',
        target.url,
        '--path',
        '/products',
        '--rate',
        '60',
        '--duration',
        '10s',
        '--slo',
        'p99<5s',
        '--quiet',
        '--run-id',
        runId,
        '--results-dir',
        join(dir, 'results'),
        '--summary-json',
        join(dir, 'summary.json'),
      ],
      { cwd: dir },
    );
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
    return { ...r, summary, runners: controller?.runners.get(`tg-${runId}`) ?? [] };
  }

  const operator = (parallelism: number) => [
    '--engine',
    'k6-operator',
    '--parallelism',
    String(parallelism),
    '--namespace',
    'load',
    '--kubeconfig',
    kube.kubeconfigPath,
    '--prometheus-url',
    prometheus.url,
  ];

  it('3 runners: global p95/p99 within a bucket of all their requests and of one process; counts add up', async () => {
    const controller = startK6OperatorController({
      kc: kube.kc,
      namespace: 'load',
      k6: LOCAL_K6,
    });
    try {
      const three = await run('op-three', operator(3), controller);
      expect(three.code, three.stderr).toBe(0);
      expect(controller.errors).toEqual([]);
      expect(three.stderr).toMatch(/TestRun load\/tg-op-three stage started/);
      expect(controller.stages.get('tg-op-three')).toEqual([
        'initialization',
        'initialized',
        'created',
        'started',
        'stopped',
        'finished',
      ]);
      expect(three.summary.engine).toBe('k6-operator');
      expect(three.summary.generators).toBe(3);

      // The runners' own samples, every one of them: the truth.
      expect(three.runners).toHaveLength(3);
      const perRunner = three.runners.map((r) => r.latenciesMs.length);
      for (const n of perRunner) expect(n).toBeGreaterThan(150);
      const all = three.runners.flatMap((r) => r.latenciesMs);
      expect(three.summary.requests).toBe(all.length);
      expect(Math.abs(all.length - 600)).toBeLessThanOrEqual(6);
      expect(three.summary.errors).toBe(0);

      // Per runner, as Prometheus holds it (k6-operator's instance_id tag): the same counts.
      const byInstance = await new PrometheusClient(prometheus.url).query(
        'sum by (instance_id) (k6_http_reqs_total{testid="op-three"})',
      );
      const counts = Object.fromEntries(
        byInstance.map((s) => [s.metric.instance_id, Number(s.value?.[1])]),
      );
      expect(counts).toEqual({ 1: perRunner[0], 2: perRunner[1], 3: perRunner[2] });

      for (const [p, key] of [
        [95, 'p95'],
        [99, 'p99'],
      ] as const) {
        const exact = exactPercentile(all, p);
        const merged = three.summary.latencyMs[key];
        // At the bucket's upper bound: never below the truth, at most one bucket above
        // (HDR's 3 digits and rank rounding add a little either way).
        expect(merged, `${key} ${merged} vs exact ${exact}`).toBeGreaterThanOrEqual(exact * 0.99);
        expect(merged, `${key} ${merged} vs exact ${exact}`).toBeLessThanOrEqual(
          exact * BUCKET + 1,
        );
      }

      // The same load from one k6 process: the same percentiles, within the bucket and the
      // run-to-run noise of two separate runs (a few ms on this machine).
      const single = await run('k6-single', ['--engine', 'k6', '--processes', '1']);
      expect(single.code, single.stderr).toBe(0);
      for (const key of ['p95', 'p99'] as const) {
        const one = single.summary.latencyMs[key];
        const merged = three.summary.latencyMs[key];
        expect(merged, `${key}: 3 runners ${merged} vs 1 process ${one}`).toBeGreaterThanOrEqual(
          one * 0.95 - 3,
        );
        expect(merged, `${key}: 3 runners ${merged} vs 1 process ${one}`).toBeLessThanOrEqual(
          one * BUCKET * 1.05 + 3,
        );
      }
    } finally {
      await controller.stop();
    }
  }, 120_000);

  it('a failed runner Job fails the run (exit 3) although the TestRun reached finished', async () => {
    const controller = startK6OperatorController({
      kc: kube.kc,
      namespace: 'load',
      k6: LOCAL_K6,
      killRunner: { instance: 2, afterMs: 3000 },
    });
    try {
      const r = await run('op-fail', operator(3), controller);
      expect(controller.errors).toEqual([]);
      expect(controller.stages.get('tg-op-fail')?.at(-1)).toBe('finished');
      expect(r.code, r.stderr).toBe(3);
      expect(r.stdout).toMatch(
        /runner Job load\/tg-op-fail-2 failed although TestRun load\/tg-op-fail says finished/,
      );
      expect(r.runners.map((x) => x.exitCode)).toEqual([0, null, 0]);
    } finally {
      await controller.stop();
    }
  }, 120_000);

  it('Ctrl-C deletes the TestRun (stopping its runners) and the ConfigMap, exit 130', async () => {
    const controller = startK6OperatorController({ kc: kube.kc, namespace: 'load', k6: LOCAL_K6 });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'tiergate-k6op-'));
      const bin = new URL('../bin/tiergate.js', import.meta.url).pathname;
      const child = spawn(
        process.execPath,
        [
          bin,
          'run',
          ...operator(2),
          '--target',
          target.url,
          '--rate',
          '20',
          '--duration',
          '15s',
          '--quiet',
          '--run-id',
          'op-int',
          '--results-dir',
          join(dir, 'results'),
        ],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
      );
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await new Promise<void>((resolve) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('stage started')) resolve();
        });
      });
      await new Promise((r) => setTimeout(r, 2000));
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(stderr).toMatch(/deleting TestRun load\/tg-op-int/);
      const custom = kube.kc.makeApiClient(CustomObjectsApi);
      const runs = (await custom.listNamespacedCustomObject({
        group: 'k6.io',
        version: 'v1alpha1',
        plural: 'testruns',
        namespace: 'load',
      })) as { items: unknown[] };
      expect(runs.items).toEqual([]);
      const maps = await kube.kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({
        namespace: 'load',
        labelSelector: 'tiergate.dev/run-id=op-int',
      });
      expect(maps.items).toEqual([]);
      // The runners were stopped by the deletion (k6: 105, interrupted), long before 15 s.
      const runners = controller.runners.get('tg-op-int') ?? [];
      await expect
        .poll(() => runners.map((r) => r.exitCode), { timeout: 10_000 })
        .toEqual([105, 105]);
      const run = JSON.parse(readFileSync(join(dir, 'results', 'op-int', 'run.json'), 'utf8'));
      expect(run.outcome.state).toBe('interrupted');
      expect(
        run.timeline.reduce((n: number, b: { completed: number }) => n + b.completed, 0),
      ).toBeGreaterThan(0);
    } finally {
      await controller.stop();
    }
  }, 120_000);
});
