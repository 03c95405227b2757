// `tiergate chaos cleanup`, the k6-operator part: TestRuns, script ConfigMaps and secret
// Secrets a killed run left behind, found by tiergate's labels and deleted (their runner Jobs go
// with the TestRun).
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { kubeStatus } from '../../kube/client.ts';
import { customKind, type LiveObject, type SweepKind } from '../../kube/sweep.ts';
import { TESTRUN_GROUP, TESTRUN_PLURAL, TESTRUN_VERSION } from './manifests.ts';

export const K6_OPERATOR_PRODUCT = 'k6-operator';

interface CoreCalls {
  listAll(labelSelector: string): Promise<{ items: unknown[] }>;
  list(namespace: string, labelSelector: string): Promise<{ items: unknown[] }>;
  read(namespace: string, name: string): Promise<unknown>;
  remove(namespace: string, name: string): Promise<unknown>;
}

/** A namespaced core kind (ConfigMap, Secret) for the sweep. */
function coreKind(kind: string, resource: string, calls: CoreCalls): SweepKind {
  return {
    kind,
    resource,
    product: 'Kubernetes',
    async list(namespace, labelSelector) {
      const list =
        namespace === undefined
          ? await calls.listAll(labelSelector)
          : await calls.list(namespace, labelSelector);
      return list.items as LiveObject[];
    },
    async read(namespace, name) {
      try {
        return (await calls.read(namespace, name)) as LiveObject;
      } catch (err) {
        if (kubeStatus(err) === 404) return undefined;
        throw err;
      }
    },
    async remove(namespace, name) {
      await calls.remove(namespace, name);
    },
  };
}

/** The TestRun kind and tiergate's script ConfigMaps and Secrets, for the sweep. */
export function k6OperatorSweepKinds(kc: KubeConfig): SweepKind[] {
  const core = kc.makeApiClient(CoreV1Api);
  return [
    customKind(kc, {
      kind: 'TestRun',
      group: TESTRUN_GROUP,
      version: TESTRUN_VERSION,
      plural: TESTRUN_PLURAL,
      product: K6_OPERATOR_PRODUCT,
    }),
    coreKind('ConfigMap', 'configmaps', {
      listAll: (labelSelector) => core.listConfigMapForAllNamespaces({ labelSelector }),
      list: (namespace, labelSelector) =>
        core.listNamespacedConfigMap({ namespace, labelSelector }),
      read: (namespace, name) => core.readNamespacedConfigMap({ namespace, name }),
      remove: (namespace, name) => core.deleteNamespacedConfigMap({ namespace, name }),
    }),
    coreKind('Secret', 'secrets', {
      listAll: (labelSelector) => core.listSecretForAllNamespaces({ labelSelector }),
      list: (namespace, labelSelector) => core.listNamespacedSecret({ namespace, labelSelector }),
      read: (namespace, name) => core.readNamespacedSecret({ namespace, name }),
      remove: (namespace, name) => core.deleteNamespacedSecret({ namespace, name }),
    }),
  ];
}
