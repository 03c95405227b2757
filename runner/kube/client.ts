// One place that loads the kubeconfig (flag, KUBECONFIG, ~/.kube/config, in-cluster) and says
// clearly what to fix when there is none, instead of a stack trace from the client library.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UsageError } from '../../core/errors.ts';

/** Where a cluster is reached: a kubeconfig file (else KUBECONFIG, ~/.kube/config) and context. */
export interface KubeAccess {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

export function loadKubeConfig(access: KubeAccess = {}): KubeConfig {
  const kc = new KubeConfig();
  if (access.kubeconfig !== undefined) {
    if (!existsSync(access.kubeconfig)) {
      throw new UsageError(
        `--kubeconfig ${access.kubeconfig}: no such file`,
        'point --kubeconfig (or KUBECONFIG) at the cluster config',
      );
    }
    kc.loadFromFile(access.kubeconfig);
  } else {
    // With nothing configured the client falls back to http://localhost:8080: say so instead.
    const configured =
      process.env.KUBECONFIG !== undefined ||
      process.env.KUBERNETES_SERVICE_HOST !== undefined ||
      existsSync(join(homedir(), '.kube', 'config'));
    if (configured) kc.loadFromDefault();
  }
  if (kc.getCurrentCluster() === null) {
    throw new UsageError(
      'no Kubernetes cluster configured',
      'set KUBECONFIG or pass --kubeconfig <file> (and --context <name>)',
    );
  }
  if (access.context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === access.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new UsageError(
        `--context ${access.context}: not in the kubeconfig`,
        `use one of: ${known.join(', ') || '(none)'}`,
      );
    }
    kc.setCurrentContext(access.context);
  }
  return kc;
}

/** The HTTP status of an error from @kubernetes/client-node, if it carries one. */
export function kubeStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Namespaces no experiment may touch, whatever the allow-list says. */
export const PROTECTED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'chaos-mesh'];

/** An API error as one line: the server's own message where it sent one. */
export function kubeReason(err: unknown): string {
  const body = (err as { body?: unknown } | null)?.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  const message = (parsed as { message?: unknown } | undefined)?.message;
  const status = kubeStatus(err);
  if (typeof message === 'string') return `HTTP ${status}: ${message}`;
  if (status !== undefined) return `HTTP ${status}`;
  // node-fetch: "request to <url> failed, reason: connect ECONNREFUSED 127.0.0.1:6443"
  const text = (err as Error).message;
  return /, reason: (.*)$/.exec(text)?.[1] ?? text;
}

/** The `True` status of a condition in `status.conditions`. */
export function hasCondition(
  live: { status?: { conditions?: { type?: string; status?: string }[] } } | undefined,
  type: string,
): boolean {
  return live?.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}
