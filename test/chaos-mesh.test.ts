// Chaos Mesh game days end to end on a real API server with Chaos Mesh's CRDs. chaos-daemon and
// the controller manager need a real cluster: test/kube/chaos-controller.ts plays them, and for
// the full game day applies the matching fault to a local fault proxy in front of the demo, so
// the experiment's effect shows in the metrics. The Pods exist as API objects only (no kubelet).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChaosMeshDriver } from '../chaos/chaos-mesh/driver.ts';
import { planChaosMesh } from '../chaos/chaos-mesh/manifests.ts';
import type { ChaosMeshTarget } from '../chaos/chaos-mesh/target.ts';
import { CHAOS_GROUP, CHAOS_VERSION } from '../chaos/chaos-mesh/types.ts';
import { RemovalUnverified } from '../chaos/driver.ts';
import { readLedger } from '../chaos/local/ledger.ts';
import { FaultProxy } from '../chaos/local/proxy.ts';
import { type SpawnedDemo, spawnDemo } from '../demo/spawn.ts';
import { CHAOS_NAMESPACES_ENV } from '../runner/config/user-config.ts';
import { RUN_ID_LABEL, runLabels } from '../runner/kube/labels.ts';
import { findGameDay } from '../thresholds/gamedays/builtin.ts';
import { chaosCleanup, tiergate } from './helpers/cli.ts';
import { type KubeApi, startKubeApi } from './helpers/kube-api.ts';
import { expectMet } from './helpers/verdicts.ts';
import { startChaosController } from './kube/chaos-controller.ts';

const BIN = fileURLToPath(new URL('../bin/tiergate.js', import.meta.url));
const NS = 'shop';
const podchaos = { group: CHAOS_GROUP, version: CHAOS_VERSION, namespace: NS, plural: 'podchaos' };
const networkchaos = { ...podchaos, plural: 'networkchaos' };

describe('Chaos Mesh game days (real API server, test-only chaos controller)', () => {
  let kube: KubeApi;
  let custom: CustomObjectsApi;
  let demo: SpawnedDemo;
  let proxy: FaultProxy;
  let proxyUrl: string;

  beforeAll(async () => {
    // The CLI runs below may inject into NS (spawned children inherit it).
    process.env[CHAOS_NAMESPACES_ENV] = NS;
    kube = await startKubeApi();
    await kube.createNamespace(NS);
    const core = kube.kc.makeApiClient(CoreV1Api);
    for (const name of ['checkout-a', 'checkout-b']) {
      await core.createNamespacedPod({
        namespace: NS,
        body: {
          metadata: { name, labels: { app: 'checkout' } },
          spec: { containers: [{ name: 'app', image: 'checkout:1' }] },
        },
      });
    }
    custom = kube.kc.makeApiClient(CustomObjectsApi);
    demo = await spawnDemo({ capacityRps: 2000 });
    proxy = new FaultProxy({ upstreams: [demo.url] });
    proxyUrl = (await proxy.start()).url;
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await demo?.stop();
    await kube?.stop();
  });

  const target: ChaosMeshTarget = {
    namespace: NS,
    labels: { app: 'checkout' },
    mode: 'one',
    port: 80,
    allowWideBlast: false,
  };

  const workDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-mesh-'));
    return { dir, results: join(dir, 'results'), summary: join(dir, 's.json') };
  };

  const gameday = (
    w: ReturnType<typeof workDir>,
    runId: string,
    fault: string,
    ...more: string[]
  ) => [
    BIN,
    'gameday',
    '--chaos',
    'chaos-mesh',
    '--kubeconfig',
    kube.kubeconfigPath,
    '--namespace',
    NS,
    '--selector',
    'app=checkout',
    '--fault',
    fault,
    '--roadmap',
    'ecommerce',
    '--tier',
    '10k',
    '--rate',
    '40',
    '--target',
    proxyUrl,
    '--results-dir',
    w.results,
    '--run-id',
    runId,
    '--summary-json',
    w.summary,
    ...more,
  ];

  const cli = (args: string[]) => tiergate(args.slice(1));

  /** Releases what a stuck controller left (its finalizer) so later tests start clean. */
  async function releaseFinalizers(where: typeof podchaos): Promise<void> {
    const list = (await custom.listNamespacedCustomObject(where)) as {
      items: { metadata: { name: string; finalizers?: string[] } }[];
    };
    for (const item of list.items) {
      if (!item.metadata.finalizers?.length) continue;
      await custom.patchNamespacedCustomObject({
        ...where,
        name: item.metadata.name,
        body: [{ op: 'remove', path: '/metadata/finalizers' }],
      });
    }
  }

  it('lifecycle: create → Selected → AllInjected → delete → AllRecovered, on the ledger', async () => {
    const controller = await startChaosController({ kc: kube.kc, namespace: NS });
    try {
      const g = findGameDay('pod-kill')!;
      const plan = planChaosMesh(g, target, 'lifecycle');
      const runDir = mkdtempSync(join(tmpdir(), 'tiergate-mesh-run-'));
      const lines: string[] = [];
      const driver = new ChaosMeshDriver({
        kc: kube.kc,
        target,
        plan,
        runDir,
        log: (l) => lines.push(l),
      });
      await driver.preflight(g.faults);
      const handle = await driver.inject(g.faults[0]!, new AbortController().signal);
      const name = plan.experiments[0]!.object.metadata.name;
      const live = (await custom.getNamespacedCustomObject({ ...podchaos, name })) as {
        metadata: { finalizers: string[] };
        status: {
          conditions: { type: string; status: string }[];
          experiment: { containerRecords: unknown[] };
        };
      };
      const on = Object.fromEntries(live.status.conditions.map((c) => [c.type, c.status]));
      expect(on).toMatchObject({ Selected: 'True', AllInjected: 'True', AllRecovered: 'False' });
      // mode one: one of the two matching pods.
      expect(live.status.experiment.containerRecords).toHaveLength(1);
      expect(live.metadata.finalizers).toContain('chaos-mesh/records');
      expect(readLedger(runDir)).toMatchObject([
        { kind: 'chaos-mesh:PodChaos', target: `PodChaos ${NS}/${name}` },
      ]);
      await handle.remove();
      const gone = await custom.getNamespacedCustomObject({ ...podchaos, name }).then(
        () => false,
        () => true,
      );
      expect(gone).toBe(true);
      expect(controller.log).toEqual([
        `selected PodChaos/${name}`,
        `injected PodChaos/${name}`,
        `recovered PodChaos/${name}`,
      ]);
      expect(readLedger(runDir)[0]!.removedAt).toBeDefined();
      expect(lines.join('\n')).toMatch(
        /selector matches 2 pod\(s\)[\s\S]*injected into 1 target\(s\)[\s\S]*recovered/,
      );
      expect(controller.errors).toEqual([]);
    } finally {
      await controller.stop();
    }
  });

  it('no controller answering: injection times out naming the condition, and the experiment is deleted', async () => {
    const g = findGameDay('network-latency')!;
    const plan = planChaosMesh(g, target, 'no-controller');
    const runDir = mkdtempSync(join(tmpdir(), 'tiergate-mesh-run-'));
    const driver = new ChaosMeshDriver({
      kc: kube.kc,
      target,
      plan,
      runDir,
      injectTimeoutMs: 1000,
    });
    await expect(driver.inject(g.faults[0]!, new AbortController().signal)).rejects.toThrow(
      /NetworkChaos shop\/tg-network-latency-1-\w+ not Selected within 1 s; no events/,
    );
    const left = (await custom.listNamespacedCustomObject(networkchaos)) as { items: unknown[] };
    expect(left.items).toEqual([]);
    expect(readLedger(runDir)[0]!.removedAt).toBeDefined();
  });

  it('selected but never injected, and then never recovered: the failure says recovery unverified', async () => {
    const controller = await startChaosController({
      kc: kube.kc,
      namespace: NS,
      neverInject: true,
      neverRecover: true,
    });
    try {
      const g = findGameDay('pod-kill')!;
      const plan = planChaosMesh(g, target, 'half-injected');
      const driver = new ChaosMeshDriver({
        kc: kube.kc,
        target,
        plan,
        runDir: mkdtempSync(join(tmpdir(), 'tiergate-mesh-run-')),
        injectTimeoutMs: 1000,
        recoverTimeoutMs: 1000,
      });
      const failure = await driver.inject(g.faults[0]!, new AbortController().signal).then(
        () => undefined,
        (err: Error) => err,
      );
      expect(failure).toBeInstanceOf(RemovalUnverified);
      expect(failure?.message).toMatch(/not AllInjected within 1 s.*; then recovery unverified/);
    } finally {
      await controller.stop();
      await releaseFinalizers(podchaos);
    }
  });

  it('a name already taken is refused in one line, and its ledger entry stays for cleanup', async () => {
    const g = findGameDay('pod-kill')!;
    const plan = planChaosMesh(g, target, 'taken');
    const object = plan.experiments[0]!.object;
    await custom.createNamespacedCustomObject({ ...podchaos, body: object });
    const runDir = mkdtempSync(join(tmpdir(), 'tiergate-mesh-run-'));
    const driver = new ChaosMeshDriver({ kc: kube.kc, target, plan, runDir });
    await expect(driver.inject(g.faults[0]!, new AbortController().signal)).rejects.toThrow(
      /^PodChaos shop\/tg-pod-kill-1-\w+ was not created: HTTP 409: .*already exists \(an earlier run with this --run-id\?\)$/,
    );
    // The object of that name is on the cluster: only cleanup, seeing it gone, closes the entry.
    expect(readLedger(runDir)[0]!.removedAt).toBeUndefined();
    await custom.deleteNamespacedCustomObject({ ...podchaos, name: object.metadata.name });
  });

  it('refuses a selection that hits more than half of the matching pods, unless asked (exit 2)', async () => {
    const w = workDir();
    const r = await cli(gameday(w, 'wide', 'pod-kill', '--mode', 'fixed', '--value', '2'));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'mode fixed 2 hits 2 of the 2 matching pods (100 %): refused without --allow-wide-blast',
    );
    const left = (await custom.listNamespacedCustomObject(podchaos)) as { items: unknown[] };
    expect(left.items).toEqual([]);
  });

  it('SIGINT while waiting for AllInjected deletes the experiment at once, exit 130', async () => {
    const controller = await startChaosController({
      kc: kube.kc,
      namespace: NS,
      neverInject: true,
    });
    try {
      const w = workDir();
      const child = spawn(
        process.execPath,
        gameday(w, 'sigint-injecting', 'pod-kill', '--steady', '3s', '--inject-timeout', '60s'),
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      const deadline = Date.now() + 30_000;
      while (!controller.log.some((l) => l.startsWith('selected')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(controller.log, stderr).toContainEqual(expect.stringMatching(/^selected PodChaos/));
      const signalled = Date.now();
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      // Not the 60 s injection timeout: the wait was abandoned and the experiment removed.
      expect(Date.now() - signalled).toBeLessThan(15_000);
      const left = (await custom.listNamespacedCustomObject(podchaos)) as { items: unknown[] };
      expect(left.items).toEqual([]);
      expect(controller.log.some((l) => l.startsWith('recovered'))).toBe(true);
    } finally {
      await controller.stop();
    }
  });

  it('refuses a namespace that is not allow-listed, before asking the cluster (exit 2)', async () => {
    const w = workDir();
    const r = await tiergate(gameday(w, 'not-allowed', 'pod-kill').slice(1), {
      env: { [CHAOS_NAMESPACES_ENV]: 'staging' },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'tiergate: --namespace shop is not allow-listed for chaos (allowed: staging)',
    );
    expect(r.stderr).toContain('TIERGATE_CHAOS_NAMESPACES=shop');
    const left = (await custom.listNamespacedCustomObject(podchaos)) as { items: unknown[] };
    expect(left.items).toEqual([]);
  });

  it("refuses the namespace Chaos Mesh's controller manager runs in (exit 2)", async () => {
    const core = kube.kc.makeApiClient(CoreV1Api);
    await kube.createNamespace('chaos-testing');
    for (const [name, labels] of [
      [
        'chaos-controller-manager-0',
        {
          'app.kubernetes.io/name': 'chaos-mesh',
          'app.kubernetes.io/component': 'controller-manager',
        },
      ],
      ['checkout-c', { app: 'checkout' }],
    ] as const) {
      await core.createNamespacedPod({
        namespace: 'chaos-testing',
        body: { metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'c:1' }] } },
      });
    }
    const w = workDir();
    const args = gameday(w, 'mesh-ns', 'pod-kill').slice(1);
    args[args.indexOf(NS)] = 'chaos-testing';
    const r = await tiergate(args, { env: { [CHAOS_NAMESPACES_ENV]: 'chaos-testing' } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      "--namespace chaos-testing runs Chaos Mesh's controller manager: tiergate never injects faults there",
    );
  });

  it('a selector matching no pods fails preflight, naming it, before any load (exit 2)', async () => {
    const w = workDir();
    const args = gameday(w, 'nopods', 'pod-kill');
    args[args.indexOf('app=checkout')] = 'app=nothing';
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/selector app=nothing matches no pods in namespace shop/);
    const left = (await custom.listNamespacedCustomObject(podchaos)) as { items: unknown[] };
    expect(left.items).toEqual([]);
  });

  it('a full game day: the experiment slows the target, the windows show it, everything is removed', async () => {
    const held: string[] = [];
    const controller = await startChaosController({
      kc: kube.kc,
      namespace: NS,
      // Chaos-daemon's part: the NetworkChaos delay, applied where this machine can (the proxy).
      onInject: (x) => {
        const delay = (x.spec as { delay?: { latency: string; jitter: string } }).delay;
        if (delay)
          held.push(
            proxy.inject({
              kind: 'latency',
              latencyMs: Number.parseInt(delay.latency, 10),
              jitterMs: Number.parseInt(delay.jitter, 10),
            }),
          );
      },
      onRecover: () => {
        for (const id of held.splice(0)) proxy.remove(id);
      },
    });
    try {
      const w = workDir();
      const r = await cli(
        gameday(
          w,
          'latency',
          'network-latency',
          '--steady',
          '6s',
          '--hold',
          '6s',
          '--recovery',
          '6s',
          // Both matching pods: wider than half of them, so it has to be asked for.
          '--mode',
          'all',
          '--allow-wide-blast',
        ),
      );
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const s = JSON.parse(readFileSync(w.summary, 'utf8'));
      expect(s.windows.fault.latencyMs.p50 - s.windows.steady.latencyMs.p50).toBeGreaterThan(150);
      expect(s.windows.recovery.latencyMs.p50).toBeLessThan(s.windows.steady.latencyMs.p50 + 20);
      expect(s.faults).toHaveLength(1);
      expect(s.faults[0].recovered).toBe(true);
      // A 6 s hold meets every objective, though too short to prove them all (WARN).
      expectMet(s.gameDayVerdict, s.objectives);
      expect(r.stderr).toMatch(
        /chaos-mesh: NetworkChaos shop\/tg-network-latency-1-\w+ injected into 2 target\(s\)/,
      );
      expect(controller.log.map((l) => l.split(' ')[0])).toEqual([
        'selected',
        'injected',
        'recovered',
      ]);
      const left = (await custom.listNamespacedCustomObject(networkchaos)) as { items: unknown[] };
      expect(left.items).toEqual([]);
    } finally {
      await controller.stop();
    }
  });

  it('an injection slower than the hold is removed as soon as it is in place', async () => {
    const controller = await startChaosController({
      kc: kube.kc,
      namespace: NS,
      // chaos-daemon taking 4 s to apply a fault held for 2 s.
      onInject: () => new Promise((r) => setTimeout(r, 4000)),
    });
    try {
      const w = workDir();
      const r = await cli(
        gameday(w, 'slow-inject', 'pod-kill', '--steady', '3s', '--hold', '2s', '--recovery', '8s'),
      );
      const s = JSON.parse(readFileSync(w.summary, 'utf8'));
      expect(s.faults, r.stderr).toHaveLength(1);
      const [f] = s.faults;
      expect(f.injectedAt).toBeGreaterThanOrEqual(3 + 3.5);
      // Removed right away, not left in place through the recovery window until the run ends.
      expect(f.removedAt - f.injectedAt).toBeLessThan(1.5);
      expect(f.recovered).toBe(true);
      expect(controller.log.map((l) => l.split(' ')[0])).toEqual([
        'selected',
        'injected',
        'recovered',
      ]);
    } finally {
      await controller.stop();
    }
  });

  it('a controller that never recovers: "recovery unverified", exit 3', async () => {
    const controller = await startChaosController({
      kc: kube.kc,
      namespace: NS,
      neverRecover: true,
    });
    try {
      const w = workDir();
      const r = await cli(
        gameday(
          w,
          'stuck',
          'pod-kill',
          '--steady',
          '3s',
          '--hold',
          '3s',
          '--recovery',
          '3s',
          '--recover-timeout',
          '2s',
        ),
      );
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/recovery unverified/);
      expect(r.stderr).toMatch(
        /PodChaos shop\/tg-pod-kill-1-\w+ was deleted but Chaos Mesh reported neither/,
      );
    } finally {
      await controller.stop();
      await releaseFinalizers(podchaos);
    }
  });

  it('SIGINT while the fault is held deletes the experiment, exit 130', async () => {
    const controller = await startChaosController({ kc: kube.kc, namespace: NS });
    try {
      const w = workDir();
      const child = spawn(
        process.execPath,
        gameday(w, 'sigint', 'pod-kill', '--steady', '3s', '--hold', '30s', '--recovery', '3s'),
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      const deadline = Date.now() + 30_000;
      while (!controller.log.some((l) => l.startsWith('injected')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(
        controller.log.some((l) => l.startsWith('injected')),
        stderr,
      ).toBe(true);
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      const left = (await custom.listNamespacedCustomObject(podchaos)) as { items: unknown[] };
      expect(left.items).toEqual([]);
      expect(controller.log.some((l) => l.startsWith('recovered'))).toBe(true);
    } finally {
      await controller.stop();
    }
  });

  it('chaos cleanup removes what killed runs left, by label, and leaves the rest', async () => {
    const body = (name: string, labels: Record<string, string>) => ({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'PodChaos',
      metadata: { name, labels },
      spec: {
        action: 'pod-kill',
        mode: 'one',
        selector: { labelSelectors: { app: 'checkout' } },
        duration: '60s',
      },
    });
    await custom.createNamespacedCustomObject({
      ...podchaos,
      body: body('left-1', runLabels('dead-run-1')),
    });
    await custom.createNamespacedCustomObject({
      ...podchaos,
      body: body('left-2', runLabels('dead-run-2')),
    });
    await custom.createNamespacedCustomObject({
      ...podchaos,
      body: body('not-ours', { team: 'sre' }),
    });
    const w = workDir();
    const cleanup = (...more: string[]) => chaosCleanup(kube.kubeconfigPath, w.results, ...more);
    const one = await cleanup('--run-id', 'dead-run-1');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/deleted PodChaos shop\/left-1 \(run dead-run-1\)/);
    expect(one.stdout).not.toMatch(/left-2/);
    const all = await cleanup();
    expect(all.stdout).toMatch(/deleted PodChaos shop\/left-2 \(run dead-run-2\)/);
    const left = (await custom.listNamespacedCustomObject(podchaos)) as {
      items: { metadata: { name: string; labels?: Record<string, string> } }[];
    };
    expect(left.items.map((i) => i.metadata.name)).toEqual(['not-ours']);
    expect(left.items[0]!.metadata.labels?.[RUN_ID_LABEL]).toBeUndefined();
    const again = await cleanup();
    expect(again.stdout).toMatch(/nothing to clean up/);
  });
});
