// The test Kubernetes API itself: a real kube-apiserver that validates custom resources
// against the installed CRD schemas and enforces RBAC (the other Kubernetes tests rely on both).
import { CoreV1Api, CustomObjectsApi, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeStatus } from '../runner/kube/client.ts';
import { type KubeApi, startKubeApi } from './helpers/kube-api.ts';

const podChaos = (mode: string) => ({
  apiVersion: 'chaos-mesh.org/v1alpha1',
  kind: 'PodChaos',
  metadata: { name: `kill-${mode}` },
  spec: { action: 'pod-kill', mode, selector: { labelSelectors: { app: 'demo' } } },
});

describe('test Kubernetes API', () => {
  let kube: KubeApi;
  beforeAll(async () => {
    kube = await startKubeApi();
    await kube.createNamespace('shop');
  }, 120_000);
  afterAll(async () => kube?.stop());

  it('is a real kube-apiserver of the pinned version', async () => {
    const version = await kube.kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.34.3');
  });

  it('accepts a valid Chaos Mesh experiment and rejects one the CRD schema forbids', async () => {
    const custom = kube.kc.makeApiClient(CustomObjectsApi);
    const target = {
      group: 'chaos-mesh.org',
      version: 'v1alpha1',
      namespace: 'shop',
      plural: 'podchaos',
    };
    const created = await custom.createNamespacedCustomObject({ ...target, body: podChaos('one') });
    expect(created.metadata.name).toBe('kill-one');
    const rejected = await custom
      .createNamespacedCustomObject({ ...target, body: podChaos('bogus') })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(kubeStatus(rejected)).toBe(422);
    expect(String((rejected as { body?: unknown }).body)).toContain('spec.mode');
  });

  it('enforces RBAC: the restricted user may not list pods', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kube.restrictedKubeconfigPath);
    const err = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'shop' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(kubeStatus(err)).toBe(403);
  });
});
