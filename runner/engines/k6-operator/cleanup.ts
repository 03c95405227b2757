// `tiergate chaos cleanup`, the k6-operator part: TestRuns and script ConfigMaps a killed run
// left behind, found by tiergate's labels and deleted (their runner Jobs go with the TestRun).
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { kubeStatus } from '../../kube/client.ts';
import { customKind, type LiveObject, type SweepKind } from '../../kube/sweep.ts';
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
