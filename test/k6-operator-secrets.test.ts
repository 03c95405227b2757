// k6-operator with a plan that has secrets, against the real Kubernetes API server (with
// k6-operator's CRD): the secrets go to a Secret, never to the ConfigMap or the TestRun; the
// runners' (and initializer's) env reads them through valueFrom.secretKeyRef; the Secret is
// created with the run's other objects and deleted with them on the cleanup stack; --dry-run
// prints it with its values redacted.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CleanupStack } from '../core/cleanup.ts';
import { planFromOptions } from '../runner/cli/options/plan-from-options.ts';
import {
  buildManifests,
  DEFAULT_RUNNER_IMAGE,
  TESTRUN_GROUP,
  TESTRUN_PLURAL,
  TESTRUN_VERSION,
  type TestRunManifest,
} from '../runner/engines/k6-operator/manifests.ts';
import { RunObjects } from '../runner/engines/k6-operator/objects.ts';
import { kubeStatus } from '../runner/kube/client.ts';
import { runLabels } from '../runner/kube/labels.ts';
import { tiergate } from './helpers/cli.ts';
import { type KubeApi, startKubeApi } from './helpers/kube-api.ts';

const TOKEN = 'tok-k8s-5e6f7a8b';
const API_KEY = 'key-k8s-1a2b3c4d';

const plan = () =>
  planFromOptions(
    {
      target: `http://checkout.shop.svc/orders?api_key=${API_KEY}`,
      header: [`Authorization: Bearer ${TOKEN}`],
      rate: '20',
      duration: '30s',
    },
    [],
  );

const settings = (runId: string) => ({
  runId,
  namespace: 'load',
  parallelism: 2,
  prometheusUrl: 'http://prometheus:9090',
  keep: false,
  image: DEFAULT_RUNNER_IMAGE,
});

describe('k6-operator secrets on a real API server', () => {
  let kube: KubeApi;
  beforeAll(async () => {
    kube = await startKubeApi();
    await kube.createNamespace('load');
  }, 120_000);
  afterAll(async () => kube?.stop());

  it('a Secret referenced by the runners, created and deleted with the ConfigMap and TestRun', async () => {
    const m = await buildManifests(plan(), settings('sec-1'));
    const objects = new RunObjects(kube.kc, 'load', m.testRun.metadata.name, 'sec-1');
    const cleanup = new CleanupStack();
    cleanup.push('k6-operator TestRun', () => objects.deleteCreated());
    await objects.create(m);

    const core = kube.kc.makeApiClient(CoreV1Api);
    const custom = kube.kc.makeApiClient(CustomObjectsApi);
    const name = m.testRun.metadata.name;
    const secret = await core.readNamespacedSecret({ namespace: 'load', name });
    expect(secret.metadata?.labels).toEqual(runLabels('sec-1'));
    const values = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
    );
    expect(values).toEqual({
      TIERGATE_SECRET_API_KEY: API_KEY,
      TIERGATE_SECRET_AUTHORIZATION: `Bearer ${TOKEN}`,
    });
    // The ConfigMap's script and the TestRun hold references, not values.
    const configMap = await core.readNamespacedConfigMap({ namespace: 'load', name });
    const testRun = (await custom.getNamespacedCustomObject({
      group: TESTRUN_GROUP,
      version: TESTRUN_VERSION,
      plural: TESTRUN_PLURAL,
      namespace: 'load',
      name,
    })) as TestRunManifest;
    for (const text of [JSON.stringify(configMap), JSON.stringify(testRun)]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(API_KEY);
    }
    const script = configMap.data?.['plan.js'] ?? '';
    expect(script).toContain('__ENV.TIERGATE_SECRET_AUTHORIZATION');
    expect(script).toContain('__ENV.TIERGATE_SECRET_API_KEY');
    for (const pod of [testRun.spec.runner, testRun.spec.initializer]) {
      for (const key of ['TIERGATE_SECRET_AUTHORIZATION', 'TIERGATE_SECRET_API_KEY']) {
        const entry = pod.env.find((e) => e.name === key);
        expect(entry?.valueFrom).toEqual({ secretKeyRef: { name, key } });
        expect(entry?.value ?? '').toBe('');
      }
    }

    await cleanup.unwind();
    const gone = await core.readNamespacedSecret({ namespace: 'load', name }).then(
      () => 200,
      (err: unknown) => kubeStatus(err),
    );
    expect(gone).toBe(404);
  });

  it('a plan without secrets makes no Secret and no secretKeyRef', async () => {
    const m = await buildManifests(
      planFromOptions({ target: 'http://checkout.shop.svc/', rate: '20', duration: '30s' }, []),
      settings('nosec'),
    );
    expect(m.secret).toBeUndefined();
    expect(m.testRun.spec.runner.env.some((e) => e.valueFrom !== undefined)).toBe(false);
  });

  it('--dry-run prints the Secret with its values redacted; the server accepts all three objects', async () => {
    const r = await tiergate(
      [
        'run',
        '--engine',
        'k6-operator',
        '--namespace',
        'load',
        '--target',
        `http://checkout.shop.svc/orders?api_key=${API_KEY}`,
        '--header',
        `Authorization: Bearer ${TOKEN}`,
        '--rate',
        '20',
        '--duration',
        '30s',
        '--prometheus-url',
        'http://prometheus:9090',
        '--run-id',
        'sec-dry',
        '--dry-run',
      ],
      { cwd: mkdtempSync(join(tmpdir(), 'tiergate-k6op-sec-')) },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(r.stdout + r.stderr).not.toContain(API_KEY);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['Secret', 'ConfigMap', 'TestRun']);
    expect(docs[0].stringData).toEqual({
      TIERGATE_SECRET_API_KEY: '[redacted]',
      TIERGATE_SECRET_AUTHORIZATION: '[redacted]',
    });
    const core = kube.kc.makeApiClient(CoreV1Api);
    const custom = kube.kc.makeApiClient(CustomObjectsApi);
    await core.createNamespacedSecret({ namespace: 'load', body: docs[0] });
    await core.createNamespacedConfigMap({ namespace: 'load', body: docs[1] });
    await custom.createNamespacedCustomObject({
      group: TESTRUN_GROUP,
      version: TESTRUN_VERSION,
      plural: TESTRUN_PLURAL,
      namespace: 'load',
      body: docs[2],
    });
  });
});
