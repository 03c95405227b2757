// `tiergate chaos cleanup`, the k6-operator part: TestRuns and script ConfigMaps a killed run
// left behind, found by tiergate's labels and deleted (their runner Jobs go with the TestRun).
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { kubeStatus } from '../../kube/client.ts';
import { RUN_ID_LABEL, tiergateSelector } from '../../kube/labels.ts';
import { TESTRUN_GROUP, TESTRUN_PLURAL, TESTRUN_VERSION } from './manifests.ts';

interface Listed {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
}

function describe(kind: string, o: Listed): string {
  const run = o.metadata?.labels?.[RUN_ID_LABEL];
  return `${kind} ${o.metadata?.namespace}/${o.metadata?.name}${run ? ` (run ${run})` : ''}`;
}

/** Deletes, in one namespace or all, every tiergate TestRun and ConfigMap (of one run, if given). */
export async function cleanupTestRuns(
  kc: KubeConfig,
  opts: { namespace?: string; runId?: string },
): Promise<string[]> {
  const labelSelector = tiergateSelector(opts.runId);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const ref = { group: TESTRUN_GROUP, version: TESTRUN_VERSION, plural: TESTRUN_PLURAL };
  const removed: string[] = [];
  const remove = async (what: string, del: () => Promise<unknown>) => {
    try {
      await del();
      removed.push(what);
    } catch (err) {
      if (kubeStatus(err) !== 404) throw err; // gone meanwhile
    }
  };

  const runs = (
    opts.namespace
      ? await custom.listNamespacedCustomObject({
          ...ref,
          namespace: opts.namespace,
          labelSelector,
        })
      : await custom.listClusterCustomObject({ ...ref, labelSelector })
  ) as { items: Listed[] };
  for (const run of runs.items) {
    const { name = '', namespace = '' } = run.metadata ?? {};
    await remove(describe('TestRun', run), () =>
      custom.deleteNamespacedCustomObject({
        ...ref,
        namespace,
        name,
        propagationPolicy: 'Background',
      }),
    );
  }

  const maps = opts.namespace
    ? await core.listNamespacedConfigMap({ namespace: opts.namespace, labelSelector })
    : await core.listConfigMapForAllNamespaces({ labelSelector });
  for (const map of maps.items) {
    const { name = '', namespace = '' } = map.metadata ?? {};
    await remove(describe('ConfigMap', map), () =>
      core.deleteNamespacedConfigMap({ namespace, name }),
    );
  }
  return removed;
}
