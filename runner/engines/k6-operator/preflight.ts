// Before anything is created: may this kubeconfig run a TestRun in this namespace, and is
// k6-operator's CRD there at all? Each problem is one line saying what to fix.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { RunError } from '../../../core/errors.ts';
import {
  checkNamespaceFlag,
  clusterName,
  kubeUnreachable,
  type Permission,
  requireAccess,
  requireNamespace,
} from '../../kube/access.ts';
import { kubeStatus } from '../../kube/client.ts';
import { TESTRUN_GROUP, TESTRUN_PLURAL, TESTRUN_VERSION } from './manifests.ts';

/** What the engine does in the namespace: TestRuns and the script's ConfigMap, runner Jobs (followed by list + watch). */
const NEEDED: Permission[] = [
  { verb: 'create', group: TESTRUN_GROUP, resource: TESTRUN_PLURAL },
  { verb: 'list', group: TESTRUN_GROUP, resource: TESTRUN_PLURAL },
  { verb: 'watch', group: TESTRUN_GROUP, resource: TESTRUN_PLURAL },
  { verb: 'delete', group: TESTRUN_GROUP, resource: TESTRUN_PLURAL },
  { verb: 'create', group: '', resource: 'configmaps' },
  { verb: 'delete', group: '', resource: 'configmaps' },
  { verb: 'list', group: 'batch', resource: 'jobs' },
  { verb: 'watch', group: 'batch', resource: 'jobs' },
];

export function checkNamespace(namespace: string | undefined): string {
  return checkNamespaceFlag(
    namespace,
    '--engine k6-operator (where the TestRun and its runners go)',
  );
}

export async function preflightCluster(kc: KubeConfig, namespace: string): Promise<void> {
  await requireNamespace(kc, namespace);
  await requireAccess(kc, namespace, NEEDED);
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
        `${clusterName(kc)} has no TestRun CRD (${TESTRUN_PLURAL}.${TESTRUN_GROUP}/${TESTRUN_VERSION})`,
        'install k6-operator (https://grafana.com/docs/k6/latest/set-up/set-up-distributed-k6/install-k6-operator/)',
      );
    }
    throw kubeUnreachable(kc, err);
  }
}
