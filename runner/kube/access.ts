// Checks before tiergate creates anything in a cluster: a namespace of the user's own (never a
// system one), that it exists, and that RBAC allows what tiergate will do there. Each problem
// is one line saying what to fix.
import { AuthorizationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { RunError, UsageError } from '../../core/errors.ts';
import { kubeStatus, PROTECTED_NAMESPACES } from './client.ts';

export interface Permission {
  verb: string;
  /** API group; '' for the core group. */
  group: string;
  resource: string;
}

/** `--namespace` given and not a system namespace; `what` says what goes there. */
export function checkNamespaceFlag(namespace: string | undefined, what: string): string {
  if (namespace === undefined || namespace === '') {
    throw new UsageError(`${what} needs --namespace <ns>`);
  }
  if (PROTECTED_NAMESPACES.includes(namespace)) {
    throw new UsageError(
      `--namespace ${namespace} is refused: tiergate never acts in ${PROTECTED_NAMESPACES.join(', ')}`,
      'pick a namespace of your own',
    );
  }
  return namespace;
}

export function clusterName(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? 'the cluster';
}

/** An API call that failed for a reason other than the one the caller handles. */
export function kubeUnreachable(kc: KubeConfig, err: unknown): RunError {
  const status = kubeStatus(err);
  return new RunError(
    `Kubernetes API at ${clusterName(kc)} failed: ${status ? `HTTP ${status}` : (err as Error).message}`,
    'check --kubeconfig/--context and that the cluster is up',
  );
}

export async function requireNamespace(kc: KubeConfig, namespace: string): Promise<void> {
  try {
    await kc.makeApiClient(CoreV1Api).readNamespace({ name: namespace });
  } catch (err) {
    const status = kubeStatus(err);
    if (status === 404) {
      throw new UsageError(
        `--namespace ${namespace}: no such namespace in ${clusterName(kc)}`,
        `create it (kubectl create namespace ${namespace}) or pick another --namespace`,
      );
    }
    // 403: not allowed to read namespaces, which a namespaced role rarely grants; go on.
    if (status !== 403) throw kubeUnreachable(kc, err);
  }
}

/** Every permission granted in `namespace` (SelfSubjectAccessReview), or one error naming all missing. */
export async function requireAccess(
  kc: KubeConfig,
  namespace: string,
  needed: readonly Permission[],
): Promise<void> {
  const auth = kc.makeApiClient(AuthorizationV1Api);
  const denied: string[] = [];
  for (const need of needed) {
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
}
