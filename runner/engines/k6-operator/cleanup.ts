// `tiergate chaos cleanup`, the k6-operator part: TestRuns and script ConfigMaps a killed run
// left behind, found by tiergate's labels and deleted (their runner Jobs go with the TestRun).
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { kubeStatus } from '../../kube/client.ts';
import { customKind, type LiveObject, type SweepKind, sweep } from '../../kube/sweep.ts';
import { TESTRUN_GROUP, TESTRUN_PLURAL, TESTRUN_VERSION } from './manifests.ts';

export const K6_OPERATOR_PRODUCT = 'k6-operator';

/** The TestRun kind and tiergate's script ConfigMaps, for the sweep. */
export function k6OperatorSweepKinds(kc: KubeConfig): SweepKind[] {
  const core = kc.makeApiClient(CoreV1Api);
  const configMaps: SweepKind = {
    kind: 'ConfigMap',
    resource: 'configmaps',
    product: 'Kubernetes',
    async list(namespace, labelSelector) {
      const list =
        namespace === undefined
          ? await core.listConfigMapForAllNamespaces({ labelSelector })
          : await core.listNamespacedConfigMap({ namespace, labelSelector });
      return list.items as LiveObject[];
    },
    async read(namespace, name) {
      try {
        return (await core.readNamespacedConfigMap({ namespace, name })) as LiveObject;
      } catch (err) {
        if (kubeStatus(err) === 404) return undefined;
        throw err;
      }
    },
    async remove(namespace, name) {
      await core.deleteNamespacedConfigMap({ namespace, name });
    },
  };
  return [
    customKind(kc, {
      kind: 'TestRun',
      group: TESTRUN_GROUP,
      version: TESTRUN_VERSION,
      plural: TESTRUN_PLURAL,
      product: K6_OPERATOR_PRODUCT,
    }),
    configMaps,
  ];
}

/**
 * Deletes, in one namespace or all, every tiergate TestRun and ConfigMap (of one run, if given)
 * and returns them (`TestRun load/name (run id)`). A cluster without k6-operator has no TestRuns
 * to delete; a list that fails otherwise throws.
 */
export async function cleanupTestRuns(
  kc: KubeConfig,
  opts: { namespace?: string; runId?: string; recoverTimeoutMs?: number },
): Promise<string[]> {
  const report = await sweep(k6OperatorSweepKinds(kc), {
    ...opts,
    recoverTimeoutMs: opts.recoverTimeoutMs ?? 30_000,
  });
  const problem = [...report.forbidden, ...report.failed][0];
  if (problem !== undefined) throw new Error(`listing ${problem.resource}: ${problem.message}`);
  return report.objects
    .filter((o) => o.outcome === 'deleted' && o.detail === undefined)
    .map((o) => `${o.kind} ${o.namespace}/${o.name}${o.runId ? ` (run ${o.runId})` : ''}`);
}
