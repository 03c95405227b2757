// `tiergate chaos cleanup` on a cluster: every Chaos Mesh experiment tiergate labelled (of one
// run, or all) is deleted; Chaos Mesh undoes each fault before the object goes.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { RUN_ID_LABEL, tiergateSelector } from '../../runner/kube/labels.ts';
import { CHAOS_GROUP, CHAOS_VERSION, PLURALS } from './types.ts';

interface Listed {
  items: {
    kind?: string;
    metadata: { name: string; namespace: string; labels?: Record<string, string> };
  }[];
}

export async function cleanupExperiments(
  kc: KubeConfig,
  opts: { namespace?: string; runId?: string },
): Promise<string[]> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const labelSelector = tiergateSelector(opts.runId);
  const removed: string[] = [];
  for (const [kind, plural] of Object.entries(PLURALS)) {
    const where = { group: CHAOS_GROUP, version: CHAOS_VERSION, plural };
    const list = (
      opts.namespace === undefined
        ? await custom.listClusterCustomObject({ ...where, labelSelector })
        : await custom.listNamespacedCustomObject({
            ...where,
            namespace: opts.namespace,
            labelSelector,
          })
    ) as Listed;
    for (const item of list.items) {
      const { name, namespace, labels } = item.metadata;
      await custom.deleteNamespacedCustomObject({ ...where, namespace, name });
      removed.push(`${kind} ${namespace}/${name} (run ${labels?.[RUN_ID_LABEL] ?? 'unknown'})`);
    }
  }
  return removed;
}
