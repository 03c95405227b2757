// One place that loads the kubeconfig (flag, KUBECONFIG, ~/.kube/config, in-cluster) and says
// clearly what to fix when there is none, instead of a stack trace from the client library.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UsageError } from '../errors.ts';

export interface KubeFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

export function loadKubeConfig(flags: KubeFlags = {}): KubeConfig {
  const kc = new KubeConfig();
  if (flags.kubeconfig !== undefined) {
    if (!existsSync(flags.kubeconfig)) {
      throw new UsageError(
        `--kubeconfig ${flags.kubeconfig}: no such file`,
        'point --kubeconfig (or KUBECONFIG) at the cluster config',
      );
    }
    kc.loadFromFile(flags.kubeconfig);
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
  if (flags.context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === flags.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new UsageError(
        `--context ${flags.context}: not in the kubeconfig`,
        `use one of: ${known.join(', ') || '(none)'}`,
      );
    }
    kc.setCurrentContext(flags.context);
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
