// Before anything is created: may this kubeconfig run a TestRun in this namespace, and is
// k6-operator's CRD there at all? Each problem is one line saying what to fix.
import {
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
} from '@kubernetes/client-node';
import { RunError, UsageError } from '../../errors.ts';
import { kubeStatus, PROTECTED_NAMESPACES } from '../../kube/client.ts';
import { TESTRUN_GROUP, TESTRUN_PLURAL, TESTRUN_VERSION } from './manifests.ts';

/** What the engine does in the namespace: TestRuns and the script's ConfigMap, runner Jobs. */
const NEEDED: { verb: string; group: string; resource: string }[] = [
  { verb: 'create', group: TESTRUN_GROUP, resource: TESTRUN_PLURAL },
  { verb: 'get', group: TESTRUN_GROUP, resource: TESTRUN_PLURAL },
  { verb: 'list', group: TESTRUN_GROUP, resource: TESTRUN_PLURAL },
  { verb: 'delete', group: TESTRUN_GROUP, resource: TESTRUN_PLURAL },
  { verb: 'create', group: '', resource: 'configmaps' },
  { verb: 'delete', group: '', resource: 'configmaps' },
  { verb: 'list', group: 'batch', resource: 'jobs' },
];

export function checkNamespace(namespace: string | undefined): string {
  if (namespace === undefined || namespace === '') {
    throw new UsageError(
      '--engine k6-operator needs --namespace <ns>: where the TestRun and its runners go',
    );
  }
  if (PROTECTED_NAMESPACES.includes(namespace)) {
    throw new UsageError(
      `--namespace ${namespace} is refused: tiergate never runs load from a system namespace`,
      'pick a namespace of your own for load runners, e.g. --namespace load',
    );
  }
  return namespace;
}

export async function preflightCluster(kc: KubeConfig, namespace: string): Promise<void> {
  const cluster = kc.getCurrentCluster()?.server ?? 'the cluster';
  try {
    await kc.makeApiClient(CoreV1Api).readNamespace({ name: namespace });
  } catch (err) {
    const status = kubeStatus(err);
    if (status === 404) {
      throw new UsageError(
        `--namespace ${namespace}: no such namespace in ${cluster}`,
        `create it (kubectl create namespace ${namespace}) or pick another --namespace`,
      );
    }
    // 403: not allowed to read namespaces, which a namespaced role rarely grants; go on.
    if (status !== 403) throw unreachable(cluster, err);
  }
  const auth = kc.makeApiClient(AuthorizationV1Api);
  const denied: string[] = [];
  for (const need of NEEDED) {
    const review = await auth.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { namespace, ...need } } },
    });
    if (review.status?.allowed !== true) {
      const resource = need.group ? `${need.resource}.${need.group}` : need.resource;
      denied.push(`${need.verb} ${resource}`);
    }
  }
  if (denied.length > 0) {
    throw new RunError(
      `not allowed in namespace ${namespace}: ${denied.join(', ')}`,
      'ask for a Role granting these (or use --kubeconfig/--context of a user who has them)',
    );
  }
  try {
    await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: TESTRUN_GROUP,
      version: TESTRUN_VERSION,
      namespace,
      plural: TESTRUN_PLURAL,
      limit: 1,
    });
  } catch (err) {
    if (kubeStatus(err) === 404) {
      throw new RunError(
        `${cluster} has no TestRun CRD (${TESTRUN_PLURAL}.${TESTRUN_GROUP}/${TESTRUN_VERSION})`,
        'install k6-operator (https://grafana.com/docs/k6/latest/set-up/set-up-distributed-k6/install-k6-operator/)',
      );
    }
    throw unreachable(cluster, err);
  }
}

function unreachable(cluster: string, err: unknown): RunError {
  const status = kubeStatus(err);
  return new RunError(
    `Kubernetes API at ${cluster} failed: ${status ? `HTTP ${status}` : (err as Error).message}`,
    'check --kubeconfig/--context and that the cluster is up',
  );
}
