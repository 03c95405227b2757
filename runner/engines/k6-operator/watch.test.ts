// ListWatch against the real API server: every change is heard, a deleted object's last state
// included, and it goes on hearing them across watches the server ends (re-listed each time).
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type KubeApi, startKubeApi } from '../../../test/helpers/kube-api.ts';
import { type Change, ListWatch } from './watch.ts';

let kube: KubeApi;
beforeAll(async () => {
  kube = await startKubeApi({ crds: false });
  await kube.createNamespace('w');
}, 120_000);
afterAll(async () => kube?.stop());

it('hears adds, changes and deletes with their last state, across watches that end', async () => {
  const core = kube.kc.makeApiClient(CoreV1Api);
  const seen: [Change, string, string | undefined][] = [];
  const labelSelector = 'watched=yes';
  const watch = new ListWatch<V1ConfigMap>(
    kube.kc,
    {
      path: '/api/v1/namespaces/w/configmaps',
      selector: { labelSelector },
      list: () => core.listNamespacedConfigMap({ namespace: 'w', labelSelector }),
      timeoutS: 1,
    },
    (change, map) => seen.push([change, map.metadata?.name ?? '', map.data?.v]),
  );
  const body = (name: string, v: string) => ({
    metadata: { name, labels: { watched: 'yes' } },
    data: { v },
  });
  await core.createNamespacedConfigMap({ namespace: 'w', body: body('before', '0') });
  await watch.start();
  try {
    await core.createNamespacedConfigMap({ namespace: 'w', body: body('a', '1') });
    await core.replaceNamespacedConfigMap({ namespace: 'w', name: 'a', body: body('a', '2') });
    await core.deleteNamespacedConfigMap({ namespace: 'w', name: 'a' });
    await expect.poll(() => seen.at(-1)).toEqual(['DELETED', 'a', '2']);
    // Past a few server-ended watches: still hearing, and nothing heard twice but re-lists.
    await new Promise((r) => setTimeout(r, 2500));
    await core.createNamespacedConfigMap({ namespace: 'w', body: body('b', '3') });
    await expect.poll(() => seen.at(-1)).toEqual(['ADDED', 'b', '3']);
    expect(seen.slice(0, 4)).toEqual([
      ['ADDED', 'before', '0'],
      ['ADDED', 'a', '1'],
      ['MODIFIED', 'a', '2'],
      ['DELETED', 'a', '2'],
    ]);
    expect(seen.filter(([c]) => c === 'DELETED')).toHaveLength(1);
    expect(watch.lastError).toBeUndefined();
  } finally {
    watch.stop();
  }
}, 60_000);
