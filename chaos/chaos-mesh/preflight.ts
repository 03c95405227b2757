// Before any experiment exists: the namespace is there, Chaos Mesh is installed for every kind
// the game day uses, RBAC lets this user create and delete them, and the selector matches pods.
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { RunError, UsageError } from '../../core/errors.ts';
import {
  clusterName,
  kubeUnreachable,
  type Permission,
  requireAccess,
  requireNamespace,
} from '../../runner/kube/access.ts';
import { kubeStatus } from '../../runner/kube/client.ts';
import { type ChaosMeshTarget, checkPodsHit } from './target.ts';
import { CHAOS_GROUP, CHAOS_VERSION, type ExperimentKind, PLURALS } from './types.ts';

function needed(kinds: readonly ExperimentKind[]): Permission[] {
  // Pods to match the selector, events to explain an experiment that does not inject.
  const perms: Permission[] = [
    { verb: 'list', group: '', resource: 'pods' },
    { verb: 'list', group: '', resource: 'events' },
  ];
  for (const kind of new Set(kinds)) {
    for (const verb of ['create', 'get', 'list', 'delete']) {
      perms.push({ verb, group: CHAOS_GROUP, resource: PLURALS[kind] });
    }
  }
  return perms;
}

async function requireCrds(
  kc: KubeConfig,
  namespace: string,
  kinds: readonly ExperimentKind[],
): Promise<void> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (const kind of new Set(kinds)) {
    try {
      await custom.listNamespacedCustomObject({
        group: CHAOS_GROUP,
        version: CHAOS_VERSION,
        namespace,
        plural: PLURALS[kind],
        limit: 1,
      });
    } catch (err) {
      if (kubeStatus(err) === 404) {
        throw new RunError(
          `Chaos Mesh is not installed in ${clusterName(kc)}: no ${kind} CRD (${PLURALS[kind]}.${CHAOS_GROUP}/${CHAOS_VERSION})`,
          'install Chaos Mesh (https://chaos-mesh.org/docs/production-installation-using-helm/)',
        );
      }
      throw kubeUnreachable(kc, err);
    }
  }
}

/** Chaos Mesh's own controller (its Helm chart's labels): its namespace is never a target. */
const CHAOS_MESH_CONTROLLER =
  'app.kubernetes.io/name=chaos-mesh,app.kubernetes.io/component=controller-manager';

async function refuseChaosMeshNamespace(kc: KubeConfig, namespace: string): Promise<void> {
  const pods = await kc
    .makeApiClient(CoreV1Api)
    .listNamespacedPod({ namespace, labelSelector: CHAOS_MESH_CONTROLLER });
  if (pods.items.length > 0) {
    throw new UsageError(
      `--namespace ${namespace} runs Chaos Mesh's controller manager: tiergate never injects faults there`,
      'pick the namespace of the pods under test',
    );
  }
}

/** How many pods the selector matches now; none is an error naming the selector. */
async function requirePods(kc: KubeConfig, target: ChaosMeshTarget): Promise<number> {
  const labelSelector = Object.entries(target.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = await kc
    .makeApiClient(CoreV1Api)
    .listNamespacedPod({ namespace: target.namespace, labelSelector });
  if (pods.items.length === 0) {
    throw new UsageError(
      `selector ${labelSelector} matches no pods in namespace ${target.namespace}`,
      `check the labels (kubectl get pods -n ${target.namespace} --show-labels) and --selector`,
    );
  }
  return pods.items.length;
}

export async function preflightChaosMesh(
  kc: KubeConfig,
  target: ChaosMeshTarget,
  kinds: readonly ExperimentKind[],
): Promise<number> {
  await requireNamespace(kc, target.namespace);
  await requireAccess(kc, target.namespace, needed(kinds));
  await requireCrds(kc, target.namespace, kinds);
  await refuseChaosMeshNamespace(kc, target.namespace);
  const pods = await requirePods(kc, target);
  checkPodsHit(target, pods);
  return pods;
}
