// `tiergate chaos cleanup` against real API servers: one with every CRD of test/kube/crds, one
// with k6-operator's alone (Chaos Mesh's CRDs deleted), and a user without RBAC grants. What a
// killed run leaves on this machine (a SIGSTOPped process) is handled whatever the cluster says;
// an experiment counts as removed only when it is gone or reports AllRecovered; a ledger entry
// is closed only when its object is seen gone on the cluster that was swept.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosMeshSweepKinds } from '../chaos/chaos-mesh/cleanup.ts';
import { CHAOS_GROUP, CHAOS_VERSION } from '../chaos/chaos-mesh/types.ts';
import { FaultLedger, readOpenFaults } from '../chaos/local/ledger.ts';
import { kubeStatus } from '../runner/kube/client.ts';
import { runLabels } from '../runner/kube/labels.ts';
import { sweep } from '../runner/kube/sweep.ts';
import { chaosCleanup, tiergate } from './helpers/cli.ts';
import { type KubeApi, startKubeApi } from './helpers/kube-api.ts';
import { processState } from './helpers/process-state.ts';

const chaos = (plural: string, namespace: string) => ({
  group: CHAOS_GROUP,
  version: CHAOS_VERSION,
  namespace,
  plural,
});
const TESTRUNS = { group: 'k6.io', version: 'v1alpha1', plural: 'testruns' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A process frozen the way a killed `replica-pause` game day leaves its replica. */
async function frozenProcess(): Promise<ChildProcess> {
  const child = spawn('sleep', ['120'], { stdio: 'ignore' });
  await once(child, 'spawn');
  child.kill('SIGSTOP');
  for (let i = 0; i < 50 && !processState(child.pid!).startsWith('T'); i++) await sleep(20);
  expect(processState(child.pid!)).toMatch(/^T/);
  return child;
}

function experiment(
  kind: string,
  name: string,
  labels: Record<string, string>,
  extra: { finalizers?: string[]; status?: unknown } = {},
) {
  const spec =
    kind === 'NetworkChaos'
      ? { action: 'delay', delay: { latency: '200ms' } }
      : { action: 'pod-kill' };
  return {
    apiVersion: `${CHAOS_GROUP}/${CHAOS_VERSION}`,
    kind,
    metadata: { name, labels, ...(extra.finalizers ? { finalizers: extra.finalizers } : {}) },
    spec: {
      ...spec,
      mode: 'one',
      selector: { labelSelectors: { app: 'checkout' } },
      duration: '60s',
    },
    ...(extra.status !== undefined ? { status: extra.status } : {}),
  };
}

describe('tiergate chaos cleanup (real API servers)', () => {
  let kube: KubeApi;
  /** An API server with k6-operator's CRD and no Chaos Mesh. */
  let bare: KubeApi;
  let custom: CustomObjectsApi;
  let work: string;
  /** A kubeconfig with both clusters: context `main` (current) and `bare`. */
  let twoClusters: string;
  const frozen: ChildProcess[] = [];

  beforeAll(async () => {
    [kube, bare] = await Promise.all([startKubeApi(), startKubeApi()]);
    for (const ns of ['shop', 'other', 'stuck']) await kube.createNamespace(ns);
    await bare.createNamespace('load');
    custom = kube.kc.makeApiClient(CustomObjectsApi);

    // Chaos Mesh uninstalled from `bare`: its CRDs deleted, until their kinds answer 404.
    const crds = bare.kc.makeApiClient(ApiextensionsV1Api);
    const mesh = (await crds.listCustomResourceDefinition()).items.filter(
      (c) => c.spec.group === CHAOS_GROUP,
    );
    for (const c of mesh) await crds.deleteCustomResourceDefinition({ name: c.metadata!.name! });
    const bareCustom = bare.kc.makeApiClient(CustomObjectsApi);
    const deadline = Date.now() + 30_000;
    for (const c of mesh) {
      for (;;) {
        const status = await bareCustom
          .listClusterCustomObject({
            group: CHAOS_GROUP,
            version: CHAOS_VERSION,
            plural: c.spec.names.plural,
          })
          .then(
            () => 200,
            (err) => kubeStatus(err),
          );
        if (status === 404) break;
        if (Date.now() > deadline) throw new Error(`${c.metadata!.name} not removed in 30 s`);
        await sleep(100);
      }
    }

    work = mkdtempSync(join(tmpdir(), 'tiergate-cleanup-'));
    const a = kube.kc;
    const b = bare.kc;
    const merged = new KubeConfig();
    merged.loadFromOptions({
      clusters: [
        { ...a.getCurrentCluster()!, name: 'main' },
        { ...b.getCurrentCluster()!, name: 'bare' },
      ],
      users: [
        { ...a.getCurrentUser()!, name: 'main-admin' },
        { ...b.getCurrentUser()!, name: 'bare-admin' },
      ],
      contexts: [
        { name: 'main', cluster: 'main', user: 'main-admin' },
        { name: 'bare', cluster: 'bare', user: 'bare-admin' },
      ],
      currentContext: 'main',
    });
    twoClusters = join(work, 'two.kubeconfig');
    writeFileSync(twoClusters, merged.exportConfig());
  }, 180_000);

  afterAll(async () => {
    for (const p of frozen) p.kill('SIGKILL');
    await Promise.all([kube?.stop(), bare?.stop()]);
  });

  const resultsDir = () => mkdtempSync(join(work, 'results-'));

  it('on a cluster without Chaos Mesh: thaws the local leftovers first, still sweeps TestRuns, names the missing CRDs once', async () => {
    const results = resolveRun(resultsDir());
    const proc = await frozenProcess();
    frozen.push(proc);
    const ledger = new FaultLedger(results.dir('paused'));
    ledger.applying('frz', 'pause-replica', proc.pid, 'replica 0');
    // A Chaos Mesh game day of another run, on a cluster this kubeconfig does not point at.
    new FaultLedger(results.dir('mesh')).applying(
      'lat',
      'chaos-mesh:NetworkChaos',
      undefined,
      'NetworkChaos shop/tg-mesh-lat',
    );
    const core = bare.kc.makeApiClient(CoreV1Api);
    const labels = runLabels('k6-dead');
    await core.createNamespacedConfigMap({
      namespace: 'load',
      body: { metadata: { name: 'tg-k6-dead', labels }, data: { 'plan.js': '' } },
    });
    await bare.kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      ...TESTRUNS,
      namespace: 'load',
      body: {
        apiVersion: 'k6.io/v1alpha1',
        kind: 'TestRun',
        metadata: { name: 'tg-k6-dead', labels },
        spec: { parallelism: 1, script: { configMap: { name: 'tg-k6-dead', file: 'plan.js' } } },
      },
    });

    // The laptop case: the default kubeconfig (KUBECONFIG) points at that cluster.
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = bare.kubeconfigPath;
    let r: Awaited<ReturnType<typeof tiergate>>;
    try {
      r = await tiergate(['chaos', 'cleanup', '--results-dir', results.root]);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`paused: resumed frozen process ${proc.pid}`));
    for (let i = 0; i < 50 && processState(proc.pid!).startsWith('T'); i++) await sleep(20);
    expect(processState(proc.pid!)).toMatch(/^[SR]/);
    expect(r.stdout).toMatch(/^deleted TestRun load\/tg-k6-dead \(run k6-dead\)$/m);
    expect(r.stdout).toMatch(/^deleted ConfigMap load\/tg-k6-dead \(run k6-dead\)$/m);
    expect(r.stderr.match(/not installed/g)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /not installed on https:\/\/127\.0\.0\.1:\d+, skipped: Chaos Mesh \(no chaos-mesh\.org CRDs\)/,
    );
    // The other cluster's fault is not closed on this one's word.
    expect(r.stdout).toMatch(
      /mesh: fault lat \(NetworkChaos shop\/tg-mesh-lat\) left open: networkchaos\.chaos-mesh\.org is not installed on/,
    );
    expect(readOpenFaults(results.dir('mesh')).map((f) => f.id)).toEqual(['lat']);
    expect(readOpenFaults(results.dir('paused'))).toEqual([]);
    expect(r.stdout).toMatch(
      /^cleanup: 2 objects on \S+: 2 deleted; 1 local fault settled; cluster ledger entries: 0 closed, 1 left open$/m,
    );
  });

  it('a stuck finalizer is "still terminating: recovery unverified" (exit 3); each object counted once; only gone ones close their entry', async () => {
    const results = resolveRun(resultsDir());
    const run = 'mesh-dead';
    const labels = runLabels(run);
    const where = chaos('podchaos', 'stuck');
    await custom.createNamespacedCustomObject({
      ...where,
      body: experiment('PodChaos', 'plain', labels),
    });
    await custom.createNamespacedCustomObject({
      ...where,
      body: experiment('PodChaos', 'stuck', labels, { finalizers: ['chaos-mesh/records'] }),
    });
    await custom.createNamespacedCustomObject({
      ...chaos('networkchaos', 'stuck'),
      body: experiment('NetworkChaos', 'healed', labels, {
        finalizers: ['chaos-mesh/records'],
        status: {
          conditions: [
            { type: 'AllInjected', status: 'False' },
            { type: 'AllRecovered', status: 'True' },
          ],
          experiment: { desiredPhase: 'Stop' },
        },
      }),
    });
    const ledger = new FaultLedger(results.dir(run));
    ledger.applying('a', 'chaos-mesh:PodChaos', undefined, 'PodChaos stuck/plain');
    ledger.applying('b', 'chaos-mesh:PodChaos', undefined, 'PodChaos stuck/stuck');
    ledger.applying('c', 'chaos-mesh:NetworkChaos', undefined, 'NetworkChaos stuck/healed');

    const cleanup = (...more: string[]) =>
      chaosCleanup(kube.kubeconfigPath, results.root, '--run-id', run, ...more);
    const started = Date.now();
    const r = await cleanup('--recover-timeout', '2s');
    expect(r.code, r.stderr).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(r.stdout).toMatch(/^deleted PodChaos stuck\/plain \(run mesh-dead\)$/m);
    expect(r.stdout).toMatch(
      /^still terminating PodChaos stuck\/stuck \(run mesh-dead\): recovery unverified: neither gone nor AllRecovered within 2 s \(finalizers: chaos-mesh\/records\)$/m,
    );
    expect(r.stdout).toMatch(
      /^recovered NetworkChaos stuck\/healed \(run mesh-dead\): it reports AllRecovered/m,
    );
    expect(r.stdout).not.toMatch(/deleted PodChaos stuck\/stuck/);
    expect(r.stdout).toMatch(
      /^cleanup: 3 objects on \S+: 1 deleted, 1 recovered, 1 still terminating \(recovery unverified\); cluster ledger entries: 1 closed, 2 left open$/m,
    );
    expect(r.stdout).toMatch(
      /mesh-dead: fault a \(PodChaos stuck\/plain\) is gone from \S+: closed/,
    );
    expect(r.stdout).toMatch(
      /mesh-dead: fault b \(PodChaos stuck\/stuck\) left open: it is still on/,
    );
    expect(r.stdout).toMatch(
      /mesh-dead: fault c \(NetworkChaos stuck\/healed\) left open: it reports AllRecovered but is still on \S+; closed once it is gone/,
    );
    expect(r.stderr).toMatch(
      /tiergate: cleanup incomplete: 1 object\(s\) still terminating: recovery unverified$/m,
    );
    expect(r.stderr).toMatch(
      /fix: is chaos-controller-manager running\? .*kubectl describe -n stuck podchaos stuck/,
    );
    expect(readOpenFaults(results.dir(run)).map((f) => f.id)).toEqual(['b', 'c']);

    // Chaos Mesh lets go: the next cleanup sees both gone and closes their entries.
    for (const [plural, name] of [
      ['podchaos', 'stuck'],
      ['networkchaos', 'healed'],
    ] as const) {
      const live = (await custom.getNamespacedCustomObject({
        ...chaos(plural, 'stuck'),
        name,
      })) as {
        metadata: { finalizers?: string[] };
      };
      live.metadata.finalizers = [];
      await custom.replaceNamespacedCustomObject({ ...chaos(plural, 'stuck'), name, body: live });
    }
    const again = await cleanup();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/cluster ledger entries: 2 closed$/m);
    expect(readOpenFaults(results.dir(run))).toEqual([]);
  });

  it('--namespace and --context elsewhere leave the objects and ledger entries they did not sweep', async () => {
    const results = resolveRun(resultsDir());
    const run = 'scoped';
    await custom.createNamespacedCustomObject({
      ...chaos('podchaos', 'shop'),
      body: experiment('PodChaos', 'tg-scoped', runLabels(run)),
    });
    const ledger = new FaultLedger(results.dir(run));
    ledger.applying('kill', 'chaos-mesh:PodChaos', undefined, 'PodChaos shop/tg-scoped');
    ledger.applying(
      'far',
      'chaos-mesh:PodChaos',
      undefined,
      'PodChaos shop/tg-far',
      'https://elsewhere.example:6443',
    );
    const cleanup = (...more: string[]) =>
      chaosCleanup(twoClusters, results.root, '--run-id', run, ...more);

    const otherNs = await cleanup('--namespace', 'other');
    expect(otherNs.code, otherNs.stderr).toBe(0);
    expect(otherNs.stdout).toMatch(
      /fault kill \(PodChaos shop\/tg-scoped\) left open: it is outside --namespace other/,
    );
    expect(otherNs.stdout).toMatch(
      /fault far \(PodChaos shop\/tg-far\) left open: it is on https:\/\/elsewhere\.example:6443, not on the swept/,
    );
    const otherCluster = await cleanup('--context', 'bare');
    expect(otherCluster.code, otherCluster.stderr).toBe(0);
    expect(otherCluster.stdout).toMatch(
      /fault kill .* left open: podchaos\.chaos-mesh\.org is not installed on/,
    );
    expect(readOpenFaults(results.dir(run)).map((f) => f.id)).toEqual(['kill', 'far']);
    await custom.getNamespacedCustomObject({ ...chaos('podchaos', 'shop'), name: 'tg-scoped' });

    const here = await cleanup('--namespace', 'shop', '--context', 'main');
    expect(here.code, here.stderr).toBe(0);
    expect(here.stdout).toMatch(/^deleted PodChaos shop\/tg-scoped \(run scoped\)$/m);
    expect(here.stdout).toMatch(/fault kill \(PodChaos shop\/tg-scoped\) is gone from \S+: closed/);
    expect(readOpenFaults(results.dir(run)).map((f) => f.id)).toEqual(['far']);
  });

  it('a user who may not list cluster-wide is told to pass --namespace (exit 3), after the local part is done', async () => {
    const results = resolveRun(resultsDir());
    const proc = await frozenProcess();
    frozen.push(proc);
    new FaultLedger(results.dir('paused')).applying('frz', 'pause', proc.pid);
    const r = await chaosCleanup(kube.restrictedKubeconfigPath, results.root);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(new RegExp(`resumed frozen process ${proc.pid}`));
    expect(readOpenFaults(results.dir('paused'))).toEqual([]);
    expect(r.stderr).toMatch(
      /not allowed to list across all namespaces of \S+: podchaos\.chaos-mesh\.org, .*testruns\.k6\.io, configmaps/,
    );
    expect(r.stderr).toMatch(/fix: pass --namespace <ns>/);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  });

  it('an object deleted by someone else between list and delete is fine (404 on delete)', async () => {
    await custom.createNamespacedCustomObject({
      ...chaos('podchaos', 'other'),
      body: experiment('PodChaos', 'tg-racy', runLabels('racy')),
    });
    const [podChaos] = chaosMeshSweepKinds(kube.kc);
    const racing = {
      ...podChaos!,
      async list(namespace: string | undefined, labelSelector: string) {
        const items = await podChaos!.list(namespace, labelSelector);
        for (const i of items) await podChaos!.remove(i.metadata!.namespace!, i.metadata!.name!);
        return items;
      },
    };
    const report = await sweep([racing, ...chaosMeshSweepKinds(kube.kc).slice(1)], {
      namespace: 'other',
      runId: 'racy',
      recoverTimeoutMs: 2000,
    });
    expect(report.objects).toEqual([
      {
        kind: 'PodChaos',
        namespace: 'other',
        name: 'tg-racy',
        runId: 'racy',
        outcome: 'deleted',
        detail: 'it was already gone',
      },
    ]);
    expect(report.failed).toEqual([]);
  });

  it('without a kubeconfig, cluster faults in the ledgers are not called clean (exit 3); --local-only says it skipped them', async () => {
    const results = resolveRun(resultsDir());
    const ledger = new FaultLedger(results.dir('mesh-elsewhere'));
    ledger.applying('a', 'chaos-mesh:PodChaos', undefined, 'PodChaos shop/tg-a');
    // No KUBECONFIG file and no ~/.kube/config: nothing says which cluster to look at.
    const env = { KUBECONFIG: join(work, 'absent.kubeconfig'), HOME: work };
    const args = ['chaos', 'cleanup', '--results-dir', results.root];
    const r = await tiergate(args, { env });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      /1 cluster fault not checked \(no kubeconfig\): it may still be in place/,
    );
    expect(r.stderr).toMatch(/pass --kubeconfig\/--context of the cluster the game day ran on/);
    expect(readOpenFaults(results.dir('mesh-elsewhere'))).toHaveLength(1);
    const skipped = await tiergate([...args, '--local-only'], { env });
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(readOpenFaults(results.dir('mesh-elsewhere'))).toHaveLength(1);
  });

  it('--recover-timeout must be a duration (exit 2, nothing touched)', async () => {
    const r = await tiergate(['chaos', 'cleanup', '--local-only', '--recover-timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--recover-timeout "soon" is not a duration/);
  });
});

/** A results folder and its run folders. */
function resolveRun(root: string) {
  return { root, dir: (run: string) => join(root, run) };
}
