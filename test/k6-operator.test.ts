// `tiergate run --engine k6-operator` end to end on real parts: the real API server with
// k6-operator's CRD, a test-only controller playing k6-operator (real k6 runners on execution
// segments), a real Prometheus receiving the runners' native histograms. The gate's global
// percentiles must be those of every runner's requests together, within one histogram bucket.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedDemo, spawnDemo } from '../demo/spawn.ts';
import {
  DEFAULT_RUNNER_IMAGE,
  PUSH_INTERVAL_S,
  testRunName,
} from '../runner/engines/k6-operator/manifests.ts';
import { PrometheusClient } from '../runner/engines/k6-operator/prometheus.ts';
import { runLabels } from '../runner/kube/labels.ts';
import type { RunResult } from '../thresholds/result.ts';
import { tiergate } from './helpers/cli.ts';
import { k6Env, testK6Path } from './helpers/k6.ts';
import { type KubeApi, startKubeApi } from './helpers/kube-api.ts';
import { startPrometheus, type TestPrometheus } from './helpers/prometheus.ts';
import { exactPercentile } from './helpers/servers.ts';
import {
  type RunnerRecord,
  STARTER_DELAY_MS,
  startK6OperatorController,
  type TestK6Operator,
} from './kube/k6-operator-controller.ts';

/** Schema-3 native histogram buckets are 2^(1/8) wide: +9.05 % at most, never below. */
const BUCKET = 2 ** (1 / 8);
const TESTRUNS = { group: 'k6.io', version: 'v1alpha1', plural: 'testruns', namespace: 'load' };

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
    o: { duration?: string; rate?: string } = {},
  ): Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
    summary: Summary;
    runners: RunnerRecord[];
    engineInfo: { image?: string; latencyBucketRatio?: number };
    dir: string;
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
        o.rate ?? '60',
        '--duration',
        o.duration ?? '10s',
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
      { cwd: dir, env: k6Env() },
    );
    // No summary when the run failed before its load started.
    const summaryFile = join(dir, 'summary.json');
    const summary = (
      existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : {}
    ) as Summary;
    const runJson = join(dir, 'results', runId, 'run.json');
    const engineInfo = existsSync(runJson) ? JSON.parse(readFileSync(runJson, 'utf8')).engine : {};
    const parallelism = Number(engine[engine.indexOf('--parallelism') + 1] ?? 1);
    const runners = controller?.runners.get(testRunName(runId, parallelism)) ?? [];
    return { ...r, summary, runners, engineInfo, dir };
  }

  const custom = () => kube.kc.makeApiClient(CustomObjectsApi);
  const testRunNames = async () => {
    const list = (await custom().listNamespacedCustomObject(TESTRUNS)) as {
      items: { metadata: { name: string } }[];
    };
    return list.items.map((i) => i.metadata.name);
  };

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
      k6: testK6Path(),
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
      expect(three.engineInfo.image).toBe(DEFAULT_RUNNER_IMAGE);
      // The runners reach their own loopback: said, not refused (the stand-in runs them here).
      expect(three.stderr).toMatch(
        /warning: --target http:\/\/127\.0\.0\.1:\d+ is a loopback address/,
      );

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

      // Recorded at bucket tops, so the bounds reach down by the bucket and still hold the truth.
      expect(three.engineInfo.latencyBucketRatio).toBeCloseTo(BUCKET, 6);
      const stored = JSON.parse(
        readFileSync(join(three.dir, 'results', 'op-three', 'run.json'), 'utf8'),
      ) as RunResult;
      const whole = stored.stats.find((s) => s.window === 'whole' && s.request === undefined)!;
      const p95 = whole.latency.bounds!.p95;
      const exact95 = exactPercentile(all, 95);
      expect(p95.lower!, `p95 lower bound ${p95.lower} vs exact ${exact95}`).toBeLessThanOrEqual(
        exact95,
      );
      expect(p95.lower!).toBeLessThanOrEqual(whole.latency.p95 / BUCKET);
      expect(p95.upper!).toBeGreaterThanOrEqual(exact95);

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

  it("t = 0 is the runners' start, seconds after stage started: no request before it, each second at most a push late, the steady window at the plan's rate", async () => {
    const controller = startK6OperatorController({
      kc: kube.kc,
      namespace: 'load',
      k6: testK6Path(),
    });
    try {
      const r = await run('op-clock', operator(2), controller);
      expect(r.code, r.stderr).toBe(0);
      // The stand-in's starter resumes the runners 2.5 s after `started`, as k6-operator's does.
      const lateS = Number(/runners started, (-?[\d.]+) s after stage started/.exec(r.stderr)?.[1]);
      expect(lateS, r.stderr).toBeGreaterThanOrEqual(STARTER_DELAY_MS / 1000 - 0.5);
      const result = JSON.parse(
        readFileSync(join(r.dir, 'results', 'op-clock', 'run.json'), 'utf8'),
      ) as RunResult;
      const t0 = Date.parse(result.startedAt);
      // When each request ended, on the runners' clock, from their own sample streams.
      const ends = r.runners.flatMap((x) => x.endsMs).sort((a, b) => a - b);
      expect(ends.length).toBe(result.timeline.reduce((n, b) => n + b.completed, 0));
      // The first arrival is at t = 0 and takes 5–55 ms: it ends just after t = 0, never before.
      expect(ends[0]! - t0).toBeGreaterThanOrEqual(0);
      expect(ends[0]! - t0).toBeLessThan(200);
      expect(result.timeline[0]!.completed).toBeGreaterThan(0);

      // By the end of each second, the timeline holds no request that had not ended yet, and
      // every one that ended more than a push interval (0.5 s, and a little) before.
      const endedBefore = (s: number) => ends.filter((e) => e < t0 + s * 1000).length;
      let placed = 0;
      for (const b of result.timeline) {
        placed += b.completed;
        const by = b.t + 1;
        expect(placed, `placed by ${by} s`).toBeLessThanOrEqual(endedBefore(by + 0.005));
        expect(placed, `placed by ${by} s`).toBeGreaterThanOrEqual(
          endedBefore(by - PUSH_INTERVAL_S - 0.25),
        );
      }

      // The steady window (0–10 s) at the plan's 60 req/s, short of at most one push's requests.
      const steady = result.stats.find((s) => s.window === 'steady' && s.request === undefined)!;
      expect(steady).toMatchObject({ startS: 0, endS: 10 });
      expect(steady.completed).toBeLessThanOrEqual(endedBefore(10.005));
      expect(steady.completed).toBeGreaterThanOrEqual(endedBefore(10 - PUSH_INTERVAL_S - 0.25));
      expect(steady.completed / 10).toBeGreaterThanOrEqual(60 * 0.95);
      expect(steady.completed / 10).toBeLessThanOrEqual(60 * 1.01);
    } finally {
      await controller.stop();
    }
  }, 120_000);

  it('a failed runner Job fails the run (exit 3) although the TestRun reached finished', async () => {
    const controller = startK6OperatorController({
      kc: kube.kc,
      namespace: 'load',
      k6: testK6Path(),
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

  it('a runner Job failing at the very end, deleted with its TestRun at once (cleanup: post), fails the run (exit 3)', async () => {
    const controller = startK6OperatorController({
      kc: kube.kc,
      namespace: 'load',
      k6: testK6Path(),
      failRunnerAtEnd: 2,
    });
    try {
      const r = await run('op-endfail', operator(2), controller, { duration: '4s', rate: '20' });
      expect(controller.errors).toEqual([]);
      expect(controller.stages.get('tg-op-endfail')?.slice(-2)).toEqual(['stopped', 'finished']);
      expect(await testRunNames()).not.toContain('tg-op-endfail');
      expect(r.code, r.stderr).toBe(3);
      expect(r.stdout).toMatch(
        /runner Job load\/tg-op-endfail-2 failed although TestRun load\/tg-op-endfail says finished/,
      );
      expect(r.runners.map((x) => x.exitCode)).toEqual([0, 0]);
    } finally {
      await controller.stop();
    }
  }, 120_000);

  it('an initializer failure is reported as stage error, and --keep leaves the TestRun and ConfigMap', async () => {
    const controller = startK6OperatorController({
      kc: kube.kc,
      namespace: 'load',
      k6: testK6Path(),
      failInitializer: true,
    });
    try {
      // cleanup: post: k6-operator deletes the TestRun (and the initializer) right after `error`.
      const post = await run('op-init', operator(1), controller, { duration: '2s' });
      expect(controller.errors).toEqual([]);
      expect(controller.stages.get('tg-op-init')).toEqual(['initialization', 'error']);
      const postOut = post.stdout + post.stderr;
      expect(post.code, postOut).toBe(3);
      expect(postOut).toMatch(
        /TestRun load\/tg-op-init went to stage error; k6-operator deletes it \(cleanup: post\)/,
      );
      expect(postOut).toMatch(/run again with --keep/);
      expect(postOut).not.toMatch(/before it started|kubectl get pods/);

      const kept = await run('op-init-keep', [...operator(1), '--keep'], controller, {
        duration: '2s',
      });
      const keptOut = kept.stdout + kept.stderr;
      expect(kept.code, keptOut).toBe(3);
      expect(keptOut).toMatch(/TestRun load\/tg-op-init-keep is in stage error \(kept: --keep\)/);
      expect(keptOut).toMatch(/kubectl logs -n load job\/tg-op-init-keep-initializer/);
      const left = (await custom().getNamespacedCustomObject({
        ...TESTRUNS,
        name: 'tg-op-init-keep',
      })) as { status: { stage: string } };
      expect(left.status.stage).toBe('error');
      const map = await kube.kc
        .makeApiClient(CoreV1Api)
        .readNamespacedConfigMap({ namespace: 'load', name: 'tg-op-init-keep' });
      expect(map.data?.['plan.js']).toBeTruthy();
      const initializer = await kube.kc
        .makeApiClient(BatchV1Api)
        .readNamespacedJob({ namespace: 'load', name: 'tg-op-init-keep-initializer' });
      expect(initializer.spec?.template.spec?.containers[0]?.image).toBe(DEFAULT_RUNNER_IMAGE);
      await custom().deleteNamespacedCustomObject({ ...TESTRUNS, name: 'tg-op-init-keep' });
      await kube.kc
        .makeApiClient(CoreV1Api)
        .deleteNamespacedConfigMap({ namespace: 'load', name: 'tg-op-init-keep' });
    } finally {
      await controller.stop();
    }
  }, 120_000);

  it('a TestRun deleted by someone else near the plan end, before it finished, fails the run (exit 3)', async () => {
    const controller = startK6OperatorController({
      kc: kube.kc,
      namespace: 'load',
      k6: testK6Path(),
    });
    try {
      const deleted = (async () => {
        await expect
          .poll(() => controller.stages.get('tg-op-gone')?.at(-1), {
            timeout: 60_000,
            interval: 100,
          })
          .toBe('started');
        // 8 s into a 10 s plan (t = 0 is when the starter resumes the runners, after `started`):
        // after tiergate's last-push wait, more than the plan's length has passed.
        await new Promise((r) => setTimeout(r, STARTER_DELAY_MS + 8000));
        await custom().deleteNamespacedCustomObject({ ...TESTRUNS, name: 'tg-op-gone' });
      })();
      const r = await run('op-gone', operator(2), controller, { rate: '20' });
      await deleted;
      expect(controller.errors).toEqual([]);
      expect(r.code, r.stdout + r.stderr).toBe(3);
      expect(r.stdout).toMatch(
        /TestRun load\/tg-op-gone was deleted at t = \d s of 10 s before tiergate saw it finish/,
      );
    } finally {
      await controller.stop();
    }
  }, 120_000);

  it('a reused --run-id is refused (exit 2) naming the existing object, and the earlier objects stay', async () => {
    const labels = runLabels('op-dup');
    const core = kube.kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'load',
      body: { metadata: { name: 'tg-op-dup', labels }, data: { 'plan.js': '// earlier' } },
    });
    await custom().createNamespacedCustomObject({
      ...TESTRUNS,
      body: {
        apiVersion: 'k6.io/v1alpha1',
        kind: 'TestRun',
        metadata: { name: 'tg-op-dup', labels },
        spec: { parallelism: 1, script: { configMap: { name: 'tg-op-dup', file: 'plan.js' } } },
      },
    });
    const r = await run('op-dup', operator(1), undefined, { duration: '2s' });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(2);
    expect(out).toMatch(/ConfigMap load\/tg-op-dup already exists/);
    expect(out).toMatch(/use another --run-id, or .*tiergate chaos cleanup --run-id op-dup/);
    expect(await testRunNames()).toContain('tg-op-dup');
    const map = await core.readNamespacedConfigMap({ namespace: 'load', name: 'tg-op-dup' });
    expect(map.data?.['plan.js']).toBe('// earlier');
    // No stand-in ran it; one started by a later test must not pick it up.
    await custom().deleteNamespacedCustomObject({ ...TESTRUNS, name: 'tg-op-dup' });
    await core.deleteNamespacedConfigMap({ namespace: 'load', name: 'tg-op-dup' });
  }, 60_000);

  it('a long --run-id: the TestRun name leaves room for the initializer Job and runner Services', async () => {
    const controller = startK6OperatorController({
      kc: kube.kc,
      namespace: 'load',
      k6: testK6Path(),
    });
    try {
      const runId = `op-long-${'x'.repeat(52)}`;
      const name = testRunName(runId, 3);
      expect(name.length).toBeLessThanOrEqual(63 - '-initializer'.length);
      const r = await run(runId, operator(3), controller, { duration: '3s', rate: '30' });
      expect(controller.errors).toEqual([]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(controller.stages.get(name)?.at(-1)).toBe('finished');
      expect(r.runners).toHaveLength(3);
    } finally {
      await controller.stop();
    }
  }, 120_000);

  it('Ctrl-C deletes the TestRun (stopping its runners) and the ConfigMap, exit 130', async () => {
    const controller = startK6OperatorController({
      kc: kube.kc,
      namespace: 'load',
      k6: testK6Path(),
    });
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
          // t = 0: the starter resumed the runners, seconds after stage started.
          if (stderr.includes('runners started')) resolve();
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
